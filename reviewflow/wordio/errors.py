"""Errors raised by the Word reader.

Only a package that cannot or must not be read raises; everything odd-but-readable becomes a
warning on the returned ``Document`` (python-mammoth style).  Every error carries a stable
machine ``code`` and a ``message`` written for the person who uploaded the file.
"""
from __future__ import annotations


class WordFileError(Exception):
    """A .docx that cannot or must not be read.  ``code`` is stable; ``message`` is for users."""

    code = "invalid"
    default_message = "This file could not be read as a Word document."

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
    default_message = ("This file is not a Word document (.docx). Open it in Word and save it "
                       "as \"Word Document (*.docx)\".")


class TruncatedError(WordFileError):
    code = "truncated"
    default_message = ("This Word file is incomplete or damaged (the upload may have been cut "
                       "short). Try uploading it again, or open it in Word and save a new copy.")


class EncryptedError(WordFileError):
    code = "ole_encrypted"
    default_message = ("This Word document is password-protected. Remove the password in Word "
                       "(File > Info > Protect Document > Encrypt with Password, clear it) and "
                       "upload it again.")


class ZipEncryptedError(WordFileError):
    code = "encrypted"
    default_message = ("This file contains encrypted parts and cannot be read. Open it in Word, "
                       "save an unprotected copy as .docx and upload that.")


class LegacyDocError(WordFileError):
    code = "legacy_doc"
    default_message = ("This is an old-format Word file (.doc). Open it in Word and save it as "
                       "\"Word Document (*.docx)\", then upload the .docx.")


class MacroError(WordFileError):
    code = "macro"
    default_message = ("This document contains macros (.docm). Macro-enabled documents are not "
                       "accepted. In Word, use File > Save As > \"Word Document (*.docx)\" to save "
                       "a copy without macros, and upload that.")


class ZipBombError(WordFileError):
    code = "zip_bomb"
    default_message = ("This file expands to far more data than a report can contain and was "
                       "refused for safety. Save it again from Word as .docx; if it is very "
                       "large, split it or compress its images.")


class TooLargeError(WordFileError):
    code = "too_large"
    default_message = "This file is too large to upload."


class NotDocxError(WordFileError):
    code = "not_docx"
    default_message = ("This file is a zip archive but not a Word document (.docx). Open it in "
                       "Word and save it as \"Word Document (*.docx)\".")


class DoctypeError(WordFileError):
    code = "doctype"
    default_message = ("This file contains XML declarations (DOCTYPE/ENTITY) that Word never "
                       "writes; it was refused for safety. Save it again from Word as .docx.")


class CorruptError(WordFileError):
    code = "corrupt"
    default_message = ("This Word file is damaged: its main text could not be read. Open it in "
                       "Word (which may offer to repair it) and save a new copy as .docx.")


__all__ = [
    "WordFileError", "NotZipError", "TruncatedError", "EncryptedError", "ZipEncryptedError",
    "LegacyDocError", "MacroError", "ZipBombError", "TooLargeError", "NotDocxError",
    "DoctypeError", "CorruptError",
]
