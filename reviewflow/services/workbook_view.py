"""Read model of the budget workbook for the report page: a compact table per budget table
found (sheet by sheet), its figures, and which cells fed the checks and carry threads.

Cost follows what is shown: a table shows at most ``MAX_ROWS`` rows (its totals, its outcome and
output rows and every row a finding or a thread points at come first; the rest is summed up as
"n rows not shown"), and the workbook is read once per process (``workbook_files.parsed``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select

from ..checks import Finding
from ..extensions import db
from ..models import Report, Thread, User, Version, WorkbookFile
from ..report_templates import Template, load_template
from ..workbook import BudgetTable, Figure, Sheet, WorkbookWarning, split_locator
from ..workbook.anchor import parse_range
from ..workbook.text import to_decimal
from .errors import Invalid
from .workbook_files import parsed, workbook_of

MAX_ROWS = 120  # rows shown of one table
MAX_TABLES = 12  # tables shown in all (the main one and those a finding or a thread points at first)
SHOWN_ROLES = ("number", "label", "recipient", "total", "gewe_percent", "gewe_amount", "spent")
KEEP_KINDS = ("total", "outcome", "output", "gewe_total", "spent_total")


@dataclass
class CellView:
    ref: str  # "F23"
    value: Any  # Decimal (amounts), str, or None
    kind: str  # "amount" | "percent" | "text" | "empty"
    findings: list[tuple[str, str]] = field(default_factory=list)  # (fingerprint, severity)
    threads: list[int] = field(default_factory=list)

    @property
    def severity(self) -> str:
        order = {"error": 0, "warning": 1, "info": 2}
        return min((s for _f, s in self.findings), key=lambda s: order.get(s, 3), default="")


@dataclass
class RowView:
    number: int | None  # the sheet's row number; None: a gap of rows not shown
    kind: str = "line"  # outcome | output | activity | line | total | text | gap
    cells: list[CellView] = field(default_factory=list)
    hidden: int = 0  # a gap: how many rows


@dataclass
class ColumnView:
    letter: str
    role: str
    header: str  # as written in the workbook
    label: dict[str, str]  # the template's name for the role {"fr", "en"}
    name: str = ""  # an agency's name


@dataclass
class TableView:
    locator: str
    columns: list[ColumnView]
    rows: list[RowView]
    total: Figure | None
    primary: bool
    row_count: int


@dataclass
class SheetView:
    index: int
    name: str
    state: str
    rows: int
    cols: int
    truncated: bool
    tables: list[TableView] = field(default_factory=list)
    more_tables: int = 0  # budget tables found on the sheet but not shown (over MAX_TABLES)


@dataclass
class WorkbookPanel:
    field_key: str  # the template's attachment field
    version: Version
    row: WorkbookFile | None  # None: no workbook attached to this version
    attached_in: int | None = None  # the version that brought this workbook
    uploaded_by: User | None = None
    uploaded_at: datetime | None = None
    sheets: list[SheetView] = field(default_factory=list)
    warnings: list[WorkbookWarning] = field(default_factory=list)
    figures: list[tuple[str, Figure]] = field(default_factory=list)  # (what, figure)
    unreadable: Invalid | None = None  # why it cannot be read now (shown translated)
    _ids: dict[tuple[str, str], str] = field(default_factory=dict)  # (sheet, ref) shown -> element id
    _sheet_index: dict[str, int] = field(default_factory=dict)

    def anchor_id(self, locator: str | None) -> str | None:
        """The id of the table cell a locator points at (its top-left cell), when it is shown."""
        where = split_locator(locator or "")
        if where is None:
            return None
        sheet, ref = where
        return self._ids.get((sheet, ref.split(":", 1)[0]))

    @property
    def sheet_names(self) -> list[str]:
        return [s.name for s in self.sheets]


def _fed(found: Iterable[Finding]) -> dict[str, list[tuple[int, int, int, int, str, str]]]:
    """sheet -> [(r1, c1, r2, c2, fingerprint, severity)] of the findings that name cells."""
    out: dict[str, list[tuple[int, int, int, int, str, str]]] = {}
    for f in found:
        where = split_locator(f.locator or "")
        if where is None:
            continue
        try:
            r1, c1, r2, c2 = parse_range(where[1])
        except ValueError:
            continue
        out.setdefault(where[0], []).append((r1, c1, r2, c2, f.fingerprint, f.severity))
    return out


def _cell_kind(role: str, value: Any) -> tuple[str, Any]:
    if value is None:
        return "empty", None
    if role in ("number", "label") or isinstance(value, (str, bool)):
        return "text", str(value)
    amount = to_decimal(value)
    if amount is None:
        return "text", str(value)
    if role == "gewe_percent":
        return "percent", amount * 100 if abs(amount) <= 1 else amount
    return "amount", amount


def _rows_shown(table: BudgetTable, keep: set[int]) -> tuple[list[int], int]:
    numbers = list(range(table.header_last + 1, table.last_row + 1))
    kinds = {r.row: r.kind for r in table.rows}
    numbers = [n for n in numbers if n in kinds]
    if len(numbers) <= MAX_ROWS:
        return numbers, 0
    chosen = {n for n in numbers if kinds.get(n) in KEEP_KINDS or n in keep}
    for n in numbers:
        if len(chosen) >= MAX_ROWS:
            break
        chosen.add(n)
    shown = sorted(chosen)
    return shown, len(numbers) - len(shown)


def _table_view(
    template: Template,
    sheet_cells: Sheet,
    table: BudgetTable,
    primary: bool,
    fed: list[tuple[int, int, int, int, str, str]],
    threads: dict[tuple[int, int], list[int]],
    ids: dict[tuple[str, str], str],
    index: int,
) -> TableView:
    labels = {c["id"]: c.get("label", {}) for c in (template.budget_workbook or {}).get("columns", ())}
    columns = [c for c in table.columns if c.role in SHOWN_ROLES]
    keep = {r for r1, _c1, r2, _c2, _f, _s in fed for r in (r1, r2)} | {r for r, _c in threads}
    numbers, hidden = _rows_shown(table, keep)
    kinds = {r.row: r.kind for r in table.rows}
    rows: list[RowView] = []
    previous = None
    for n in numbers:
        if previous is not None and n > previous + 1 and hidden:
            gap = sum(1 for m in range(previous + 1, n) if m in kinds)
            if gap:
                rows.append(RowView(None, "gap", hidden=gap))
        previous = n
        cells = []
        for c in columns:
            ref = f"{c.letter}{n}"
            kind, value = _cell_kind(c.role, sheet_cells.value(n, c.col))
            cv = CellView(ref, value, kind)
            cv.findings = [
                (fp, sev) for r1, c1, r2, c2, fp, sev in fed if r1 <= n <= r2 and c1 <= c.col <= c2
            ]
            cv.threads = threads.get((n, c.col), [])
            ids[(table.sheet, ref)] = f"wb-s{index}-{ref}"
            cells.append(cv)
        rows.append(RowView(n, kinds.get(n, "line"), cells))
    last_shown = numbers[-1] if numbers else table.last_row
    tail = sum(1 for m in kinds if m > last_shown)
    if tail:
        rows.append(RowView(None, "gap", hidden=tail))
    return TableView(
        table.locator,
        [ColumnView(c.letter, c.role, c.header, labels.get(c.role, {}), c.name) for c in columns],
        rows,
        table.total,
        primary,
        len(kinds),
    )


def panel(
    report: Report, version: Version, found: Iterable[Finding], threads: Iterable[Thread]
) -> WorkbookPanel | None:
    """What the report page shows of the workbook a version carries (None: the template takes none)."""
    template = load_template(report.template_id)
    block = template.budget_workbook or {}
    if not block.get("field"):
        return None
    row = workbook_of(version)
    out = WorkbookPanel(field_key=str(block["field"]), version=version, row=row)
    if row is None:
        return out
    out.attached_in = attached_in(report, version)
    out.uploaded_by, out.uploaded_at = row.uploaded_by, row.created_at
    try:
        item = parsed(report, row)
    except Invalid as exc:
        out.unreadable = exc
        return out
    budget = item.budget
    fed = _fed(found)
    on_cells: dict[str, dict[tuple[int, int], list[int]]] = {}
    for t in threads:
        if t.anchor_kind != "cell" or t.status == "resolved" or t.version_id != version.id or not t.cell_ref:
            continue
        try:
            r1, c1, _r2, _c2 = parse_range(t.cell_ref)
        except ValueError:
            continue
        on_cells.setdefault(t.cell_sheet or "", {}).setdefault((r1, c1), []).append(t.id)
    out.warnings = list(budget.warnings)
    wanted = _tables_shown(budget, fed, on_cells)
    for i, s in enumerate(item.cells.sheets):
        out._sheet_index[s.name] = i
        sv = SheetView(i, s.name, s.state, s.max_row, s.max_col, s.truncated)
        for t in budget.tables:
            if t.sheet == s.name and id(t) not in wanted:
                sv.more_tables += 1
            elif t.sheet == s.name:
                sv.tables.append(
                    _table_view(
                        template,
                        s,
                        t,
                        t is budget.primary,
                        fed.get(s.name, []),
                        on_cells.get(s.name, {}),
                        out._ids,
                        i,
                    )
                )
        out.sheets.append(sv)
    if budget.total is not None:
        out.figures.append(("total", budget.total))
    for a in budget.agencies:
        out.figures.append(("agency:" + a.name, a.figure))
    if budget.gewe is not None:
        out.figures.append(("gewe", budget.gewe))
    if budget.spent is not None:
        out.figures.append(("spent", budget.spent))
    return out


def _tables_shown(budget: Any, fed: dict, on_cells: dict) -> set[int]:
    """ids of the tables shown: the main one, those holding a cell a finding or a thread points
    at, then the others in order, up to MAX_TABLES."""

    def pointed(t: BudgetTable) -> bool:
        rows = [r1 for r1, _c1, _r2, _c2, _f, _s in fed.get(t.sheet, [])]
        rows += [r for r, _c in on_cells.get(t.sheet, {})]
        return any(t.header_first <= r <= t.last_row for r in rows)

    order = sorted(budget.tables, key=lambda t: (t is not budget.primary, not pointed(t)))
    return {id(t) for t in order[:MAX_TABLES]}


def attached_in(report: Report, version: Version) -> int | None:
    """The version that brought the workbook ``version`` carries (the first of the run of
    versions up to it that carry the same one)."""
    if version.workbook_id is None:
        return None
    number = version.number
    for n, wid in db.session.execute(
        select(Version.number, Version.workbook_id)
        .where(Version.report_id == report.id, Version.number <= version.number)
        .order_by(Version.number.desc())
    ):
        if wid != version.workbook_id:
            break
        number = n
    return number


__all__ = [
    "panel",
    "attached_in",
    "WorkbookPanel",
    "SheetView",
    "TableView",
    "RowView",
    "CellView",
    "ColumnView",
]
