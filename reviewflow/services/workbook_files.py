"""The budget workbooks of a report, at the bottom of the services (beside ``versions``).

Reading an upload (``read``: a refused file is an ``Invalid`` carrying the reader's message,
translated where it is shown, like a refused Word file; nothing is stored), storing it
(``store``: one row per distinct file of a report, content-addressed), which workbook a version
carries (``workbook_of``), the parsed workbook (``parsed``: re-read from the stored bytes on
demand and cached in this process on the file's sha256), and cell anchors on it
(``cell_anchor``, ``follow_cell``).  The use cases that attach a workbook or open a thread on a
cell are in ``workbooks``; the threads' re-anchoring (``threads``) builds on this module.

Why re-read and cache rather than store the parsed result: the checks and the page need the
whole ``BudgetWorkbook`` (rows, columns, figures), for which there is no deserialiser, and a JSON
of it is about as large as the sheets; reading a PBF workbook of 60 rows takes about 15 ms and a
5,000-row one about 0.35 s (bench/bench_workbook.py), once per process thanks to the cache, whose
size is bounded by the cells it holds (docs/workbook.md).  What the reader found is stored with
the file as a small JSON summary (``WorkbookFile.summary``) for listings and the command line.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from babel.numbers import format_decimal
from sqlalchemy import select

from ..extensions import db
from ..models import Report, Thread, User, Version, WorkbookFile
from ..report_templates import Template, load_template
from ..workbook import (
    DEFAULT_LIMITS,
    BudgetWorkbook,
    CellAnchor,
    Limits,
    Workbook,
    WorkbookError,
    anchor_at,
    find_budget,
    follow,
    read_workbook,
)
from .errors import N_, Invalid, NotFound

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILENAME_MAX = 200


@dataclass(frozen=True)
class Parsed:
    """A workbook as read (its cells) and as understood (its budget tables)."""

    cells: Workbook
    budget: BudgetWorkbook

    @property
    def sha256(self) -> str:
        return self.cells.sha256

    @property
    def weight(self) -> int:
        """How many cells it holds (what the cache counts)."""
        return sum(s.cell_count for s in self.cells.sheets) + 1


class _Cache:
    """A small LRU of parsed workbooks, bounded by the cells it holds, safe across threads."""

    def __init__(self, max_cells: int, max_entries: int) -> None:
        self.max_cells, self.max_entries = max_cells, max_entries
        self._items: OrderedDict[Hashable, Parsed] = OrderedDict()
        self._cells = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: Hashable) -> Parsed | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return item

    def put(self, key: Hashable, item: Parsed) -> None:
        weight = item.weight
        if weight > self.max_cells:
            return  # too large to keep: read again when needed (the findings are cached anyway)
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._cells -= old.weight
            self._items[key] = item
            self._cells += weight
            while self._items and (self._cells > self.max_cells or len(self._items) > self.max_entries):
                _k, dropped = self._items.popitem(last=False)
                self._cells -= dropped.weight

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._cells = 0

    @property
    def cells(self) -> int:
        return self._cells


# about 60 MB of cells and budget rows at most (measured with bench/bench_workbook.py: 300-500
# bytes a cell once read and understood); a demo-sized workbook holds 0.1 MB, a 5,000-row one 12 MB
CACHE = _Cache(max_cells=200_000, max_entries=16)


# ---------------------------------------------------------------------------------------- reading


def refusal(exc: WorkbookError) -> Invalid:
    """The reader's refusal as a domain error: its English template (translated where it is
    shown, the French in the catalog) with its figures; ``code`` and ``reason`` say which."""
    return Invalid(exc.template, code=exc.code, reason=exc.reason, **exc.params)


def read(
    data: bytes, template: Template, *, agencies: tuple[str, ...] = (), limits: Limits = DEFAULT_LIMITS
) -> Parsed:
    """Read an uploaded workbook, or Invalid with the reason it is refused (nothing is stored)."""
    if not getattr(template, "budget_workbook", None):
        raise Invalid(N_("This report's template takes no budget workbook."))
    try:
        cells = read_workbook(data, limits=limits)
    except WorkbookError as exc:
        raise refusal(exc) from None
    return Parsed(cells, find_budget(cells, template, agencies=agencies))


def agencies_of(report: Report) -> tuple[str, ...]:
    """The project's recipient organisations: hints to recognise columns headed by a bare name."""
    return tuple(r.name for r in report.project.recipients if r.name)


def parsed(report: Report, row: WorkbookFile) -> Parsed:
    """The stored workbook, read (cached on its sha256, the template and the agency hints)."""
    agencies = agencies_of(report)
    key = (row.sha256, report.template_id, agencies)
    hit = CACHE.get(key)
    if hit is not None:
        return hit
    item = read(row.data, load_template(report.template_id), agencies=agencies)
    CACHE.put(key, item)
    return item


def workbook_of(version: Version) -> WorkbookFile | None:
    """The workbook a version carries (None: none attached)."""
    if version.workbook_id is None:
        return None
    return db.session.get(WorkbookFile, version.workbook_id)


def budget_of(report: Report, version: Version) -> tuple[WorkbookFile | None, BudgetWorkbook | None]:
    """(the workbook row, what it says) for a version; the budget is None when no workbook is
    attached or it can no longer be read (the checks then say it could not be read)."""
    row = workbook_of(version)
    if row is None:
        return None, None
    try:
        return row, parsed(report, row).budget
    except Invalid:
        return row, None


# ---------------------------------------------------------------------------------------- storing


def safe_filename(name: str) -> str:
    """The uploaded file's base name, without control or path characters, ending in .xlsx."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[\x00-\x1f\x7f<>:\"|?*]", "_", name).strip().strip(".") or "budget.xlsx"
    if not name.lower().endswith(".xlsx"):
        name += ".xlsx"
    return name[-FILENAME_MAX:]


def store(
    report: Report, data: bytes, filename: str, item: Parsed, *, actor: User | None, now: datetime
) -> WorkbookFile:
    """The report's row for these bytes: an existing one (the same file uploaded again: a pointer,
    not a copy) or a new one.  The caller holds the report's lock (``versions.lock``), so two
    requests never store the same file twice.  No savepoint here: on SQLite (pysqlite) a
    savepoint opened before the transaction's first write commits when it is released, which
    would keep the file even if the version is then refused."""
    sha = hashlib.sha256(data).hexdigest()
    existing = db.session.scalar(
        select(WorkbookFile).where(WorkbookFile.report_id == report.id, WorkbookFile.sha256 == sha)
    )
    if existing is not None:
        return existing
    row = WorkbookFile(
        report_id=report.id,
        sha256=sha,
        filename=safe_filename(filename),
        size=len(data),
        data=data,
        summary=item.budget.to_dict(),
        uploaded_by_id=actor.id if actor else None,
        created_at=now,
    )
    db.session.add(row)
    db.session.flush()
    CACHE.put((sha, report.template_id, agencies_of(report)), item)
    return row


def download(report: Report, version: Version) -> tuple[bytes, str]:
    """(the bytes exactly as uploaded, the file name) of the workbook a version carries."""
    row = workbook_of(version)
    if row is None or row.report_id != report.id:
        raise NotFound(N_("Version %(n)s has no budget workbook."), n=version.number)
    return row.data, row.filename


# ---------------------------------------------------------------------------------------- cells


def cell_anchor(report: Report, version: Version, sheet: str, ref: str) -> CellAnchor:
    """The anchor of a cell or range of the version's workbook, or Invalid saying why not."""
    row = workbook_of(version)
    if row is None:
        raise Invalid(N_("Version %(n)s has no budget workbook."), n=version.number)
    item = parsed(report, row)
    try:
        return anchor_at(item.cells, sheet or "", (ref or "").strip(), item.budget)
    except KeyError:
        raise Invalid(N_("The workbook has no sheet named %(sheet)s."), sheet=(sheet or "")[:100]) from None
    except ValueError:
        raise Invalid(
            N_("%(ref)s is not a cell or a range of cells of the workbook (such as F23 or C7:C44)."),
            ref=(ref or "")[:40],
        ) from None


def follow_cell(report: Report, thread: Thread, new_version: Version) -> tuple[str, CellAnchor | None] | None:
    """Where a cell thread goes on ``new_version``: None when the version carries the workbook the
    thread sits on (it stays where it is), else (status, anchor) from ``workbook.follow``."""
    old = db.session.get(Version, thread.version_id)
    if old is not None and old.workbook_id == new_version.workbook_id:
        return None  # the same workbook (an orphaned thread stays orphaned)
    if new_version.workbook_id is None:
        return "orphaned", None
    anchor = CellAnchor(
        thread.cell_sheet or "",
        thread.cell_ref or "",
        thread.cell_value or "",
        thread.cell_label or "",
        thread.cell_column or "",
    )
    try:
        item = parsed(report, db.session.get_one(WorkbookFile, new_version.workbook_id))
    except Invalid:
        return "orphaned", None
    return follow(anchor, item.cells, item.budget)


def describe_cell(thread: Thread, lang: str = "fr") -> str:
    """A cell thread's place as text for the matrix and the Word export:
    ``Budget!F23 — TOTAL : 3 102 798`` (the value in the reader's language)."""
    out = thread.cell_locator or ""
    if thread.cell_label:
        out += f" — {thread.cell_label}"
    value = thread.cell_value or ""
    if value:
        out += (" : " if lang == "fr" else ": ") + format_value(value, lang)
    return out


def format_value(value: str, lang: str = "fr") -> str:
    """A cell's value as stored (text) for a reader: numbers in their language (1 245 996,5)."""
    try:
        number = Decimal(value)
    except (InvalidOperation, ValueError):
        return value
    if not number.is_finite():
        return value
    pattern = "#,##0" if number == number.to_integral_value() else "#,##0.00"
    return format_decimal(number, format=pattern, locale="fr_FR" if lang == "fr" else "en_GB")
