"""The comparable form of quoted words and comment bodies (pure: no Flask, no database).

One normaliser for every place that decides whether two texts are "the same words": the
identity of a finding across versions (checks.model.make_fingerprint, whose fingerprints are
stored with the drafters' explanations: changing this function orphans them), and the
recognition of comments, their authors and their quotes when a Word file comes back
(services.imports).  Prompts of the template have their own, looser form (mapping.norm).
"""
from __future__ import annotations

import re
import unicodedata


def norm_quote(text: str | None) -> str:
    """NFC, typographic apostrophes and no-break spaces unified, whitespace collapsed, case-folded."""
    text = unicodedata.normalize("NFC", text or "")
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u00a0", " ").replace("\u202f", " ")
    return re.sub(r"\s+", " ", text).strip().casefold()
