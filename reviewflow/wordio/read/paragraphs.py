"""The walker's paragraph family: ``w:p`` (its properties, its runs, its mark) and text boxes.

* A paragraph whose mark is deleted (or moved away) merges with the next paragraph of the same
  container, taking that paragraph's style (accepted view).
* The paragraphs of a text box are placed right after the paragraph that anchors it (in the
  same container); ``mc:AlternateContent`` is read through its first ``mc:Choice``
  (``mc:Fallback`` only when there is none), so a box Word writes twice is read once.
"""
from __future__ import annotations

from itertools import chain

from ..oxml import (
    A_VAL,
    AC,
    CHOICE,
    DEL,
    FALLBACK,
    ILVL,
    INS,
    MOVEFROM,
    MOVETO,
    NUMBERINGCHANGE,
    NUMID,
    NUMPR,
    OUTLINELVL,
    PPR,
    PPRCHANGE,
    PSTYLE,
    RPR,
    RPRCHANGE,
    SECTPR,
    TXBX,
    R,
    T,
    to_int,
)
from .revisions import Rev


class Para:
    """A paragraph of the canonical text, as the walker fills it.

    Positions inside a paragraph are (paragraph, number of text ``parts`` so far): the hot path
    only appends strings; character offsets are computed once, at layout (``start``, ``text``;
    ``raw`` is the text before NFC, ``mapped`` says whether they differ), and ``prefix`` (the
    offsets of the parts in ``raw``) lazily, by :meth:`~.walker.Walker.resolve`.
    """

    __slots__ = ("parts", "style", "heading", "list", "after_blocks", "after_paras",
                 "start", "text", "raw", "mapped", "block", "prefix")

    def __init__(self):
        self.parts = []
        self.prefix = None
        self.style = self.heading = self.list = None
        self.after_blocks = self.after_paras = None
        self.start = None
        self.text = self.raw = None
        self.mapped = False
        self.block = None


class Paragraphs:
    """Handlers of paragraphs, drawings and text boxes (a mixin of :class:`~.walker.Walker`)."""

    def _new_para(self) -> Para:
        para = Para()
        if self.pending:
            for pos in self.pending:
                pos[0] = para
            self.pending = []
        return para

    def _p(self, p):
        if self.sdrop:
            self._walk(p)
            return
        children = iter(p)
        ppr = next(children, None)
        if ppr is not None and ppr.tag != PPR:  # w:pPr, when present, is the first child
            children = chain((ppr,), children)
            ppr = None
        if ppr is not None:
            style, heading, lst, mark, mark_change, pchange = self._para_props(ppr)
        else:
            style = heading = lst = mark = mark_change = pchange = None
        para = self.carry
        if para is None:
            para = self._new_para()
        else:
            self.carry = None
        para.style, para.heading, para.list = style, heading, lst
        self.cur = para
        prevs = self._para_changes(para, pchange) if pchange else ()
        self._para_content(para, children)
        self.cur = None
        self._end_para(para, prevs, mark, mark_change)

    def _para_props(self, ppr):
        """(style, heading, list level, mark change, mark rPrChange, property changes) of a
        w:pPr; a w:sectPr in it is recorded on the way (its position is where it stands)."""
        style = heading = lst = None
        mark = mark_change = None
        pchange = None
        for c in ppr:
            tag = c.tag
            if tag == PSTYLE:
                sid = c.get(A_VAL)
                if sid:
                    style, heading, lst = self.styles.info(sid)
            elif tag == RPR:
                for d in c:
                    tag = d.tag
                    if tag in (DEL, MOVEFROM, INS, MOVETO):
                        if mark is None:
                            mark = d
                    elif tag == RPRCHANGE and self.record:
                        mark_change = d
            elif tag == NUMPR:
                lst, changes = self._numbering(c, lst)
                if changes:
                    pchange = (pchange or []) + changes
            elif tag == OUTLINELVL:
                lvl = to_int(c.get(A_VAL))
                heading = lvl + 1 if lvl is not None and 0 <= lvl <= 8 else None
            elif tag == PPRCHANGE:
                if self.record:
                    pchange = (pchange or []) + [c]
            elif tag == SECTPR:
                self._sectpr(c)
        if heading is not None:
            lst = None
        return style, heading, lst, mark, mark_change, pchange

    def _numbering(self, numpr, lst):
        """The list level a w:numPr gives (``lst``: the style's) and its w:numberingChange."""
        num = ilvl = None
        changes = None
        for d in numpr:
            tag = d.tag
            if tag == NUMID:
                num = d.get(A_VAL)
            elif tag == ILVL:
                ilvl = to_int(d.get(A_VAL))
            elif tag == NUMBERINGCHANGE and self.record:
                changes = (changes or []) + [d]
        if num == "0":
            lst = None
        elif num is not None or ilvl is not None:
            lst = ilvl if ilvl is not None else (lst or 0)
        return lst, changes

    def _para_changes(self, para: Para, pchange: list) -> list:
        """Open the paragraph-property changes (closed at the end of the paragraph)."""
        prevs = []
        for ch in pchange:
            kind = "numberingChange" if ch.tag == NUMBERINGCHANGE else "pPrChange"
            rev = Rev(kind, ch, (para, len(para.parts)))
            rev.para = True
            self.revisions.append(rev)
            prevs.append(rev)
        return prevs

    def _para_content(self, para: Para, children):
        """The hot loop: runs are read inline (most of a document); everything else dispatches.
        ``keep`` may only change inside a handler, so it is re-read after each call."""
        h = self.handlers
        append = para.parts.append
        revs = self.revs_open
        changed = self.rpr_changed
        keep = self.keep
        for c in children:
            tag = c.tag
            if tag == R:
                opened = None
                for d in c:
                    dtag = d.tag
                    if dtag == T:
                        s = d.text
                        if s:
                            if keep:
                                append(s)
                            if revs and not self.instr:
                                for rev in revs:
                                    rev.parts.append(s)
                    elif dtag == RPR:
                        if changed and d in changed:
                            ch = d.find(RPRCHANGE)
                            if ch is not None:
                                opened = self._open_rev("rPrChange", ch)
                    else:
                        fn = h.get(dtag)
                        if fn is None:
                            self._walk(d)
                        else:
                            fn(d)
                        keep = self.keep
                if opened is not None:
                    self._close_rev(opened)
            else:
                fn = h.get(tag)
                if fn is None:
                    self._walk(c)
                else:
                    fn(c)
                keep = self.keep

    def _end_para(self, para: Para, prevs, mark, mark_change):
        """Close the property changes, record the mark's changes; close the paragraph, or keep
        it open (``carry``) when its mark is deleted."""
        for rev in prevs:
            rev.end = (para, len(para.parts))
        if mark_change is not None:
            rev = Rev("rPrChange", mark_change, (para, len(para.parts)), mark=True)
            rev.end = rev.start
            rev.parts.append("\n")
            self.revisions.append(rev)
        if mark is not None:
            deleted = mark.tag == DEL or mark.tag == MOVEFROM
            if self.record:
                kind = mark.tag.rsplit("}", 1)[-1]
                rev = Rev(kind, mark, (para, len(para.parts)), mark=True)
                rev.end = rev.start
                rev.parts.append("\n")
                self.revisions.append(rev)
            if deleted and not self.drop:
                self.carry = para  # merges with the next paragraph of this container
                return
        self._close(para)

    def _close(self, para: Para):
        block = {"t": "p", "text": ""}
        if para.style is not None:
            block["style"] = para.style
        if para.heading is not None:
            block["heading"] = para.heading
        if para.list is not None:
            block["list"] = para.list
        para.block = block
        self.sink_blocks.append(block)
        self.sink_paras.append(para)
        if para.after_paras:
            self.sink_blocks.extend(para.after_blocks)
            self.sink_paras.extend(para.after_paras)
        self.last_closed = para

    def _flush_carry(self):
        para = self.carry
        if para is not None:
            self.carry = None
            self._close(para)

    # ---- drawings and text boxes ----
    def _altc(self, el):
        branch = el.find(CHOICE)
        if branch is None:
            branch = el.find(FALLBACK)
        if branch is not None:
            self._walk(branch)

    def _drawing(self, el):
        """Drawings carry no text except text boxes; find those (honouring AlternateContent)."""
        for c in el:
            tag = c.tag
            if tag == TXBX:
                self._txbx(c)
            elif tag == AC:
                branch = c.find(CHOICE)
                if branch is None:
                    branch = c.find(FALLBACK)
                if branch is not None:
                    self._drawing(branch)
            elif len(c):
                self._drawing(c)

    def _txbx(self, el):
        if self.drop or self.sdrop:
            self._dropped(el)
            return
        host = self.cur
        saved = (self.sink_blocks, self.sink_paras, self.cur, self.carry, self.last_closed)
        if host is not None:
            if host.after_paras is None:
                host.after_blocks, host.after_paras = [], []
            self.sink_blocks, self.sink_paras = host.after_blocks, host.after_paras
            self.last_closed = host
        self.cur = self.carry = None
        self._walk(el)
        self._flush_carry()
        self.sink_blocks, self.sink_paras, self.cur, self.carry, self.last_closed = saved


__all__ = ["Para", "Paragraphs"]
