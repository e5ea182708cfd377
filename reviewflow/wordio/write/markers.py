"""Comment markers in ``document.xml``: the old ones removed, the new ones placed.

:func:`place` puts each comment's ``w:commentRangeStart``/``w:commentRangeEnd`` and reference
run where the :class:`~.textmap.TextMap` says: at a paragraph's start/end, or around/inside a
text element, whose run is split there by :func:`cut` (each piece keeps the run's attributes
and a copy of its ``w:rPr``).  Markers stay in the run's container, except that a group at the
very start (end) of an inline wrapper (insertion, hyperlink, content control ...) is moved
before (after) it; markers never enter an equation (moved to its edges).
"""
from __future__ import annotations

from copy import deepcopy

from lxml import etree

from ..oxml import (
    A_ID,
    BDO,
    BOOKMARKEND,
    BOOKMARKSTART,
    CRE,
    CREF,
    CRS,
    CUSTOMXML,
    CUSTOMXMLDELRANGEEND,
    CUSTOMXMLDELRANGESTART,
    CUSTOMXMLINSRANGEEND,
    CUSTOMXMLINSRANGESTART,
    CUSTOMXMLPR,
    DIR,
    FLDDATA,
    FLDSIMPLE,
    HYPERLINK,
    INS,
    M_OMATH,
    M_OMATHPARA,
    M_RPR,
    MOVEFROMRANGEEND,
    MOVEFROMRANGESTART,
    MOVETO,
    MOVETORANGEEND,
    MOVETORANGESTART,
    NS,
    PERMEND,
    PERMSTART,
    PPR,
    PROOFERR,
    RPR,
    SDTCONTENT,
    SMARTTAG,
    SMARTTAGPR,
    XML_SPACE,
    P,
    R,
    make_rewrite_parser,
)
from . import textmap

_PROPS = {RPR, M_RPR}
# Inline wrappers a marker may be moved out of when it sits at their very start/end.
_WRAPPERS = {INS, MOVETO, HYPERLINK, SMARTTAG, CUSTOMXML, FLDSIMPLE, DIR, BDO, SDTCONTENT}
_NON_CONTENT = {
    BOOKMARKSTART, BOOKMARKEND, PROOFERR, PERMSTART, PERMEND, CRS, CRE, MOVEFROMRANGESTART,
    MOVEFROMRANGEEND, MOVETORANGESTART, MOVETORANGEEND, SMARTTAGPR, CUSTOMXMLPR, FLDDATA,
    CUSTOMXMLINSRANGESTART, CUSTOMXMLINSRANGEEND, CUSTOMXMLDELRANGESTART, CUSTOMXMLDELRANGEEND,
}


# -- removing existing comments -----------------------------------------------------------------
def strip_comments(root) -> int:
    """Remove every comment range marker and reference (and a reference's emptied run)."""
    found = list(root.iter(CRS, CRE, CREF))
    for el in found:
        parent = el.getparent()
        if parent is None:
            continue
        _remove(el)
        if el.tag == CREF and parent.tag == R and all(c.tag in _PROPS for c in parent):
            _remove(parent)
    return len(found)


def _remove(el):
    """Remove ``el`` keeping its tail text (if any) in place."""
    parent = el.getparent()
    tail = el.tail
    if tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


# -- moving marker groups -----------------------------------------------------------------------
def _is_content(el) -> bool:
    tag = el.tag
    if not isinstance(tag, str) or tag in _NON_CONTENT:
        return False
    if tag == R:  # a reference run of ours (or an empty run) shows no text
        return any(c.tag not in _PROPS and c.tag != CREF for c in el)
    return True


def _hoist_before(group):
    """Move a marker group that opens a wrapper (w:ins, hyperlink, sdt ...) out of it."""
    first = group[0]
    while True:
        parent = first.getparent()
        if parent is None or parent.tag not in _WRAPPERS:
            return
        prev = first.getprevious()
        while prev is not None:
            if _is_content(prev):
                return
            prev = prev.getprevious()
        outer = parent.getparent() if parent.tag == SDTCONTENT else parent
        if outer is None or outer.getparent() is None:
            return
        for m in group:
            outer.addprevious(m)


def _hoist_after(group):
    """Move a marker group that closes a wrapper out of it (after the wrapper)."""
    last = group[-1]
    while True:
        parent = last.getparent()
        if parent is None or parent.tag not in _WRAPPERS:
            return
        nxt = last.getnext()
        while nxt is not None:
            if _is_content(nxt):
                return
            nxt = nxt.getnext()
        outer = parent.getparent() if parent.tag == SDTCONTENT else parent
        if outer is None or outer.getparent() is None:
            return
        anchor = outer
        for m in group:
            anchor.addnext(m)
            anchor = m


def _insert_before(anchor, group):
    for m in group:
        anchor.addprevious(m)


def _insert_after(anchor, group):
    for m in group:
        anchor.addnext(m)
        anchor = m


def _math_root(el):
    """The outermost m:oMathPara/m:oMath holding ``el`` (None when not in math)."""
    found = None
    cur = el.getparent()
    while cur is not None and cur.tag != P:
        if cur.tag in (M_OMATH, M_OMATHPARA):
            found = cur
        cur = cur.getparent()
    return found


# -- splitting a run ----------------------------------------------------------------------------
def cut(item: textmap.Item, cuts: dict[int, list], tm: textmap.TextMap):
    """Split ``item``'s run at the canonical local indices of ``cuts`` and put each list of
    marker elements between the pieces (at the run's level)."""
    el = item.el
    run = el.getparent()
    n = item.end - item.start
    children = list(run)
    props = [c for c in children if c.tag in _PROPS]
    content = [c for c in children if c.tag not in _PROPS]
    idx = content.index(el)
    seq: list = [("c", c) for c in content[:idx]]
    if 0 in cuts:
        seq.append(("m", cuts[0]))
    inner = sorted(k for k in cuts if 0 < k < n)
    if inner and el.text:
        seq.extend(_split_text(item, inner, cuts, tm))
    else:
        seq.append(("c", el))
    if n in cuts:
        seq.append(("m", cuts[n]))
    seq.extend(("c", c) for c in content[idx + 1:])
    for c in content:
        run.remove(c)
    out, used = _runs_of(run, props, _grouped(seq))
    _put_around(run, out, used)
    if out and out[0][0] == "m" and 0 in cuts and out[0][1] is cuts[0]:
        _hoist_before(cuts[0])
    if out and out[-1][0] == "m" and n in cuts and out[-1][1] is cuts[n]:
        _hoist_after(cuts[n])


def _split_text(item: textmap.Item, inner: list[int], cuts: dict[int, list], tm: textmap.TextMap):
    """The text element cut at the inner indices: [("c", text element) | ("m", markers)]."""
    el = item.el
    raw = el.text
    by_raw: dict[int, list] = {}
    for k in inner:
        i = tm.raw_index(item, k)
        by_raw.setdefault(i, []).extend(cuts[k])
    prev = 0
    pieces = []
    for i in sorted(by_raw):
        if i > prev:
            pieces.append(("t", raw[prev:i]))
        pieces.append(("m", by_raw[i]))
        prev = max(prev, i)
    if prev < len(raw):
        pieces.append(("t", raw[prev:]))
    seq = []
    first = True
    for kind, x in pieces:
        if kind == "m":
            seq.append(("m", x))
            continue
        if first:
            t_el = el
            first = False
        else:
            t_el = el.makeelement(el.tag, el.attrib)
        t_el.text = x
        t_el.set(XML_SPACE, "preserve")
        seq.append(("c", t_el))
    if first:  # every cut was at an edge after mapping: keep the element empty-free
        el.text = raw
        seq.append(("c", el))
    return seq


def _grouped(seq: list) -> list:
    """Consecutive content elements grouped: [("run", [elements]) | ("m", markers)]."""
    groups: list = []
    cur: list = []
    for kind, x in seq:
        if kind == "c":
            cur.append(x)
        else:
            if cur:
                groups.append(("run", cur))
                cur = []
            groups.append(("m", x))
    if cur:
        groups.append(("run", cur))
    return groups


def _runs_of(run, props: list, groups: list) -> tuple[list, bool]:
    """Each content group in a run (the first reuses ``run``, the others copy its properties):
    [("run", run element) | ("m", markers)], and whether ``run`` was reused."""
    out = []
    used = False
    for kind, x in groups:
        if kind == "m":
            out.append(("m", x))
            continue
        if not used:
            target = run
            used = True
        else:
            target = run.makeelement(run.tag, run.attrib)
            for pr in props:
                target.append(deepcopy(pr))
        for c in x:
            target.append(c)
        out.append(("run", target))
    return out, used


def _put_around(run, out: list, used: bool) -> None:
    """Place everything around the original run, in order."""
    pos = out.index(("run", run)) if used else len(out)
    for kind, x in out[:pos]:
        _insert_before(run, x if kind == "m" else [x])
    anchor = run
    for kind, x in out[pos + 1:]:
        elems = x if kind == "m" else [x]
        _insert_after(anchor, elems)
        anchor = elems[-1]


# -- placing ------------------------------------------------------------------------------------
def place(root, tm: textmap.TextMap, placed: list, ref_style: bool, extra=()):
    """``placed``: (thread order, comment order, cid, start, end, point); ``extra``: more
    markers as (spot, sort key, xml, element count) (the tracked changes of :mod:`.revisions`)."""
    groups = _marker_groups(tm, placed, ref_style, extra)
    by_item: dict = {}
    for spot, group in groups:
        if spot.kind == "item":
            item = spot.item
            math = _math_root(item.el) if item.el.getparent().tag != R else None
            if math is not None:
                _around_math(math, group)
                continue
            slot = by_item.get(id(item.el))
            if slot is None:
                slot = by_item[id(item.el)] = (item, {})
            slot[1].setdefault(spot.local, []).extend(group)
        elif spot.kind == "pstart":
            p = spot.p
            first = p[0] if len(p) else None
            if first is not None and first.tag == PPR:
                _insert_after(first, group)
            elif first is not None:
                _insert_before(first, group)
            else:
                for m in group:
                    p.append(m)
        else:  # pend
            for m in group:
                spot.p.append(m)
    for item, cuts in by_item.values():
        cut(item, cuts, tm)


def _around_math(math, group: list) -> None:
    """Markers are kept out of equations (moved to their edges): range starts before, ends
    and points after."""
    ends = {m.get(A_ID) for m in group if m.tag == CRE}
    before = [m for m in group if m.tag == CRS and m.get(A_ID) not in ends]
    after = [m for m in group if not (m.tag == CRS and m.get(A_ID) not in ends)]
    _insert_before(math, before)
    _insert_after(math, after)


def _marker_groups(tm: textmap.TextMap, placed: list, ref_style: bool, extra=()) -> list:
    """[(spot, marker elements in order)]: the markers of each spot, innermost first.

    Markers are made as XML text first: one parse of them all is much cheaper than building
    thousands of elements one by one."""
    rpr = '<w:rPr><w:rStyle w:val="CommentReference"/></w:rPr>' if ref_style else ""
    spots: dict = {}

    def at(spot, entry):
        key = spot.key()
        slot = spots.get(key)
        if slot is None:
            slot = spots[key] = (spot, [])
        slot[1].append(entry)

    for ti, ci, cid, start, end, point in placed:
        crs = f'<w:commentRangeStart w:id="{cid}"/>'
        cre = f'<w:commentRangeEnd w:id="{cid}"/><w:r>{rpr}<w:commentReference w:id="{cid}"/></w:r>'
        if point:
            spot = tm.spot(start, textmap.END)
            # innermost of everything ending here: sorts first among the ends
            at(spot, ((0, -start, 0, ti, ci), crs + cre, 3))
            continue
        at(tm.spot(start, textmap.START), ((1, -end, ti, ci), crs, 1))
        at(tm.spot(end, textmap.END), ((0, -start, 1, ti, ci), cre, 2))
    for spot, key, xml_, n in extra:
        at(spot, (key, xml_, n))
    xml = [f'<w:x xmlns:w="{NS["w"]}">']
    sizes = []
    for _spot, entries in spots.values():
        entries.sort(key=lambda e: e[0])
        xml.extend(e[1] for e in entries)
        sizes.append(sum(e[2] for e in entries))
    xml.append("</w:x>")
    markers = list(etree.fromstring("".join(xml).encode("utf-8"), make_rewrite_parser()))
    groups = []
    i = 0
    for (spot, _entries), n in zip(spots.values(), sizes, strict=True):
        groups.append((spot, markers[i:i + n]))
        i += n
    return groups


__all__ = ["strip_comments", "place", "cut"]
