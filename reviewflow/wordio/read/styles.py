"""Paragraph styles of ``styles.xml``: display name, heading level and list level (basedOn resolved)."""
from __future__ import annotations

import re

from ..oxml import (
    A_STYLEID,
    A_TYPE,
    A_VAL,
    BASEDON,
    ILVL,
    NAME,
    NUMID,
    NUMPR,
    OUTLINELVL,
    PPR,
    STYLE,
    to_int,
)

_HEADING_NAME = re.compile(r"^heading\s*([1-9])$", re.IGNORECASE)


class Style:
    """One paragraph style as written: its own properties, before basedOn is followed."""

    __slots__ = ("name", "based_on", "outline", "num", "ilvl")

    def __init__(self, name, based_on, outline, num, ilvl):
        self.name, self.based_on, self.outline, self.num, self.ilvl = name, based_on, outline, num, ilvl


def _read_style(st) -> Style:
    el = st.find(NAME)
    name = el.get(A_VAL) if el is not None else None
    el = st.find(BASEDON)
    based = el.get(A_VAL) if el is not None else None
    outline = num = ilvl = None
    ppr = st.find(PPR)
    if ppr is not None:
        el = ppr.find(OUTLINELVL)
        if el is not None:
            outline = to_int(el.get(A_VAL))
        numpr = ppr.find(NUMPR)
        if numpr is not None:
            el = numpr.find(NUMID)
            num = el.get(A_VAL) if el is not None else None
            el = numpr.find(ILVL)
            ilvl = to_int(el.get(A_VAL)) if el is not None else None
    return Style(name, based, outline, num, ilvl)


class Styles:
    """Paragraph style id -> display name, heading level and list level (basedOn resolved)."""

    def __init__(self, root=None):
        self.styles: dict[str, Style] = {}
        self._cache: dict[str, tuple[str, int | None, int | None]] = {}
        if root is None:
            return
        for st in root.iter(STYLE):
            if st.get(A_TYPE) not in (None, "paragraph"):
                continue
            sid = st.get(A_STYLEID)
            if not sid:
                continue
            self.styles[sid] = _read_style(st)

    def info(self, sid: str) -> tuple[str, int | None, int | None]:
        """(display name, heading level or None, list level or None) of a paragraph style."""
        hit = self._cache.get(sid)
        if hit is not None:
            return hit
        st = self.styles.get(sid)
        name = display_name(st.name if st and st.name else sid)
        outline, num, ilvl = self._inherited(st)
        heading = None
        lst = None
        if outline is not None and 0 <= outline <= 8:
            heading = outline + 1
        else:
            m = _HEADING_NAME.match((st.name if st and st.name else sid) or "")
            if m:
                heading = int(m.group(1))
        if num is not None and num != "0":
            lst = ilvl or 0
        hit = (name, heading, lst)
        self._cache[sid] = hit
        return hit

    def _inherited(self, st: Style | None) -> tuple[int | None, str | None, int | None]:
        """(outline level, numbering id, its level) along the basedOn chain (loops cut)."""
        seen = set()
        cur = st
        outline = num = ilvl = None
        while cur is not None and id(cur) not in seen:
            seen.add(id(cur))
            if outline is None and cur.outline is not None:
                outline = cur.outline
            if num is None and cur.num is not None:
                num = cur.num
                ilvl = cur.ilvl
            cur = self.styles.get(cur.based_on) if cur.based_on else None
        return outline, num, ilvl


def display_name(name: str) -> str:
    """Word stores built-in style names in lower case ("heading 1"); show them as Word does."""
    if name and name == name.lower() and name.isascii():
        return " ".join(w[:1].upper() + w[1:] for w in name.split(" "))
    return name


__all__ = ["Styles", "Style", "display_name"]
