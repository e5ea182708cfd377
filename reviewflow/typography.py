"""French typography (pure): a narrow no-break space (U+202F) before « : ; ? ! » and inside
guillemets, as French pages and messages write them.

Only for text we write (catalog strings, template labels, check messages), never for what users
typed: their text is shown as written (and the browser computes comment offsets on it).  Times
(10:30), URLs (https://…, ?a=b), ratios (1:2) and code are left alone: a colon or question mark
counts as punctuation only when a space, the end of the text or a closing mark follows it.
"""
from __future__ import annotations

import re

NNBSP = "\u202f"
# a plain or no-break space before the mark -> narrow no-break space
_SPACED = re.compile(r"[ \u00a0]([:;?!])(?=[\s\u00a0\u202f»)\]\"'’.,]|$)")
# no space at all between a word (or a closing mark) and the punctuation -> one narrow space
_BARE = re.compile(r"(?<=[\w»)\]%’'\"…])([:;?!])(?=[\s\u00a0\u202f»)\]\"'’]|$)")
_GUILLEMETS = re.compile(r"«[ \u00a0\u202f]*|[ \u00a0\u202f]*»")
# "%(name)s:" in a catalog string is a placeholder followed by its colon: treat it as a word
_PLACEHOLDER_END = re.compile(r"(%\([a-z_]+\)[sd])([:;?!])(?=\s|$)")


def fr_spaces(text: str) -> str:
    """``text`` with French spacing before high punctuation and inside « »."""
    if not text or not any(c in text for c in ":;?!«»"):
        return text
    out = _SPACED.sub(NNBSP + r"\1", text)
    out = _PLACEHOLDER_END.sub(r"\1" + NNBSP + r"\2", out)
    out = _BARE.sub(NNBSP + r"\1", out)
    out = _GUILLEMETS.sub(lambda m: "«" + NNBSP if m.group().startswith("«") else NNBSP + "»", out)
    return out


def missing_fr_space(text: str) -> list[str]:
    """Places where French spacing is missing (for tests and the catalog check): a high
    punctuation mark with a plain space, or none, before it."""
    bad = []
    for m in re.finditer(r"(.{0,12})([:;?!])(?=[\s\u00a0»)\]]|$)", text or ""):
        before = m.group(1)
        if not before or before[-1] == NNBSP or before[-1] in ":;?!":
            continue
        bad.append(m.group(0))
    return bad
