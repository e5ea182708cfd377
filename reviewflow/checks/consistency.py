"""Figures that contradict each other or lack a base; the "reasons" column; indicator
numbering; dates before the project started."""
from __future__ import annotations

import calendar
import re
from collections import Counter, defaultdict
from datetime import date

from .engine import RF_SECTION, register
from .model import INFO, WARNING
from .rf import indicator_head, parse_value
from .textutil import (
    _WORD,
    MONTH_NUM,
    SP,
    excerpt,
    fmt_num,
    fold,
    lemma,
    noun_after,
    numbers,
    people_noun_after,
    sentences,
)

_STOP = {
    "dans", "pour", "avec", "sans", "sous", "entre", "leur", "leurs", "cette", "cela", "ceux", "celles", "dont",
    "mais", "plus", "moins", "tous", "toutes", "tout", "autre", "autres", "ainsi", "aussi", "etre", "sont",
    "avoir", "fait", "faire", "lors", "depuis", "apres", "avant", "selon", "chaque", "ayant", "etait", "elles",
    "ils", "nous", "vous", "notre", "votre", "quel", "quelle", "quels", "quelles", "comme", "encore",
    "deja", "tres", "the", "with", "from", "that", "this", "their", "which", "were", "have", "been", "into",
    "under", "other", "more", "than", "what", "when", "where", "there", "these", "those", "about", "after",
    "before", "also", "such", "only", "over", "each", "they", "them", "then", "very", "nombre", "number",
    "total", "mise", "place", "cadre", "projet", "project", "niveau", "level", "base",
}


def content_lemmas(text: str) -> set[str]:
    return {lemma(w) for w in _WORD.findall(text or "") if len(w) >= 4} - {lemma(s) for s in _STOP}


_TOTAL = re.compile(r"(?i)\bau\s+total\b|\bun\s+total\s+de\b|\ben\s+tout\b|\bin\s+total\b|\ba\s+total\s+of\b|"
                    r"\bcumul|\btotal\s+(?:de|of)\b|\bau\s+cumul")
_EXPLICIT = re.compile(r"(?i)\bindicat(?:eur|or)s?\s*(?:n°\s*)?(\d+(?:\.\d+){0,2})")


@register("narrative_table_consistency")
def narrative_table_consistency(ctx, generic_share=0.25, min_indicators=10, **_):
    """A count in an outcome's narrative (Part II) that contradicts the "current" value of the
    results-framework indicator it speaks about.

    A narrative count "N <noun>" is tied to an indicator of the same outcome when the noun is
    the indicator's head noun ("# de participants aux réunions" -> participants) and the sentence
    shares at least one distinctive word of the indicator ("réunions"; words of the outcome and
    output statements above it do not count, nor — in tables of ``min_indicators`` or more —
    words found in more than ``generic_share`` of all indicators, such as "traite" or
    "personnes"), or names the indicator ("indicateur 1.3.2").  A tie between two indicators is skipped.  It is
    reported when N is larger than the table value, or differs from it while the sentence says
    it is a total ("au total", "un total de") or names the indicator.
    """
    inds = [r for r in ctx.rf_indicators if r.id]
    if not inds:
        return
    df = Counter()
    for r in ctx.rf_indicators:
        df.update(content_lemmas(r.title))
    n_ind = len(ctx.rf_indicators)
    generic = {w for w, c in df.items() if c / n_ind > generic_share} if n_ind >= min_indicators else set()
    statements = {(r.level, r.id): content_lemmas(r.title) for r in ctx.rf_rows if r.level in ("outcome", "output")}
    heads = {}
    for r in inds:
        measure, head, rest = indicator_head(r.title)
        # words of the outcome/output statement above the indicator say nothing about which
        # indicator a sentence is about ("traite des personnes" is in every statement)
        context = statements.get(("outcome", r.outcome), set()) | statements.get(("output", r.parent), set())
        heads[r.id] = (measure, head, content_lemmas(rest) - generic - context)
    for k in range(1, ctx.outcomes + 1):
        cands = [r for r in inds if r.outcome == str(k) and heads[r.id][0] == "count" and heads[r.id][1]
                 and parse_value(r.cells.get("current")) is not None]
        if not cands:
            continue
        for key in (f"outcome_{k}.progress_summary", f"outcome_{k}.gewe_youth"):
            text = ctx.text(key)
            for pa, pb in ctx.narrative_spans(key):
                para = text[pa:pb]
                for sa, sb in sentences(para):
                    sent = para[sa:sb]
                    yield from _sentence(ctx, key, sent, pa + sa, cands, heads)


# "N things …, dont M …" / "N things, of which M …": the words after "dont" describe the M, a
# part of the N (34 disputes brought, of which 27 settled), not the N itself.
_PART_OF = re.compile(r"(?i),?\s+(?:dont|parmi\s+(?:eux|elles|lesquel(?:le)?s)|of\s+which|of\s+whom|"
                      r"among\s+(?:them|which|whom))\s+(?=\S*\d)")


def _as_written(sent: str, lemmas: set[str]) -> list[str]:
    """The sentence's own words for these lemmas (accents and apostrophes as written), in order."""
    out: list[str] = []
    for w in _WORD.findall(sent):
        lw = lemma(w)
        if lw in lemmas and w not in out and lw not in {lemma(x) for x in out}:
            out.append(w)
    return sorted(out, key=lambda w: fold(w)) or sorted(lemmas)


def _sentence(ctx, key, sent, offset, cands, heads):
    words = content_lemmas(sent)
    explicit = set(_EXPLICIT.findall(sent))
    for n in numbers(sent):
        if n.kind != "count" or not n.integer:
            continue
        pn = people_noun_after(sent, n.end) or noun_after(sent, n.end)
        if not pn:
            continue
        matches = []
        for r in cands:
            _measure, head, quals = heads[r.id]
            if pn[2] != head:
                continue
            overlap = quals & words
            if r.id in explicit:
                matches.append((100, r, overlap))
            elif overlap:
                matches.append((len(overlap), r, overlap))
        if not matches:
            continue
        matches.sort(key=lambda m: -m[0])
        if len(matches) > 1 and matches[0][0] == matches[1][0]:
            continue
        score, row, overlap = matches[0]
        cur = parse_value(row.cells.get("current"))
        if cur is None or cur.percent or cur.total == n.value:
            continue
        current_text = row.cells.get("current", "")
        if any(m.value == n.value for m in numbers(current_text)):
            continue    # the table speaks of this number too ("27 différends réglés sur 34")
        part = _PART_OF.search(sent, n.end)
        if score != 100 and part and not (overlap & content_lemmas(sent[:part.start()])):
            continue    # the shared words describe the part after "dont", another quantity
        if not (n.value > cur.total or _TOTAL.search(sent) or score == 100):
            continue
        q = sent[n.start:pn[1]]
        if sent[n.start - 1:n.start] == "(":
            q = sent[n.start - 1:pn[1]]
        cur_text = excerpt(row.cells.get("current", ""), 0, len(row.cells.get("current", "")), 40)
        shown = ", ".join(_as_written(sent, overlap))
        why_fr = shown if score != 100 else f"indicateur {row.id} cité"
        why_en = shown if score != 100 else f"indicator {row.id} named"
        yield ctx.finding(
            "narrative_table_mismatch", WARNING, key,
            f"« {q} » dans le texte, mais l'indicateur {row.id} (« {excerpt(row.title, 0, len(row.title), 50)} ») "
            f"indique « {cur_text} » dans le cadre de résultats : {fmt_num(n.value, 'fr')} ≠ "
            f"{fmt_num(cur.total, 'fr')}. Harmonisez les chiffres ou expliquez l'écart. (Rapprochement : {why_fr}.)",
            f"\u201c{q}\u201d in the text, but indicator {row.id} "
            f"(\u201c{excerpt(row.title, 0, len(row.title), 50)}\u201d) "
            f"reports \u201c{cur_text}\u201d in the results framework: {fmt_num(n.value, 'en')} ≠ "
            f"{fmt_num(cur.total, 'en')}. Align the figures or explain the difference. (Matched on: {why_en}.)",
            start=offset + n.start, end=offset + pn[1], quote=f"{q} | {row.id}", locator=f"{row.id}/current",
            figures={"narrative": n.value, "table": cur.total, "indicator": row.id})


# --------------------------------------------------------------------------- percentages
_MONEY_CTX = re.compile(r"(?i)budg|d[ée]pens|financ|d[ée]caiss|fonds|fund|spent|expenditure|taux\s+(?:de\s+)?"
                        r"(?:mise\s+en\s+œuvre|mise\s+en\s+oeuvre|d['’]ex[ée]cution|de\s+r[ée]alisation)|"
                        r"implementation\s+rate|delivery\s+rate|[$€]|\busd\b|\bfcfa\b")
_BASE = re.compile(r"(?i)\bn\s*=\s*\d+|\bsur\s+(?:un\s+(?:total|effectif)\s+de\s+)?\d+|\bout\s+of\s+\d+|"
                   r"\b(?:des|parmi\s+les|of\s+the|among\s+the)\s+\d+")


@register("percent_base")
def percent_base(ctx, **_):
    """A percentage in a narrative with no base in its sentence ("83% des participants formés"
    -> 83 % de combien ?).  A base is a count in the same sentence ("45% des 120 participants",
    "sur 200", "n = 120", "3 personnes ... soit 7,5 %").  Budget and implementation-rate
    sentences are left alone."""
    for key in ctx.narrative_keys():
        text = ctx.text(key)
        for pa, pb in ctx.narrative_spans(key):
            para = text[pa:pb]
            for sa, sb in sentences(para):
                sent = para[sa:sb]
                nums = numbers(sent)
                pcts = [n for n in nums if n.kind == "percent"]
                if not pcts or _MONEY_CTX.search(sent) or _BASE.search(sent):
                    continue
                if any(n.kind == "count" and n.value >= 2 for n in nums):
                    continue
                for p in pcts:
                    m = re.compile(r"[^.;:,()\n]{0,45}(?=[\s.;:,()]|$)").match(sent, p.end)
                    q = sent[p.start:(m.end() if m else p.end)].strip()
                    yield ctx.finding(
                        "percent_without_base", WARNING, key,
                        f"« {q} » : pourcentage sans base — {fmt_num(p.value, 'fr')} % de combien ? Donnez "
                        f"l'effectif (« sur 120 participants », « n = 120 ») et la source (pré/post-test, enquête).",
                        f"\u201c{q}\u201d: a percentage without a base — {fmt_num(p.value, 'en')}% of how many? "
                        f"Give the number (\u201cout of 120 participants\u201d, \u201cn = 120\u201d) and the source "
                        f"(pre/post-test, survey).",
                        start=pa + sa + p.start, end=pa + sa + p.start + len(q), quote=q,
                        figures={"percent": p.value})


# --------------------------------------------------------------------------- reasons column
_NO_DELAY = re.compile(r"(?i)^\s*(?:pas\s+de\s+retard|aucun\s+retard|sans\s+retard|pas\s+d['’][ée]cart|"
                       r"aucun\s+[ée]cart|no\s+delays?|not\s+delayed|no\s+variance|on\s+track|"
                       r"en\s+bonne\s+voie|sur\s+la\s+bonne\s+voie|dans\s+les\s+d[ée]lais|r\.?a\.?s\.?(?!\w)|"
                       r"rien\s+[àa]\s+signaler|nothing\s+to\s+report)")


@register("reasons_column")
def reasons_column(ctx, **_):
    """The "reasons for variance/delay" column: filled while it says there is no delay
    ("Pas de retard ...") -> ``reasons_without_variance`` (info: leave it blank); empty while
    the current value is below the milestone -> ``reasons_missing`` (warning)."""
    for row in ctx.rf_indicators:
        if "reasons" not in row.cells:
            continue
        reasons = row.cells.get("reasons") or ""
        cur = parse_value(row.cells.get("current"))
        ms = parse_value(row.cells.get("milestone"))
        behind = bool(cur and ms and cur.percent == ms.percent and cur.total < ms.total)
        start, end = ctx.rf_cell_span(row, "reasons")
        m = _NO_DELAY.match(reasons)
        if m:
            q = m.group().strip()
            extra_fr = extra_en = ""
            if behind:
                extra_fr = (f" Attention : la valeur actuelle ({fmt_num(cur.total, 'fr')}) est inférieure à l'étape "
                            f"({fmt_num(ms.total, 'fr')}) ; s'il y a un retard, expliquez-le.")
                extra_en = (f" Note: the current value ({fmt_num(cur.total, 'en')}) is below the milestone "
                            f"({fmt_num(ms.total, 'en')}); if there is a delay, explain it.")
            yield ctx.finding(
                "reasons_without_variance", INFO, RF_SECTION,
                f"Indicateur {row.locator} : la colonne « Raisons » dit « {q} ». Elle ne se remplit que s'il y a "
                f"un retard ou un écart ; sinon laissez-la vide.{extra_fr}",
                f"Indicator {row.locator}: the \u201cReasons\u201d column says \u201c{q}\u201d. It is only for "
                f"delays or variances; otherwise leave it blank.{extra_en}",
                start=start, end=end, quote=q, locator=f"{row.locator}/reasons",
                figures={"behind": behind, "current": cur.total if cur else None,
                         "milestone": ms.total if ms else None})
        elif behind and not reasons.strip(" \t\n\u00a0.-–"):
            cstart, cend = ctx.rf_cell_span(row, "current")
            yield ctx.finding(
                "reasons_missing", WARNING, RF_SECTION,
                f"Indicateur {row.locator} : valeur actuelle « {row.cells.get('current', '').strip()} » inférieure "
                f"à l'étape « {row.cells.get('milestone', '').strip()} » ({fmt_num(cur.total, 'fr')} < "
                f"{fmt_num(ms.total, 'fr')}), et la colonne « Raisons » est vide : expliquez le retard.",
                f"Indicator {row.locator}: current value \u201c{row.cells.get('current', '').strip()}\u201d is below "
                f"the milestone \u201c{row.cells.get('milestone', '').strip()}\u201d ({fmt_num(cur.total, 'en')} < "
                f"{fmt_num(ms.total, 'en')}) and the \u201cReasons\u201d column is empty: explain the delay.",
                start=cstart, end=cend, quote=row.cells.get("current", "").strip(), locator=f"{row.locator}/reasons",
                figures={"current": cur.total, "milestone": ms.total})


# --------------------------------------------------------------------------- numbering
def _num_key(i):
    return tuple(int(x) for x in i.split("."))


@register("indicator_numbering")
def indicator_numbering(ctx, **_):
    """Indicator, output and outcome numbers in the results framework: gaps (2.1 then 2.3:
    2.2 missing) -> info; an indicator numbered for another parent (2.1.1 under Output 2.2) or
    a number used twice -> warning."""
    rows = ctx.rf_rows
    if not rows:
        return
    groups = defaultdict(list)       # (kind, parent) -> [(number, row)]
    seen = defaultdict(list)
    for r in rows:
        if not r.id or r.level == "header":
            continue
        parts = r.id.split(".")
        parent = ".".join(parts[:-1])
        if r.level == "indicator":
            groups[("indicator", parent)].append((int(parts[-1]), r))
            seen[("indicator", r.id)].append(r)
            if r.parent and parent != r.parent:
                yield _num(ctx, r, WARNING,
                           f"L'indicateur {r.id} est placé sous {_lvl(r.parent, 'fr')} : son numéro devrait "
                           f"commencer par {r.parent}.",
                           f"Indicator {r.id} sits under {_lvl(r.parent, 'en')}: its number should start "
                           f"with {r.parent}.", {"id": r.id, "parent": r.parent})
        else:
            groups[(r.level, parent)].append((int(parts[-1]), r))
            seen[(r.level, r.id)].append(r)
    for (level, rid), rs in seen.items():
        if len(rs) > 1:
            yield _num(ctx, rs[1], WARNING,
                       f"Le numéro {rid} est utilisé {len(rs)} fois ({_lvl_word(level, 'fr')}).",
                       f"Number {rid} is used {len(rs)} times ({_lvl_word(level, 'en')}).",
                       {"id": rid, "times": len(rs)})
    for (level, parent), items in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        have = sorted({n for n, _ in items})
        missing = [i for i in range(1, max(have) + 1) if i not in have]
        if not missing:
            continue
        pref = f"{parent}." if parent else ""
        miss = [f"{pref}{i}" for i in missing]
        present = ", ".join(f"{pref}{i}" for i in have)
        after = next((r for n, r in sorted(items, key=lambda x: x[0]) if n > missing[0]), items[0][1])
        where_fr = f"sous {_lvl(parent, 'fr')}" if parent else "dans le tableau"
        where_en = f"under {_lvl(parent, 'en')}" if parent else "in the table"
        yield _num(ctx, after, INFO,
                   f"{_lvl_word(level, 'fr').capitalize()} {where_fr} : {present} — "
                   f"{', '.join(miss)} manque{'nt' if len(miss) > 1 else ''}. Numérotation à vérifier avec le document "
                   f"de projet (élément supprimé ?).",
                   f"{_lvl_word(level, 'en').capitalize()} {where_en}: {present} — {', '.join(miss)} missing. "
                   f"Check against the project document (item dropped?).",
                   {"missing": miss, "present": [f"{pref}{i}" for i in have]}, quote="missing " + ",".join(miss))
    unnumbered = [r for r in rows if r.level == "indicator" and not r.id]
    for r in unnumbered:
        yield _num(ctx, r, INFO, f"Indicateur sans numéro : « {excerpt(r.title, 0, len(r.title), 40)} ».",
                   f"Indicator without a number: \u201c{excerpt(r.title, 0, len(r.title), 40)}\u201d.", {},
                   quote=r.title)


def _lvl(rid, lang):
    if rid is None:
        return "?"
    if "." in rid:
        return f"le produit {rid}" if lang == "fr" else f"output {rid}"
    return f"le résultat {rid}" if lang == "fr" else f"outcome {rid}"


def _lvl_word(level, lang):
    fr = {"indicator": "indicateurs", "output": "produits", "outcome": "résultats"}
    en = {"indicator": "indicators", "output": "outputs", "outcome": "outcomes"}
    return (fr if lang == "fr" else en)[level]


def _num(ctx, row, sev, fr, en, figures, quote=None):
    col = "indicator" if row.level == "indicator" else next(iter(row.cell_index), None)
    start, end = ctx.rf_cell_span(row, col) if col else (None, None)
    return ctx.finding("indicator_numbering", sev, RF_SECTION, fr, en, start=start, end=end,
                       figures=figures, quote=quote if quote is not None else (row.label or row.id or ""),
                       locator=row.locator)


# --------------------------------------------------------------------------- dates
_MONTH_YEAR = re.compile(r"(?i)(?<!\w)(?:(?P<d>\d{1,2})(?:er)?" + SP + r"+)?(?P<m>" + "|".join(
    sorted(MONTH_NUM, key=len, reverse=True)).replace("e", "[eéè]").replace("u", "[uû]") + r")\.?" + SP
    + r"+(?P<y>(?:19|20)\d\d)\b")
_NUM_DATE = re.compile(r"(?<![\d/])(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>(?:19|20)\d\d)(?![\d/])")
_LEGAL = re.compile(r"(?i)\b(?:loi|lois|d[ée]cret|arr[êe]t[ée]|ordonnance|convention|protocole|code|"
                    r"r[ée]solution|accord|constitution|law|decree|act|resolution|agreement|charte|charter|"
                    r"depuis|since|prodoc|document\s+de\s+projet|project\s+document)\b")


_YEAR_ALONE = re.compile(
    r"(?i)(?<![\w/.\-])(?:en|in|durant|courant|during|au" + SP + r"+cours" + SP + r"+de(?:" + SP
    + r"+l['\u2019]ann[ée]e)?)" + SP + r"+(?P<y>(?:19|20)\d\d)(?![\w/.\-])")
# an activity done (passé composé / simple past): the year then dates something the project did
_DONE = re.compile(
    r"(?i)\b(?:a|ont|avons|a" + SP + r"+[ée]t[ée]|ont" + SP + r"+[ée]t[ée])" + SP + r"+(?:\w+" + SP + r"+)?"
    r"(?:organis|tenu|lanc|men[ée]|r[ée]alis|form[ée]|conduit|effectu|appuy|soutenu|distribu|recrut|"
    r"sensibilis|facilit|d[ée]ploy|accompagn|renforc|[ée]labor|valid|install|mis" + SP + r"+en" + SP
    + r"+place)\w*|\b(?:held|organi[sz]ed|conducted|trained|launched|carried" + SP + r"+out|implemented|"
    r"delivered|supported|recruited|distributed|facilitated|deployed|set" + SP + r"+up)\b")
_CONTEXT = re.compile(
    r"(?i)\b(?:base" + SP + r"+de" + SP + r"+r[ée]f[ée]rence|baseline|recensement|census|enqu[êe]te|"
    r"survey|[ée]tude|study|rapport|report|donn[ée]es|data|crise|crisis|conflit|conflict|"
    r"entre|between|jusqu['\u2019]en|until|from|d[ée]but[ée]?" + SP + r"+en)\b")


def cover_first_transfer(ctx) -> date | None:
    """The first-transfer date written on the cover ("12/02/2021", "12 février 2021"), when the
    caller did not give one."""
    text = ctx.text("first_transfer_date").strip()
    m = _NUM_DATE.search(text)
    if m:
        try:
            return date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        except ValueError:
            return None
    m = _MONTH_YEAR.search(text)
    if m and m.group("d"):
        mo = MONTH_NUM.get(fold(m.group("m")).rstrip("."))
        try:
            return date(int(m.group("y")), mo, int(m.group("d"))) if mo else None
        except ValueError:
            return None
    return None


@register("dates")
def dates(ctx, **_):
    """A date in a narrative that falls before the first transfer of funds ("juillet 2020" in a
    project funded on 12/02/2021): a typo, or an event outside the project.  Dates right after a
    legal word ("loi du 12 mai 2015", "depuis mars 2019") are left alone.  A year alone ("En
    2019, le projet a organisé ...") counts when its sentence says the project did something and
    is not about a baseline, a study or a period ("entre 2015 et 2019").  The first-transfer
    date is the caller's, else the one written on the cover."""
    first = ctx.input.first_transfer_date or cover_first_transfer(ctx)
    if not first:
        return
    for key in ctx.narrative_keys():
        text = ctx.text(key)
        taken = []
        for rx in (_MONTH_YEAR, _NUM_DATE):
            for m in rx.finditer(text):
                y = int(m.group("y"))
                mo = m.group("m")
                mo = int(mo) if mo.isdigit() else MONTH_NUM.get(fold(mo).rstrip("."))
                if not mo or not 1 <= mo <= 12:
                    continue
                d = m.group("d")
                try:
                    when = date(y, mo, int(d)) if d else date(y, mo, calendar.monthrange(y, mo)[1])
                except ValueError:
                    continue
                taken.append((m.start(), m.end()))
                if when >= first:
                    continue
                if _LEGAL.search(text[max(0, m.start() - 45):m.start()]):
                    continue
                q = m.group().strip()
                yield _before(ctx, key, q, m.start(), m.end(), first, when.isoformat())
        for m in _YEAR_ALONE.finditer(text):
            y = int(m.group("y"))
            ys, ye = m.start("y"), m.end("y")
            if y >= first.year or any(a <= ys < b for a, b in taken):
                continue
            sent = next(((a, b) for a, b in sentences(text) if a <= ys < b), (0, len(text)))
            st = text[sent[0]:sent[1]]
            if not _DONE.search(st) or _CONTEXT.search(st) or _LEGAL.search(text[max(0, m.start() - 45):ye]):
                continue
            yield _before(ctx, key, m.group().strip(), m.start(), m.end(), first, str(y))


def _before(ctx, key, q, start, end, first, when):
    return ctx.finding(
        "date_before_start", WARNING, key,
        f"« {q} » est antérieur au premier transfert de fonds ({first:%d/%m/%Y}) : erreur de date, "
        f"ou activité hors de la période du projet ?",
        f"\u201c{q}\u201d is before the first transfer of funds ({first:%d/%m/%Y}): a wrong date, or an "
        f"activity outside the project period?",
        start=start, end=end, quote=q, figures={"date": when, "first_transfer_date": first.isoformat()})
