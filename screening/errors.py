"""One error hierarchy for the service; `screening.grpc.status` maps it to gRPC codes."""

from __future__ import annotations


class ScreeningError(Exception):
    """Base of every domain error. `code` names the gRPC status it maps to."""

    code = "INTERNAL"

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field
        self.message = message

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message

    def __reduce__(self):
        # Keep `field` (and subclass attributes) when an error crosses a process boundary.
        return (type(self), (self.message,), self.__dict__)


class InvalidArgument(ScreeningError):
    """The caller sent something malformed; `field` names it (e.g. ``document.issuing_country``)."""

    code = "INVALID_ARGUMENT"


class NotFound(ScreeningError):
    code = "NOT_FOUND"


class FailedPrecondition(ScreeningError):
    """The request is well formed but not allowed in the current state (e.g. a status change)."""

    code = "FAILED_PRECONDITION"


class ResourceExhausted(ScreeningError):
    """A size or rate limit was exceeded."""

    code = "RESOURCE_EXHAUSTED"


class Unavailable(ScreeningError):
    """No data is loaded yet, or a backend is down."""

    code = "UNAVAILABLE"


class DataError(ScreeningError):
    """A watchlist file or snapshot could not be read. Carries the SQL that failed, if any."""

    code = "FAILED_PRECONDITION"

    def __init__(self, message: str, *, field: str = "", sql: str = "") -> None:
        super().__init__(message, field=field)
        self.sql = sql

    def __str__(self) -> str:
        base = super().__str__()
        return f"{base}\n  while running SQL: {self.sql}" if self.sql else base


class DeadlineExceeded(ScreeningError):
    """The caller's deadline passed while the work was under way."""

    code = "DEADLINE_EXCEEDED"
