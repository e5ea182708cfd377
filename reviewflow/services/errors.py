"""Domain errors raised by services; reviewflow.errors maps them to HTTP statuses in one table."""
from __future__ import annotations

from typing import Any


def N_(message: str) -> str:
    """Marks a message for translation; the error handler translates it when it is shown."""
    return message


class ServiceError(Exception):
    """``message`` is an English template with %(name)s placeholders filled from ``details``;
    str(exc) is the English text (CLI), ``translated(exc)`` in reviewflow.errors the user's language."""
    code = "error"

    def __init__(self, message: str, **details: Any) -> None:
        self.message = message
        self.details = details
        try:
            text = message % details if details else message
        except (KeyError, ValueError, TypeError):
            text = message
        super().__init__(text)


class NotFound(ServiceError):
    code = "not_found"


class Forbidden(ServiceError):
    code = "forbidden"


class Unauthenticated(ServiceError):
    """No credentials, or credentials that are unknown, expired or revoked (the API's tokens)."""
    code = "unauthenticated"


class Invalid(ServiceError):
    code = "invalid"


class Conflict(ServiceError):
    code = "conflict"


class StaleVersion(Conflict):
    """The edit was based on a version that is no longer the latest and the section changed since."""
    code = "stale_version"


class PreconditionFailed(Conflict):
    """An If-Match that no longer matches: the object changed since the client read it."""
    code = "precondition_failed"


class PreconditionRequired(ServiceError):
    code = "precondition_required"


class TooManyAttempts(ServiceError):
    code = "too_many_attempts"
