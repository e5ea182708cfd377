"""The results-framework table (Part V): the table convention and typed rows.

Convention for the ``results_framework`` section: its content holds ONE table block

    {"t": "table", "columns": [...] (optional), "rows": [[cell, ...], ...]}

* Columns.  The column ids are those of ``RF_COLUMNS``: "row_header" (optional, first),
  "indicator", "baseline", "target", "milestone", "current", "reasons".  If the block has a
  "columns" list it is used as is (unknown ids are kept and ignored by the checks).  Otherwise the
  header row (below) names them by its labels, and failing that the width decides: 7 cells =
  with "row_header", 6 cells = without.
* Header rows.  A row is a header row when at least three of its cells read like column labels
  ("Indicateurs", "Base de donnée"/"Baseline", "Cible"/"Target", "Etapes"/"Milestone",
  "Progrès actuel"/"Current", "Raisons"/"Reasons") and none holds an indicator label.  Usually the
  first row; repeated header rows (page breaks) are recognised anywhere.
* Hierarchy rows.  A cell of the "row_header" column starting with "Résultat 1" / "Outcome 1" /
  "Effet 1" (outcome) or "Produit 1.1" / "Output 1.1" / "Extrant 1.1" (output), followed by the
  statement, opens that outcome/output.  As in the Word template, this cell may sit on the first
  indicator row of its block (merged cell): that row then yields a hierarchy row AND an indicator
  row.  Without a "row_header" column, a row whose "indicator" cell starts with such a label (and
  holds no indicator label) is a hierarchy row.  A bare "Outcome"/"Résultat" with no number is a
  hierarchy row with id None.
* Indicator rows.  The "indicator" cell starts with "Indicateur 1.1.1" / "Indicator 1.1.1"
  (optional "." and ":"), then the indicator text (on the same or the next line).  Outcome
  indicators are numbered k.i, output indicators k.m.i.  An indicator cell without such a label
  still makes an indicator row, with id None.  Empty rows are skipped.

``rf_rows(block)`` returns the typed rows in table order; the UI, the importer and the checks
share it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from reviewflow.content import table_cells

from .textutil import NUM_RE, fold, mask_spans, parse_number

RF_COLUMNS = ("row_header", "indicator", "baseline", "target", "milestone", "current", "reasons")
VALUE_COLUMNS = RF_COLUMNS[1:]

DEFAULT_INDICATOR_LABEL = r"^\s*indicat(?:eur|or)s?\s*(?:n°\s*)?(?P<id>\d+(?:\.\d+){0,2})?\.?\s*:?\s*"
_HIER = re.compile(r"(?i)^\s*(?P<kw>r[ée]sultats?|outcomes?|effets?|produits?|outputs?|extrants?)\b"
                   r"[ \t\u00a0]*(?:n°\s*)?(?P<id>\d+(?:\.\d+)?)?\.?(?![\d.])[ \t\u00a0]*(?P<sep>[:.\-–]|\n|$)?")
_HEADER_WORDS = (      # most specific first: "End of project Indicator Target" is the target
    ("reasons", ("raison", "reason", "variance", "retard", "delay", "ecart")),
    ("current", ("progres", "progress", "actuel", "current", "realis")),
    ("milestone", ("etape", "milestone", "jalon")),
    ("target", ("cible", "target")),
    ("baseline", ("base", "baseline", "reference")),
    ("indicator", ("indicat",)),
)
_ALIASES = {"indicators": "indicator", "indicateur": "indicator", "indicateurs": "indicator",
            "header": "row_header", "rowheader": "row_header", "level": "row_header",
            "base": "baseline", "cible": "target", "etape": "milestone", "progress": "current",
            "reason": "reasons", "raisons": "reasons", "variance": "reasons"}


@dataclass(frozen=True)
class RFRow:
    """One typed row of the results framework.

    index       index of the table row in ``block["rows"]`` (a merged row header gives two
                RFRows with the same index: the hierarchy row first, then the indicator row)
    level       "header" | "outcome" | "output" | "indicator"
    id          "1" (outcome), "1.2" (output), "1.2.3" / "1.2" (indicator), or None
    label       the label as written: "Résultat 1", "Produit 1.1", "Indicateur 1.1.1"
    title       the text after the label: the outcome/output statement or the indicator text
    cells       column id -> cell text (hierarchy rows: {"row_header": text} or the cell it
                was read from; indicator rows: the value columns present in the table)
    parent      id of the output/outcome the row sits under (indicator: output or outcome;
                output: outcome; outcome: None)
    outcome     the outcome number the row belongs to ("1"), or None before any outcome
    cell_index  column id -> position of the cell in the table row (to find offsets)
    """
    index: int
    level: str
    id: str | None
    label: str
    title: str
    cells: dict
    parent: str | None = None
    outcome: str | None = None
    cell_index: dict = field(default_factory=dict, compare=False)

    @property
    def locator(self) -> str:
        return self.id or f"row{self.index + 1}"


def _norm_col(c):
    if c is None:
        return None
    k = fold(str(c)).strip().replace(" ", "_").replace("-", "_")
    return _ALIASES.get(k, k)


def _header_col(text: str) -> str | None:
    t = fold(text).strip()
    if not t:
        return None
    for col, words in _HEADER_WORDS:
        if any(t.startswith(w) or f" {w}" in t for w in words):
            return col
    return None


def _is_header_row(cells: list[str], ind_re) -> bool:
    if any(ind_re.match(c or "") and (ind_re.match(c).group("id")) for c in cells):
        return False
    cols = {_header_col(c) for c in cells} - {None}
    return len(cols) >= 3


def rf_columns(block: dict, ind_re=None) -> tuple:
    """Column id of each cell position (see the module docstring)."""
    ind_re = ind_re or re.compile(DEFAULT_INDICATOR_LABEL, re.I)
    if block.get("columns"):
        return tuple(_norm_col(c) for c in block["columns"])
    rows = table_cells(block)
    width = max((len(r) for r in rows), default=0)
    for r in rows[:3]:
        if _is_header_row(r, ind_re):
            cols = [_header_col(c) for c in r]
            if cols and cols[0] is None and "row_header" not in cols and len(r) >= 7:
                cols[0] = "row_header"
            # cells without a recognisable label take the id of their position in RF_COLUMNS
            default = RF_COLUMNS if len(r) >= 7 else VALUE_COLUMNS
            seen = set(c for c in cols if c)
            out = []
            for i, c in enumerate(cols):
                if c is None or c in out:
                    c = default[i] if i < len(default) and default[i] not in seen else None
                out.append(c)
            return tuple(out)
    if width >= 7:
        return RF_COLUMNS + (None,) * (width - 7)
    return VALUE_COLUMNS[:width]


def _hier(text: str):
    """(level, id, label, title) if the text starts with an outcome/output label."""
    m = _HIER.match(text or "")
    if not m:
        return None
    rid = m.group("id")
    if not rid and m.group("sep") is None:
        return None        # "Résultats obtenus ..." is prose, not a label
    kw = fold(m.group("kw"))
    if rid and "." in rid:
        level = "output"
    elif rid:
        level = "outcome" if kw.startswith(("result", "outcome", "effet")) else "output"
    else:
        level = "outcome" if kw.startswith(("result", "outcome", "effet")) else "output"
    label = text[m.start("kw"):(m.end("id") if rid else m.end("kw"))].strip()
    title = text[m.end():].strip().lstrip(":.-–").strip()
    return level, rid, label, title


def rf_rows(block: dict, *, indicator_pattern: str | None = None) -> list[RFRow]:
    """Typed rows of a results-framework table block (see the module docstring).

    ``indicator_pattern``: the template's ``row_model.indicator_label_pattern`` (a regex with a
    named group ``id``); the default accepts "Indicateur 1.1.1", "Indicator 1.2 :", "Indicateur
    n° 3.1.4.".
    """
    pats = [re.compile(indicator_pattern, re.I)] if indicator_pattern else []
    pats.append(re.compile(DEFAULT_INDICATOR_LABEL, re.I))

    def ind_match(text):
        for p in pats:
            m = p.match(text or "")
            if m and re.match(r"(?i)\s*indicat", text or ""):
                return m
        return None

    cols = rf_columns(block, pats[-1])
    rows = table_cells(block)
    out: list[RFRow] = []
    outcome = output = None
    for i, cells in enumerate(rows):
        named = {}
        index = {}
        for j, text in enumerate(cells):
            c = cols[j] if j < len(cols) else None
            if c and c not in named:
                named[c] = text
                index[c] = j
        if not any((t or "").strip() for t in cells):
            continue
        if _is_header_row(cells, pats[-1]):
            out.append(RFRow(i, "header", None, "", "", named, None, outcome, index))
            continue
        ind_text = named.get("indicator", "")
        rh = named.get("row_header", "")
        hier_source = None
        h = _hier(rh) if rh.strip() else None
        if h:
            hier_source = "row_header"
        elif not ind_match(ind_text):
            h2 = _hier(ind_text)
            values_empty = not any((named.get(c) or "").strip() for c in ("baseline", "target", "milestone",
                                                                          "current", "reasons"))
            if h2 and (values_empty or h2[1]):
                h, hier_source = h2, "indicator"
        if h:
            level, rid, label, title = h
            if level == "outcome":
                outcome, output = rid, None
                parent = None
            else:
                if rid and "." in rid:
                    outcome = rid.split(".")[0]
                output = rid
                parent = outcome
            out.append(RFRow(i, level, rid, label, title, {hier_source: named.get(hier_source, "")},
                             parent, outcome, {hier_source: index.get(hier_source)}))
            if hier_source == "indicator":
                continue
        value_cells = {c: t for c, t in named.items() if c != "row_header"}
        if not any((t or "").strip() for t in value_cells.values()):
            continue
        m = ind_match(ind_text)
        if m:
            rid = m.groupdict().get("id")
            label = ind_text[:m.end()].strip().rstrip(":").strip()
            title = ind_text[m.end():].strip().lstrip(":").strip()
        else:
            rid, label, title = None, "", ind_text.strip()
        parent = output or outcome
        out.append(RFRow(i, "indicator", rid, label, title, value_cells, parent,
                         (rid.split(".")[0] if rid else outcome), {c: index[c] for c in value_cells}))
    return out


def find_rf_block(blocks) -> dict | None:
    """The results-framework table of a section: its first table block."""
    for b in blocks or ():
        if b.get("t") == "table":
            return b
    return None


@dataclass(frozen=True)
class Value:
    total: float
    percent: bool
    text: str


_CELL_MASK_KINDS = {"date", "ref", "phone", "time", "score", "age", "ordinal"}


def _cell_numbers(line: str):
    masks = [(a, b, k) for a, b, k in mask_spans(line) if k in _CELL_MASK_KINDS | {"percent", "money"}]
    for m in NUM_RE.finditer(line):
        kind = "n"
        for a, b, k in masks:
            if a <= m.start() and m.end() <= b:
                kind = k if kind == "n" or k == "percent" else kind
        if kind in _CELL_MASK_KINDS:
            continue
        v = parse_number(m.group())
        if v is not None:
            yield m, v, kind == "percent"


def parse_value(text: str | None) -> Value | None:
    """The figure a value cell states: "23" -> 23, "83%" -> 83 %, "126 : 34 femmes et 92
    hommes (RCA)" -> 126, "9 (RCA)\\n1 (Cameroun)" -> 10 (one figure per line are added up),
    "5 cas par trimestre" -> 5, "TBD" -> None."""
    lines = [ln.strip() for ln in (text or "").split("\n") if ln.strip()]
    if not lines:
        return None
    leading = []
    for ln in lines:
        first = next(iter(_cell_numbers(ln)), None)
        if first and first[0].start() == 0:
            leading.append(first)
        else:
            leading = []
            break
    if len(leading) >= 2 and len({p for _, _, p in leading}) == 1:
        return Value(sum(v for _, v, _ in leading), leading[0][2], text)
    for ln in lines:
        first = next(iter(_cell_numbers(ln)), None)
        if first:
            return Value(first[1], first[2], text)
    return None


_MEASURE = re.compile(
    r"(?is)^\s*(?P<m>#|n°|nombre|nb\.?|number|no\.|%|pourcentage|percentage|proportion|taux|rate|part)"
    r"\s*(?:total\s+|totale\s+)?(?:(?:des|de\s+la|de\s+l['’]|du|de|d['’]|of)(?!\w)\s*)?(?:(?:the|les|la|le|l['’])(?!\w)\s*)?(?P<rest>.*)")
_DET = re.compile(r"(?i)^(?:les|la|le|des|de|du|the|of)(?!\w)\s*|^(?:l|d)['’]\s*")


def indicator_head(title: str) -> tuple[str | None, str | None, str]:
    """(measure, head noun lemma, rest) of an indicator text: "# de participants aux
    réunions" -> ("count", "participant", "aux réunions"); "% des victimes assistées ..." ->
    ("percent", "victime", ...); "augmentation de la confiance ..." -> (None, None, text)."""
    from .textutil import _WORD, PEOPLE_BIGRAMS, lemma
    t = (title or "").strip().lstrip(":").strip()
    m = _MEASURE.match(t)
    if not m or (m.group("m").isalpha() and not re.match(r"(?i)\s*(?:de|d['’]|des|du|of)\b", t[m.end("m"):])
                 and m.group("m").lower() not in ("nombre", "number")):
        return None, None, t
    measure = "count" if m.group("m").lower() in ("#", "n°", "nombre", "nb", "nb.", "number", "no.") else "percent"
    rest = m.group("rest")
    while True:
        d = _DET.match(rest)
        if not d or not d.group():
            break
        rest = rest[d.end():]
    w1 = _WORD.match(rest)
    if not w1:
        return measure, None, rest
    l1 = lemma(w1.group())
    w2 = _WORD.match(rest, w1.end() + 1) if w1.end() < len(rest) and rest[w1.end()] == " " else None
    if w2 and (l1, lemma(w2.group())) in PEOPLE_BIGRAMS:
        return measure, f"{l1} {lemma(w2.group())}", rest[w2.end():].strip()
    return measure, l1, rest[w1.end():].strip()
