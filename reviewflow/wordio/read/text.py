"""The canonical-text rule shared by the reader and the writer's text map (line endings, NFC)."""
from __future__ import annotations

import unicodedata


def normalize(text: str) -> str:
    """Same rule as ``reviewflow.content.normalize`` (line endings -> "\\n", then NFC)."""
    if "\r" in text or "\u2028" in text or "\u2029" in text:
        text = (text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
                .replace("\u2029", "\n"))
    return unicodedata.normalize("NFC", text)


def needs_normalizing(text: str) -> bool:
    """True when :func:`normalize` would change ``text`` (cheap test for the common case)."""
    return ("\r" in text or "\u2028" in text or "\u2029" in text
            or not unicodedata.is_normalized("NFC", text))


__all__ = ["normalize", "needs_normalizing"]
