"""Errors raised for a budget workbook that cannot or must not be read, and THE table of their
messages.

Like :mod:`reviewflow.wordio.errors`: only a file that is refused raises; everything
odd-but-readable becomes a :class:`~reviewflow.workbook.model.WorkbookWarning`.  Every error has
a stable machine ``code`` (``not_zip``, ``macro`` ...), a ``reason`` naming the precise case when
there is one (``not_zip.pdf``, ``too_large.size`` ...), and a ``message`` written for the person
who uploaded the file: the English template of :data:`REFUSALS` for its reason, filled with the
error's ``figures``.

:data:`REFUSALS` is marked with the no-op :func:`N_`: this package stays pure (no Babel, no
Flask) and the services translate the template where they show it, as they do for Word files
(``reviewflow.services.workbook_files``; the French lives in reviewflow/translations).
"""

from __future__ import annotations


def N_(message: str) -> str:
    """Marks a message for translation (extracted by Babel); the services translate it."""
    return message


REFUSALS: dict[str, str] = {
    "invalid": N_("This file could not be read as an Excel workbook (.xlsx)."),
    "too_large": N_("This file is too large for a budget workbook."),
    "too_large.size": N_("This file is %(size_mb)s MB; the limit for a budget workbook is %(limit_mb)s MB."),
    "not_zip": N_(
        'This file is not an Excel workbook (.xlsx). Open it in Excel and save it as "Excel Workbook '
        '(*.xlsx)", then upload the .xlsx.'
    ),
    "not_zip.doc": N_("This is an old-format Word document (.doc), not an Excel workbook."),
    "not_zip.pdf": N_("This is a PDF, not an Excel workbook. Upload the .xlsx the budget was made in."),
    "not_zip.rtf": N_("This is an RTF document, not an Excel workbook."),
    "not_zip.html": N_(
        "This is a web page (HTML) saved with a spreadsheet name, not an Excel workbook. Open it in Excel "
        'and save it as "Excel Workbook (*.xlsx)".'
    ),
    "not_zip.csv": N_(
        'This looks like a text (CSV) file, not an Excel workbook. Open it in Excel and save it as "Excel '
        'Workbook (*.xlsx)".'
    ),
    "truncated": N_(
        "This workbook is incomplete or damaged (the upload may have been cut short). Try again, or open it "
        "in Excel and save a new copy."
    ),
    "ole_encrypted": N_(
        "This workbook is password-protected (encrypted). Remove the password in Excel (File > Info > "
        "Protect Workbook > Encrypt with Password, clear it) and upload it again."
    ),
    "encrypted": N_(
        "This file contains encrypted parts and cannot be read. Save an unprotected copy as .xlsx."
    ),
    "legacy_xls": N_(
        "This is an old-format Excel file (.xls), which is not accepted. Open it in Excel and save it as "
        '"Excel Workbook (*.xlsx)", then upload the .xlsx.'
    ),
    "legacy_xls.xml2003": N_(
        "This is an Excel 2003 XML spreadsheet, which is not accepted. Open it in Excel and save it as "
        '"Excel Workbook (*.xlsx)".'
    ),
    "macro": N_(
        "This workbook contains macros (.xlsm) and was refused: nothing was stored and no macro was run. In "
        'Excel, use File > Save As > "Excel Workbook (*.xlsx)" to save a copy without macros, and upload '
        "that."
    ),
    "xlsb": N_(
        "This is a binary Excel workbook (.xlsb), which is not accepted. Open it in Excel and save it as "
        '"Excel Workbook (*.xlsx)", then upload the .xlsx.'
    ),
    "zip_bomb": N_(
        "This file expands to far more data than a budget workbook can contain and was refused for safety."
    ),
    "zip_bomb.members": N_(
        "This file holds %(members)s internal parts (the limit is %(limit)s); it was refused for safety."
    ),
    "too_much_data": N_(
        "This workbook holds too much data for a budget workbook. Remove the sheets or rows that are not "
        "part of the budget (or save the budget sheets in a new workbook) and upload it again."
    ),
    "too_much_data.declared": N_(
        "This workbook expands to %(size_mb)s MB of data (the limit is %(limit_mb)s MB). Remove the sheets "
        "or rows that are not part of the budget and upload it again."
    ),
    "too_much_data.sheet": N_(
        "This workbook holds too much data (one worksheet is over %(limit_mb)s MB uncompressed). Remove the "
        "sheets or rows that are not part of the budget and upload it again."
    ),
    "too_much_data.strings": N_(
        "This workbook holds too much data (its shared texts are over %(limit_mb)s MB uncompressed). Remove "
        "the sheets or rows that are not part of the budget and upload it again."
    ),
    "too_much_data.workbook": N_(
        "This workbook holds too much data (over %(limit_mb)s MB uncompressed). Remove the sheets or rows "
        "that are not part of the budget and upload it again."
    ),
    "not_xlsx": N_(
        "This file is a zip archive but not an Excel workbook (.xlsx). Open it in Excel and save it as "
        '"Excel Workbook (*.xlsx)", then upload the .xlsx.'
    ),
    "not_xlsx.damaged_part": N_(
        "The part %(part)s of this workbook is damaged. Open the file in Excel and save a new copy as .xlsx."
    ),
    "not_xlsx.compression": N_(
        "This file uses a zip compression method Excel does not use; save it again from Excel as .xlsx."
    ),
    "not_xlsx.duplicate": N_(
        "This file contains the same part twice; it is damaged or was not written by a spreadsheet program. "
        "Save it again from Excel."
    ),
    "not_xlsx.word": N_("This is a Word document, not an Excel workbook."),
    "not_xlsx.ods": N_(
        'This is an OpenDocument spreadsheet (.ods). Open it and save it as "Excel Workbook (*.xlsx)".'
    ),
    "not_xlsx.strict": N_(
        'This workbook is saved as "Strict Open XML Spreadsheet", which is not supported. Save it as "Excel '
        'Workbook (*.xlsx)".'
    ),
    "doctype": N_(
        "This file contains XML declarations (DOCTYPE/ENTITY) that Excel never writes; it was refused for "
        "safety."
    ),
    "unsafe_name": N_(
        "This file holds an internal part with an unsafe name (an absolute path, a drive letter, a backslash "
        'or ".."), which Excel never writes; it was refused for safety and nothing was stored.'
    ),
    "corrupt": N_(
        "This workbook is damaged: its sheets could not be read. Open it in Excel (which may offer to repair "
        "it) and save a new copy as .xlsx."
    ),
}


def refusal_message(reason: str) -> str:
    """The user-facing (untranslated, N_-marked) message template of a refusal reason
    (``"not_zip.pdf"``) or code (``"not_zip"``)."""
    if reason in REFUSALS:
        return REFUSALS[reason]
    return REFUSALS.get(reason.split(".", 1)[0], REFUSALS["invalid"])


class WorkbookError(Exception):
    """A workbook that cannot or must not be read.

    ``code`` is stable (one per class); ``reason`` the precise case (a key of :data:`REFUSALS`,
    the code itself by default); ``template`` the English message template and ``message`` the
    English text (``template % figures``); ``part`` the package part at fault; ``figures`` the
    numbers and names behind the message (they fill the template's placeholders)."""

    code = "invalid"

    def __init__(self, detail: str | None = None, *, part: str | None = None, figures: dict | None = None):
        self.reason = f"{self.code}.{detail}" if detail else self.code
        self.part = part
        self.figures = dict(figures or {})
        if part is not None:
            self.figures.setdefault("part", part)
        self.template = refusal_message(self.reason)
        try:
            self.message = self.template % self.figures
        except (KeyError, ValueError, TypeError):
            self.message = self.template
        super().__init__(self.message)

    @property
    def params(self) -> dict:
        """The figures that fill the message (texts and numbers only)."""
        return {k: v for k, v in self.figures.items() if isinstance(v, (str, int, float))}

    def __reduce__(self):
        detail = self.reason.split(".", 1)[1] if "." in self.reason else None
        return (_rebuild, (type(self), detail, self.part, self.figures))


def _rebuild(cls, detail, part, figures):
    return cls(detail, part=part, figures=figures)


def _cls(name: str, code: str) -> type[WorkbookError]:
    return type(name, (WorkbookError,), {"code": code, "__doc__": REFUSALS[code]})


TooLargeError = _cls("TooLargeError", "too_large")
NotZipError = _cls("NotZipError", "not_zip")
TruncatedError = _cls("TruncatedError", "truncated")
EncryptedError = _cls("EncryptedError", "ole_encrypted")
ZipEncryptedError = _cls("ZipEncryptedError", "encrypted")
LegacyXlsError = _cls("LegacyXlsError", "legacy_xls")
MacroError = _cls("MacroError", "macro")
BinaryWorkbookError = _cls("BinaryWorkbookError", "xlsb")
ZipBombError = _cls("ZipBombError", "zip_bomb")
TooMuchDataError = _cls("TooMuchDataError", "too_much_data")
NotXlsxError = _cls("NotXlsxError", "not_xlsx")
DoctypeError = _cls("DoctypeError", "doctype")
CorruptError = _cls("CorruptError", "corrupt")
UnsafeNameError = _cls("UnsafeNameError", "unsafe_name")

__all__ = [
    "WorkbookError",
    "UnsafeNameError",
    "TooLargeError",
    "NotZipError",
    "TruncatedError",
    "EncryptedError",
    "ZipEncryptedError",
    "LegacyXlsError",
    "MacroError",
    "BinaryWorkbookError",
    "ZipBombError",
    "TooMuchDataError",
    "NotXlsxError",
    "DoctypeError",
    "CorruptError",
    "REFUSALS",
    "refusal_message",
    "N_",
]
