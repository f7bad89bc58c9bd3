"""The one place that maps domain errors to gRPC status codes."""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Callable

import grpc

from screening.errors import ScreeningError
from screening.grpc.wrapping import Refused, wrap

log = logging.getLogger(__name__)

_CODES = {
    "INVALID_ARGUMENT": grpc.StatusCode.INVALID_ARGUMENT,
    "NOT_FOUND": grpc.StatusCode.NOT_FOUND,
    "FAILED_PRECONDITION": grpc.StatusCode.FAILED_PRECONDITION,
    "RESOURCE_EXHAUSTED": grpc.StatusCode.RESOURCE_EXHAUSTED,
    "UNAVAILABLE": grpc.StatusCode.UNAVAILABLE,
    "PERMISSION_DENIED": grpc.StatusCode.PERMISSION_DENIED,
    "UNAUTHENTICATED": grpc.StatusCode.UNAUTHENTICATED,
    "DEADLINE_EXCEEDED": grpc.StatusCode.DEADLINE_EXCEEDED,
    "INTERNAL": grpc.StatusCode.INTERNAL,
}


def status_code(error: ScreeningError) -> grpc.StatusCode:
    return _CODES.get(error.code, grpc.StatusCode.INTERNAL)


def _status(exc: BaseException) -> tuple[grpc.StatusCode, str]:
    if isinstance(exc, ScreeningError):
        return status_code(exc), str(exc)
    log.exception("unexpected error in handler")
    return grpc.StatusCode.INTERNAL, "internal error (logged on the server)"


def _abort(context: grpc.ServicerContext, exc: BaseException) -> None:
    context.abort(*_status(exc))


def handles_errors(method: Callable) -> Callable:
    """Servicer decorator: domain errors become their status; anything else INTERNAL,
    logged, never a crash. Works for unary and streaming handlers, and for coroutines (the
    asyncio server's, whose context's abort is awaited)."""
    if inspect.isasyncgenfunction(method):
        @functools.wraps(method)
        async def async_stream_wrapper(self, request, context):
            try:
                async for response in method(self, request, context):
                    yield response
            except grpc.aio.AbortError:
                raise
            except Exception as exc:  # noqa: BLE001
                await context.abort(*_status(exc))
        return async_stream_wrapper
    if inspect.iscoroutinefunction(method):
        @functools.wraps(method)
        async def async_wrapper(self, request, context):
            try:
                return await method(self, request, context)
            except grpc.aio.AbortError:  # already aborted, with its own status
                raise
            except Exception as exc:  # noqa: BLE001
                await context.abort(*_status(exc))
        return async_wrapper
    if inspect.isgeneratorfunction(method):
        @functools.wraps(method)
        def stream_wrapper(self, request, context):
            try:
                yield from method(self, request, context)
            except Exception as exc:  # noqa: BLE001 - the boundary where everything is mapped
                _abort(context, exc)
        return stream_wrapper

    @functools.wraps(method)
    def unary_wrapper(self, request, context):
        try:
            return method(self, request, context)
        except Exception as exc:  # noqa: BLE001
            _abort(context, exc)
    return unary_wrapper


class _Undecodable:
    """What a request that does not parse decodes to (DecodeGuard refuses it)."""

    def __init__(self, error: Exception) -> None:
        self.error = error


def _refuse_undecodable(request, context):
    if isinstance(request, _Undecodable):
        raise Refused(grpc.StatusCode.INVALID_ARGUMENT,
                      f"request: not a valid message ({type(request.error).__name__})")
    return context


class DecodeGuard(grpc.aio.ServerInterceptor):
    """A unary request that does not parse is INVALID_ARGUMENT, not the UNKNOWN with parser
    internals that grpc.aio answers (the threaded server said INTERNAL). Innermost in the
    chain, so that the trust layer still authenticates the caller first."""

    async def intercept_service(self, continuation, details):
        handler = await continuation(details)
        if handler is None or handler.request_streaming or handler.request_deserializer is None:
            return handler
        decode = handler.request_deserializer

        def safe_decode(data: bytes):
            try:
                return decode(data)
            except Exception as exc:  # noqa: BLE001 - refused as INVALID_ARGUMENT
                return _Undecodable(exc)

        return wrap(handler, _refuse_undecodable, request_deserializer=safe_decode)
