"""Character limits: per narrative field, and per results-framework cell."""
from __future__ import annotations

from reviewflow.content import count

from .engine import RF_SECTION, register
from .model import ERROR, INFO, WARNING
from .textutil import fmt_int


def _cut_offset(text: str, limit: int) -> int:
    """Offset of the first character beyond ``limit`` counted characters (line breaks are not
    counted, as in Word)."""
    n = 0
    for i, ch in enumerate(text):
        if ch == "\n":
            continue
        n += 1
        if n > limit:
            return i
    return len(text)


@register("char_limit")
def char_limit(ctx, **_):
    """A narrative field longer than its ``limit``, counted as Word's "characters (with
    spaces)" on the accepted text; both counts are given."""
    for f in ctx.fields:
        if not f.limit or f.is_table:
            continue
        text = ctx.text(f.key)
        c = count(text)
        if c.with_spaces <= f.limit:
            continue
        over = c.with_spaces - f.limit
        fr_l, en_l = ctx.label(f.key, "fr"), ctx.label(f.key, "en")
        yield ctx.finding(
            "char_limit", ERROR, f.key,
            f"« {fr_l} » : {fmt_int(c.with_spaces, 'fr')} caractères espaces compris "
            f"({fmt_int(c.without_spaces, 'fr')} sans espaces) pour une limite de {fmt_int(f.limit, 'fr')} : "
            f"{fmt_int(over, 'fr')} de trop. Le texte surligné dépasse la limite.",
            f"\u201c{en_l}\u201d: {fmt_int(c.with_spaces, 'en')} characters with spaces "
            f"({fmt_int(c.without_spaces, 'en')} without spaces) for a limit of {fmt_int(f.limit, 'en')}: "
            f"{fmt_int(over, 'en')} too many. The highlighted text is beyond the limit.",
            start=_cut_offset(text, f.limit), end=len(text),
            figures={"count": c.with_spaces, "count_no_spaces": c.without_spaces, "limit": f.limit,
                     "excess": over})


@register("cell_limit")
def cell_limit(ctx, indicator_severity=INFO, severity=WARNING, **_):
    """A table cell longer than the field's ``cell_limit`` (PBF: 300 characters per entry of
    the results framework).  The indicator text is copied from the project document, so a long
    indicator cell is only ``info``; outcome/output statements are not counted."""
    for f in ctx.fields:
        if not f.cell_limit:
            continue
        limit = f.cell_limit
        if f.key == RF_SECTION and ctx.rf_block is not None:
            for row in ctx.rf_indicators:
                for col, text in row.cells.items():
                    c = count(text)
                    if c.with_spaces <= limit:
                        continue
                    start, end = ctx.rf_cell_span(row, col)
                    sev = indicator_severity if col == "indicator" else severity
                    yield _cell_finding(ctx, f, row.locator, col, c, limit, sev, start, end, text)
            continue
        for t, _block, rows in ctx.tables(f.key):
            for i, cells in enumerate(rows):
                for j, text in enumerate(cells):
                    c = count(text)
                    if c.with_spaces > limit:
                        start, end = ctx.cell_span(f.key, t, i, j)
                        yield _cell_finding(ctx, f, f"row{i + 1}", f"col{j + 1}", c, limit, severity,
                                            start, end, text)


def _cell_finding(ctx, f, row_id, col, c, limit, sev, start, end, text):
    over = c.with_spaces - limit
    cut = None if start is None else start + _cut_offset(text, limit)
    loc = f"{row_id}/{col}"
    where_fr, where_en = ctx.where(loc, "fr", f.key), ctx.where(loc, "en", f.key)
    return ctx.finding(
        "cell_limit", sev, f.key,
        f"{ctx.label(f.key, 'fr')}, {where_fr} : {fmt_int(c.with_spaces, 'fr')} "
        f"caractères espaces compris ({fmt_int(c.without_spaces, 'fr')} sans espaces) pour "
        f"{fmt_int(limit, 'fr')} maximum par entrée : {fmt_int(over, 'fr')} de trop.",
        f"{ctx.label(f.key, 'en')}, {where_en}: {fmt_int(c.with_spaces, 'en')} "
        f"characters with spaces ({fmt_int(c.without_spaces, 'en')} without spaces) for "
        f"{fmt_int(limit, 'en')} max per entry: {fmt_int(over, 'en')} too many.",
        start=cut if cut is not None else None, end=end,
        figures={"count": c.with_spaces, "count_no_spaces": c.without_spaces, "limit": limit, "excess": over},
        locator=loc)
