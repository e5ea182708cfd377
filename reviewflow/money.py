"""Amounts of money as French and English drafters write them: the one parser (pure: no Flask,
no database), used by the forms, the services and the checks.

Rules (tests/unit/test_money.py holds the whole table):
- A currency may stand before or after the figure: ``$``, ``US$``, ``USD``, ``US``, ``dollars``,
  and (unless ``usd_only``) ``€``, ``£``, ``EUR``, ``euros``, ``FCFA``, ``F CFA``, ``XAF``, ``CFA``.
  A leading "Total", "Montant" or "Amount" (with or without a colon) is ignored.
- Thousands are grouped by spaces (ordinary, no-break, narrow no-break, thin), apostrophes,
  commas or dots; every group after the first has exactly three digits ("1 000 2 000" is two
  amounts, not one: refused).
- With both a comma and a dot, the last one is the decimal separator ("1.234.567,89",
  "1,234,567.89").  With one of them only: repeated, it groups thousands ("1.234.567"); once and
  followed by exactly three digits after a group of 1-3 digits that does not start with 0
  ("1,500", "1.500"), it groups thousands too (amounts with three decimals are not written);
  otherwise it is the decimal separator ("1,5", "0,500", "1234,567").  When spaces already
  group the thousands, a single comma or dot is always the decimal separator ("1 234,567").
- A multiplier may follow: ``k`` (thousand), ``M``, ``mn``, ``million(s)`` (million),
  ``Md``, ``Mds``, ``bn``, ``milliard(s)``, ``billion(s)`` (thousand million; "billion" in the
  English sense) - "1,5 million", "3 M USD", "2,5 millions de dollars".
- A leading minus makes it negative (whether a negative amount is acceptable is the caller's
  rule).  Exponents ("2e5"), two amounts, words: not an amount.

``parse_money`` returns None when the text holds no amount; callers that need one say why.
"""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_SPACES = " \u00a0\u202f\u2009\t"
_USD = r"us\s?\$|usd|us|dollars?"
_OTHER = r"€|£|eur|euros?|f\s?cfa|xaf|cfa"
_WORDS = re.compile(r"(?i)(?<![a-z])(?:" + _USD + "|" + _OTHER + r")(?![a-z])|\$")
_OTHER_RE = re.compile(r"(?i)(?<![a-z])(?:" + _OTHER + r")(?![a-z])")
_LABEL = re.compile(r"(?i)^(?:total|montant|amount)\s*:?\s*")
_MULTIPLIERS = {"k": 3, "m": 6, "mn": 6, "million": 6, "millions": 6,
                "md": 9, "mds": 9, "bn": 9, "milliard": 9, "milliards": 9, "billion": 9, "billions": 9}
_MULTIPLIER = re.compile(r"(?i)(?<=[\d\s\u00a0\u202f\u2009])(k|m|mn|millions?|md|mds|bn|milliards?|billions?)"
                         r"(?:\s+(?:de|d'|d\u2019|of))?\s*$")
_BODY = re.compile(r"-?\d[\d.,'\u2019" + _SPACES + r"]*")
_GROUPED = re.compile(r"\d{1,3}(?:(?P<sep>[.,'\u2019 ])\d{3})(?:(?P=sep)\d{3})*")


def _multiplier(t: str) -> tuple[str, int]:
    m = _MULTIPLIER.search(t)
    if not m:
        return t, 0
    word = m.group(1)
    if word.lower() == "m" and word != "M":      # "5 m" is five metres, not five million
        return t, 0
    return t[:m.start()].rstrip(), _MULTIPLIERS[word.lower()]


def _integer_part(text: str) -> str | None:
    """The digits of an integer part, thousands separators checked; None when malformed."""
    if text.isdigit():
        return text
    if _GROUPED.fullmatch(text) and not (text[0] == "0" and len(text) > 1):
        return re.sub(r"\D", "", text)
    return None


def _number(t: str) -> Decimal | None:
    neg = t.startswith("-")
    t = t.lstrip("-")
    t = re.sub("[" + _SPACES + "]", " ", t).replace("\u2019", "'")
    spaced = " " in t or "'" in t
    commas, dots = t.count(","), t.count(".")
    if commas and dots:
        dec = "," if t.rfind(",") > t.rfind(".") else "."
        if t.count(dec) != 1:
            return None
        whole, frac = t.split(dec)
        if ("," if dec == "." else ".") in frac:
            return None
    elif commas or dots:
        sep = "," if commas else "."
        parts = t.split(sep)
        if len(parts) > 2:              # 1.234.567 / 1,234,567
            whole, frac = t, ""
        else:
            head, tail = parts
            groups_thousands = (not spaced and len(tail) == 3 and 1 <= len(head) <= 3 and head.isdigit()
                                and not (head.startswith("0")))
            whole, frac = (t, "") if groups_thousands else (head, tail)
    else:
        whole, frac = t, ""
    digits = _integer_part(whole)
    if digits is None or (frac and not frac.isdigit()):
        return None
    try:
        value = Decimal(digits + ("." + frac if frac else ""))
    except InvalidOperation:
        return None
    return -value if neg else value


def parse_money(text: str | int | float | Decimal | None, *, usd_only: bool = False) -> Decimal | None:
    """The amount ``text`` holds, or None (no amount, more than one, or not readable); with
    ``usd_only`` an amount in another currency is not read either.  Rules in the module's doc."""
    if text is None:
        return None
    if isinstance(text, (int, float, Decimal)) and not isinstance(text, bool):
        return Decimal(str(text))
    t = str(text).strip()
    if usd_only and _OTHER_RE.search(t):
        return None
    t = _LABEL.sub("", t)
    t = _WORDS.sub(" ", t).strip(_SPACES + ":;")
    t, exponent = _multiplier(t)
    t = t.strip(_SPACES)
    if not t or not _BODY.fullmatch(t):
        return None
    value = _number(t)
    if value is None:
        return None
    if not exponent:
        return value
    value = value.scaleb(exponent)
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
