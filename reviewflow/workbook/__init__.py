"""Budget workbooks (.xlsx): a safe reader and what the budget tables say (PURE: no Flask, no DB).

    from reviewflow.workbook import read_workbook, find_budget
    wb = read_workbook(data)                  # raises WorkbookError (with .code) for refused files
    budget = find_budget(wb, load_template("pbf"))   # tables, agencies, total, GEWE, spent, warnings

Both are pure functions of the bytes (and the template), so their result can be cached on the
file's sha256.  docs/workbook.md describes the reader, the limits and the budget model.
"""

from __future__ import annotations

from .anchor import CellAnchor, anchor_at, follow
from .budget import find_budget
from .errors import (
    BinaryWorkbookError,
    CorruptError,
    DoctypeError,
    EncryptedError,
    LegacyXlsError,
    MacroError,
    NotXlsxError,
    NotZipError,
    TooLargeError,
    TooMuchDataError,
    TruncatedError,
    WorkbookError,
    ZipBombError,
    ZipEncryptedError,
)
from .guard import DEFAULT_LIMITS, Limits, XlsxPackage, check_xlsx
from .model import (
    Cell,
    Sheet,
    Workbook,
    WorkbookWarning,
    cell_text,
    col_letter,
    locator,
    locator_of,
    parse_ref,
    split_locator,
)
from .reader import read_workbook
from .tables import AgencyBudget, BudgetRow, BudgetTable, BudgetWorkbook, Column, Figure, SumCheck


def read_budget(data: bytes, template, *, agencies=(), limits: Limits = DEFAULT_LIMITS) -> BudgetWorkbook:
    """``find_budget(read_workbook(data), template)``: what the checks receive."""
    return find_budget(read_workbook(data, limits=limits), template, agencies=agencies)


__all__ = [
    "CellAnchor",
    "anchor_at",
    "follow",
    "read_workbook",
    "find_budget",
    "read_budget",
    "check_xlsx",
    "BudgetWorkbook",
    "BudgetTable",
    "BudgetRow",
    "Column",
    "Figure",
    "SumCheck",
    "AgencyBudget",
    "Limits",
    "DEFAULT_LIMITS",
    "XlsxPackage",
    "Workbook",
    "Sheet",
    "Cell",
    "WorkbookWarning",
    "cell_text",
    "col_letter",
    "locator",
    "locator_of",
    "split_locator",
    "parse_ref",
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
