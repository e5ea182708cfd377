"""Budget figures of the cover page."""
from __future__ import annotations

import re
from decimal import Decimal

from ..money import parse_money
from .engine import register
from .model import ERROR, INFO, WARNING
from .textutil import fmt_money, fmt_num, fold, parse_number

# Budget bands of the gender marker (share of the budget going to gender equality); recalled
# from the PBF 2020 guidelines, not verified against a stored copy: hence only "info".
GM_BANDS = {"GM3": (Decimal("0.80"), None), "GM2": (Decimal("0.30"), Decimal("0.80")),
            "GM1": (None, Decimal("0.30"))}


def _money_cell(cells):
    for text in reversed(cells):
        v = parse_money(text)
        if v is not None:
            return v, text
    for text in reversed(cells):          # "Total: $ 3102798.00" in one cell
        m = re.search(r"[$€]?\s*[\d][\d\s\u00a0\u202f.,]*\d(?:\s*[$€])?|\$\s*\d", text)
        if m:
            v = parse_money(m.group())
            if v is not None:
                return v, text
    return None, None


def budget_table(ctx, key="budget_by_recipient"):
    """([(label, amount), ...], total or None, total_text) from the budget table: rows whose
    label starts with "Total" give the total; rows with no amount are skipped."""
    items, total, total_text = [], None, None
    for _t, _b, rows in ctx.tables(key):
        for cells in rows:
            if not cells:
                continue
            joined = " ".join(cells)
            amount, amount_text = _money_cell(cells)
            label = next((c.strip() for c in cells if c.strip() and parse_money(c) is None), "")
            if re.match(r"(?i)\s*total", label) or re.match(r"(?i)\s*total", joined.strip()):
                if amount is not None:
                    total, total_text = amount, amount_text
                continue
            if amount is None:
                continue
            items.append((re.sub(r"\s+", " ", label).strip(": "), amount))
    return items, total, total_text


@register("budget")
def budget(ctx, tolerance="1.00", evaluation_min_share="0.01", **_):
    """Cover-page money: agency budgets that do not add up to the stated total
    (``budget_sum``, error); gender budget spent above the allocation (``gewe_overspent``,
    error); gender spending above the implementation rate times the total, +5 % (
    ``gewe_spend_rate``, warning); gender share outside the gender marker's band
    (``gender_marker_band``, info); final-evaluation budget under ``evaluation_min_share`` of the
    total (``evaluation_budget_low``, warning; rule R13 of the spec, 1 %); a money field that
    cannot be read (``money_format``, info).
    Amounts are parsed by ``parse_money`` ("$1 245 996,00", "$ 973520.00", "$437 917.96")."""
    tol = Decimal(str(tolerance))
    for f in ctx.fields:
        if f.kind == "money":
            t = ctx.text(f.key).strip()
            if t and re.search(r"\d", t) and parse_money(t.split("\n")[0]) is None:
                yield ctx.finding(
                    "money_format", INFO, f.key,
                    f"« {ctx.label(f.key, 'fr')} » : montant illisible « {t[:40]} » ; "
                    "écrivez par ex. « $1 245 996,00 ».",
                    f"\u201c{ctx.label(f.key, 'en')}\u201d: unreadable amount \u201c{t[:40]}\u201d; write e.g. "
                    f"\u201c$1,245,996.00\u201d.", start=0, end=len(t), quote=t)
    items, total, total_text = budget_table(ctx)
    if items and total is not None:
        s = sum((a for _, a in items), Decimal(0))
        if abs(s - total) > tol:
            terms_fr = " + ".join(fmt_money(a, "fr") for _, a in items)
            terms_en = " + ".join(fmt_money(a, "en") for _, a in items)
            text = ctx.text("budget_by_recipient")
            pos = text.find(total_text) if total_text else -1
            yield ctx.finding(
                "budget_sum", ERROR, "budget_by_recipient",
                f"Budget par agence : {terms_fr} = {fmt_money(s, 'fr')} ≠ total {fmt_money(total, 'fr')} "
                f"(écart {fmt_money(s - total, 'fr')}).",
                f"Budget by recipient: {terms_en} = {fmt_money(s, 'en')} ≠ total {fmt_money(total, 'en')} "
                f"(difference {fmt_money(s - total, 'en')}).",
                start=pos if pos >= 0 else None, end=(pos + len(total_text)) if pos >= 0 else None,
                quote=total_text or "", figures={"sum": float(s), "total": float(total),
                                                 "amounts": [float(a) for _, a in items]})
    if total is None and items:
        total = sum((a for _, a in items), Decimal(0))
    alloc = parse_money(ctx.text("gewe_budget_allocated").split("\n")[0]) if ctx.text("gewe_budget_allocated") else None
    spent = parse_money(ctx.text("gewe_budget_spent").split("\n")[0]) if ctx.text("gewe_budget_spent") else None
    if alloc is not None and spent is not None and spent > alloc + tol:
        yield ctx.finding(
            "gewe_overspent", ERROR, "gewe_budget_spent",
            f"Budget genre dépensé {fmt_money(spent, 'fr')} > budget genre alloué {fmt_money(alloc, 'fr')} "
            f"(dépassement de {fmt_money(spent - alloc, 'fr')}).",
            f"Gender budget spent {fmt_money(spent, 'en')} > gender budget allocated {fmt_money(alloc, 'en')} "
            f"(over by {fmt_money(spent - alloc, 'en')}).",
            start=0, end=len(ctx.text("gewe_budget_spent")), quote=ctx.text("gewe_budget_spent").strip(),
            figures={"spent": float(spent), "allocated": float(alloc)})
    rate_text = ctx.text("implementation_rate").strip()
    rate = parse_number(rate_text.rstrip("% ").strip()) if rate_text else None
    if spent is not None and total and rate is not None and 0 <= rate <= 100:
        ceiling = total * Decimal(str(rate)) / 100 * Decimal("1.05")
        if spent > ceiling + tol:
            share = float(spent / total * 100)
            yield ctx.finding(
                "gewe_spend_rate", WARNING, "gewe_budget_spent",
                f"Budget genre dépensé {fmt_money(spent, 'fr')} = {str(round(share, 1)).replace('.', ',')} % du "
                f"budget total {fmt_money(total, 'fr')}, alors que le taux de mise en œuvre déclaré est de "
                f"{fmt_num(rate, 'fr')} % : l'un des deux chiffres est à vérifier.",
                f"Gender budget spent {fmt_money(spent, 'en')} = {share:.1f}% of the total budget "
                f"{fmt_money(total, 'en')}, while the stated implementation rate is {rate:g}%: check one of the two.",
                figures={"spent": float(spent), "total": float(total), "rate": rate})
    gm = fold(ctx.text("gender_marker")).upper().replace(" ", "")
    gm = next((g for g in GM_BANDS if g in gm), None)
    if gm and alloc is not None and total:
        share = alloc / total
        lo, hi = GM_BANDS[gm]
        if (lo is not None and share < lo) or (hi is not None and share >= hi):
            pct = float(share * 100)
            band = {"GM3": "≥ 80 %", "GM2": "30–79 %", "GM1": "< 30 %"}[gm]
            yield ctx.finding(
                "gender_marker_band", INFO, "gewe_budget_allocated",
                f"Budget genre alloué {fmt_money(alloc, 'fr')} = {str(round(pct, 1)).replace('.', ',')} % du total "
                f"{fmt_money(total, 'fr')}, hors de la fourchette attendue pour {gm} ({band}).",
                f"Gender budget allocated {fmt_money(alloc, 'en')} = {pct:.1f}% of the total "
                f"{fmt_money(total, 'en')}, outside the band expected for {gm} ({band.replace(' %', '%')}).",
                figures={"share": round(pct, 2), "gender_marker": gm})
    ev_text = ctx.text("evaluation_budget").strip()
    ev = parse_money(ev_text.split("\n")[0]) if ev_text else None
    if ev is not None and total:
        share = ev / total
        if share < Decimal(str(evaluation_min_share)):
            pct = float(share * 100)
            floor = float(Decimal(str(evaluation_min_share)) * 100)
            first = ev_text.split("\n")[0]
            yield ctx.finding(
                "evaluation_budget_low", WARNING, "evaluation_budget",
                f"Budget d'évaluation finale {fmt_money(ev, 'fr')} = {fmt_num(round(pct, 2), 'fr')} % du budget total "
                f"{fmt_money(total, 'fr')} (moins de {fmt_num(floor, 'fr')} %) : à rapprocher de la ligne "
                f"suivi-évaluation du document de projet.",
                f"Final evaluation budget {fmt_money(ev, 'en')} = {round(pct, 2)}% of the total budget "
                f"{fmt_money(total, 'en')} (under {fmt_num(floor, 'en')}%): reconcile it with the M&E line of the "
                f"project document.",
                start=0, end=len(first), quote=first.strip(),
                figures={"evaluation_budget": float(ev), "total": float(total), "share": round(pct, 2)})
