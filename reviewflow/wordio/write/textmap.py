"""Canonical-text offsets -> places in ``word/document.xml`` (for the writer).

The writer must put comment markers at offsets of the canonical text *exactly as*
:func:`reviewflow.wordio.read_docx` computes it (accepted view, merged paragraphs, text boxes
after their host paragraph, field results, NFC ...).  Rather than re-implementing those rules,
this module runs the reader's own document walker (:class:`~reviewflow.wordio.read.walker.Walker`)
over the tree, with two hooks in its handler table:

* every text-producing element (``w:t``, ``m:t``, ``w:tab``, ``w:br`` ...) is given, for the
  duration of the walk, a private tag whose handler records the paragraph being filled and the
  number of text pieces it already holds, then calls the reader's own handler for the
  element's real tag (the tags are restored afterwards, in ``finally``);
* the ``w:p`` handler is wrapped to learn which paragraph object (a merged paragraph may span
  several ``w:p``) each ``w:p`` element filled.

It uses the walker's public parts (documented in ``read/walker.py``): the handler table
``handlers``, ``cur``/``carry``/``last_closed``/``keep``/``sdrop``, ``walk_story``, ``layout``,
``flat``, ``resolve`` and the paragraphs' ``start``/``text``/``raw``/``prefix``/``mapped``.

Only text the reader keeps is recorded (not inside ``w:del``/``w:moveFrom``, a deleted row or
a field instruction), so a marker can never be put inside deleted text.  The offsets agree with
the reader by construction; nothing is inserted into the tree.

:class:`TextMap` then answers, for an offset and a side ("start": the character at the offset
follows the marker; "end": the character before the offset precedes it), where a marker goes:
before/after/inside a text element (the run is split there) or at the start/end of a
paragraph.  Per-paragraph item offsets are computed lazily, only for paragraphs that receive a
marker.
"""
from __future__ import annotations

from bisect import bisect_right

from ..oxml import A_CHAR, A_FONT, BR, CR, M_T, NOBREAKHYPHEN, PTAB, SYM, TAB, P, T, w
from ..read.runs import decode_sym
from ..read.styles import Styles
from ..read.text import normalize
from ..read.walker import Walker

TEXT_TAGS = (T, M_T, TAB, PTAB, BR, CR, NOBREAKHYPHEN, SYM)
_FIXED = {TAB: "\t", PTAB: "\t", BR: "\n", CR: "\n", NOBREAKHYPHEN: "\u2011"}
_PROBE_TAGS = {tag: w(f"x-reviewflow-probe-{k}") for k, tag in enumerate(TEXT_TAGS)}

START, END = "start", "end"


class Item:
    """A text element that produced canonical characters [start, end)."""
    __slots__ = ("el", "start", "end", "text", "para", "part")

    def __init__(self, el, start, end, text, para, part):
        self.el, self.start, self.end, self.text = el, start, end, text
        self.para, self.part = para, part


class Spot:
    """Where a marker goes.

    kind "item": inside/around ``item`` at canonical local index ``local`` (0 = before the
    element, ``item.end - item.start`` = after it); kind "pstart"/"pend": at the start (after
    ``w:pPr``) or the end of the paragraph element ``p``.
    """
    __slots__ = ("kind", "item", "local", "p")

    def __init__(self, kind, item=None, local=0, p=None):
        self.kind, self.item, self.local, self.p = kind, item, local, p

    def key(self):
        if self.kind == "item":
            return ("item", id(self.item.el), self.local)
        return (self.kind, id(self.p))


class TextMap:
    """Offsets of the canonical text of one story, mapped back onto its XML."""

    def __init__(self, text: str, paras: list, records: dict, para_slots: dict):
        self.text = text
        self.paras = paras                  # reader paragraphs in canonical order
        self.para_starts = [p.start for p in paras]
        self.records = records              # id(para) -> [(element, tag, part index)]
        self.para_slots = para_slots        # id(para) -> [first w:p, last w:p]
        self._items: dict = {}

    def items(self, para) -> list[Item]:
        """The kept text elements of a paragraph with their canonical [start, end)."""
        key = id(para)
        got = self._items.get(key)
        if got is not None:
            return got
        got = self._items[key] = []
        recs = self.records.get(key)
        if not recs:
            return got
        resolve = Walker.resolve
        mapped = para.mapped
        if not mapped:
            prefix = para.prefix
            if prefix is None:
                resolve((para, 0))  # fills para.prefix (offsets of the text pieces)
                prefix = para.prefix
            base = para.start
            last = len(prefix) - 1
        append = got.append
        for el, tag, n in recs:
            if tag is T or tag is M_T:
                s = el.text
            elif tag is SYM:
                s = decode_sym(el.get(A_CHAR), el.get(A_FONT))
            else:
                s = _FIXED[tag]
            if not s:
                continue
            if mapped:
                a = resolve((para, n))
                b = resolve((para, n + 1))
            else:
                a = base + prefix[n if n < last else last]
                b = base + prefix[n + 1 if n + 1 < last else last]
            if b > a:
                append(Item(el, a, b, s, para, n))
        return got

    # ---- lookup ----
    def spot(self, k: int, side: str) -> Spot:
        """Where a marker for offset ``k`` goes (``side`` START or END)."""
        if not self.paras:
            raise ValueError("the document has no paragraph to anchor comments to")
        i = bisect_right(self.para_starts, k) - 1
        if i < 0:
            raise ValueError(f"offset {k} is outside the text")
        para = self.paras[i]
        end = para.start + len(para.text)
        if k > end:
            raise ValueError(f"offset {k} is outside the text")
        slots = self.para_slots.get(id(para))
        items = self.items(para)
        if side == START:
            for it in items:
                if it.start <= k < it.end:
                    return Spot("item", it, k - it.start)
            if slots is not None and k == end:
                return Spot("pend", p=slots[1])
        else:
            for it in items:
                if it.start < k <= it.end:
                    return Spot("item", it, k - it.start)
            if slots is not None and k == para.start:
                return Spot("pstart", p=slots[0])
        return self._nearest(i, k)

    def _nearest(self, i: int, k: int) -> Spot:
        """Fallback for places no element reached (malformed input): the closest item edge
        or paragraph edge."""
        best = None
        for j in (i, i - 1, i + 1):
            if not 0 <= j < len(self.paras):
                continue
            para = self.paras[j]
            for it in self.items(para):
                for local, pos in ((0, it.start), (it.end - it.start, it.end)):
                    d = abs(pos - k)
                    if best is None or d < best[0]:
                        best = (d, Spot("item", it, local))
            slots = self.para_slots.get(id(para))
            if slots is not None:
                for kind, pos, p in (("pstart", para.start, slots[0]),
                                     ("pend", para.start + len(para.text), slots[1])):
                    d = abs(pos - k)
                    if best is None or d < best[0]:
                        best = (d, Spot(kind, p=p))
        if best is None:
            raise ValueError("the document has no paragraph to anchor comments to")
        return best[1]

    def raw_index(self, item: Item, local: int) -> int:
        """Index into the element's own text for a canonical local index (NFC-aware)."""
        n = len(item.text)
        if item.end - item.start == n and not item.para.mapped:
            return local
        # The paragraph's text was NFC-normalised: find the raw index whose normalised prefix
        # reaches the canonical offset (rare: decomposed accents in the file).
        para = item.para
        raw = para.raw
        base = para.prefix[item.part]
        target = item.start + local - para.start
        for i in range(n + 1):
            if len(normalize(raw[:base + i])) >= target:
                return i
        return n


def build(body) -> TextMap:
    """Walk ``body`` (a ``w:body`` element) with the reader's walker and return the
    :class:`TextMap` of its canonical text.  The tree is left as it was."""
    renamed = _rename_text_elements(body)
    walker = Walker(Styles(), [], record=False)
    records: dict = {}
    para_slots: dict = {}
    _install_probes(walker, records, para_slots)
    try:
        walker.walk_story(body)
        text = walker.layout()
    finally:
        walker.close()
        for tag, els in renamed:
            for el in els:
                el.tag = tag
    paras = [p for p in walker.flat if p.start is not None]
    return TextMap(text, paras, records, para_slots)


def _rename_text_elements(body) -> list:
    """Give every text element its probe tag; return [(real tag, elements)] to restore."""
    renamed = []
    for tag in TEXT_TAGS:
        els = list(body.iter(tag))
        if els:
            probe = _PROBE_TAGS[tag]
            for el in els:
                el.tag = probe
            renamed.append((tag, els))
    return renamed


def _install_probes(walker: Walker, records: dict, para_slots: dict) -> None:
    """Hook the walker's handler table: text probes fill ``records`` (id(paragraph) ->
    [(element, tag, pieces so far)]), the w:p wrapper ``para_slots`` (id -> [first, last w:p])."""
    h = walker.handlers

    def text_probe(tag, orig):
        def probe(el, w=walker, records=records):
            cur = w.cur
            if cur is not None and w.keep:
                key = id(cur)
                lst = records.get(key)
                if lst is None:
                    lst = records[key] = []
                lst.append((el, tag, len(cur.parts)))
            orig(el)
        return probe

    for tag in TEXT_TAGS:
        h[_PROBE_TAGS[tag]] = text_probe(tag, h[tag])
    orig_p = h[P]

    def p_probe(p, w=walker):
        if w.sdrop:
            orig_p(p)
            return
        orig_p(p)
        para = w.carry if w.carry is not None else w.last_closed
        if para is None:
            return
        slot = para_slots.get(id(para))
        if slot is None:
            para_slots[id(para)] = [p, p]
        else:
            slot[1] = p

    h[P] = p_probe


__all__ = ["TextMap", "Item", "Spot", "build", "START", "END"]
