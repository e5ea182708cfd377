"""The document walker: one story (the body, or one comment) in document order, one tag table.

:class:`Walker` dispatches every element through ``handlers`` (tag -> handler), built from the
element families (:mod:`.runs`, :mod:`.paragraphs`, :mod:`.tables`, :mod:`.revisions`,
:mod:`.fields`); an unknown element is a wrapper whose children are walked (hyperlinks, smart
tags, customXml, ``w:fldSimple`` ...).  Positions are recorded as (paragraph, number of text
pieces so far) and turned into offsets of the canonical text once, by :meth:`Walker.layout` and
:meth:`Walker.resolve`.

Public, for the reader and for the writer's text map (``write/textmap.py``):

* ``Walker(styles, warnings, record=...)``; ``walk_story(el)``; ``layout()`` -> the text;
  ``resolve(pos)`` -> an offset; ``close()`` (frees the tree at once);
* ``handlers``: the tag table; a caller may wrap or add entries before walking;
* state a handler may read: ``cur`` (the paragraph being filled, or None), ``carry`` (a
  paragraph whose mark is deleted, merging with the next), ``last_closed``, ``keep`` (the
  text here is kept: not deleted, not a field instruction), ``sdrop`` (structurally deleted:
  no paragraph is created); ``flat`` (the paragraphs, :class:`~.paragraphs.Para`, in order).

The body's tree has lost its formatting-only w:rPr (see :mod:`.lighten`): handlers must not
read inside a w:rPr beyond paragraph-mark changes and w:rPrChange, nor depend on the position
of a child other than a w:pPr coming first.
"""
from __future__ import annotations

from itertools import accumulate

from ..oxml import (
    A_ID,
    A_NAME,
    AC,
    ALTCHUNK,
    ANNOTATIONREF,
    BACKGROUND,
    BOOKMARKEND,
    BOOKMARKSTART,
    BR,
    CONTINUATIONSEPARATOR,
    CR,
    CRE,
    CREF,
    CRS,
    CUSTOMXMLDELRANGEEND,
    CUSTOMXMLDELRANGESTART,
    CUSTOMXMLINSRANGEEND,
    CUSTOMXMLINSRANGESTART,
    CUSTOMXMLMOVEFROMRANGEEND,
    CUSTOMXMLMOVEFROMRANGESTART,
    CUSTOMXMLMOVETORANGEEND,
    CUSTOMXMLMOVETORANGESTART,
    CUSTOMXMLPR,
    DEL,
    DELINSTRTEXT,
    DELTEXT,
    DRAWING,
    ENDNOTEREF,
    ENREF,
    FLDCHAR,
    FLDDATA,
    FNREF,
    FOOTNOTEREF,
    INS,
    INSTRTEXT,
    LASTRENDEREDPAGEBREAK,
    M_T,
    MOVEFROM,
    MOVEFROMRANGEEND,
    MOVEFROMRANGESTART,
    MOVETO,
    MOVETORANGEEND,
    MOVETORANGESTART,
    NOBREAKHYPHEN,
    OBJECT,
    PERMEND,
    PERMSTART,
    PICT,
    PPR,
    PROOFERR,
    PTAB,
    RPR,
    RUBY,
    SDT,
    SDTENDPR,
    SDTPR,
    SECTPR,
    SEPARATOR,
    SMARTTAGPR,
    SOFTHYPHEN,
    SUBDOC,
    SYM,
    TAB,
    TBL,
    TBLGRID,
    TBLPR,
    TBLPREX,
    TC,
    TCPR,
    TR,
    TRPR,
    TXBX,
    P,
    R,
    T,
)
from .fields import Field, Fields, Form
from .paragraphs import Para, Paragraphs
from .revisions import Rev, Revisions
from .runs import Runs
from .styles import Styles
from .tables import Tables
from .text import needs_normalizing, normalize

BOOKMARK_PREFIX = "rf"   # the bookmarks the reader reports (reviewflow's own: rfS1, rfS2 ...)

# Elements that carry no text and hold nothing to read.
_SKIPPED = (
    PPR, RPR, TBLPR, TRPR, TCPR, SDTPR, SDTENDPR, INSTRTEXT, DELINSTRTEXT, SOFTHYPHEN,
    PROOFERR, LASTRENDEREDPAGEBREAK, ANNOTATIONREF, MOVEFROMRANGESTART,
    MOVEFROMRANGEEND, MOVETORANGESTART, MOVETORANGEEND, PERMSTART, PERMEND, TBLGRID, BACKGROUND,
    FLDDATA, CUSTOMXMLPR, SMARTTAGPR, FOOTNOTEREF, ENDNOTEREF, SEPARATOR, CONTINUATIONSEPARATOR,
    CUSTOMXMLINSRANGESTART, CUSTOMXMLINSRANGEEND, CUSTOMXMLDELRANGESTART, CUSTOMXMLDELRANGEEND,
    CUSTOMXMLMOVEFROMRANGESTART, CUSTOMXMLMOVEFROMRANGEEND, CUSTOMXMLMOVETORANGESTART,
    CUSTOMXMLMOVETORANGEEND, TBLPREX,
)


class Walker(Runs, Paragraphs, Tables, Revisions, Fields):
    """Walks one story in document order (see the module's docstring for its public parts)."""

    def __init__(self, styles: Styles, warnings: list[str], *, record: bool = True):
        self.styles = styles
        self.warnings = warnings
        self.record = record
        self.rpr_changed: set = set()  # w:rPr elements holding a w:rPrChange (record only)
        self._warned: set[str] = set()
        self.handlers = self._handler_table()
        self.reset()

    def _handler_table(self) -> dict:
        table = {
            P: self._p, R: self._r, TBL: self._tbl, TR: self._tr, TC: self._tc, SDT: self._sdt,
            INS: self._ins, MOVETO: self._moveto, DEL: self._del, MOVEFROM: self._movefrom,
            CRS: self._crs, CRE: self._cre, CREF: self._cref, AC: self._altc, TXBX: self._txbx,
            T: self._t, M_T: self._t, DELTEXT: self._deltext, TAB: self._tab, PTAB: self._tab,
            BR: self._br, CR: self._br, NOBREAKHYPHEN: self._nbh, SYM: self._sym,
            FLDCHAR: self._fldchar, FNREF: self._noteref, ENREF: self._noteref,
            DRAWING: self._drawing, PICT: self._drawing, OBJECT: self._drawing,
            BOOKMARKSTART: self._bookmark_start, BOOKMARKEND: self._bookmark_end,
            SECTPR: self._sectpr, RUBY: self._ruby,
            ALTCHUNK: self._unsupported, SUBDOC: self._unsupported,
        }
        skip = self._skip
        for tag in _SKIPPED:
            table[tag] = skip
        return table

    # ---- state ----
    def reset(self):
        self.blocks: list = []
        self.flat: list[Para] = []
        self.sink_blocks = self.blocks
        self.sink_paras = self.flat
        self.cur: Para | None = None
        self.carry: Para | None = None
        self.last_closed: Para | None = None
        self.pending: list[list] = []
        self.drop = 0          # inside deleted content (w:del, w:moveFrom, deleted row/cell)
        self.sdrop = 0         # structurally deleted: no paragraphs are created
        self.fields: list[Field] = []
        self.instr = 0         # open fields still in their instruction part
        self.keep = True       # drop == 0 and instr == 0
        self.revs_open: list[Rev] = []
        self.revisions: list[Rev] = []
        self.marks: list[tuple[str, int, object]] = []
        self.refs: dict[tuple[str, str], object] = {}
        self.bm_open: dict[str, tuple[str, object]] = {}      # bookmark id -> (name, start position)
        self.bm_marks: list[tuple[str, object, object]] = []  # (name, start, end) of closed ones
        self.bm_first: dict[str, object] = {}                 # name -> its first start position
        self.forms: list[Form] = []
        self.tables: list[dict] = []
        self.rows: list[list] = []
        self.stray = False

    def close(self):
        """Break the walker <-> handler-table cycle so the XML tree is freed at once."""
        self.handlers = None
        self.rpr_changed = set()

    def warn_once(self, key: str, message: str):
        if key not in self._warned:
            self._warned.add(key)
            self.warnings.append(message)

    def _upd_keep(self):
        self.keep = self.drop == 0 and self.instr == 0

    # ---- positions ----
    def _pos(self):
        """Position of something that starts here (floats to the next paragraph if between)."""
        cur = self.cur or self.carry
        if cur is not None:
            return (cur, len(cur.parts))
        pos = [None, 0]
        self.pending.append(pos)
        return pos

    def _pos_end(self):
        """Position of something that ends here (floats back to the previous paragraph)."""
        cur = self.cur or self.carry
        if cur is not None:
            return (cur, len(cur.parts))
        last = self.last_closed
        if last is not None:
            return (last, len(last.parts))
        return (None, 0)

    # ---- walking ----
    def _walk(self, el):
        h = self.handlers
        for c in el:
            fn = h.get(c.tag)
            if fn is None:
                self._walk(c)  # unknown wrapper (hyperlink, smartTag, customXml, fldSimple ...)
            else:
                fn(c)

    def _skip(self, el):
        pass

    def _unsupported(self, el):
        local = el.tag.rsplit("}", 1)[-1]
        self.warn_once("unsupported:" + local,
                       f"The document contains w:{local} (embedded external content); its text "
                       "was not read.")

    def _dropped(self, el):
        """Walk structurally deleted content (a deleted row or cell): no paragraph is made."""
        self.drop += 1
        self.sdrop += 1
        self.keep = False
        saved = (self.cur, self.carry)
        self.cur = self.carry = None
        self._walk(el)
        self.cur, self.carry = saved
        self.drop -= 1
        self.sdrop -= 1
        self._upd_keep()

    def walk_story(self, el):
        self._walk(el)
        self.finish()

    def finish(self):
        """End of the story: flush a pending merged paragraph, report what was left open."""
        self._flush_carry()
        if self.fields:
            self.warn_once("field:unterminated",
                           "A field in the document is not terminated; text after it may be "
                           "missing.")
        if self.stray:
            self.warn_once("stray", "Text outside any paragraph was skipped.")

    # ---- comment anchors, note references ----
    def _crs(self, el):
        if self.record:
            self.marks.append((el.get(A_ID), 0, self._pos()))

    def _cre(self, el):
        if self.record:
            self.marks.append((el.get(A_ID), 1, self._pos_end()))

    def _cref(self, el):
        if self.record:
            self.marks.append((el.get(A_ID), 2, self._pos_end()))

    def _bookmark_start(self, el):
        self._bookmark(el)
        if self.record:
            name = el.get(A_NAME) or ""
            if name.startswith(BOOKMARK_PREFIX):
                # LibreOffice re-saves a bookmark over several paragraphs as a start left open
                # in the first and a second start-end pair in the last: the earliest start counts
                pos = self._pos()
                self.bm_first.setdefault(name, pos)
                self.bm_open[el.get(A_ID)] = (name, pos)

    def _bookmark_end(self, el):
        if self.record and self.bm_open:
            opened = self.bm_open.pop(el.get(A_ID), None)
            if opened is not None:
                self.bm_marks.append((opened[0], self.bm_first.get(opened[0], opened[1]), self._pos_end()))

    def bookmarks(self) -> dict[str, tuple[int, int]]:
        """name -> (start, end) of the reviewflow bookmarks (names starting with "rf"), after layout."""
        out: dict[str, tuple[int, int]] = {}
        for name, s_pos, e_pos in self.bm_marks:
            start, end = self.resolve(s_pos), self.resolve(e_pos)
            start, end = min(start, end), max(start, end)
            if name in out:   # LibreOffice may split one bookmark into several: their union
                start, end = min(start, out[name][0]), max(end, out[name][1])
            out[name] = (start, end)
        return out

    def _noteref(self, el):
        if self.record:
            part = "footnotes" if el.tag == FNREF else "endnotes"
            self.refs.setdefault((part, el.get(A_ID)), self._pos_end())

    # ---- layout ----
    def layout(self) -> str:
        """Assign offsets; fill block texts; return the canonical text."""
        if self.pending:
            last = self.flat[-1] if self.flat else None
            for pos in self.pending:
                pos[0] = last
                pos[1] = len(last.parts) if last is not None else 0
            self.pending = []
        texts = []
        start = 0
        for para in self.flat:
            raw = "".join(para.parts) if len(para.parts) != 1 else para.parts[0]
            para.raw = raw
            if raw and needs_normalizing(raw):
                text = normalize(raw)
                para.mapped = True
            else:
                text = raw
            para.text = text
            para.start = start
            para.block["text"] = text
            texts.append(text)
            start += len(text) + 1
        return "\n".join(texts)

    @staticmethod
    def resolve(pos) -> int:
        """The offset in the canonical text of a recorded position (after :meth:`layout`)."""
        para, k = pos[0], pos[1]
        if para is None or para.start is None:
            return 0
        prefix = para.prefix
        if prefix is None:
            prefix = para.prefix = list(accumulate(map(len, para.parts), initial=0))
        local = prefix[k] if k < len(prefix) else prefix[-1]
        if para.mapped:
            return para.start + min(len(normalize(para.raw[:local])), len(para.text))
        return para.start + min(local, len(para.text))

    def para_end(self, pos) -> int:
        """The offset of the end of the paragraph holding a recorded position."""
        para = pos[0]
        if para is None or para.start is None:
            return self.resolve(pos)
        return para.start + len(para.text)


__all__ = ["Walker", "Para"]
