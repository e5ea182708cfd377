"""Text and values as the writer puts them into XML: cleaned text, attribute values, UTC dates."""
from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime
from xml.sax.saxutils import escape

_BAD_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def clean(text: str) -> str:
    """NFC, line endings as "\\n"; characters XML 1.0 cannot carry become U+FFFD."""
    text = text or ""
    if text.isascii() and text.isprintable():
        return text
    if "\r" in text or "\u2028" in text or "\u2029" in text:
        text = (text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
                .replace("\u2029", "\n"))
    text = unicodedata.normalize("NFC", text)
    return _BAD_XML_CHARS.sub("\ufffd", text)


def attr(value: str) -> str:
    """``value`` escaped for a double-quoted XML attribute (newlines and tabs kept)."""
    return escape(value, {'"': "&quot;", "\n": "&#10;", "\t": "&#9;"})


def utc(dt: datetime | None) -> str | None:
    """``2026-03-02T09:00:00Z`` (seconds precision) of a datetime (naive = UTC), or None."""
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


__all__ = ["clean", "attr", "utc", "escape"]
