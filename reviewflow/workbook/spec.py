"""The template's ``budget_workbook`` block as a compiled spec, and agency names (PURE)."""

from __future__ import annotations

import re
from decimal import Decimal

from .text import HIER_LEVEL, ID_PATTERN, matches, norm


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
        self.re_hier_id = {k: re.compile("(?:" + alts(self.words(k)) + r")s?\s*" + ID_PATTERN) for k in HIER_LEVEL}
        self.re_total_suffix = {
            k: re.compile("(?:" + alts(self.words(k)) + r")s?\s*(?:" + ID_PATTERN + r")?\s*(?:" + tot + ")s?")
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


