"""Plain data read from a workbook (standard library only: the checks read these objects)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import NamedTuple


@lru_cache(maxsize=1024)
def col_letter(col: int) -> str:
    """1 -> "A", 27 -> "AA"."""
    out = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def col_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n


_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")


def parse_ref(ref: str) -> tuple[int, int]:
    """ "F23" -> (23, 6) (row, column)."""
    m = _REF.match(ref.strip())
    if not m:
        raise ValueError(f"not a cell reference: {ref!r}")
    return int(m.group(2)), col_number(m.group(1))


@lru_cache(maxsize=256)
def sheet_prefix(sheet: str) -> str:
    """How Excel writes a sheet name before "!": quoted when it is not a plain word."""
    if (
        re.fullmatch(r"[^\W\d]\w*(?:\.\w+)*", sheet)
        and not re.fullmatch(r"[A-Za-z]{1,3}\d+", sheet)
        and sheet.upper() not in ("R", "C")
    ):
        return sheet
    return "'" + sheet.replace("'", "''") + "'"


def locator(sheet: str, row: int, col: int, row2: int | None = None, col2: int | None = None) -> str:
    """``Budget!F23``, ``'Budget 2021'!F23``, ``Budget!G5:G40``."""
    ref = f"{col_letter(col)}{row}"
    if row2 is not None and col2 is not None and (row2, col2) != (row, col):
        ref += f":{col_letter(col2)}{row2}"
    return f"{sheet_prefix(sheet)}!{ref}"


def locator_of(sheet: str, ref: str) -> str:
    """``Budget!F23`` from a sheet name and a reference (``F23``, ``C7:C44``)."""
    return f"{sheet_prefix(sheet)}!{ref}"


_CELL = r"\$?[A-Za-z]{1,3}\$?\d{1,7}"
_LOCATOR = re.compile(rf"^(?:'((?:[^']|'')+)'|([^'!]+))!({_CELL}(?::{_CELL})?)$")


def split_locator(loc: str) -> tuple[str, str] | None:
    """``'1) Budget'!F23`` -> ("1) Budget", "F23"); ``Budget!C7:C44`` -> ("Budget", "C7:C44");
    None when it is not a cell locator (a results-framework locator such as ``1.3.2/current``)."""
    m = _LOCATOR.match((loc or "").strip())
    if not m:
        return None
    sheet = m.group(1).replace("''", "'") if m.group(1) is not None else m.group(2)
    return sheet, m.group(3).replace("$", "").upper()


class Cell(NamedTuple):
    """One cell as cached in the file.  Formulas are never evaluated: ``value`` is the value
    Excel saved with the formula (``formula`` True), or None when it saved none."""

    row: int
    col: int
    value: object  # int | float | str | bool | datetime | date | time | timedelta | None
    formula: bool = False
    error: bool = False  # "#REF!", "#DIV/0!" ... (value holds the error text)

    @property
    def ref(self) -> str:
        return f"{col_letter(self.col)}{self.row}"


@dataclass(frozen=True)
class WorkbookWarning:
    """Something odd but readable; ``message`` is {"fr", "en"}, ``locator`` a cell or range."""

    code: str
    message: dict
    locator: str | None = None
    figures: dict = field(default_factory=dict)

    def message_in(self, lang: str) -> str:
        return self.message.get(lang) or self.message.get("en") or ""

    def to_dict(self) -> dict:
        return {
            "code": self.code,
            "message": dict(self.message),
            "locator": self.locator,
            "figures": dict(self.figures),
        }


@dataclass
class Sheet:
    """The cells read from one worksheet (sparse: only cells holding a value or a formula)."""

    name: str
    index: int
    state: str = "visible"  # visible | hidden | veryHidden
    rows: dict = field(default_factory=dict)  # row number -> {column number -> Cell}
    merged: list = field(default_factory=list)  # (min_row, min_col, max_row, max_col)
    truncated: bool = False  # rows beyond the reading limit were not read
    max_row: int = 0
    max_col: int = 0

    def cell(self, row: int, col: int) -> Cell | None:
        r = self.rows.get(row)
        return r.get(col) if r else None

    def value(self, row: int, col: int):
        c = self.cell(row, col)
        return c.value if c else None

    def text(self, row: int, col: int) -> str:
        return cell_text(self.value(row, col))

    def locator(self, row: int, col: int, row2: int | None = None, col2: int | None = None) -> str:
        return locator(self.name, row, col, row2, col2)

    def row_numbers(self) -> list[int]:
        return sorted(self.rows)

    def merges_in_rows(self, first: int, last: int) -> list[tuple[int, int, int, int]]:
        return [m for m in self.merged if m[0] <= last and m[2] >= first]

    @property
    def cell_count(self) -> int:
        return sum(len(r) for r in self.rows.values())


@dataclass
class Workbook:
    sheets: list
    warnings: list = field(default_factory=list)
    external_links: list = field(default_factory=list)
    size: int = 0
    sha256: str = ""

    def sheet(self, name: str) -> Sheet:
        for s in self.sheets:
            if s.name == name:
                return s
        raise KeyError(name)

    @property
    def sheet_names(self) -> list[str]:
        return [s.name for s in self.sheets]


def cell_text(value) -> str:
    """The text of a cell as a person reads it (numbers without a trailing .0)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


__all__ = [
    "Cell",
    "Sheet",
    "Workbook",
    "WorkbookWarning",
    "col_letter",
    "col_number",
    "parse_ref",
    "locator",
    "locator_of",
    "split_locator",
    "sheet_prefix",
    "cell_text",
]
