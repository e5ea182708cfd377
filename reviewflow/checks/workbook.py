"""The budget workbook attached to a version, against the report's cover page and itself.

The workbook arrives already understood (``VersionInput.workbook``: a
``reviewflow.workbook.BudgetWorkbook``, made by ``reviewflow.workbook.read_budget``); this module
only reads its attributes, so the checks stay free of any spreadsheet library.  Every finding
about a workbook figure carries its cell in ``locator`` (``Budget!F23``, or a range for a sum).
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..money import parse_money
from .engine import register
from .model import ERROR, INFO, WARNING
from .textutil import fmt_money, fmt_num, parse_number

BUDGET_TABLE = "budget_by_recipient"
ATTACHMENT = "budget_attachment"


def _money_in(text: str):
    """(amount, start, end) of the one amount in a cover cell ("$ 973520.00", "Total: $ 3102798.00")."""
    v = parse_money(text)
    if v is not None:
        s = len(text) - len(text.lstrip())
        return v, s, len(text.rstrip())
    m = re.search(r"[$€]?\s*\d[\d\s\u00a0\u202f.,]*\d(?:\s*[$€])?|[$€]\s*\d", text)
    if m:
        v = parse_money(m.group())
        if v is not None:
            return v, m.start(), m.end()
    return None


def cover_budget(ctx):
    """The cover page's budget table: ([(label, amount, start, end, quote)], total entry or None),
    offsets into the section's text."""
    items, total = [], None
    for t, _block, rows in ctx.tables(BUDGET_TABLE):
        for r, cells in enumerate(rows):
            if not cells:
                continue
            found = None
            for c in range(len(cells) - 1, -1, -1):
                got = _money_in(cells[c])
                if got is not None:
                    found = (c, got)
                    break
            if found is None:
                continue
            c, (amount, a, b) = found
            start, _end = ctx.cell_span(BUDGET_TABLE, t, r, c)
            if start is None:
                continue
            label = next(
                (x.strip() for i, x in enumerate(cells) if i != c and x.strip() and _money_in(x) is None), ""
            )
            if not label:
                label = re.sub(r"[\s:$\d.,\u00a0]+$", "", cells[c]).strip()
            entry = (re.sub(r"\s+", " ", label).strip(": "), amount, start + a, start + b, cells[c][a:b])
            if re.match(r"(?i)\s*total", label) or re.match(r"(?i)\s*total", " ".join(cells).strip()):
                total = entry
            else:
                items.append(entry)
    return items, total


def _diff(x: Decimal, lang: str) -> str:
    """A signed difference: "-100 000,00 $" / "-$100,000.00"."""
    return ("-" if x < 0 else "+" if x > 0 else "") + fmt_money(abs(x), lang)


def _pct(x: float, lang: str) -> str:
    s = f"{x:.1f}"
    return (s.replace(".", ",") + "\u00a0%") if lang == "fr" else s + "%"


def _where(fig, lang: str) -> str:
    how = getattr(fig, "how", "cell")
    if how == "sum":
        return f"somme de {fig.locator}" if lang == "fr" else f"sum of {fig.locator}"
    if how == "percent":
        return (
            f"calculé : lignes × pourcentage, {fig.locator}"
            if lang == "fr"
            else f"computed: lines × percentage, {fig.locator}"
        )
    return fig.locator


@register("budget_workbook")
def budget_workbook(ctx, tolerance="1.00", gewe_relative="0.005", rate_tolerance=5, max_sum_findings=20, **_):
    """The attached budget workbook: missing while the template requires one
    (``workbook_missing``, error); its total and each agency's budget against the cover
    (``workbook_total_mismatch``, ``workbook_agency_mismatch``, errors); its gender-equality
    allocation against "Budget genre alloué" (``workbook_gewe_mismatch``, warning); its spending
    to date against the implementation rate (``workbook_spent_rate``, warning, beyond
    ``rate_tolerance`` points); lines against totals inside it (``workbook_sum_mismatch``, error);
    and what kept it from being compared (``workbook_unreadable``, ``workbook_no_table``,
    ``workbook_formula_no_cache``, ``workbook_tables_disagree``, ``workbook_agency_unmatched``)."""
    vi = ctx.input
    block = getattr(ctx.template, "budget_workbook", None) or {}
    field_key = block.get("field", ATTACHMENT)
    wb = vi.workbook
    attached = True if wb is not None else vi.workbook_attached
    if attached is None:
        return
    if not attached:
        if block.get("required") and field_key in ctx.field_map:
            named = ctx.text(field_key).strip()
            extra_fr = f" (la page de garde mentionne « {named[:80]} »)" if named else ""
            extra_en = f" (the cover page mentions \u201c{named[:80]}\u201d)" if named else ""
            yield ctx.finding(
                "workbook_missing",
                ERROR,
                field_key,
                f"Aucun budget Excel n'est joint à cette version{extra_fr} : le modèle demande de joindre "
                "le budget Excel du projet montrant les dépenses approximatives actuelles.",
                f"No Excel budget is attached to this version{extra_en}: the template asks for the "
                "project's Excel budget showing current approximate expenditure.",
                figures={"named": named},
            )
        return
    if wb is None:
        yield ctx.finding(
            "workbook_unreadable",
            WARNING,
            field_key,
            "Le budget Excel joint n'a pas pu être lu : ses chiffres ne sont pas comparés au rapport.",
            "The attached Excel budget could not be read: its figures are not compared with the report.",
        )
        return
    tol = Decimal(str(tolerance))
    codes = set(wb.warning_codes()) if hasattr(wb, "warning_codes") else set()
    for w in getattr(wb, "warnings", ()):
        if w.code in ("formula_no_cache", "tables_disagree", "rows_capped", "cells_capped"):
            code = {
                "formula_no_cache": "workbook_formula_no_cache",
                "tables_disagree": "workbook_tables_disagree",
            }.get(w.code, "workbook_truncated")
            sev = INFO if code == "workbook_truncated" else WARNING
            yield ctx.finding(
                code,
                sev,
                field_key,
                w.message.get("fr", ""),
                w.message.get("en", ""),
                locator=w.locator,
                figures=dict(w.figures),
                quote=w.locator or w.code,
            )
    if wb.primary is None:
        if "no_budget_table" in codes or not wb.tables:
            names = ", ".join(s["name"] for s in wb.sheets[:5])
            yield ctx.finding(
                "workbook_no_table",
                WARNING,
                field_key,
                f"Aucun tableau de budget reconnu dans le classeur joint (feuilles : {names}) : ses "
                "chiffres ne sont pas comparés au rapport. Gardez les en-têtes du modèle (agences "
                "récipiendaires, total, dépenses, égalité des sexes).",
                f"No budget table recognised in the attached workbook (sheets: {names}): its figures are "
                "not compared with the report. Keep the template's headers (recipient organisations, "
                "total, expenditure, gender equality).",
                figures={"sheets": [s["name"] for s in wb.sheets]},
            )
        return

    yield from _sums(ctx, wb, field_key, max_sum_findings)

    items, cover_total = cover_budget(ctx)
    total = wb.total
    if total is not None and (cover_total is not None or items):
        if cover_total is not None:
            label, stated, start, end, quote = cover_total
        else:
            stated = sum((i[1] for i in items), Decimal(0))
            start = end = None
            quote = ""
        if abs(total.value - stated) > tol:
            yield ctx.finding(
                "workbook_total_mismatch",
                ERROR,
                BUDGET_TABLE,
                f"Budget total du classeur {fmt_money(total.value, 'fr')} ({_where(total, 'fr')}) ≠ budget "
                f"total approuvé de la page de garde {fmt_money(stated, 'fr')} (écart "
                f"{_diff(total.value - stated, 'fr')}).",
                f"Workbook total budget {fmt_money(total.value, 'en')} ({_where(total, 'en')}) ≠ total "
                f"approved budget on the cover page {fmt_money(stated, 'en')} (difference "
                f"{_diff(total.value - stated, 'en')}).",
                start=start,
                end=end,
                quote=quote,
                locator=total.locator,
                figures={"workbook": float(total.value), "cover": float(stated), "cell": total.locator},
            )
    if items and wb.agencies:
        pairs = wb.match_agencies([i[0] for i in items])
        for n, (label, amount, start, end, quote) in enumerate(items):
            ag = pairs.get(n)
            if ag is None:
                yield ctx.finding(
                    "workbook_agency_unmatched",
                    INFO,
                    BUDGET_TABLE,
                    f"« {label} » : aucune colonne du classeur ne correspond à cette agence (colonnes : "
                    f"{', '.join(a.name for a in wb.agencies)}) ; son budget n'est pas comparé.",
                    f"\u201c{label}\u201d: no column of the workbook matches this organisation (columns: "
                    f"{', '.join(a.name for a in wb.agencies)}); its budget is not compared.",
                    start=start,
                    end=end,
                    quote=quote,
                    figures={"agency": label},
                )
                continue
            if abs(ag.figure.value - amount) > tol:
                yield ctx.finding(
                    "workbook_agency_mismatch",
                    ERROR,
                    BUDGET_TABLE,
                    f"Budget de « {label} » : {fmt_money(amount, 'fr')} sur la page de garde, "
                    f"{fmt_money(ag.figure.value, 'fr')} dans le classeur (colonne « {ag.name} », "
                    f"{_where(ag.figure, 'fr')}) : écart {_diff(ag.figure.value - amount, 'fr')}.",
                    f"Budget of \u201c{label}\u201d: {fmt_money(amount, 'en')} on the cover page, "
                    f"{fmt_money(ag.figure.value, 'en')} in the workbook (column \u201c{ag.name}\u201d, "
                    f"{_where(ag.figure, 'en')}): difference {_diff(ag.figure.value - amount, 'en')}.",
                    start=start,
                    end=end,
                    quote=quote,
                    locator=ag.figure.locator,
                    figures={
                        "agency": label,
                        "workbook": float(ag.figure.value),
                        "cover": float(amount),
                        "cell": ag.figure.locator,
                    },
                )

    gewe = wb.gewe
    alloc_text = ctx.text("gewe_budget_allocated").split("\n")[0]
    alloc = parse_money(alloc_text) if alloc_text.strip() else None
    if gewe is not None and alloc is not None:
        gtol = max(tol, abs(alloc) * Decimal(str(gewe_relative)))
        if abs(gewe.value - alloc) > gtol:
            s = len(alloc_text) - len(alloc_text.lstrip())
            yield ctx.finding(
                "workbook_gewe_mismatch",
                WARNING,
                "gewe_budget_allocated",
                f"Budget genre alloué {fmt_money(alloc, 'fr')} sur la page de garde, mais "
                f"{fmt_money(gewe.value, 'fr')} pour l'égalité des sexes dans le classeur "
                f"({_where(gewe, 'fr')}) : écart {_diff(gewe.value - alloc, 'fr')}.",
                f"Gender budget allocated {fmt_money(alloc, 'en')} on the cover page, but "
                f"{fmt_money(gewe.value, 'en')} for gender equality in the workbook ({_where(gewe, 'en')}): "
                f"difference {_diff(gewe.value - alloc, 'en')}.",
                start=s,
                end=len(alloc_text.rstrip()),
                quote=alloc_text.strip(),
                locator=gewe.locator,
                figures={
                    "workbook": float(gewe.value),
                    "cover": float(alloc),
                    "how": gewe.how,
                    "cell": gewe.locator,
                },
            )

    spent = wb.spent
    rate_text = ctx.text("implementation_rate").strip()
    rate = parse_number(rate_text.split("\n")[0].rstrip("% ").strip()) if rate_text else None
    base = total.value if total is not None else (cover_total[1] if cover_total else None)
    if spent is not None and rate is not None and base and 0 <= rate <= 100:
        share = float(spent.value / base * 100)
        gap = share - rate
        if abs(gap) > float(rate_tolerance):
            yield ctx.finding(
                "workbook_spent_rate",
                WARNING,
                "implementation_rate",
                f"Dépenses à ce jour dans le classeur {fmt_money(spent.value, 'fr')} "
                f"({_where(spent, 'fr')}) = {_pct(share, 'fr')} du budget total {fmt_money(base, 'fr')}, "
                f"mais le taux de mise en œuvre déclaré est de {fmt_num(rate, 'fr')} % (écart de "
                f"{fmt_num(round(abs(gap), 1), 'fr')} points).",
                f"Spent to date in the workbook {fmt_money(spent.value, 'en')} ({_where(spent, 'en')}) = "
                f"{_pct(share, 'en')} of the total budget {fmt_money(base, 'en')}, but the stated "
                f"implementation rate is {rate:g}% ({round(abs(gap), 1):g} points apart).",
                start=0,
                end=len(rate_text.split("\n")[0]),
                quote=rate_text.split("\n")[0],
                locator=spent.locator,
                figures={
                    "spent": float(spent.value),
                    "total": float(base),
                    "computed_rate": round(share, 2),
                    "stated_rate": rate,
                    "cell": spent.locator,
                },
            )


def _sums(ctx, wb, field_key, cap):
    bad = list(wb.sum_mismatches)
    for s in bad[:cap]:
        diff = s.stated - s.computed
        what_fr = "somme des agences" if s.scope == "row" else "somme des lignes"
        what_en = "sum of the organisations" if s.scope == "row" else "sum of the lines"
        n_fr = f", {s.count} cellule{'s' if s.count > 1 else ''}" if s.lines else ""
        n_en = f", {s.count} cell{'s' if s.count > 1 else ''}" if s.lines else ""
        yield ctx.finding(
            "workbook_sum_mismatch",
            ERROR,
            field_key,
            f"Classeur, {s.locator} (« {s.label} », colonne « {s.column} ») : {fmt_money(s.stated, 'fr')} ≠ "
            f"{what_fr} {fmt_money(s.computed, 'fr')} ({s.lines}{n_fr}) : écart {_diff(diff, 'fr')}.",
            f"Workbook, {s.locator} (\u201c{s.label}\u201d, column \u201c{s.column}\u201d): "
            f"{fmt_money(s.stated, 'en')} ≠ {what_en} {fmt_money(s.computed, 'en')} ({s.lines}{n_en}): "
            f"difference {_diff(diff, 'en')}.",
            locator=s.locator,
            quote=s.label,
            figures={
                "stated": float(s.stated),
                "computed": float(s.computed),
                "lines": s.lines,
                "scope": s.scope,
            },
        )
    if len(bad) > cap:
        yield ctx.finding(
            "workbook_sum_mismatch",
            ERROR,
            field_key,
            f"… et {len(bad) - cap} autre(s) total(aux) du classeur qui ne correspondent pas à leurs lignes.",
            f"… and {len(bad) - cap} more workbook total(s) that do not match their lines.",
            quote="more",
            figures={"more": len(bad) - cap},
        )
