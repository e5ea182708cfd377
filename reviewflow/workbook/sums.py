"""Sums inside the workbook: lines against their totals, per column (PURE)."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from decimal import Decimal

from .model import Sheet, locator
from .spec import Spec
from .tables import BudgetRow, Column, SumCheck
from .text import HIER_LEVEL


# --------------------------------------------------------------------------- sums
class _Checks(list):
    """The failed sum checks (kept) and how many were made (counted)."""

    count = 0

    def add(self, *args) -> None:
        self.count += 1
        if not args[-1]:
            self.append(SumCheck(*args))


def within(a: Decimal, b: Decimal, tol: Decimal) -> bool:
    return abs(a - b) <= max(tol, abs(b) * Decimal("0.000001"))


def line_blocks(rows: list[BudgetRow]) -> dict[int, list[int]]:
    """Hierarchy row index -> indexes of the rows inside its block (until a row of the same or a
    higher level, a heading without amounts, or a total)."""
    out = {}
    open_: list[tuple[int, int]] = []  # (level, index)
    for i, r in enumerate(rows):
        lvl = HIER_LEVEL.get(r.kind)
        if r.kind == "total" or (r.kind == "text" and not r.amounts):
            if r.kind == "total" and r.scope in ("output", "outcome"):
                limit = HIER_LEVEL[r.scope]
                open_ = [(lv, j) for lv, j in open_ if lv < limit]
            elif r.kind == "total" or r.kind == "text":
                open_ = []
            continue
        if lvl is not None:
            open_ = [(lv, j) for lv, j in open_ if lv < lvl]
        for _lv, j in open_:
            out.setdefault(j, []).append(i)
        if lvl is not None and lvl < 3:
            out.setdefault(i, [])
            open_.append((lvl, i))
    return out


def sum_checks(sheet: Sheet, rows: list[BudgetRow], cols: list[Column], spec: Spec) -> tuple[list[SumCheck], dict]:
    """Lines against totals, per amount column, and each row's total against its agencies;
    returns the checks and, per column, the lines ("leaves") that are added up.  Agencies'
    columns are checked first, then each row's total (a row whose agency cell is already wrong
    is not blamed twice), then the total column, where a line whose total is wrong counts for
    the sum of its agencies (so one wrong line is one finding, not one per total above it)."""
    tol = spec.tolerance
    blocks = line_blocks(rows)
    checks = _Checks()
    leaves_by_col = {}
    total_cols = [c for c in cols if c.role == "total"]
    rec_cols = [c.col for c in cols if c.role == "recipient"]
    first = [c for c in cols if c.role in ("recipient", "gewe_amount", "spent")]
    for col in first:
        _column_checks(sheet, rows, blocks, col, {}, tol, checks, leaves_by_col)
    override, skip = {}, set()
    if total_cols and rec_cols:
        tc = total_cols[0].col
        failed = {s.locator for s in checks}
        for i, r in enumerate(rows):
            parts = [r.amounts[c] for c in rec_cols if c in r.amounts]
            if tc not in r.amounts or not parts or r.kind in ("gewe_total", "spent_total"):
                continue
            if any(locator(sheet.name, r.row, c) in failed for c in rec_cols):
                skip.add(i)  # the agency cell is the one to blame; its total follows it
                continue
            comp = sum(parts, Decimal(0))
            ok = within(r.amounts[tc], comp, tol)
            checks.add(
                locator(sheet.name, r.row, tc),
                r.label,
                total_cols[0].header,
                r.amounts[tc],
                comp,
                "row",
                locator(sheet.name, r.row, min(rec_cols), r.row, max(rec_cols)),
                len(parts),
                ok,
            )
            if not ok:
                override[i] = comp
    for col in total_cols[:1]:
        _column_checks(sheet, rows, blocks, col, override, tol, checks, leaves_by_col, skip)
    return checks, leaves_by_col


def _column_checks(sheet, rows, blocks, col, override, tol, checks, leaves_by_col, skip=frozenset()):
    c = col.col
    header = col.name or col.header
    failed_rows = set(override) | set(skip)
    has_child = {h: any(c in rows[i].amounts for i in kids) for h, kids in blocks.items()}
    leaf = [
        i
        for i, r in enumerate(rows)
        if c in r.amounts
        and (r.kind in ("activity", "line") or (r.kind in ("outcome", "output") and not has_child.get(i)))
    ]
    leaf_set = set(leaf)
    leaves_by_col[c] = leaf

    def val(i):
        return override.get(i, rows[i].amounts[c])

    def total_of(idx):
        return sum((val(i) for i in idx), Decimal(0))

    def rng(idx):
        if not idx:
            return ""
        return locator(sheet.name, rows[min(idx)].row, c, rows[max(idx)].row, c)

    for h, kids in blocks.items():
        r = rows[h]
        if c in r.amounts and has_child.get(h) and h not in failed_rows:
            idx = [i for i in kids if i in leaf_set]
            comp = total_of(idx)
            checks.add(
                locator(sheet.name, r.row, c),
                r.label,
                header,
                r.amounts[c],
                comp,
                "block",
                rng(idx),
                len(idx),
                within(r.amounts[c], comp, tol),
            )
    # general totals: against all the lines above, the lines since the previous total or heading,
    # or the previous total plus the lines since (prefix sums: one pass per column)
    prefix = [Decimal(0)]
    for i in leaf:
        prefix.append(prefix[-1] + val(i))
    headings = [i for i, r in enumerate(rows) if r.kind == "text"]

    def seg(after, before):
        """Positions in ``leaf`` of the lines strictly between two row indexes."""
        lo = 0 if after is None else bisect_right(leaf, after)
        return lo, bisect_left(leaf, before)

    prev_total = None  # index of the previous general total / subtotal
    prev_any = None  # index of the previous total of any kind (an outcome's included)
    for t, r in enumerate(rows):
        if r.kind != "total":
            continue
        if c not in r.amounts:
            prev_any = t
            continue
        stated = r.amounts[c]
        block = None
        if r.scope in ("output", "outcome"):
            for h in range(t - 1, -1, -1):
                if rows[h].kind == r.scope and (r.id is None or rows[h].id == r.id):
                    block = h
                    break
        best, ok = None, False
        if block is not None:
            idx = [i for i in blocks.get(block, []) if i in leaf_set and i < t]
            if c in rows[block].amounts and not has_child.get(block):
                idx = [block] + idx
            if idx:
                comp = total_of(idx)
                best, ok = (comp, min(idx), max(idx), len(idx)), within(stated, comp, tol)
        else:
            k = bisect_left(headings, t)
            heading = headings[k - 1] if k else None
            cands = [
                (Decimal(0), seg(None, t)),
                (Decimal(0), seg(prev_total, t)),
                (Decimal(0), seg(prev_any, t)),
            ]
            if heading is not None:
                cands.append((Decimal(0), seg(heading, t)))
            if prev_total is not None and c in rows[prev_total].amounts:
                cands.append((rows[prev_total].amounts[c], seg(prev_total, t)))
            for base, (lo, hi) in cands:
                if hi <= lo and not base:
                    continue
                comp = base + prefix[hi] - prefix[lo]
                cand = (comp, leaf[lo] if hi > lo else t, leaf[hi - 1] if hi > lo else t, hi - lo)
                if best is None or abs(stated - comp) < abs(stated - best[0]):
                    best = cand  # reported: the nearest reading of what the total covers
                if within(stated, comp, tol):
                    best, ok = cand, True
                    break
        if best is not None and t not in failed_rows:
            comp, i0, i1, n = best
            lines = locator(sheet.name, rows[i0].row, c, rows[i1].row, c) if n else ""
            checks.add(locator(sheet.name, r.row, c), r.label, header, stated, comp, "total", lines, n, ok)
        if block is None:
            prev_total = t
        prev_any = t


