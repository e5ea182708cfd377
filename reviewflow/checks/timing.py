"""Vague timing: "prochainement", "dans les semaines à venir", "soon" with no date (reviewers
answer "Donc quand ?")."""

from __future__ import annotations

import re

from .engine import RF_SECTION, register
from .model import WARNING
from .textutil import MONTHS_EN, MONTHS_FR, SP, sentences

_S = SP + "+"
_UNIT_FR = r"(?:jours|semaines|mois|temps)"
_UNIT_EN = r"(?:days|weeks|months|period)"
VAGUE = re.compile(
    r"(?i)(?<![\w'’])(?:"
    r"prochainement|bient[ôo]t|sous" + _S + r"peu|d['’]ici" + _S + r"peu|incessamment|ult[ée]rieurement|"
    r"[àa]" + _S + r"une" + _S + r"date" + _S + r"ult[ée]rieure|(?<!au" + SP + r")plus" + _S + r"tard|"
    r"dans"
    + _S
    + r"les"
    + _S
    + r"(?:prochain(?:e)?s"
    + _S
    + _UNIT_FR
    + r"|"
    + _UNIT_FR
    + _S
    + r"(?:[àa]"
    + _S
    + r"venir|qui"
    + _S
    + r"viennent|suivant(?:e)?s))|"
    r"au"
    + _S
    + r"cours"
    + _S
    + r"des"
    + _S
    + r"(?:prochain(?:e)?s"
    + _S
    + _UNIT_FR
    + r"|"
    + _UNIT_FR
    + _S
    + r"[àa]"
    + _S
    + r"venir)|"
    r"dans" + _S + r"un" + _S + r"(?:(?:avenir|futur)" + _S + r"proche|proche" + _S + r"(?:avenir|futur))|"
    r"d[èe]s" + _S + r"que" + _S + r"possible|en" + _S + r"temps" + _S + r"(?:voulu|opportun|utile)|"
    r"dans" + _S + r"les" + _S + r"meilleurs" + _S + r"d[ée]lais|"
    r"soon|shortly|in" + _S + r"the" + _S + r"near" + _S + r"future|"
    r"(?:in|over|during)"
    + _S
    + r"the"
    + _S
    + r"(?:coming|next|upcoming|following)"
    + _S
    + r"(?:few"
    + _S
    + r")?"
    + _UNIT_EN
    + r"|"
    r"at"
    + _S
    + r"a"
    + _S
    + r"later"
    + _S
    + r"(?:date|stage|time)|later"
    + _S
    + r"on|in"
    + _S
    + r"due"
    + _S
    + r"course|as"
    + _S
    + r"soon"
    + _S
    + r"as"
    + _S
    + r"possible|asap"
    r")(?![\w])"
)
_NOT_VAGUE = re.compile(r"(?i)\bas" + _S + r"soon" + _S + r"as(?!" + _S + r"possible)|\bsooner\b")
_MONTHS = "|".join(
    sorted(
        set(MONTHS_FR + MONTHS_EN)
        - {"mar", "may", "jun", "jul", "dec", "sept", "oct", "nov", "jan", "feb", "apr", "aug", "sep"},
        key=len,
        reverse=True,
    )
)
DATED = re.compile(
    r"(?i)\b(?:" + _MONTHS + r")\b|\b\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}\b|\b(?:19|20)\d\d\b|\b[TQS][1-4]\b|"
    r"\b(?:1er|premier|deuxi[eè]me|second|troisi[eè]me|quatri[eè]me|first|second|third|fourth|"
    r"\d(?:e|er|[eè]me|nd|rd|th|st))"
    + _S
    + r"(?:trimestre|semestre|quarter)|\b(?:trimestre|semestre|quarter)"
    + _S
    + r"\d|"
    r"d['’]ici"
    + _S
    + r"(?:la"
    + _S
    + r")?fin|\bavant"
    + _S
    + r"(?:le|la|fin)\b|\bby"
    + _S
    + r"(?:the"
    + _S
    + r")?end"
    + _S
    + r"of|\bbefore"
    + _S
    + r"(?:the"
    + _S
    + r")?end\b|\bfin"
    + _S
    + r"(?:de"
    + _S
    + r"l['’]ann[ée]e|"
    r"d[ue]"
    + _S
    + r"(?:mois|trimestre|semestre|projet))|\bend"
    + _S
    + r"of"
    + _S
    + r"(?:the"
    + _S
    + r")?(?:year|month|quarter|project)"
)
# "dans les deux prochaines semaines", "in the next three months": a stated span is a bound
_COUNTED = re.compile(
    r"(?i)(?:\d+|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|douze|two|three|four|five|six|"
    r"seven|eight|nine|ten|twelve)"
    + _S
    + r"(?:prochain(?:e)?s"
    + _S
    + r")?(?:"
    + _UNIT_FR
    + "|"
    + _UNIT_EN
    + r")"
)
RF_COLUMNS_CHECKED = ("milestone", "current", "reasons")


def vague_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the first vague timing phrase of each sentence that gives no date."""
    out = []
    for a, b in sentences(text):
        sent = text[a:b]
        if DATED.search(sent):
            continue
        for m in VAGUE.finditer(sent):
            if _NOT_VAGUE.match(sent, max(0, m.start() - 3)) or _NOT_VAGUE.match(sent, m.start()):
                continue
            around = sent[max(0, m.start() - 25) : m.end() + 25]
            if _COUNTED.search(around):
                continue
            out.append((a + m.start(), a + m.end()))
            break
    return out


def _finding(ctx, key, text, s, e, locator=None, where_fr="", where_en=""):
    q = text[s:e]
    return ctx.finding(
        "vague_timing",
        WARNING,
        key,
        f"{where_fr}« {q} » : quand, exactement ? Donnez une date ou une période (mois, trimestre) ; sinon "
        "le lecteur demandera « Donc quand ? ».",
        f"{where_en}\u201c{q}\u201d: when exactly? Give a date or a period (month, quarter); otherwise the "
        "reader will ask \u201cso when?\u201d.",
        start=s,
        end=e,
        quote=q,
        locator=locator,
    )


@register("vague_timing")
def vague_timing(ctx, **_):
    """Timing with no date, in narratives and in the results framework's milestone, current and
    reasons cells: "prochainement", "bientôt", "dans les prochains mois", "dans les semaines à
    venir", "ultérieurement", "soon", "in the coming weeks", "at a later date" ... in a sentence
    that gives no month, year, date, quarter or deadline ("d'ici la fin de l'année"), and not a
    counted span ("dans les deux prochaines semaines")."""
    for key in ctx.narrative_keys():
        text = ctx.text(key)
        for s, e in vague_spans(text):
            yield _finding(ctx, key, text, s, e)
    text = ctx.text(RF_SECTION)
    for row in ctx.rf_indicators:
        for col in RF_COLUMNS_CHECKED:
            cell = row.cells.get(col) or ""
            if not cell:
                continue
            cs, _ce = ctx.rf_cell_span(row, col)
            if cs is None:
                continue
            for s, e in vague_spans(cell):
                label = ctx.column_label(RF_SECTION, col, "fr")
                label_en = ctx.column_label(RF_SECTION, col, "en")
                rid = row.id or row.locator
                yield _finding(
                    ctx,
                    RF_SECTION,
                    text,
                    cs + s,
                    cs + e,
                    f"{row.locator}/{col}",
                    f"Indicateur {rid}, colonne « {label} » : ",
                    f"Indicator {rid}, column \u201c{label_en}\u201d: ",
                )
