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
import unicodedata
from bisect import bisect_left, bisect_right
from dataclasses import asdict, dataclass, field, replace
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from .model import Sheet, Workbook, WorkbookWarning, cell_text, col_letter, locator

AMOUNT_KINDS = ("amount", "percent", "group")
HIER_LEVEL = {"outcome": 1, "output": 2, "activity": 3}
MAX_LISTED = 10


# --------------------------------------------------------------------------- data
@dataclass(frozen=True)
class Figure:
    """A figure of the workbook and where it comes from.  ``how``: "cell" (read from one cell),
    "sum" (sum of the lines of ``locator``'s range), "percent" (lines × their GEWE percentage)."""

    value: Decimal
    locator: str
    how: str = "cell"
    label: str = ""
    count: int = 1  # cells behind the figure

    def to_dict(self) -> dict:
        return {
            "value": float(self.value),
            "locator": self.locator,
            "how": self.how,
            "label": self.label,
            "count": self.count,
        }


@dataclass(frozen=True)
class Column:
    col: int
    letter: str
    role: str  # number | label | recipient | total | gewe_percent | gewe_amount | spent | notes
    header: str  # header text as written (header rows joined by " / ")
    name: str = ""  # recipients: the agency's name


@dataclass(frozen=True)
class BudgetRow:
    row: int
    kind: str  # outcome | output | activity | line | total | gewe_total | spent_total | text
    label: str
    id: str | None = None  # "1", "1.2", "1.2.3"
    scope: str | None = None  # totals: "outcome" | "output" | "subtotal" | None (general)
    amounts: dict = field(default_factory=dict)  # column number -> Decimal
    percent: Decimal | None = None  # GEWE share of the row (0..1)


@dataclass(frozen=True)
class SumCheck:
    """A stated total against the lines it should add up (inside the workbook)."""

    locator: str  # the stated cell: Budget!F23
    label: str  # the row's label ("Total produit 1.1")
    column: str  # the column's header ("OIM")
    stated: Decimal
    computed: Decimal
    scope: str  # "block" | "total" | "row"
    lines: str  # the cells added: "Budget!F18:F22" (a range) or "Budget!C23:E23"
    count: int
    ok: bool

    def to_dict(self) -> dict:
        d = asdict(self)
        d["stated"], d["computed"] = float(self.stated), float(self.computed)
        return d


@dataclass(frozen=True)
class AgencyBudget:
    name: str
    figure: Figure
    column: str = ""


@dataclass(frozen=True)
class BudgetTable:
    sheet: str
    header_first: int
    header_last: int
    last_row: int
    columns: tuple
    rows: tuple
    total: Figure | None = None
    agencies: tuple = ()
    gewe: Figure | None = None
    spent: Figure | None = None
    sums: tuple = ()  # the sums that do not add up (SumCheck, ok False)
    grand_total_row: int | None = None
    sums_checked: int = 0

    @property
    def locator(self) -> str:
        return locator(
            self.sheet, self.header_first, 1, self.last_row, max((c.col for c in self.columns), default=1)
        )

    @property
    def hierarchical(self) -> bool:
        return any(r.kind in HIER_LEVEL for r in self.rows)

    def column(self, role: str) -> list:
        return [c for c in self.columns if c.role == role]

    def to_dict(self) -> dict:
        return {
            "sheet": self.sheet,
            "range": self.locator,
            "header_rows": [self.header_first, self.header_last],
            "columns": [
                {"col": c.letter, "role": c.role, "header": c.header, "name": c.name} for c in self.columns
            ],
            "rows": len(self.rows),
            "lines": {
                k: sum(1 for r in self.rows if r.kind == k)
                for k in ("outcome", "output", "activity", "line", "total")
            },
            "total": self.total.to_dict() if self.total else None,
            "agencies": [{"name": a.name, "column": a.column, **a.figure.to_dict()} for a in self.agencies],
            "gewe": self.gewe.to_dict() if self.gewe else None,
            "spent": self.spent.to_dict() if self.spent else None,
            "sum_mismatches": [s.to_dict() for s in self.sums],
            "sums_checked": self.sums_checked,
        }


@dataclass(frozen=True)
class BudgetWorkbook:
    """What the checks receive (``VersionInput.workbook``): the figures of the main budget table
    and the others found, the sums inside the workbook, and every warning (reader's included)."""

    sheets: tuple  # ({"name", "state", "rows", "cols", "truncated", "tables"}, ...)
    tables: tuple
    primary: BudgetTable | None
    warnings: tuple
    sha256: str = ""
    size: int = 0
    tolerance: Decimal = Decimal("1.00")
    spec: Spec | None = field(default=None, compare=False, repr=False)

    @property
    def total(self) -> Figure | None:
        return self.primary.total if self.primary else None

    @property
    def agencies(self) -> tuple:
        return self.primary.agencies if self.primary else ()

    @property
    def gewe(self) -> Figure | None:
        return self.primary.gewe if self.primary else None

    @property
    def spent(self) -> Figure | None:
        return self.primary.spent if self.primary else None

    @property
    def sums(self) -> tuple:
        return tuple(s for t in self.tables for s in t.sums)

    @property
    def sums_checked(self) -> int:
        return sum(t.sums_checked for t in self.tables)

    @property
    def sum_mismatches(self) -> list:
        return list(self.sums)

    def match_agencies(self, names) -> dict:
        """Agency names (from the report's cover) -> index -> the workbook's AgencyBudget, one to
        one, by shared tokens after the template's aliases (OIM = IOM ...)."""
        if self.spec is None:
            return {}
        pairs = match_agencies(list(names), [a.name for a in self.agencies], self.spec)
        return {i: self.agencies[j] for i, j in pairs.items()}

    def warning_codes(self) -> list[str]:
        return [w.code for w in self.warnings]

    def to_dict(self) -> dict:
        """JSON-able summary (the CLI prints it; schema in docs/workbook.md)."""
        p = self.primary
        return {
            "sha256": self.sha256,
            "size": self.size,
            "sheets": [dict(s) for s in self.sheets],
            "tables": [t.to_dict() for t in self.tables],
            "primary": self.tables.index(p) if p is not None else None,
            "total": p.total.to_dict() if p and p.total else None,
            "agencies": [{"name": a.name, "column": a.column, **a.figure.to_dict()} for a in self.agencies],
            "gewe": self.gewe.to_dict() if self.gewe else None,
            "spent": self.spent.to_dict() if self.spent else None,
            "warnings": [w.to_dict() for w in self.warnings],
        }


# --------------------------------------------------------------------------- text matching
_COMBINING = dict.fromkeys(range(0x300, 0x370))  # combining diacritical marks (after NFKD)
_NON_WORD = re.compile(r"[^\w%$#°'.]+|_")
_LONE_DOT = re.compile(r"(?<!\d)\.|\.(?!\d)")  # dots kept only inside numbers: "1.2.3"
_INNER_APOS = re.compile(r"(?<=\w)'(?=\w)")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=65536)
def norm(text: str) -> str:
    """Folded text for matching: lower case, no accents, apostrophes unified, punctuation
    other than % $ # ° turned into spaces, whitespace collapsed."""
    t = text or ""
    if not t.isascii():
        t = unicodedata.normalize("NFKD", t).translate(_COMBINING)
        t = t.replace("\u2019", "'").replace("\u02bc", "'")
    t = _NON_WORD.sub(" ", t.casefold())
    t = _LONE_DOT.sub(" ", t)
    t = _INNER_APOS.sub("' ", t)
    return _SPACES.sub(" ", t).strip()


@lru_cache(maxsize=4096)
def _syn_re(syn: str):
    parts = [norm(p) for p in syn.split(" + ")]
    return tuple(re.compile(r"(?<![\w'])" + re.escape(p) + r"s?(?![\w])") for p in parts if p)


@lru_cache(maxsize=256)
def _any_re(synonyms: tuple):
    """A necessary condition, fast: the first part of some synonym occurs in the text."""
    parts = sorted({norm(syn.split(" + ")[0]) for syn in synonyms} - {""}, key=len, reverse=True)
    return re.compile("|".join(re.escape(p) for p in parts)) if parts else None


def matches(text_norm: str, synonyms) -> bool:
    synonyms = tuple(synonyms)
    quick = _any_re(synonyms)
    if quick is None or not quick.search(text_norm):
        return False
    for syn in synonyms:
        rxs = _syn_re(syn)
        if rxs and all(rx.search(text_norm) for rx in rxs):
            return True
    return False


@lru_cache(maxsize=256)
def _word_re(words: tuple):
    ws = sorted({norm(x) for x in words if x} - {""}, key=len, reverse=True)
    return re.compile("(" + "|".join(re.escape(w) for w in ws) + r")s?\b") if ws else None


def _starts(text_norm: str, words) -> str | None:
    """The longest of ``words`` that ``text_norm`` starts with (a plural "s" allowed)."""
    rx = _word_re(tuple(words))
    m = rx.match(text_norm) if rx is not None else None
    return m.group(1) if m else None


_ID = r"(?:n ?° ?|no |#)?(\d{1,3}(?:\s?[.,]\s?\d{1,3}){0,3})"


# --------------------------------------------------------------------------- amounts
_MONEY = re.compile(r"(?i)us\$|usd|dollars?|eur|euros?|fcfa|xaf|[$€£]|\s|\u00a0|\u202f|\u2009")


def to_decimal(value) -> Decimal | None:
    """A cell as an amount: numbers as they are; text such as "$ 1 245 996,00" parsed."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value.is_integer():
            return Decimal(int(value))
        if value != value or value in (float("inf"), float("-inf")):
            return None
        return Decimal(repr(value))
    if isinstance(value, str):
        return parse_amount(value)
    return None


def parse_amount(text: str) -> Decimal | None:
    t = _MONEY.sub("", text.strip())
    if not t or not re.fullmatch(r"\(?-?[\d.,']+\)?", t):
        return None
    neg = t.startswith("-") or (t.startswith("(") and t.endswith(")"))
    t = t.strip("()").lstrip("-").replace("'", "")
    if "," in t and "." in t:
        dec = "," if t.rfind(",") > t.rfind(".") else "."
        t = t.replace("." if dec == "," else ",", "").replace(dec, ".")
    elif "," in t or "." in t:
        sep = "," if "," in t else "."
        parts = t.split(sep)
        if len(parts) == 2 and len(parts[1]) != 3:
            t = parts[0] + "." + parts[1]
        elif all(len(p) == 3 for p in parts[1:]) and 1 <= len(parts[0]) <= 3:
            t = "".join(parts)
        elif len(parts) == 2:
            t = parts[0] + "." + parts[1]
        else:
            return None
    try:
        v = Decimal(t)
    except InvalidOperation:
        return None
    return -v if neg else v


def to_percent(value) -> Decimal | None:
    """A GEWE share as written: 0.3 (a cell formatted as %), 30, "30 %"; scaled later."""
    if isinstance(value, str):
        t = value.strip()
        pct = t.endswith("%")
        v = parse_amount(t.rstrip("% \u00a0"))
        if v is None:
            return None
        return v / 100 if pct else v
    return to_decimal(value)


def is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# --------------------------------------------------------------------------- spec
class Spec:
    def __init__(self, block: dict):
        self.block = block
        self.columns = list(block.get("columns", ()))
        self.kinds = {c["id"]: c.get("kind", "text") for c in self.columns}
        self.labels = {c["id"]: c.get("label", {}) for c in self.columns}
        self.rows = block.get("rows", {})
        self.header_scan_rows = int(block.get("header_scan_rows", 40))
        self.header_depth = int(block.get("header_depth", 3))
        self.tolerance = Decimal(str(block.get("tolerance", "1.00")))
        self.min_roles = int((block.get("table") or {}).get("min_roles", 2))
        self.aliases = [[norm(a) for a in group] for group in block.get("agency_aliases", ())]
        self.alias_of = {a: g[0] for g in self.aliases for a in g}
        self.stopwords = {norm(w) for w in block.get("agency_stopwords", ())}
        self.recipient_synonyms = next(
            (c.get("synonyms", ()) for c in self.columns if c["id"] == "recipient"), ()
        )
        # row labels, compiled once
        self.total_words = tuple(self.words("total")) + tuple(self.words("grand_total"))
        self.total_suffixes = tuple(norm(x) for x in self.words("total"))

        def alts(words):
            ws = sorted({norm(w) for w in words if w} - {""}, key=len, reverse=True)
            return "|".join(re.escape(w) for w in ws) or "(?!)"

        tot = alts(self.words("total"))
        self.re_hier_id = {k: re.compile("(?:" + alts(self.words(k)) + r")s?\s*" + _ID) for k in HIER_LEVEL}
        self.re_total_suffix = {
            k: re.compile("(?:" + alts(self.words(k)) + r")s?\s*(?:" + _ID + r")?\s*(?:" + tot + ")s?")
            for k in ("outcome", "output")
        }
        self.re_scope = {
            k: re.compile(r"(?<!\w)(?:" + alts(self.words(k)) + r")s?(?!\w)") for k in ("output", "outcome")
        }

    def role(self, text_norm: str) -> str | None:
        if not text_norm:
            return None
        for c in self.columns:
            if matches(text_norm, c.get("synonyms", ())):
                return c["id"]
        return None

    def is_agency(self, text_norm: str, hints: tuple) -> bool:
        tokens = set(text_norm.split())
        if any(a in tokens or (" " in a and a in text_norm) for a in self.alias_of):
            return True
        return any(h and (h == text_norm or h in text_norm.split() or text_norm in h.split()) for h in hints)

    def words(self, key: str):
        return self.rows.get(key, ())


def agency_tokens(name: str, spec: Spec) -> frozenset:
    """Tokens of an agency name for matching ("OIM-RCA" and "IOM RCA" give {"oim", "rca"})."""
    t = norm(name)
    for group in spec.aliases:
        for a in group:
            if " " in a and a in t:
                t = t.replace(a, group[0].replace(" ", "_"))
    out = set()
    for tok in t.split():
        tok = tok.strip("'")
        if not tok or tok in spec.stopwords or tok.isdigit():
            continue
        out.add(spec.alias_of.get(tok, tok).replace(" ", "_"))
    return frozenset(out)


def match_agencies(names_a, names_b, spec: Spec) -> dict[int, int]:
    """Pair two lists of agency names (cover page / workbook): index in a -> index in b, one to
    one, by shared tokens after aliases (OIM = IOM ...); a name matching two equally well is left out."""
    ta = [agency_tokens(n, spec) for n in names_a]
    tb = [agency_tokens(n, spec) for n in names_b]
    scores = []
    for i, a in enumerate(ta):
        for j, b in enumerate(tb):
            if a and b and (a & b):
                scores.append((len(a & b) / len(a | b), i, j))
    scores.sort(key=lambda s: (-s[0], s[1], s[2]))
    out, used_a, used_b = {}, set(), set()
    for _k, (s, i, j) in enumerate(scores):
        if i in used_a or j in used_b:
            continue
        rivals = [
            x
            for x in scores
            if x[0] == s and ((x[1] == i) != (x[2] == j)) and x[1] not in used_a and x[2] not in used_b
        ]
        if rivals:
            continue
        out[i] = j
        used_a.add(i)
        used_b.add(j)
    return out


# --------------------------------------------------------------------------- header detection
def _texts(sheet: Sheet, row: int) -> dict[int, str]:
    r = sheet.rows.get(row) or {}
    return {
        c: cell_text(cell.value).strip()
        for c, cell in r.items()
        if isinstance(cell.value, str) and cell.value.strip()
    }


def _numbers(sheet: Sheet, row: int) -> dict[int, object]:
    r = sheet.rows.get(row) or {}
    return {c: cell.value for c, cell in r.items() if is_number(cell.value)}


def _header_candidates(sheet: Sheet, spec: Spec, hints: tuple = ()) -> list[int]:
    out = []
    for i, row in enumerate(sheet.row_numbers()):
        cells = sheet.rows[row]
        n_str = n_num = 0
        for c in cells.values():
            v = c.value
            if isinstance(v, str):
                n_str += 1
            elif isinstance(v, (int, float)) and not isinstance(v, bool):
                n_num += 1
        if n_str < 2 or n_num > 1:
            continue
        texts = _texts(sheet, row)
        if len(texts) < 2:
            continue
        if i >= spec.header_scan_rows and len(texts) < 3:
            continue
        roles = {
            spec.role(norm(t)) or ("recipient" if spec.is_agency(norm(t), hints) else None)
            for t in texts.values()
        } - {None}
        kinds = {spec.kinds.get(r) for r in roles}
        if len(roles) >= spec.min_roles and kinds & set(AMOUNT_KINDS):
            out.append(row)
    return out


def _is_body_row(sheet: Sheet, row: int, spec: Spec) -> bool:
    if _numbers(sheet, row):
        return True
    for t in _texts(sheet, row).values():
        n = norm(t)
        for key in ("outcome", "output", "activity", "total"):
            w = _starts(n, spec.words(key))
            if w and re.match(re.escape(w) + r"s?\s*" + _ID, n):
                return True
    return False


def _header_block(sheet: Sheet, first: int, spec: Spec, stop: int | None) -> int:
    """Last row of a header starting at ``first``: following rows that hold only text and are
    not body rows (sub-headers: agency names under a merged "Budget par agence" ...)."""
    last = first
    rows = [r for r in sheet.row_numbers() if first < r <= first + spec.header_depth - 1]
    for r in rows:
        if stop is not None and r >= stop:
            break
        if r != last + 1 or _is_body_row(sheet, r, spec) or not _texts(sheet, r):
            break
        last = r
    return last


def _column_headers(sheet: Sheet, first: int, last: int) -> dict[int, list[str]]:
    """Column -> header texts from top to bottom; a merged cell's text is given to every column
    it spans; a group text with empty cells to its right, above sub-headers, spans them too."""
    heads: dict[int, list[str]] = {}
    texts = {r: _texts(sheet, r) for r in range(first, last + 1)}
    spans = {}
    for r1, c1, r2, c2 in sheet.merges_in_rows(first, last):
        t = sheet.text(r1, c1).strip()
        if t and first <= r1 <= last:
            for r in range(r1, min(r2, last) + 1):
                for c in range(c1, c2 + 1):
                    spans[(r, c)] = t
    cols = sorted({c for r in texts for c in texts[r]} | {c for (_r, c) in spans})
    for r in range(first, last + 1):
        row = dict(texts[r])
        for (rr, c), t in spans.items():
            if rr == r:
                row[c] = t
        if r < last:  # fill a group header to the right over empty cells that have sub-headers below
            below = set()
            for r2 in range(r + 1, last + 1):
                below |= set(texts[r2])
            for c in sorted(row):
                if (r, c) in spans:
                    continue
                nxt = c + 1
                while nxt in below and nxt not in row and (r, nxt) not in spans:
                    row[nxt] = row[c]
                    nxt += 1
        for c, t in row.items():
            lst = heads.setdefault(c, [])
            if not lst or lst[-1] != t:
                lst.append(t)
    return {c: heads[c] for c in cols if c in heads}


def _strip_recipient_words(text: str, spec: Spec) -> str:
    t = text
    if ":" in t:
        after = t.split(":", 1)[1].strip()
        if after:
            return after
    n = norm(t)
    for syn in spec.recipient_synonyms:
        n = re.sub(r"(?<![\w'])" + re.escape(norm(syn)) + r"s?(?![\w])", " ", n)
    n = re.sub(r"\b(?:n ?°|no|#)?\s*\d+\b", " ", n)
    n = re.sub(r"\s+", " ", n).strip()
    return t if not n else text


def _columns(sheet: Sheet, first: int, last: int, spec: Spec, hints: tuple) -> list[Column]:
    out = []
    for c, texts in _column_headers(sheet, first, last).items():
        norms = [norm(t) for t in texts]
        roles = [spec.role(n) for n in norms]
        role, name = None, ""
        group = "recipients" in roles[:-1] or (roles and roles[0] == "recipients" and len(texts) > 1)
        own = roles[-1]
        if group and own in (None, "recipient", "recipients", "label", "number", "notes") or own == "recipient":
            role, name = "recipient", _strip_recipient_words(texts[-1], spec)
        elif (
            own in (None, "total", "label", "notes", "number")
            and spec.is_agency(norms[-1], hints)
            and not _starts(norms[-1], spec.total_words)
        ):
            role, name = "recipient", texts[-1]  # "UNDP (budget in USD)": an agency, not "budget"
        elif own is not None and own != "recipients":
            role = own
        elif spec.is_agency(norms[-1], hints):
            role, name = "recipient", texts[-1]
        else:
            role = next((r for r in reversed(roles) if r and r != "recipients"), None)
            if role is None and "recipients" in roles:
                role, name = "recipient", texts[-1]
        if role is None:
            continue
        out.append(Column(c, col_letter(c), role, " / ".join(texts), name.strip()))
    # one label / number column: the leftmost; other label-like columns are text
    seen = set()
    kept = []
    for col in out:
        if col.role in ("label", "number", "notes"):
            if col.role in seen:
                continue
            seen.add(col.role)
        kept.append(col)
    return kept


# --------------------------------------------------------------------------- rows
_NUM_ID = re.compile(r"(?:[a-z]{1,3}\s?)?(\d{1,3}(?:\s?\.\s?\d{1,3}){0,3})\.?")
_LEAD_ID = re.compile(r"(\d{1,3}(?:\.\d{1,3}){1,3})\.?\s")
_GEWE_HINT = re.compile(r"%|\$|montant|amount|allou|allocat")
_ID_RE = re.compile(_ID)


def _row_kind(label: str, number: str, has_amount: bool, spec: Spec):
    """(kind, id, scope) of a body row from its number and label."""
    n_label, n_num = norm(label), norm(number)
    total_w = _starts(n_label, spec.total_words) or _starts(n_num, spec.total_words)
    hier = [(k, w) for k in ("outcome", "output", "activity") for w in [_starts(n_label, spec.words(k))] if w]
    if not hier and n_num and not total_w:  # "Activity 1.1.1:" in the number column
        for k in ("outcome", "output", "activity"):
            m = spec.re_hier_id[k].match(n_num)
            if m:
                return k, _clean_id(m.group(1)), None
    if has_amount and matches(n_label, spec.words("spent_total")) and (total_w or not hier):
        return "spent_total", None, None
    if (
        has_amount
        and not hier
        and matches(n_label, spec.words("gewe_total"))
        and (total_w or _GEWE_HINT.search(n_label))
    ):
        return "gewe_total", None, None
    if not total_w and hier and n_label.endswith(spec.total_suffixes):
        for k, _w in hier:  # "Output 1.1 total", "Résultat 2 - total"
            m = spec.re_total_suffix.get(k)
            m = m.fullmatch(n_label) if m is not None else None
            if m:
                return "total", _clean_id(m.group(1)) if m.group(1) else None, k
    if total_w:
        rest = (n_label if _starts(n_label, spec.total_words) else n_num)[len(total_w) :].strip()
        scope = None
        m = _ID_RE.search(rest)
        rid = _clean_id(m.group(1)) if m else None
        for k in ("output", "outcome"):
            if spec.re_scope[k].search(rest):
                scope = k
                break
        if scope is None and rid:
            scope = "output" if "." in rid else "outcome"
        if scope is None and _starts(n_label, spec.words("subtotal")):
            scope = "subtotal"
        return "total", rid, scope
    for k, _w in hier:
        m = spec.re_hier_id[k].match(n_label)
        if m:
            return k, _clean_id(m.group(1)), None
    m = _NUM_ID.fullmatch(n_num) if n_num else None
    if m:
        rid = _clean_id(m.group(1))
        return ("outcome", "output", "activity")[min(rid.count(".") + 1, 3) - 1], rid, None
    if hier:
        return hier[0][0], None, None
    m = _LEAD_ID.match((n_num + " " + n_label).strip() + " ")
    if m and has_amount:
        rid = _clean_id(m.group(1))
        return ("outcome", "output", "activity")[min(rid.count(".") + 1, 3) - 1], rid, None
    return ("line" if has_amount else "text"), None, None


def _clean_id(s: str) -> str:
    return re.sub(r"\s", "", s).replace(",", ".").strip(".")


def _body(sheet: Sheet, table_cols: list[Column], first: int, last: int, spec: Spec) -> list[BudgetRow]:
    label_col = next((c.col for c in table_cols if c.role == "label"), None)
    number_col = next((c.col for c in table_cols if c.role == "number"), None)
    amount_cols = [c.col for c in table_cols if spec.kinds.get(c.role) == "amount" or c.role == "recipient"]
    pct_col = next((c.col for c in table_cols if c.role == "gewe_percent"), None)
    first_amount = min(amount_cols, default=None)
    rows = []
    for r in sheet.row_numbers():
        if r < first or r > last:
            continue
        cells = sheet.rows[r]
        amounts = {}
        for c in amount_cols:
            cell = cells.get(c)
            if cell is not None and not cell.error:
                v = to_decimal(cell.value)
                if v is not None:
                    amounts[c] = v
        if label_col is not None:
            label = sheet.text(r, label_col).strip()
            if not label:  # labels written in another column left of the amounts
                label = next(
                    (
                        sheet.text(r, c).strip()
                        for c in sorted(cells)
                        if (first_amount is None or c < first_amount)
                        and c != number_col
                        and isinstance(cells[c].value, str)
                        and cells[c].value.strip()
                    ),
                    "",
                )
        else:
            label = next(
                (
                    sheet.text(r, c).strip()
                    for c in sorted(cells)
                    if isinstance(cells[c].value, str)
                    and cells[c].value.strip()
                    and (first_amount is None or c < first_amount)
                ),
                "",
            )
        number = sheet.text(r, number_col).strip() if number_col is not None else ""
        if not label and not number and not amounts:
            continue
        extra = {}
        if not amounts and label:
            # a label-value row ("Total $ alloué à l'égalité des sexes | 1 245 996") outside the columns
            for c in sorted(cells):
                if c != label_col and c != number_col and is_number(cells[c].value):
                    extra[c] = to_decimal(cells[c].value)
                    break
        kind, rid, scope = _row_kind(label[:80], number[:40], bool(amounts or extra), spec)
        if kind not in ("gewe_total", "spent_total"):
            extra = {}
        pct = None
        if pct_col is not None and (cell := cells.get(pct_col)) is not None and not cell.error:
            pct = to_percent(cell.value)
        if kind == "text" and pct is not None:
            kind = "line" if amounts else kind
        rows.append(BudgetRow(r, kind, label or number, rid, scope, {**amounts, **extra}, pct))
    return rows


# --------------------------------------------------------------------------- sums
class _Checks(list):
    """The failed sum checks (kept) and how many were made (counted)."""

    count = 0

    def add(self, *args) -> None:
        self.count += 1
        if not args[-1]:
            self.append(SumCheck(*args))


def _within(a: Decimal, b: Decimal, tol: Decimal) -> bool:
    return abs(a - b) <= max(tol, abs(b) * Decimal("0.000001"))


def _blocks(rows: list[BudgetRow]) -> dict[int, list[int]]:
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


def _sums(sheet: Sheet, rows: list[BudgetRow], cols: list[Column], spec: Spec) -> tuple[list[SumCheck], dict]:
    """Lines against totals, per amount column, and each row's total against its agencies;
    returns the checks and, per column, the lines ("leaves") that are added up.  Agencies'
    columns are checked first, then each row's total (a row whose agency cell is already wrong
    is not blamed twice), then the total column, where a line whose total is wrong counts for
    the sum of its agencies (so one wrong line is one finding, not one per total above it)."""
    tol = spec.tolerance
    blocks = _blocks(rows)
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
            ok = _within(r.amounts[tc], comp, tol)
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
                _within(r.amounts[c], comp, tol),
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
                best, ok = (comp, min(idx), max(idx), len(idx)), _within(stated, comp, tol)
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
                if _within(stated, comp, tol):
                    best, ok = cand, True
                    break
        if best is not None and t not in failed_rows:
            comp, i0, i1, n = best
            lines = locator(sheet.name, rows[i0].row, c, rows[i1].row, c) if n else ""
            checks.add(locator(sheet.name, r.row, c), r.label, header, stated, comp, "total", lines, n, ok)
        if block is None:
            prev_total = t
        prev_any = t


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
    cols = _columns(sheet, first, last_header, spec, hints)
    amount_roles = {
        c.role for c in cols if c.role in ("recipient", "total", "gewe_amount", "spent", "gewe_percent")
    }
    if not amount_roles or len({c.role for c in cols}) < spec.min_roles:
        return None
    rows = _body(sheet, cols, last_header + 1, last, spec)
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
        rows = _body(sheet, cols, last_header + 1, last, spec)
    names = [c for c in cols if c.role == "recipient" and not any(c.col in r.amounts for r in rows)]
    by_rows = False
    if names:
        has_label = any(c.role == "label" for c in cols)
        cols = [c for c in cols if c not in names] + (
            [] if has_label else [Column(names[0].col, names[0].letter, "label", names[0].header)]
        )
        cols.sort(key=lambda c: c.col)
        by_rows = True
        rows = _body(sheet, cols, last_header + 1, last, spec)
    if not any(r.amounts for r in rows):
        return None
    sums, leaves = _sums(sheet, rows, cols, spec)
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
    blocks = _blocks(rows)
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
        cands = _header_candidates(s, spec, hints)
        found = 0
        i = 0
        while i < len(cands):
            first = cands[i]
            nxt = cands[i + 1] if i + 1 < len(cands) else None
            last_header = _header_block(s, first, spec, nxt)
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
            if not _within(t.total.value, primary.total.value, spec.tolerance):
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
