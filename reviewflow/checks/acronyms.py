"""Acronyms used without being spelled out once ("Évitez les acronymes et le jargon des
Nations Unies" — completion notes of the template)."""
from __future__ import annotations

import re
from collections import OrderedDict

from .engine import RF_SECTION, register
from .model import WARNING

DEFAULT_WHITELIST = ("ONU", "UN", "PBF", "COVID", "USD", "EUR", "ONG", "NGO", "OK", "TV", "SMS", "PDF", "VIH",
                     "SIDA", "HIV", "AIDS", "UE", "EU", "NB", "PIB", "GDP", "ID", "GM0", "GM1", "GM2", "GM3",
                     "FCFA", "XAF", "AM", "PM")
_TOKEN = re.compile(r"\b([A-Z][A-Z0-9&]*[A-Z][A-Z0-9&]*|[A-Z][A-Z0-9&]*[0-9])(?:s)?\b")
_ROMAN = re.compile(r"^[IVX]+$")
_PLACEHOLDER = re.compile(r"^(?:TBD|TBC|TBA|X{2,}|NA|ND|NB)$")   # reported by "placeholders", not here
_CODES = re.compile(r"^(?:[QTSH][1-4]|GM[0-3]|[A-Z]\d{1,2})$")      # quarters (Q3, T2), halves, marker codes
_SHOUT = re.compile(r"(?:\b[A-ZÀ-Ý'’\-]{2,}\b[ \u00a0,:;]+){2,}\b[A-ZÀ-Ý'’\-]{2,}\b")
_WORDS = re.compile(r"[^\W\d_][\w'’\-]*")


def definitions(text: str) -> set[str]:
    """Acronyms spelled out in ``text``: "République centrafricaine (RCA)" (two words or more
    before the parenthesis) or "PBSO (Bureau d'Appui à la Consolidation de la Paix)" (three
    words or more inside, or words whose initials give the acronym)."""
    out = set()
    for m in re.finditer(r"\(\s*([A-Z][A-Za-z0-9&\-]*[A-Z0-9])s?\s*\)", text):
        before = text[max(0, m.start() - 80):m.start()]
        words = _WORDS.findall(before.split("\n")[-1])
        if len(words) >= 2:
            out.add(m.group(1))
    for m in re.finditer(r"\b([A-Z][A-Z0-9&]*[A-Z0-9])s?\s*\(([^()\n]{4,200})\)", text):
        inner = _WORDS.findall(m.group(2))
        acr = m.group(1)
        initials = "".join(w[0].upper() for w in inner)
        if len(inner) >= 3 or (len(inner) >= 2 and _subseq(acr, initials)):
            out.add(acr)
    return out


def _subseq(acr, initials):
    it = iter(initials)
    return all(ch in it for ch in acr if ch.isalpha())


def uses(text: str):
    """(start, end, acronym) of each acronym-like token outside all-caps headings."""
    shout = [(m.start(), m.end()) for m in _SHOUT.finditer(text)]
    for m in _TOKEN.finditer(text):
        tok = m.group(1)
        if len(tok) < 2 or _ROMAN.match(tok) or _PLACEHOLDER.match(tok) or _CODES.match(tok):
            continue
        if any(a <= m.start() < b for a, b in shout):
            continue
        yield m.start(1), m.end(1), tok


@register("acronyms")
def acronyms(ctx, whitelist=None, extra_whitelist=(), **_):
    """Acronyms in narratives and the results framework that are never spelled out anywhere in
    the report (definitions count in any section, the cover included).  One finding per
    acronym, at its first use.  ``whitelist`` replaces the default list of universally known
    acronyms (ONU, UN, PBF, COVID, USD, ONG ...); ``extra_whitelist`` adds to it."""
    allowed = set(DEFAULT_WHITELIST if whitelist is None else whitelist) | set(extra_whitelist or ())
    defined = set()
    for key in ctx.sections:
        defined |= definitions(ctx.text(key))
    scope = ctx.narrative_keys() + ([RF_SECTION] if RF_SECTION in ctx.field_map else [])
    first = OrderedDict()
    counts = {}
    for key in scope:
        text = ctx.text(key)
        for a, b, tok in uses(text):
            if tok in allowed or tok in defined:
                continue
            counts[tok] = counts.get(tok, 0) + 1
            first.setdefault(tok, (key, a, b))
    for tok, (key, a, b) in first.items():
        n = counts[tok]
        yield ctx.finding(
            "acronym_undefined", WARNING, key,
            f"« {tok} » n'est développé nulle part dans le rapport (utilisé {n} fois). Écrivez-le en toutes "
            f"lettres à sa première apparition, suivi du sigle entre parenthèses.",
            f"\u201c{tok}\u201d is never spelled out in the report (used {'once' if n == 1 else f'{n} times'}). "
            f"Write it in full at its first "
            f"use, followed by the acronym in parentheses.",
            start=a, end=b, quote=tok, figures={"acronym": tok, "uses": n})
