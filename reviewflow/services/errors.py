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


# Server-side length limits of the free-text fields that are not comments (comments: threads.BODY_MAX;
# section texts: editing): a longer text is refused with its limit, never cut.
NOTE_MAX = 4000          # workflow notes (request changes ...), sign-off notes and justifications
REASON_MAX = 2000        # why a thread was resolved, why a suggested edit was accepted or rejected
VERSION_NOTE_MAX = 500   # the note of a saved version


def bounded(text: str | None, limit: int) -> str:
    """``text`` stripped, or Invalid (400) when it is longer than ``limit`` characters."""
    text = (text or "").strip()
    if len(text) > limit:
        raise Invalid(N_("This text is too long: at most %(n)s characters (it has %(len)s). Nothing was saved."),
                      n=limit, len=len(text))
    return text
