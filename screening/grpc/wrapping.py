"""Wrapping a method handler in a check that may refuse the call, for the asyncio server's
interceptors. A handler's behaviour may be a coroutine or an async generator (run on the
event loop: CheckPassenger, reflection) or a plain function or generator (run on the thread
pool): the wrapper is of the same kind, and refuses through the context's abort, awaited or
not as that kind's context needs."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import grpc


class Refused(Exception):
    """A call turned away before its handler runs, with its status."""

    def __init__(self, code: grpc.StatusCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


# admit(request, context) -> the context the handler gets; raises Refused
Admit = Callable[[Any, Any], Any]
# rule(request, context, inner) -> inner's answer, maybe changed (default: inner's)
Rule = Callable[[Any, Any, Callable], Any]


def _passthrough(request, context, inner: Callable):
    return inner(request, context)


def _parts(handler: grpc.RpcMethodHandler) -> tuple[Callable, Callable]:
    """(the behaviour, the grpc factory of a handler of its kind)."""
    if handler.unary_unary:
        return handler.unary_unary, grpc.unary_unary_rpc_method_handler
    if handler.unary_stream:
        return handler.unary_stream, grpc.unary_stream_rpc_method_handler
    if handler.stream_unary:
        return handler.stream_unary, grpc.stream_unary_rpc_method_handler
    return handler.stream_stream, grpc.stream_stream_rpc_method_handler


def wrap(handler: grpc.RpcMethodHandler, admit: Admit, rule: Rule = _passthrough,
         request_deserializer: Callable | None = None) -> grpc.RpcMethodHandler:
    """The handler, its behaviour run through `rule` once `admit` lets the call in."""
    inner, factory = _parts(handler)
    kwargs = {"request_deserializer": request_deserializer or handler.request_deserializer,
              "response_serializer": handler.response_serializer}

    if inspect.isasyncgenfunction(inner):
        async def behaviour(request, context):
            ctx = await _admit_async(admit, request, context)
            async for response in rule(request, ctx, inner):
                yield response
    elif inspect.iscoroutinefunction(inner):
        async def behaviour(request, context):
            ctx = await _admit_async(admit, request, context)
            answer = rule(request, ctx, inner)
            return await answer if inspect.isawaitable(answer) else answer
    elif handler.response_streaming:
        def behaviour(request, context):
            yield from rule(request, _admit_sync(admit, request, context), inner)
    else:
        def behaviour(request, context):
            return rule(request, _admit_sync(admit, request, context), inner)
    return factory(behaviour, **kwargs)


def _admit_sync(admit: Admit, request, context):
    try:
        return admit(request, context)
    except Refused as refused:
        context.abort(refused.code, refused.message)  # raises
        raise


async def _admit_async(admit: Admit, request, context):
    try:
        return admit(request, context)
    except Refused as refused:
        await context.abort(refused.code, refused.message)  # raises
        raise
