"""The one place that maps domain errors to gRPC status codes."""

from __future__ import annotations

import functools
import inspect
import logging
from collections.abc import Callable

import grpc

from screening.errors import ScreeningError

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


def _abort(context: grpc.ServicerContext, exc: BaseException) -> None:
    if isinstance(exc, ScreeningError):
        context.abort(status_code(exc), str(exc))
    log.exception("unexpected error in handler")
    context.abort(grpc.StatusCode.INTERNAL, "internal error (logged on the server)")


def handles_errors(method: Callable) -> Callable:
    """Servicer decorator: domain errors become their status; anything else INTERNAL,
    logged, never a crash. Works for unary and streaming handlers."""
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
