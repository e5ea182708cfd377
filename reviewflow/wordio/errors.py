"""Errors raised by the Word reader, and THE table of refusal messages.

Only a package that cannot or must not be read raises; everything odd-but-readable becomes a
warning on the returned ``Document`` (python-mammoth style).  Every error carries a stable
machine ``code`` and a ``message`` written for the person who uploaded the file: the one of
:data:`REFUSALS` for its code unless the raise gave a more precise one (the size of a file too
large, the part that is damaged ...).

:data:`REFUSALS` holds the user-facing message of every code, marked with the no-op
:func:`N_`: wordio stays pure (no Babel, no Flask), and the services translate the message
where they show it (``refusal_message(code)``; the French lives in reviewflow/translations).
"""
from __future__ import annotations


def N_(message: str) -> str:
    """Marks a message for translation (extracted by Babel); the services translate it."""
    return message


REFUSALS: dict[str, str] = {
    "invalid": N_("This file could not be read as a Word document."),
    "not_zip": N_("This file is not a Word document (.docx). Open it in Word and save it as "
                  "\"Word Document (*.docx)\"."),
    "truncated": N_("This Word file is incomplete or damaged (the upload may have been cut "
                    "short). Try again, or open it in Word and save a new copy."),
    "ole_encrypted": N_("This Word document is password-protected. Remove the password in Word "
                        "and upload it again."),
    "encrypted": N_("This file contains encrypted parts and cannot be read. Save an unprotected "
                    "copy as .docx."),
    "legacy_doc": N_("This is an old-format Word file (.doc). Open it in Word and save it as "
                     "\"Word Document (*.docx)\", then upload the .docx."),
    "macro": N_("This document contains macros (.docm) and was refused: nothing was stored and "
                "no macro was run. In Word, save a copy as \"Word Document (*.docx)\" and "
                "upload that."),
    "zip_bomb": N_("This file expands to far more data than a report can contain and was "
                   "refused for safety."),
    "too_large": N_("This file is too large to upload."),
    "not_docx": N_("This file is a zip archive but not a Word document (.docx)."),
    "doctype": N_("This file contains XML declarations (DOCTYPE/ENTITY) that Word never writes; "
                  "it was refused for safety."),
    "unsafe_name": N_("This file holds an internal part with an unsafe name (an absolute path, a drive "
                      "letter, a backslash or \"..\"), which Word never writes; it was refused for safety "
                      "and nothing was stored."),
    # A damaged main part is shown as a file that could not be read at all.
    "corrupt": N_("This file could not be read as a Word document."),
}


def refusal_message(code: str) -> str:
    """The user-facing (untranslated, N_-marked) message of a refusal code."""
    return REFUSALS.get(code, REFUSALS["invalid"])


class WordFileError(Exception):
    """A .docx that cannot or must not be read.  ``code`` is stable; ``message`` is for users."""

    code = "invalid"
    default_message = REFUSALS["invalid"]

    def __init__(self, message: str | None = None, *, part: str | None = None):
        self.message = message or self.default_message
        self.part = part
        super().__init__(self.message)

    def __reduce__(self):  # keep picklable with keyword-only args
        return (_rebuild, (type(self), self.message, self.part))


def _rebuild(cls, message, part):
    return cls(message, part=part)


class NotZipError(WordFileError):
    code = "not_zip"
    default_message = REFUSALS["not_zip"]


class TruncatedError(WordFileError):
    code = "truncated"
    default_message = REFUSALS["truncated"]


class EncryptedError(WordFileError):
    code = "ole_encrypted"
    default_message = REFUSALS["ole_encrypted"]


class ZipEncryptedError(WordFileError):
    code = "encrypted"
    default_message = REFUSALS["encrypted"]


class LegacyDocError(WordFileError):
    code = "legacy_doc"
    default_message = REFUSALS["legacy_doc"]


class MacroError(WordFileError):
    code = "macro"
    default_message = REFUSALS["macro"]


class ZipBombError(WordFileError):
    code = "zip_bomb"
    default_message = REFUSALS["zip_bomb"]


class TooLargeError(WordFileError):
    code = "too_large"
    default_message = REFUSALS["too_large"]


class NotDocxError(WordFileError):
    code = "not_docx"
    default_message = REFUSALS["not_docx"]


class DoctypeError(WordFileError):
    code = "doctype"
    default_message = REFUSALS["doctype"]


class UnsafeNameError(WordFileError):
    code = "unsafe_name"
    default_message = REFUSALS["unsafe_name"]


class CorruptError(WordFileError):
    code = "corrupt"
    default_message = REFUSALS["corrupt"]


__all__ = [
    "WordFileError", "NotZipError", "TruncatedError", "EncryptedError", "ZipEncryptedError",
    "LegacyDocError", "MacroError", "ZipBombError", "TooLargeError", "NotDocxError",
    "DoctypeError", "CorruptError", "UnsafeNameError", "REFUSALS", "refusal_message", "N_",
]
