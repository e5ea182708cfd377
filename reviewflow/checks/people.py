"""Counts of people: sex disaggregation, and sex breakdowns that do not add up."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .engine import RF_SECTION, register
from .model import WARNING
from .rf import indicator_head
from .textutil import (
    _SEX_WORDS,
    SEXED,
    SP,
    excerpt,
    fmt_num,
    has_sex_terms,
    numbers,
    parse_number,
    people_noun_after,
    sentences,
)


@dataclass(frozen=True)
class PeopleCount:
    start: int          # the number
    end: int            # end of the noun
    value: float
    noun: str           # lemma of the people noun
    sexed: bool         # the noun itself says the sex ("femmes", "boys")


def people_counts(text: str) -> list[PeopleCount]:
    """"45 participants", "trois (3) personnes", "245 agents ministériels": a count (not a
    year, date, amount, percentage, reference or phone number) right before a people noun."""
    out = []
    for n in numbers(text):
        if n.kind != "count" or not n.integer:
            continue
        pn = people_noun_after(text, n.end)
        if pn:
            out.append(PeopleCount(n.start, pn[1], n.value, pn[2], pn[2] in SEXED))
    return out


# --------------------------------------------------------------------------- breakdowns
@dataclass(frozen=True)
class Breakdown:
    start: int          # the total
    end: int            # end of the breakdown
    total: float
    parts: tuple        # ((value, "F"|"M", start, end), ...)

    @property
    def sum(self):
        return sum(p[0] for p in self.parts)

    @property
    def complete(self) -> bool:
        """Both sexes are given, so the parts should add up to the total."""
        return {p[1] for p in self.parts} == {"F", "M"}


_N = r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+"
_PAIR_A = re.compile(r"(?i)(?<![\w.,])(?P<n>" + _N + r")" + SP + r"*(?:(?:jeunes|young|adultes?|adult)" + SP
                     + r"+)?(?P<s>" + _SEX_WORDS + r")(?!\w)")
_PAIR_A2 = re.compile(r"(?<![\w.,])(?P<n>" + _N + r")" + SP + r"*(?P<s>[FH])(?![\w])")
_PAIR_B = re.compile(r"(?<![\w])(?P<s>(?i:" + _SEX_WORDS + r")|[FH])" + SP + r"*[:=]?" + SP + r"*(?P<n>" + _N
                     + r")(?![\d]|" + SP + r"*%)")
_SUB = re.compile(r"(?i)\b(?:dont|including|incl\.|of whom|among them|parmi (?:lesquel(?:le)?s|eux|elles))\b")
_OPEN_KW = re.compile(r"(?i)" + SP + r"*,?" + SP + r"*(?:dont|soit|including|of whom|of which|among them|"
                      r"parmi (?:lesquel(?:le)?s|eux|elles))\b")


def _sex(word: str) -> str:
    from .textutil import fold
    w = fold(word)
    if w in ("f",) or w.startswith(("fem", "fil", "wom", "girl", "mere", "veuv", "widow")):
        return "F"
    return "M"


def _zone(text: str, pos: int) -> tuple[int, int] | None:
    """Start/end of the breakdown that opens at ``pos`` ("(...)", ": ...", ", dont ...")."""
    j = pos
    while j < len(text) and text[j] in " \u00a0\u202f\t":
        j += 1
    if j < len(text) and text[j] == "(":
        depth, k = 0, j
        while k < len(text):
            if text[k] == "(":
                depth += 1
            elif text[k] == ")":
                depth -= 1
                if depth == 0:
                    return j + 1, k
            elif text[k] == "\n":
                break
            k += 1
        return None
    m = re.compile(r":").match(text, j) or _OPEN_KW.match(text, pos)
    if not m:
        return None
    k = m.end()
    end = re.compile(r"[.;\n()]|$").search(text, k)
    return k, end.start()


def breakdowns(text: str, *, cell: bool = False) -> list[Breakdown]:
    """Sex breakdowns: "58 fonctionnaires (18 femmes/32 hommes)", "48 participants, dont 21
    hommes et 27 femmes", "126 : 34 femmes et 92 hommes", "89 lycéens (filles 47 / garçons 42)",
    "3 (1 femme / 3 hommes)".  The total is a count of people (a people noun follows it, or
    the breakdown follows the bare number); "3 sessions (...)" and "2 (RCA)" are not
    breakdowns.  ``cell``: the text is a table cell, so a leading 4-digit number is a value,
    not a year.  Sub-parts introduced by "dont"/"including" after a first part are ignored."""
    out = []
    for n in numbers(text):
        if not n.integer:
            continue
        if n.kind != "count" and not (cell and n.kind == "year" and text[:n.start].strip() == ""):
            continue
        pos = n.end
        pn = people_noun_after(text, pos)
        if pn:
            pos = pn[1]
            # the noun phrase may go on ("agents ministériels", "autorités ... et membres de ...")
            m = re.compile(r"[^\d.;!?()\n:]{0,160}?(?=\(|:|" + _OPEN_KW.pattern[4:] + r")", re.I).match(text, pos)
            if m and len(m.group().split()) <= 18:
                pos = m.end()
        elif re.compile(r"[A-Za-zÀ-ÿ]").match(text, pos + (len(text[pos:]) - len(text[pos:].lstrip()))):
            if not _OPEN_KW.match(text, pos):
                continue  # "3 sessions (...)": a number of things
        z = _zone(text, pos)
        if not z:
            continue
        a, b = z
        zone = text[a:b]
        pairs, used = [], []
        for rx in (_PAIR_A, _PAIR_A2, _PAIR_B):
            for m in rx.finditer(zone):
                s, e = m.start("n"), m.end("n")
                if any(s < ue and us < e for us, ue in used):
                    continue
                if any(m.start() < pe and ps < m.end() for _, _, ps, pe in pairs):
                    continue
                used.append((s, e))
                pairs.append((parse_number(m.group("n")), _sex(m.group("s")), m.start(), m.end()))
        if not pairs:
            continue
        pairs.sort(key=lambda p: p[2])
        kept, prev_end = [], 0
        for i, p in enumerate(pairs):
            if i > 0 and _SUB.search(zone[prev_end:p[2]]):
                prev_end = p[3]
                continue
            kept.append(p)
            prev_end = p[3]
        end = b + (1 if b < len(text) and text[b] == ")" else 0)
        out.append(Breakdown(n.start, end, n.value,
                             tuple((v, s, a + ps, a + pe) for v, s, ps, pe in kept)))
    return out


@register("breakdown_sum")
def breakdown_sum(ctx, **_):
    """A sex breakdown whose parts do not add up to the total (both sexes given), or whose
    parts exceed the total (one sex given), in narratives and in the results framework."""
    for key in ctx.narrative_keys():
        text = ctx.text(key)
        for a, b in ctx.narrative_spans(key):
            for bd in breakdowns(text[a:b]):
                f = _bd_finding(ctx, key, text, bd, a, None)
                if f:
                    yield f
    if ctx.rf_block is not None:
        text = ctx.text(RF_SECTION)
        for row in ctx.rf_indicators:
            for col in ("baseline", "target", "milestone", "current"):
                cell = row.cells.get(col)
                if not cell:
                    continue
                start, _ = ctx.rf_cell_span(row, col)
                for bd in breakdowns(cell, cell=True):
                    f = _bd_finding(ctx, RF_SECTION, text if start is not None else cell, bd,
                                    start or 0, f"{row.locator}/{col}")
                    if f:
                        yield f


def _bd_finding(ctx, key, text, bd: Breakdown, offset, locator):
    s = bd.sum
    if bd.complete and s == bd.total:
        return None
    if not bd.complete and s <= bd.total:
        return None
    quote = text[offset + bd.start: offset + bd.end]
    shown = excerpt(quote, 0, len(quote), 70)
    terms_fr = " + ".join(fmt_num(p[0], "fr") for p in bd.parts)
    terms_en = " + ".join(fmt_num(p[0], "en") for p in bd.parts)
    rel = "≠" if bd.complete else ">"
    where_fr = f"{ctx.where(locator, 'fr')} : " if locator else ""
    where_en = f"{ctx.where(locator, 'en')}: " if locator else ""
    tail_fr = "" if bd.complete else " (la ventilation dépasse le total)"
    tail_en = "" if bd.complete else " (the breakdown exceeds the total)"
    return ctx.finding(
        "breakdown_sum", WARNING, key,
        f"{where_fr}« {shown} » : {terms_fr} = {fmt_num(s, 'fr')} {rel} {fmt_num(bd.total, 'fr')}{tail_fr}. "
        f"Corrigez le total ou la ventilation par sexe.",
        f"{where_en}\u201c{shown}\u201d: {terms_en} = {fmt_num(s, 'en')} {rel} {fmt_num(bd.total, 'en')}{tail_en}. "
        f"Correct the total or the breakdown by sex.",
        start=offset + bd.start, end=offset + bd.end, quote=quote, locator=locator,
        figures={"total": bd.total, "parts": [p[0] for p in bd.parts], "sum": s, "complete": bd.complete})


# --------------------------------------------------------------------------- disaggregation
_ASKS_SEX = re.compile(r"(?i)\bsexe\b|\bsex\b|\bgenre\b|\bgender\b|d[ée]sagr[ée]g|disaggregat|"
                       r"\bf\s*/\s*h\b|\bm\s*/\s*f\b|\bâge\b|\bage\b")


def indicator_asks_disaggregation(title: str) -> bool:
    """The indicator mentions sex/age ("(sexe, âge)", "(par âge / sexe)", "disaggregated by
    sex") or counts people who are not already of one sex ("# de participants", "% des
    victimes")."""
    if _ASKS_SEX.search(title or ""):
        return True
    measure, head, _ = indicator_head(title)
    from .textutil import PEOPLE
    return bool(measure and head and head in PEOPLE and head not in SEXED)


@register("disaggregation")
def disaggregation(ctx, min_count=2, **_):
    """Counts of people without a sex breakdown: (1) the "current" value of a results-framework
    indicator that asks for disaggregation or counts people (non-zero value, no femmes/hommes,
    filles/garçons, women/men, F/H in the cell); (2) narrative sentences with a count of people
    ("45 participants") and no sex terms in the same sentence."""
    if ctx.rf_block is not None:
        for row in ctx.rf_indicators:
            cur = row.cells.get("current") or ""
            if not cur.strip() or not indicator_asks_disaggregation(row.title):
                continue
            nums = [n for n in numbers(cur) if n.kind in ("count", "percent", "year")]
            if not nums or all(n.value == 0 for n in nums) or has_sex_terms(cur):
                continue
            start, end = ctx.rf_cell_span(row, "current")
            shown = excerpt(cur, 0, len(cur), 50)
            yield ctx.finding(
                "disaggregation_missing", WARNING, RF_SECTION,
                f"Indicateur {row.locator} : la valeur actuelle « {shown} » n'est pas ventilée par sexe "
                f"(et par âge si pertinent), alors que l'indicateur porte sur des personnes. "
                f"Exemple : « 126 : 34 femmes et 92 hommes ».",
                f"Indicator {row.locator}: the current value \u201c{shown}\u201d is not broken down by sex "
                f"(and age where relevant) although the indicator counts people. "
                f"Example: \u201c126: 34 women and 92 men\u201d.",
                start=start, end=end, quote=cur, locator=f"{row.locator}/current",
                figures={"value": nums[0].value, "percent": nums[0].kind == "percent"})
    for key in ctx.narrative_keys():
        text = ctx.text(key)
        if not text.strip():
            continue
        for a, b in ctx.narrative_spans(key):
            para = text[a:b]
            for sa, sb in sentences(para):
                sent = para[sa:sb]
                if has_sex_terms(sent):
                    continue
                for pc in people_counts(sent):
                    if pc.sexed or pc.value < min_count:
                        continue
                    q = sent[pc.start:pc.end]
                    yield ctx.finding(
                        "disaggregation_missing", WARNING, key,
                        f"« {q} » : nombre de personnes sans ventilation par sexe (femmes/hommes, "
                        f"filles/garçons) dans la phrase.",
                        f"\u201c{q}\u201d: a number of people with no breakdown by sex (women/men, "
                        f"girls/boys) in the sentence.",
                        start=a + sa + pc.start, end=a + sa + pc.end, quote=q,
                        figures={"count": pc.value, "noun": pc.noun})
