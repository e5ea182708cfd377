"""Matching header and label text, and reading amounts and percentages (PURE)."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache

AMOUNT_KINDS = ("amount", "percent", "group")  # column roles that hold figures
HIER_LEVEL = {"outcome": 1, "output": 2, "activity": 3}

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


def starts_with(text_norm: str, words) -> str | None:
    """The longest of ``words`` that ``text_norm`` starts with (a plural "s" allowed)."""
    rx = _word_re(tuple(words))
    m = rx.match(text_norm) if rx is not None else None
    return m.group(1) if m else None


ID_PATTERN = r"(?:n ?° ?|no |#)?(\d{1,3}(?:\s?[.,]\s?\d{1,3}){0,3})"


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


