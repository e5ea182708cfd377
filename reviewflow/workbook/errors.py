"""Errors raised for a budget workbook that cannot or must not be read.

Like :mod:`reviewflow.wordio.errors`: only a file that is refused raises; everything
odd-but-readable becomes a :class:`~reviewflow.workbook.model.WorkbookWarning`.  Every error has
a stable machine ``code`` (the service layer maps it to a translated message) and a message in
English and French for the person who uploaded the file.
"""

from __future__ import annotations


class WorkbookError(Exception):
    """A workbook that cannot or must not be read.  ``code`` is stable; ``message`` (English)
    and ``messages`` ({"fr", "en"}) are for users; ``part`` names the package part at fault."""

    code = "invalid"
    default_messages = {
        "en": "This file could not be read as an Excel workbook (.xlsx).",
        "fr": "Ce fichier n'a pas pu être lu comme un classeur Excel (.xlsx).",
    }

    def __init__(
        self,
        message: str | None = None,
        *,
        message_fr: str | None = None,
        part: str | None = None,
        figures: dict | None = None,
    ):
        self.messages = {
            "en": message or self.default_messages["en"],
            "fr": message_fr or (self.default_messages["fr"] if message is None else message),
        }
        self.message = self.messages["en"]
        self.part = part
        self.figures = dict(figures or {})
        super().__init__(self.message)

    def __reduce__(self):
        return (_rebuild, (type(self), self.messages, self.part, self.figures))


def _rebuild(cls, messages, part, figures):
    return cls(messages["en"], message_fr=messages["fr"], part=part, figures=figures)


def _cls(name, code, en, fr):
    return type(
        name, (WorkbookError,), {"code": code, "default_messages": {"en": en, "fr": fr}, "__doc__": en}
    )


SAVE_EN = 'Open it in Excel and save it as "Excel Workbook (*.xlsx)", then upload the .xlsx.'
SAVE_FR = (
    "Ouvrez-le dans Excel et enregistrez-le au format « Classeur Excel (*.xlsx) », puis envoyez le .xlsx."
)

TooLargeError = _cls(
    "TooLargeError",
    "too_large",
    "This file is too large for a budget workbook.",
    "Ce fichier est trop volumineux pour un classeur de budget.",
)
NotZipError = _cls(
    "NotZipError",
    "not_zip",
    "This file is not an Excel workbook (.xlsx). " + SAVE_EN,
    "Ce fichier n'est pas un classeur Excel (.xlsx). " + SAVE_FR,
)
TruncatedError = _cls(
    "TruncatedError",
    "truncated",
    "This workbook is incomplete or damaged (the upload may have been cut short). Try again, or open it in "
    "Excel and save a new copy.",
    "Ce classeur est incomplet ou endommagé (l'envoi a peut-être été interrompu). Réessayez, ou ouvrez-le "
    "dans Excel et enregistrez une nouvelle copie.",
)
EncryptedError = _cls(
    "EncryptedError",
    "ole_encrypted",
    "This workbook is password-protected (encrypted). Remove the password in Excel (File > Info > Protect "
    "Workbook > Encrypt with Password, clear it) and upload it again.",
    "Ce classeur est protégé par un mot de passe (chiffré). Retirez le mot de passe dans Excel (Fichier > "
    "Informations > Protéger le classeur > Chiffrer avec mot de passe, videz-le) et envoyez-le à nouveau.",
)
ZipEncryptedError = _cls(
    "ZipEncryptedError",
    "encrypted",
    "This file contains encrypted parts and cannot be read. Save an unprotected copy as .xlsx.",
    "Ce fichier contient des parties chiffrées et ne peut pas être lu. Enregistrez une copie non protégée "
    "au format .xlsx.",
)
LegacyXlsError = _cls(
    "LegacyXlsError",
    "legacy_xls",
    "This is an old-format Excel file (.xls), which is not accepted. " + SAVE_EN,
    "C'est un fichier Excel à l'ancien format (.xls), qui n'est pas accepté. " + SAVE_FR,
)
MacroError = _cls(
    "MacroError",
    "macro",
    "This workbook contains macros (.xlsm) and was refused: nothing was stored and no macro was run. In "
    'Excel, use File > Save As > "Excel Workbook (*.xlsx)" to save a copy without macros, and upload that.',
    "Ce classeur contient des macros (.xlsm) et a été refusé : rien n'a été enregistré et aucune macro n'a "
    "été exécutée. Dans Excel, utilisez Fichier > Enregistrer sous > « Classeur Excel (*.xlsx) » pour "
    "enregistrer une copie sans macros, et envoyez celle-ci.",
)
BinaryWorkbookError = _cls(
    "BinaryWorkbookError",
    "xlsb",
    "This is a binary Excel workbook (.xlsb), which is not accepted. " + SAVE_EN,
    "C'est un classeur Excel binaire (.xlsb), qui n'est pas accepté. " + SAVE_FR,
)
ZipBombError = _cls(
    "ZipBombError",
    "zip_bomb",
    "This file expands to far more data than a budget workbook can contain and was refused for safety.",
    "Ce fichier se décompresse en beaucoup plus de données qu'un classeur de budget n'en contient ; il a "
    "été refusé par sécurité.",
)
TooMuchDataError = _cls(
    "TooMuchDataError",
    "too_much_data",
    "This workbook holds too much data for a budget workbook. Remove the sheets or rows that are not part "
    "of the budget (or save the budget sheets in a new workbook) and upload it again.",
    "Ce classeur contient trop de données pour un classeur de budget. Supprimez les feuilles ou lignes qui "
    "ne font pas partie du budget (ou enregistrez les feuilles du budget dans un nouveau classeur) et "
    "envoyez-le à nouveau.",
)
NotXlsxError = _cls(
    "NotXlsxError",
    "not_xlsx",
    "This file is a zip archive but not an Excel workbook (.xlsx). " + SAVE_EN,
    "Ce fichier est une archive zip mais pas un classeur Excel (.xlsx). " + SAVE_FR,
)
DoctypeError = _cls(
    "DoctypeError",
    "doctype",
    "This file contains XML declarations (DOCTYPE/ENTITY) that Excel never writes; it was refused for "
    "safety.",
    "Ce fichier contient des déclarations XML (DOCTYPE/ENTITY) qu'Excel n'écrit jamais ; il a été refusé "
    "par sécurité.",
)
CorruptError = _cls(
    "CorruptError",
    "corrupt",
    "This workbook is damaged: its sheets could not be read. Open it in Excel (which may offer to repair "
    "it) and save a new copy as .xlsx.",
    "Ce classeur est endommagé : ses feuilles n'ont pas pu être lues. Ouvrez-le dans Excel (qui proposera "
    "peut-être de le réparer) et enregistrez une nouvelle copie au format .xlsx.",
)

__all__ = [
    "WorkbookError",
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
]
