"""Anchors on workbook cells, and following them to a new workbook (PURE).

A reviewer's thread on a cell or range of the budget workbook is anchored by its sheet and
reference (``F23``, ``C7:C44``), the value it held, the row's label and the column's header:

    a = anchor_at(workbook, "Budget", "F23", budget)     # CellAnchor(sheet, ref, value, label, column)
    status, b = follow(a, new_workbook, new_budget)      # when a new workbook is attached

``follow`` looks for the same sheet (by name) and the same row label (the texts left of the
cell: "1.1.1 Activité 1.1.1 : …", "TOTAL"; several rows with it: the one whose cell still holds
the value, else the nearest to where it was), then the same column (by its header in the budget
table, else the same letter).  The outcome is one of the thread statuses of
:mod:`reviewflow.anchoring`: ``exact`` (same cell, same value), ``moved`` (same label and value,
another cell: a row was inserted above), ``changed`` (found, but its value changed) or
``orphaned`` (no such sheet, or no row with that label: the thread stays, visible, on its last
cell).  A range keeps its shape: its top-left cell is followed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .model import Sheet, Workbook, cell_text, col_letter, col_number, locator_of
from .tables import BudgetWorkbook
from .text import norm, to_decimal

MAX_RANGE_CELLS = 20_000
TEXT_MAX = 300


@dataclass(frozen=True)
class CellAnchor:
    sheet: str
    ref: str  # "F23" or "C7:C44" (upper case, no $)
    value: str  # the value held, as text; a range: the sum of its numbers
    label: str = ""  # the row's label: the texts left of the (top-left) cell
    column: str = ""  # the column's header in the budget table ("" outside a table)

    @property
    def locator(self) -> str:
        return locator_of(self.sheet, self.ref)

    @property
    def is_range(self) -> bool:
        return ":" in self.ref


_RANGE = re.compile(r"^\$?([A-Z]{1,3})\$?([0-9]{1,7})(?::\$?([A-Z]{1,3})\$?([0-9]{1,7}))?$")
MAX_ROW, MAX_COL = 1_048_576, 16_384  # Excel's grid (XFD1048576)


def parse_range(ref: str) -> tuple[int, int, int, int]:
    """ "C7:C44" -> (7, 3, 44, 3) (first row, first column, last row, last column); "F23" -> (23, 6, 23, 6).
    ValueError when it is not a reference inside Excel's grid."""
    m = _RANGE.match((ref or "").strip().upper())
    if not m:
        raise ValueError(f"not a cell reference: {ref!r}")
    c1, r1 = col_number(m.group(1)), int(m.group(2))
    c2, r2 = (col_number(m.group(3)), int(m.group(4))) if m.group(3) else (c1, r1)
    if r2 < r1:
        r1, r2 = r2, r1
    if c2 < c1:
        c1, c2 = c2, c1
    if r1 < 1 or c1 < 1 or r2 > MAX_ROW or c2 > MAX_COL:
        raise ValueError(f"outside the sheet: {ref!r}")
    return r1, c1, r2, c2


def _ref(r1: int, c1: int, r2: int, c2: int) -> str:
    a = f"{col_letter(c1)}{r1}"
    return a if (r1, c1) == (r2, c2) else f"{a}:{col_letter(c2)}{r2}"


def _clip(text: str) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= TEXT_MAX else text[: TEXT_MAX - 1] + "…"


def row_label(sheet: Sheet, row: int, col: int) -> str:
    """The texts of the row left of ``col`` (number and formulation: "1.1.1 Activité 1.1.1 : …")."""
    cells = sheet.rows.get(row) or {}
    parts = [c.value.strip() for k, c in sorted(cells.items()) if k < col and isinstance(c.value, str)]
    return _clip(" ".join(p for p in parts if p))


def _value(sheet: Sheet, r1: int, c1: int, r2: int, c2: int) -> str:
    if (r1, c1) == (r2, c2):
        return _clip(cell_text(sheet.value(r1, c1)))
    total, seen = Decimal(0), False
    for r in range(r1, r2 + 1):
        cells = sheet.rows.get(r)
        if not cells:
            continue
        for c in range(c1, c2 + 1):
            cell = cells.get(c)
            if cell is None or isinstance(cell.value, bool):
                continue
            d = to_decimal(cell.value) if isinstance(cell.value, (int, float)) else None
            if d is not None:
                total += d
                seen = True
    if not seen:
        return ""
    return format(total.normalize(), "f") if total == total.to_integral() else str(total)


def column_header(budget: BudgetWorkbook | None, sheet: str, row: int, col: int) -> str:
    """The header of column ``col`` in the budget table of ``sheet`` that holds ``row`` ("" if none)."""
    if budget is None:
        return ""
    for t in budget.tables:
        if t.sheet == sheet and t.header_first <= row <= t.last_row:
            for c in t.columns:
                if c.col == col:
                    return _clip(c.name or c.header)
    return ""


def anchor_at(workbook: Workbook, sheet: str, ref: str, budget: BudgetWorkbook | None = None) -> CellAnchor:
    """The anchor of a cell or range.  KeyError: no such sheet; ValueError: not a reference, or a
    range over :data:`MAX_RANGE_CELLS` cells."""
    s = workbook.sheet(sheet)
    r1, c1, r2, c2 = parse_range(ref)
    if (r2 - r1 + 1) * (c2 - c1 + 1) > MAX_RANGE_CELLS:
        raise ValueError(f"range too large: {ref!r}")
    return CellAnchor(
        sheet=s.name,
        ref=_ref(r1, c1, r2, c2),
        value=_value(s, r1, c1, r2, c2),
        label=row_label(s, r1, c1),
        column=column_header(budget, s.name, r1, c1),
    )


def _find_row(sheet: Sheet, anchor: CellAnchor, c1: int, r1: int, r2: int, c2: int) -> int | None:
    """The row of ``sheet`` with the anchor's label: the one where the cell still holds the same
    value when there are several, else the nearest to where it was."""
    want = norm(anchor.label)
    rows = [r for r in sheet.row_numbers() if norm(row_label(sheet, r, c1)) == want]
    if len(rows) > 1:
        same = [r for r in rows if _value(sheet, r, c1, r + r2 - r1, c2) == anchor.value]
        rows = same or rows
    if not rows:
        return None
    return min(rows, key=lambda r: (abs(r - r1), r))


def _find_col(budget: BudgetWorkbook | None, sheet: str, row: int, header: str, fallback: int) -> int:
    if not header or budget is None:
        return fallback
    want = norm(header)
    for t in budget.tables:
        if t.sheet == sheet and t.header_first <= row <= t.last_row:
            for c in t.columns:
                if norm(c.name or c.header) == want:
                    return c.col
    return fallback


def follow(anchor: CellAnchor, workbook: Workbook, budget: BudgetWorkbook | None = None):
    """(status, new anchor or None): where ``anchor`` is in ``workbook`` (see the module's doc)."""
    try:
        s = workbook.sheet(anchor.sheet)
        r1, c1, r2, c2 = parse_range(anchor.ref)
    except (KeyError, ValueError):
        return "orphaned", None
    if anchor.label:
        row = _find_row(s, anchor, c1, r1, r2, c2)
        if row is None:
            return "orphaned", None
    else:
        row = r1
    col = _find_col(budget, s.name, row, anchor.column, c1)
    nr1, nc1 = row, col
    nr2, nc2 = r2 + (row - r1), c2 + (col - c1)
    new = CellAnchor(
        sheet=s.name,
        ref=_ref(nr1, nc1, nr2, nc2),
        value=_value(s, nr1, nc1, nr2, nc2),
        label=row_label(s, nr1, nc1),
        column=column_header(budget, s.name, nr1, nc1) or anchor.column,
    )
    if new.value != anchor.value:
        return "changed", new
    return ("exact" if new.ref == anchor.ref else "moved"), new


__all__ = [
    "CellAnchor",
    "anchor_at",
    "follow",
    "parse_range",
    "row_label",
    "column_header",
    "MAX_RANGE_CELLS",
]
