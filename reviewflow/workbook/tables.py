"""The budget model: what was found in a workbook, every figure with its cell (PURE)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import Decimal

from .model import locator
from .spec import Spec, match_agencies
from .text import HIER_LEVEL


# --------------------------------------------------------------------------- data
@dataclass(frozen=True)
class Figure:
    """A figure of the workbook and where it comes from.  ``how``: "cell" (read from one cell),
    "sum" (sum of the lines of ``locator``'s range), "percent" (lines × their GEWE percentage)."""

    value: Decimal
    locator: str
    how: str = "cell"
    label: str = ""
    count: int = 1  # cells behind the figure

    def to_dict(self) -> dict:
        return {
            "value": float(self.value),
            "locator": self.locator,
            "how": self.how,
            "label": self.label,
            "count": self.count,
        }


@dataclass(frozen=True)
class Column:
    col: int
    letter: str
    role: str  # number | label | recipient | total | gewe_percent | gewe_amount | spent | notes
    header: str  # header text as written (header rows joined by " / ")
    name: str = ""  # recipients: the agency's name


@dataclass(frozen=True)
class BudgetRow:
    row: int
    kind: str  # outcome | output | activity | line | total | gewe_total | spent_total | text
    label: str
    id: str | None = None  # "1", "1.2", "1.2.3"
    scope: str | None = None  # totals: "outcome" | "output" | "subtotal" | None (general)
    amounts: dict = field(default_factory=dict)  # column number -> Decimal
    percent: Decimal | None = None  # GEWE share of the row (0..1)


@dataclass(frozen=True)
class SumCheck:
    """A stated total against the lines it should add up (inside the workbook)."""

    locator: str  # the stated cell: Budget!F23
    label: str  # the row's label ("Total produit 1.1")
    column: str  # the column's header ("OIM")
    stated: Decimal
    computed: Decimal
    scope: str  # "block" | "total" | "row"
    lines: str  # the cells added: "Budget!F18:F22" (a range) or "Budget!C23:E23"
    count: int
    ok: bool

    def to_dict(self) -> dict:
        d = asdict(self)
        d["stated"], d["computed"] = float(self.stated), float(self.computed)
        return d


@dataclass(frozen=True)
class AgencyBudget:
    name: str
    figure: Figure
    column: str = ""


@dataclass(frozen=True)
class BudgetTable:
    sheet: str
    header_first: int
    header_last: int
    last_row: int
    columns: tuple
    rows: tuple
    total: Figure | None = None
    agencies: tuple = ()
    gewe: Figure | None = None
    spent: Figure | None = None
    sums: tuple = ()  # the sums that do not add up (SumCheck, ok False)
    grand_total_row: int | None = None
    sums_checked: int = 0

    @property
    def locator(self) -> str:
        return locator(
            self.sheet, self.header_first, 1, self.last_row, max((c.col for c in self.columns), default=1)
        )

    @property
    def hierarchical(self) -> bool:
        return any(r.kind in HIER_LEVEL for r in self.rows)

    def column(self, role: str) -> list:
        return [c for c in self.columns if c.role == role]

    def to_dict(self) -> dict:
        return {
            "sheet": self.sheet,
            "range": self.locator,
            "header_rows": [self.header_first, self.header_last],
            "columns": [
                {"col": c.letter, "role": c.role, "header": c.header, "name": c.name} for c in self.columns
            ],
            "rows": len(self.rows),
            "lines": {
                k: sum(1 for r in self.rows if r.kind == k)
                for k in ("outcome", "output", "activity", "line", "total")
            },
            "total": self.total.to_dict() if self.total else None,
            "agencies": [{"name": a.name, "column": a.column, **a.figure.to_dict()} for a in self.agencies],
            "gewe": self.gewe.to_dict() if self.gewe else None,
            "spent": self.spent.to_dict() if self.spent else None,
            "sum_mismatches": [s.to_dict() for s in self.sums],
            "sums_checked": self.sums_checked,
        }


@dataclass(frozen=True)
class BudgetWorkbook:
    """What the checks receive (``VersionInput.workbook``): the figures of the main budget table
    and the others found, the sums inside the workbook, and every warning (reader's included)."""

    sheets: tuple  # ({"name", "state", "rows", "cols", "truncated", "tables"}, ...)
    tables: tuple
    primary: BudgetTable | None
    warnings: tuple
    sha256: str = ""
    size: int = 0
    tolerance: Decimal = Decimal("1.00")
    spec: Spec | None = field(default=None, compare=False, repr=False)

    @property
    def total(self) -> Figure | None:
        return self.primary.total if self.primary else None

    @property
    def agencies(self) -> tuple:
        return self.primary.agencies if self.primary else ()

    @property
    def gewe(self) -> Figure | None:
        return self.primary.gewe if self.primary else None

    @property
    def spent(self) -> Figure | None:
        return self.primary.spent if self.primary else None

    @property
    def sums(self) -> tuple:
        return tuple(s for t in self.tables for s in t.sums)

    @property
    def sums_checked(self) -> int:
        return sum(t.sums_checked for t in self.tables)

    @property
    def sum_mismatches(self) -> list:
        return list(self.sums)

    def match_agencies(self, names) -> dict:
        """Agency names (from the report's cover) -> index -> the workbook's AgencyBudget, one to
        one, by shared tokens after the template's aliases (OIM = IOM ...)."""
        if self.spec is None:
            return {}
        pairs = match_agencies(list(names), [a.name for a in self.agencies], self.spec)
        return {i: self.agencies[j] for i, j in pairs.items()}

    def warning_codes(self) -> list[str]:
        return [w.code for w in self.warnings]

    def to_dict(self) -> dict:
        """JSON-able summary (the CLI prints it; schema in docs/workbook.md)."""
        p = self.primary
        return {
            "sha256": self.sha256,
            "size": self.size,
            "sheets": [dict(s) for s in self.sheets],
            "tables": [t.to_dict() for t in self.tables],
            "primary": self.tables.index(p) if p is not None else None,
            "total": p.total.to_dict() if p and p.total else None,
            "agencies": [{"name": a.name, "column": a.column, **a.figure.to_dict()} for a in self.agencies],
            "gewe": self.gewe.to_dict() if self.gewe else None,
            "spent": self.spent.to_dict() if self.spent else None,
            "warnings": [w.to_dict() for w in self.warnings],
        }


