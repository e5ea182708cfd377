"""Required and conditional fields, placeholders left in, missing baselines."""
from __future__ import annotations

import re

from ..money import parse_money
from .engine import RF_SECTION, register
from .model import ERROR, INFO, WARNING
from .textutil import excerpt, fold, parse_number

# Text that fills a field without answering it: Word form-field blanks, "$" alone, prompts of
# content controls, and placeholders.
_FORM_PROMPTS = re.compile(
    r"(?i)cliquez (?:ou appuyez )?ici pour (?:entrer|taper) du texte\.?|click (?:or tap )?here to enter text\.?|"
    r"choisissez un [ée]l[ée]ment\.?|choose an item\.?|entrez une date\.?|click here to enter a date\.?")
_STRONG = re.compile(
    r"(?<![\w])(?:TBD|TBC|TBA|X{2,}|\?{2,})(?![\w])|\[(?:\.{3}|\u2026)\]|"
    r"(?i:\[(?:[àa] compl[ée]ter|[àa] pr[ée]ciser|[àa] d[ée]terminer|ins[ée]rer[^\]]*|insert[^\]]*|to be [a-z]+|"
    r"tbd|xx+|nom|name|date|montant|amount)\]|<(?:ins[ée]rer|insert)[^>]*>|lorem ipsum)")
_WEAK_WORDS = (r"(?:[àa]\s+(?:pr[ée]ciser|d[ée]terminer|compl[ée]ter|confirmer|d[ée]finir)|"
               r"to\s+be\s+(?:determined|confirmed|completed|defined|specified|announced)|n[ée]ant\s+pour\s+l'instant)")
_WEAK_WHOLE = re.compile(r"(?i)^\s*[-–:(]?\s*" + _WEAK_WORDS + r"\s*[.!)]?\s*$")
_WEAK_TAIL = re.compile(r"(?i)(?::|\()\s*" + _WEAK_WORDS + r"\s*\)?\s*(?=[.;,]|$)")
_WEAK_PAREN = re.compile(r"(?i)\(\s*" + _WEAK_WORDS + r"\s*\)")
_ELLIPSIS_WHOLE = re.compile(r"^\s*(?:\.{3}|\u2026|\?|\[\s*\]|_+)\s*$")
_QUOTED = re.compile(r"«[^»]*»|\u201c[^\u201d]*\u201d|\"[^\"\n]*\"")


def placeholder_spans(text: str):
    """(start, end) of each placeholder in one paragraph or cell (see docs/checks.md)."""
    out = []
    if _ELLIPSIS_WHOLE.match(text) and text.strip():
        a = len(text) - len(text.lstrip())
        out.append((a, len(text.rstrip())))
        return out
    quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(text)]
    for m in _STRONG.finditer(text):
        if m.group().startswith("[") and any(a <= m.start() and m.end() <= b for a, b in quoted):
            continue  # "[...]" marking a cut inside a quotation
        out.append((m.start(), m.end()))
    for rx in (_WEAK_WHOLE, _WEAK_TAIL, _WEAK_PAREN):
        for m in rx.finditer(text):
            s = m.start() + (len(m.group()) - len(m.group().lstrip(" -–:(")))
            e = m.end() - (len(m.group()) - len(m.group().rstrip(" .!)")))
            if not any(a <= s < b for a, b in out):
                out.append((s, e))
    for m in _FORM_PROMPTS.finditer(text):
        out.append((m.start(), m.end()))
    return sorted(out)


def meaningful(text: str) -> str:
    """The text with placeholders, form prompts and blank filler removed."""
    t = text or ""
    for a, b in reversed(placeholder_spans(t)):
        t = t[:a] + t[b:]
    t = re.sub(r"[\s\u00a0\u202f_|$€:.\-–…]+", " ", t)
    t = re.sub(r"[☐□]", " ", t)
    return t.strip()


def is_empty_text(text: str) -> bool:
    return not meaningful(text)


def _table_empty(ctx, f) -> bool:
    labels = set()
    for c in f.raw.get("columns", ()):
        labels.update(fold(v) for v in (c.get("label") or {}).values())
        labels.add(fold(c.get("id", "")))
    for _t, _b, rows in ctx.tables(f.key):
        for cells in rows:
            for text in cells:
                m = meaningful(text)
                if m and fold(m).strip(" :") not in labels and not re.fullmatch(r"(?i)total", m):
                    return False
    if not any(True for _ in ctx.tables(f.key)):
        return is_empty_text(ctx.text(f.key))
    return True


def _checkbox_empty(text: str) -> bool:
    if re.search(r"[☐☒☑■□]|\[[ xX]\]|\|_\|", text):
        return not re.search(r"[☒☑■]|\[[xX]\]", text)
    return is_empty_text(text)


def field_empty(ctx, f) -> bool:
    if f.kind == "table":
        return _table_empty(ctx, f)
    if f.kind == "checkbox_set":
        return _checkbox_empty(ctx.text(f.key))
    return is_empty_text(ctx.text(f.key))


def _part_applies(ctx, f) -> bool:
    """A part with "versions" (Part IV COVID-19: 2020, 2021) applies only to those years."""
    for p in ctx.template.data.get("parts", ()):
        if p.get("id") == f.part_id and p.get("versions") and ctx.input.year:
            return str(ctx.input.year) in {str(v) for v in p["versions"]}
    return True


def _empty_detail(text):
    shown = excerpt(text, 0, len(text), 30).strip()
    if shown and not is_blankish_display(shown):
        return (f" (il ne contient que « {shown} »)", f" (it only holds \u201c{shown}\u201d)")
    return ("", "")


def is_blankish_display(s):
    return not s.strip(" \u00a0\u202f_|$")


@register("required")
def required(ctx, **_):
    """A field marked "required": "always" that is empty, blank, or holds only a placeholder
    ("TBD", "XX", "…", a Word form prompt, "$" alone).  "0", "$0", "Néant", "None", "N/A" are
    answers, not blanks."""
    for f in ctx.fields:
        if f.required != "always" or f.kind in ("static_guidance", "attachment"):
            continue
        if not _part_applies(ctx, f):
            continue
        if not field_empty(ctx, f):
            continue
        text = ctx.text(f.key)
        dfr, den = _empty_detail(text) if f.kind != "table" else ("", "")
        yield ctx.finding(
            "required_empty", ERROR, f.key,
            f"« {ctx.label(f.key, 'fr')} » est vide{dfr} : ce champ est obligatoire."
            + (" Indiquez 0 ou « Néant » s'il n'y a rien à déclarer." if f.part_id == "part4" else ""),
            f"\u201c{ctx.label(f.key, 'en')}\u201d is empty{den}: this field is required."
            + (" Write 0 or \u201cNone\u201d if there is nothing to report." if f.part_id == "part4" else ""),
            start=0 if text else None, end=len(text) if text else None,
            figures={"placeholder_only": bool(text.strip())}, quote="")


# --------------------------------------------------------------------------- conditions
_CLAUSE = re.compile(r"^\s*(?P<name>[a-z_][a-z0-9_.]*)\s*(?:(?P<op>==|!=|>=|<=|>|<)\s*(?P<value>[\w.]+)|"
                     r"(?P<notempty>not\s+empty)|(?P<empty>is\s+empty))\s*$", re.I)


def _describe(ctx, clause, lang):
    m = _CLAUSE.match(clause)
    name = m.group("name")
    if name == "in_last_six_months":
        yes = fold(m.group("value") or "") in ("yes", "oui", "true")
        if lang == "fr":
            if yes:
                return "le projet est dans ses six derniers mois"
            return "le projet n'est pas dans ses six derniers mois"
        return "the project is in its last six months" if yes else "the project is not in its last six months"
    if name == "report_type":
        v = m.group("value")
        return (f"le rapport est de type « {ctx.template.option_label('report_type', v, 'fr')} »" if lang == "fr"
                else f"the report is a \u201c{ctx.template.option_label('report_type', v, 'en')}\u201d report")
    lab = ctx.label(name, lang)
    if m.group("notempty"):
        return f"« {lab} » est rempli" if lang == "fr" else f"\u201c{lab}\u201d is filled in"
    if m.group("empty"):
        return f"« {lab} » est vide" if lang == "fr" else f"\u201c{lab}\u201d is empty"
    op, v = m.group("op"), m.group("value")
    return f"« {lab} » {op} {v}" if lang == "fr" else f"\u201c{lab}\u201d {op} {v}"


def _eval_clause(ctx, clause):
    m = _CLAUSE.match(clause)
    if not m:
        return None
    name = m.group("name")
    if m.group("notempty") or m.group("empty"):
        f = ctx.field_map.get(name)
        if f is None:
            return None
        empty = field_empty(ctx, f)
        return (not empty) if m.group("notempty") else empty
    op, value = m.group("op"), fold(m.group("value"))
    if name == "in_last_six_months":
        cur = ctx.in_last_six_months
        if cur is None:
            return None
        want = value in ("yes", "oui", "true", "1")
        return (cur == want) if op == "==" else (cur != want) if op == "!=" else None
    if name == "report_type":
        cur = ctx.input.report_type
        if not cur:
            return None
        return (cur == value) if op == "==" else (cur != value) if op == "!=" else None
    text = ctx.text(name)
    if op in (">", "<", ">=", "<="):
        num = parse_money(text)
        if num is None:
            num = parse_number(text.strip().rstrip("%"))
        try:
            ref = float(value)
        except ValueError:
            return None
        if num is None:
            return None if not text.strip() else False
        num = float(num)
        return {">": num > ref, "<": num < ref, ">=": num >= ref, "<=": num <= ref}[op]
    cur = fold(meaningful(text))
    return (cur == value) if op == "==" else (cur != value)


def evaluate_condition(ctx, condition: str):
    """True / False, or None when the condition cannot be evaluated (unknown syntax or
    missing data).  Grammar: clauses joined by OR (any) or AND (all); a clause is
    ``name == value``, ``name != value``, ``name > number`` (also < >= <=), ``name not empty``,
    ``name is empty``.  ``in_last_six_months`` and ``report_type`` read the version input."""
    if not condition:
        return None
    if re.search(r"(?i)\s(?:and|et)\s", condition) and not re.search(r"(?i)\s(?:or|ou)\s", condition):
        parts, mode = re.split(r"(?i)\s+(?:and|et)\s+", condition), all
    else:
        parts, mode = re.split(r"(?i)\s+(?:or|ou)\s+", condition), any
    results = [_eval_clause(ctx, p) for p in parts]
    if mode is any:
        if any(r is True for r in results):
            return True
        return None if any(r is None for r in results) else False
    if any(r is False for r in results):
        return False
    return None if any(r is None for r in results) else True


def checkbox_fields(ctx, condition: str) -> list[str]:
    """Check-box fields a condition requires to be filled ("trust_fund_type not empty")."""
    out = []
    for part in re.split(r"(?i)\s+(?:or|ou|and|et)\s+", condition or ""):
        m = _CLAUSE.match(part)
        if m and m.group("notempty"):
            f = ctx.field_map.get(m.group("name"))
            if f is not None and f.kind == "checkbox_set":
                out.append(f.key)
    return out


def describe_condition(ctx, condition, lang):
    sep = " ou " if lang == "fr" else " or "
    parts = re.split(r"(?i)\s+(?:or|ou|and|et)\s+", condition)
    try:
        return sep.join(_describe(ctx, p, lang) for p in parts)
    except AttributeError:
        return condition


@register("conditional")
def conditional(ctx, early_severity=INFO, **_):
    """Fields with "required": "conditional" and a "condition" (PBF: structural_change and
    evaluation_preparations only for projects in their last six months or final reports):
    empty while the condition holds -> ``required_empty`` (error); filled while it does not ->
    ``conditional_field`` (info: the drafter may keep it, the reviewer will skip it).  Also
    ``six_months_mismatch`` when the cover answer "last six months?" contradicts the dates."""
    a, c = ctx.answered_last_six_months, ctx.computed_last_six_months
    if a is not None and c is not None and a != c and "in_last_six_months" in ctx.field_map:
        end, pe = ctx.input.end_date, ctx.period_end
        months = round((end - pe).days / 30.44, 1)
        yfr, yen = ("Oui", "Yes") if a else ("Non", "No")
        yield ctx.finding(
            "six_months_mismatch", WARNING, "in_last_six_months",
            f"Réponse « {yfr} » à « six derniers mois ? », mais la fin du projet ({end:%d/%m/%Y}) est à "
            f"{str(months).replace('.', ',')} mois de la fin de la période ({pe:%d/%m/%Y}).",
            f"Answer \u201c{yen}\u201d to \u201clast six months?\u201d, but the project ends on {end:%d/%m/%Y}, "
            f"{months} months after the end of the period ({pe:%d/%m/%Y}).",
            figures={"answered": a, "computed": c, "months_left": months})
    for f in ctx.fields:
        if f.required != "conditional" or not f.condition or f.kind in ("static_guidance", "attachment"):
            continue
        applies = evaluate_condition(ctx, f.condition)
        if applies is None:
            continue
        empty = field_empty(ctx, f)
        text = ctx.text(f.key)
        cfr, cen = describe_condition(ctx, f.condition, "fr"), describe_condition(ctx, f.condition, "en")
        if applies and empty:
            yield ctx.finding(
                "required_empty", ERROR, f.key,
                f"« {ctx.label(f.key, 'fr')} » est vide alors qu'il est obligatoire ici ({cfr}).",
                f"\u201c{ctx.label(f.key, 'en')}\u201d is empty although it is required here ({cen}).",
                figures={"condition": f.condition, "applies": True})
        elif not applies and not empty:
            if "checkboxes" in ctx.active and checkbox_fields(ctx, f.condition):
                continue  # a box left unticked: reported on the box by ``checkboxes`` (rule R07)
            if "in_last_six_months" in f.condition or "report_type" in f.condition:
                tfr = " Le texte peut rester, mais il ne sera pas évalué avant le rapport concerné."
                ten = " The text may stay but will not be assessed before the report concerned."
            else:
                tfr = " Complétez la condition (case non cochée ?) ou videz ce champ."
                ten = " Complete the condition (box not ticked?) or empty this field."
            yield ctx.finding(
                "conditional_field", early_severity, f.key,
                f"« {ctx.label(f.key, 'fr')} » est rempli alors qu'il n'est demandé que si {cfr} — "
                f"ce n'est pas le cas.{tfr}",
                f"\u201c{ctx.label(f.key, 'en')}\u201d is filled in although it is only asked for when {cen}, "
                f"which is not the case.{ten}",
                start=0, end=len(text), figures={"condition": f.condition, "applies": False})


# --------------------------------------------------------------------------- placeholders
@register("placeholders")
def placeholders(ctx, **_):
    """Placeholders left in any section: TBD/TBC/XX, "[...]" (not inside a quotation),
    "[à compléter]", "Lorem ipsum", Word form prompts; "à préciser"/"à déterminer"/"to be
    determined" only as a whole paragraph/cell, after a colon or in parentheses; "…" or "?" as
    a whole cell.  Baseline cells of the results framework are left to ``baselines``
    when that check runs."""
    skip_baseline = "baselines" in ctx.active
    for f in ctx.fields:
        if f.kind in ("static_guidance", "attachment"):
            continue
        if f.key == RF_SECTION and ctx.rf_block is not None:
            for row in ctx.rf_indicators:
                for col, text in row.cells.items():
                    if col == "baseline" and skip_baseline:
                        continue
                    start, _end = ctx.rf_cell_span(row, col)
                    for a, b in placeholder_spans(text):
                        yield _ph(ctx, f.key, text[a:b], None if start is None else start + a,
                                  None if start is None else start + b, f"{row.locator}/{col}")
            continue
        text = ctx.text(f.key)
        for p_start, p_end, _p in ctx.paragraphs(f.key):
            para = text[p_start:p_end]
            for a, b in placeholder_spans(para):
                if f.required == "always" and is_empty_text(text):
                    continue  # reported as required_empty
                yield _ph(ctx, f.key, para[a:b], p_start + a, p_start + b, None)


def _ph(ctx, key, quote, start, end, locator):
    where_fr = f" ({ctx.where(locator, 'fr')})" if locator else ""
    where_en = f" ({ctx.where(locator, 'en')})" if locator else ""
    return ctx.finding(
        "placeholder", WARNING, key,
        f"« {ctx.label(key, 'fr')} »{where_fr} : « {quote} » est un espace réservé laissé dans le texte ; "
        f"remplacez-le par l'information ou expliquez pourquoi elle manque.",
        f"\u201c{ctx.label(key, 'en')}\u201d{where_en}: \u201c{quote}\u201d is a placeholder left in the text; "
        f"replace it with the information or explain why it is missing.",
        start=start, end=end, quote=quote, locator=locator, figures={"placeholder": quote})


# --------------------------------------------------------------------------- baselines
DEFAULT_BASELINE_REJECT = ("TBD", "TBC", "A déterminer", "À déterminer", "A préciser", "À préciser",
                           "à définir", "N/A", "NA", "n.a.", "ND", "non disponible", "not available",
                           "to be determined", "to be confirmed", "-", "–", "?", "…", "...", "XX", "")


@register("baselines")
def baselines(ctx, reject_values=None, **_):
    """Results-framework indicators whose baseline is empty or a placeholder ("TBD",
    "A déterminer au début du programme", "N/A" ...; the column's "reject_values" in the
    template plus ``reject_values`` given as parameter plus the defaults)."""
    if ctx.rf_block is None:
        return
    cols = {c.get("id"): c for c in ctx.template.columns(RF_SECTION)} if RF_SECTION in ctx.field_map else {}
    rejects = set(DEFAULT_BASELINE_REJECT) | set((cols.get("baseline") or {}).get("reject_values", ()))
    rejects |= set(reject_values or ())
    folded = sorted({fold(r).strip() for r in rejects if r.strip()}, key=len, reverse=True)
    said_yes = fold(ctx.text("baselines_exist")).startswith(("oui", "yes"))
    for row in ctx.rf_indicators:
        if "baseline" not in row.cells:
            continue
        text = row.cells["baseline"]
        t = fold(text).strip()
        hit = None
        if not t:
            hit = ""
        else:
            for r in folded:
                if t == r or (r[0].isalpha() and t.startswith(r) and not t[len(r)].isalnum()):
                    hit = text.strip()
                    break
        if hit is None:
            continue
        start, end = ctx.rf_cell_span(row, "baseline")
        if start is not None and hit:
            start, end = start + len(text) - len(text.lstrip()), start + len(text.rstrip())
        shown_fr = f"« {excerpt(hit, 0, len(hit), 40)} »" if hit else "vide"
        shown_en = f"\u201c{excerpt(hit, 0, len(hit), 40)}\u201d" if hit else "empty"
        extra_fr = " alors que la Partie III répond « Oui » aux bases de référence" if said_yes else ""
        extra_en = " although Part III answers \u201cYes\u201d to baselines" if said_yes else ""
        yield ctx.finding(
            "baseline_missing", WARNING, RF_SECTION,
            f"Indicateur {row.locator} : base de référence {shown_fr}{extra_fr}. À ce stade du projet, la "
            f"base de référence doit être établie ; sinon, dites quand et comment elle le sera.",
            f"Indicator {row.locator}: baseline {shown_en}{extra_en}. At this stage the baseline should be "
            f"established; otherwise say when and how it will be.",
            start=start, end=end, quote=hit, locator=f"{row.locator}/baseline",
            figures={"baseline": hit, "baselines_exist_answer": "yes" if said_yes else None})
