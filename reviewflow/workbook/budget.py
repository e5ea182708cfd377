"""What a budget workbook says: its budget tables, found by their headers (PURE).

The headers, their synonyms in French and English, the row labels (outcome / output / activity,
totals) and the agency aliases are data: the template's ``budget_workbook`` block
(``reviewflow/report_templates/pbf.json``), read through :mod:`reviewflow.report_templates`.
Another donor's workbook needs another block, not code.

    budget = find_budget(workbook, load_template("pbf"))
    budget.total          # Figure(value=Decimal("3102798.00"), locator="Budget!F40", how="cell")
    budget.agencies       # (AgencyBudget("OIM-RCA", Figure(...)), ...)
    budget.gewe, budget.spent, budget.tables, budget.sums (lines vs totals), budget.warnings

A table is a header (one to ``header_depth`` rows: merged group headers such as "Budget par
agence récipiendaire" above the agencies' names are understood, with or without merge
information) followed by body rows classified as outcome / output / activity / line / total.
Every figure carries the cell (or range) it comes from, e.g. ``Budget!F23``.
"""


from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

from .layout import body_rows, header_block, header_candidates, table_columns
from .model import Sheet, Workbook, WorkbookWarning, locator
from .spec import Spec, agency_tokens, match_agencies
from .sums import line_blocks, sum_checks, within
from .tables import AgencyBudget, BudgetRow, BudgetTable, BudgetWorkbook, Column, Figure, SumCheck
from .text import matches, norm, parse_amount


# --------------------------------------------------------------------------- figures
def _grand_total_row(rows: list[BudgetRow], spec: Spec) -> int | None:
    """The row of the table's grand total: the last total named so ("Grand total", "Total
    général", "Budget total") or bare ("TOTAL", "Total :", "Total (USD)"); a qualified total
    ("Total des coûts additionnels") is not.  Else the last sub-total."""
    general = [i for i, r in enumerate(rows) if r.kind == "total" and r.scope is None and r.amounts]
    named = [i for i in general if matches(norm(rows[i].label), spec.words("grand_total"))]
    if named:
        return named[-1]
    bare_words = {norm(w) for w in spec.words("total")}
    bare = [
        i
        for i in general
        if re.sub(r"\b(?:usd|us|\$|en|in|du|de|la|le|the|of)\b|[\s:$]+", " ", norm(rows[i].label))
        .strip()
        .rstrip("s")
        in bare_words
    ]
    if bare:
        return bare[-1]
    subs = [i for i, r in enumerate(rows) if r.kind == "total" and r.scope == "subtotal" and r.amounts]
    return subs[-1] if subs else None


def _figure_of(sheet, rows, leaves, c, grand, label) -> Figure | None:
    if grand is not None and c in rows[grand].amounts:
        r = rows[grand]
        return Figure(r.amounts[c], locator(sheet.name, r.row, c), "cell", r.label)
    idx = leaves.get(c) or []
    if not idx:
        return None
    return Figure(
        sum((rows[i].amounts[c] for i in idx), Decimal(0)),
        locator(sheet.name, rows[min(idx)].row, c, rows[max(idx)].row, c),
        "sum",
        label,
        len(idx),
    )


def _table(
    sheet: Sheet, first: int, last_header: int, last: int, spec: Spec, hints: tuple
) -> BudgetTable | None:
    cols = table_columns(sheet, first, last_header, spec, hints)
    amount_roles = {
        c.role for c in cols if c.role in ("recipient", "total", "gewe_amount", "spent", "gewe_percent")
    }
    if not amount_roles or len({c.role for c in cols}) < spec.min_roles:
        return None
    rows = body_rows(sheet, cols, last_header + 1, last, spec)
    # a "recipient" column holding names, not amounts ("Agence récipiendaire | Budget"): the agencies
    # are rows, named by that column
    texty = [
        c
        for c in cols
        if c.role in ("total", "gewe_amount", "spent")
        and not any(c.col in r.amounts for r in rows)
        and any(isinstance(sheet.value(r.row, c.col), str) for r in rows)
    ]
    if texty:  # "Totals | UNDP | UNICEF | Totals": the first "Totals" heads the row labels
        has_label = any(c.role == "label" for c in cols)
        cols = [c for c in cols if c not in texty] + (
            [] if has_label else [Column(texty[0].col, texty[0].letter, "label", texty[0].header)]
        )
        cols.sort(key=lambda c: c.col)
        rows = body_rows(sheet, cols, last_header + 1, last, spec)
    names = [c for c in cols if c.role == "recipient" and not any(c.col in r.amounts for r in rows)]
    by_rows = False
    if names:
        has_label = any(c.role == "label" for c in cols)
        cols = [c for c in cols if c not in names] + (
            [] if has_label else [Column(names[0].col, names[0].letter, "label", names[0].header)]
        )
        cols.sort(key=lambda c: c.col)
        by_rows = True
        rows = body_rows(sheet, cols, last_header + 1, last, spec)
    if not any(r.amounts for r in rows):
        return None
    sums, leaves = sum_checks(sheet, rows, cols, spec)
    grand = _grand_total_row(rows, spec)
    rec = [c for c in cols if c.role == "recipient"]
    tot = next((c for c in cols if c.role == "total"), None)
    total = _figure_of(sheet, rows, leaves, tot.col, grand, "Total") if tot else None
    agencies = []
    for c in rec:
        f = _figure_of(sheet, rows, leaves, c.col, grand, c.name or c.header)
        if f is not None:
            agencies.append(AgencyBudget(c.name or c.header, f, c.letter))
    if by_rows and not agencies and tot is not None:
        for r in rows:
            if r.kind == "line" and tot.col in r.amounts and r.label:
                agencies.append(
                    AgencyBudget(
                        r.label,
                        Figure(r.amounts[tot.col], locator(sheet.name, r.row, tot.col), "cell", r.label),
                        tot.letter,
                    )
                )
    if total is None and agencies:
        s = sum((a.figure.value for a in agencies), Decimal(0))
        if grand is not None:
            r = rows[grand]
            loc = locator(sheet.name, r.row, min(c.col for c in rec), r.row, max(c.col for c in rec))
            total = Figure(s, loc, "sum", r.label, len(agencies))
        else:
            total = Figure(
                s,
                _span(sheet, rows, leaves, [c.col for c in rec]),
                "sum",
                "Total",
                sum(a.figure.count for a in agencies),
            )
    spent = _label_value(sheet, rows, "spent_total")
    if spent is None:
        sc = next((c for c in cols if c.role == "spent"), None)
        spent = _figure_of(sheet, rows, leaves, sc.col, grand, sc.header) if sc else None
    gewe = _label_value(sheet, rows, "gewe_total", total)
    if gewe is None:
        gc = next((c for c in cols if c.role == "gewe_amount"), None)
        gewe = _figure_of(sheet, rows, leaves, gc.col, grand, gc.header) if gc else None
    if gewe is None:
        pc = next((c for c in cols if c.role == "gewe_percent"), None)
        if pc is not None:
            gewe = _gewe_from_percent(sheet, rows, cols, pc, leaves)
    return BudgetTable(
        sheet.name,
        first,
        last_header,
        max((r.row for r in rows), default=last_header),
        tuple(cols),
        tuple(rows),
        total,
        tuple(agencies),
        gewe,
        spent,
        tuple(sums),
        rows[grand].row if grand is not None else None,
        sums.count,
    )


def _span(sheet, rows, leaves, cols) -> str:
    idx = sorted({i for c in cols for i in leaves.get(c, [])})
    if not idx:
        return locator(sheet.name, 1, 1)
    return locator(sheet.name, rows[idx[0]].row, min(cols), rows[idx[-1]].row, max(cols))


def _label_value(sheet, rows, kind, total: Figure | None = None) -> Figure | None:
    for r in reversed(rows):
        if r.kind == kind and r.amounts:
            c = min(r.amounts)
            v = r.amounts[c]
            loc = locator(sheet.name, r.row, c)
            if kind == "gewe_total" and (("%" in r.label) or v <= 1) and total is not None:
                share = v / 100 if v > 1 else v
                return Figure((total.value * share).quantize(Decimal("0.01")), loc, "percent", r.label)
            return Figure(v, loc, "cell", r.label)
    return None


def _gewe_from_percent(sheet, rows, cols, pc: Column, leaves) -> Figure | None:
    """Sum of each line's budget times its GEWE share; a share given on an output or outcome row
    applies to the lines of its block that have none."""
    tc = next((c.col for c in cols if c.role == "total"), None)
    rec = [c.col for c in cols if c.role == "recipient"]
    vals = [r.percent for r in rows if r.percent is not None]
    if not vals:
        return None
    scale = Decimal(100) if max(vals) > 1 else Decimal(1)
    base_cols = ([tc] if tc is not None else []) + rec
    leaf_idx = sorted({i for c in base_cols for i in leaves.get(c, [])})
    blocks = line_blocks(rows)
    inherited = {}
    for h, kids in blocks.items():
        if rows[h].percent is not None:
            for i in kids:
                if rows[i].percent is None:
                    inherited[i] = rows[h].percent
    total, n = Decimal(0), 0
    for i in leaf_idx:
        r = rows[i]
        share = r.percent if r.percent is not None else inherited.get(i)
        if share is None:
            continue
        base = (
            r.amounts.get(tc)
            if tc is not None and tc in r.amounts
            else sum((r.amounts[c] for c in rec if c in r.amounts), Decimal(0))
        )
        total += base * share / scale
        n += 1
    if not n:
        return None
    first_row = min(r.row for r in rows if r.percent is not None)
    last_row = max(r.row for r in rows if r.percent is not None)
    return Figure(
        total.quantize(Decimal("0.01")),
        locator(sheet.name, first_row, pc.col, last_row, pc.col),
        "percent",
        pc.header,
        n,
    )


# --------------------------------------------------------------------------- entry point
def _spec_of(template_or_block) -> Spec:
    block = getattr(template_or_block, "budget_workbook", template_or_block)
    if not block:
        raise ValueError("this template has no budget_workbook block")
    return Spec(block)


def find_budget(workbook: Workbook, template, *, agencies=()) -> BudgetWorkbook:
    """The budget tables of a read workbook, understood with the template's ``budget_workbook``
    block (``template`` may also be the block itself).  ``agencies``: names of the recipient
    organisations known from the report, to recognise columns headed only by a name."""
    spec = _spec_of(template)
    hints = tuple(norm(a) for a in agencies if a)
    tables: list[BudgetTable] = []
    sheets = []
    warnings = list(workbook.warnings)
    for s in workbook.sheets:
        cands = header_candidates(s, spec, hints)
        found = 0
        i = 0
        while i < len(cands):
            first = cands[i]
            nxt = cands[i + 1] if i + 1 < len(cands) else None
            last_header = header_block(s, first, spec, nxt)
            j = i + 1
            while j < len(cands) and cands[j] <= last_header:
                j += 1
            end = (cands[j] - 1) if j < len(cands) else s.max_row
            t = _table(s, first, last_header, end, spec, hints)
            if t is not None:
                tables.append(t)
                found += 1
            i = j
        sheets.append(
            {
                "name": s.name,
                "state": s.state,
                "rows": s.max_row,
                "cols": s.max_col,
                "truncated": s.truncated,
                "tables": found,
            }
        )
    merged = _merge_totals_blocks(tables, spec)
    primary = _primary(tables)
    if workbook.sheets and not tables:
        names = ", ".join(s.name for s in workbook.sheets[:5])
        warnings.append(
            WorkbookWarning(
                "no_budget_table",
                {
                    "fr": f"Aucun tableau de budget reconnu dans le classeur (feuilles : {names}) : les "
                          "en-têtes attendus "
                    "(agences récipiendaires, total, dépenses, égalité des sexes…) n'ont pas été trouvés.",
                    "en": f"No budget table recognised in the workbook (sheets: {names}): the expected "
                          "headers (recipient "
                    "organisations, total, expenditure, gender equality…) were not found.",
                },
            )
        )
    if primary is not None:
        for t in tables:
            if t is primary or t.total is None or primary.total is None or (id(t), id(primary)) in merged:
                continue
            if not within(t.total.value, primary.total.value, spec.tolerance):
                warnings.append(
                    WorkbookWarning(
                        "tables_disagree",
                        {
                            "fr": f"Le total du tableau {t.total.locator} ({_fmt(t.total.value, 'fr')}) "
                                  "diffère de celui du "
                            f"tableau principal {primary.total.locator} ({_fmt(primary.total.value, 'fr')}).",
                            "en": f"The total of the table at {t.total.locator} "
                                  f"({_fmt(t.total.value, 'en')}) differs from "
                            f"that of the main table at {primary.total.locator} "
                            f"({_fmt(primary.total.value, 'en')}).",
                        },
                        t.total.locator,
                        {"total": float(t.total.value), "primary": float(primary.total.value)},
                    )
                )
    return BudgetWorkbook(
        tuple(sheets),
        tuple(tables),
        primary,
        tuple(warnings),
        workbook.sha256,
        workbook.size,
        spec.tolerance,
        spec,
    )


def _merge_totals_blocks(tables: list[BudgetTable], spec: Spec) -> set:
    """A table by outcome with no grand total, followed on its sheet by a "Totals" block (sub-total,
    indirect costs, total by agency: the PBF layout) takes its total and agencies' totals from it."""
    merged = set()
    for i, t in enumerate(tables):
        if t.grand_total_row is not None or not t.hierarchical:
            continue
        nxt = next((u for u in tables[i + 1 :] if u.sheet == t.sheet), None)
        if nxt is None or nxt.grand_total_row is None or nxt.hierarchical or nxt.total is None:
            continue
        pairs = match_agencies([a.name for a in t.agencies], [a.name for a in nxt.agencies], spec)
        agencies = tuple(
            AgencyBudget(a.name, nxt.agencies[pairs[k]].figure, nxt.agencies[pairs[k]].column)
            if k in pairs
            else a
            for k, a in enumerate(t.agencies)
        )
        tables[i] = replace(t, total=nxt.total, agencies=agencies, grand_total_row=nxt.grand_total_row)
        merged.add((id(nxt), id(tables[i])))
    return merged


def _primary(tables: list[BudgetTable]) -> BudgetTable | None:
    if not tables:
        return None

    def score(t):
        roles = {c.role for c in t.columns}
        return (t.total is not None, t.hierarchical, len(t.agencies), len(roles), len(t.rows))

    best = max(score(t) for t in tables)
    return next(t for t in tables if score(t) == best)


def _fmt(v: Decimal, lang: str) -> str:
    s = f"{v:,.2f}"
    return s.replace(",", "\u00a0").replace(".", ",") + "\u00a0$" if lang == "fr" else "$" + s


__all__ = [
    "find_budget",
    "BudgetWorkbook",
    "BudgetTable",
    "BudgetRow",
    "Column",
    "Figure",
    "SumCheck",
    "AgencyBudget",
    "match_agencies",
    "agency_tokens",
    "norm",
    "parse_amount",
    "Spec",
]

