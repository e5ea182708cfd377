"""Dates as Word and LibreOffice write them (``w:date``, ``w16cex:dateUtc``) -> aware UTC."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from functools import lru_cache

# fromisoformat (3.11) wants 2-digit fields and at most 6 fractional digits: the rest by hand.
_LOOSE_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?"
                        r"\s*(Z|[+-]\d{2}:?\d{2})?$")


@lru_cache(maxsize=4096)  # comments share dates (minute resolution); datetimes are immutable
def parse_word_date(raw: str | None) -> datetime | None:
    """An ISO 8601 date from Word/LibreOffice as an aware UTC datetime; None if absent/invalid.

    A value without offset is taken as UTC.  LibreOffice's ``0-00-00T00:00:00Z`` -> None.
    """
    if not raw:
        return None
    value = raw.strip()
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        return _parse_loose(value)
    if dt.tzinfo is None:
        return dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


def _parse_loose(value: str) -> datetime | None:
    m = _LOOSE_ISO.match(value)
    if not m:
        return None
    try:
        y, mo, d, h, mi, s = (int(x) if x else 0 for x in m.groups()[:6])
        dt = datetime(y, mo, d, h, mi, s, tzinfo=UTC)
    except ValueError:
        return None
    tz = m.group(7)
    if tz and tz != "Z":
        sign = 1 if tz[0] == "+" else -1
        digits = tz[1:].replace(":", "")
        dt -= sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return dt


__all__ = ["parse_word_date"]
