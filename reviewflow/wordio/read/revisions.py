"""The walker's tracked-change family: ``w:ins``/``w:del``/``w:moveTo``/``w:moveFrom`` and the
property changes, recorded as :class:`Rev` while walking, turned into ``Revision`` at the end.

Accepted view: ``w:ins``/``w:moveTo`` are kept; ``w:del``/``w:delText``/``w:moveFrom`` dropped.
"""
from __future__ import annotations

from ..model import Revision
from ..oxml import A_AUTHOR, A_DATE, A_ID, SECTPRCHANGE
from .dates import parse_word_date
from .text import needs_normalizing, normalize

# The kinds whose range covers text that remains in the accepted view.
KEPT_KINDS = {"ins", "moveTo", "rPrChange", "pPrChange", "rowIns", "cellIns", "cellMerge",
              "tblPrChange", "trPrChange", "tcPrChange", "numberingChange", "sectPrChange"}


class Rev:
    """A tracked change being recorded: its kind, who and when, and its positions."""

    __slots__ = ("kind", "author", "date_raw", "id", "start", "end", "parts", "mark", "para")

    def __init__(self, kind, el, start, mark=False):
        self.kind = kind
        self.author = el.get(A_AUTHOR) or ""
        self.date_raw = el.get(A_DATE)
        self.id = el.get(A_ID)
        self.start = start
        self.end = None
        self.parts = []
        self.mark = mark
        self.para = False


class Revisions:
    """Handlers of tracked changes (a mixin of :class:`~.walker.Walker`)."""

    def _open_rev(self, kind, el):
        rev = Rev(kind, el, self._pos())
        self.revisions.append(rev)
        self.revs_open.append(rev)
        return rev

    def _close_rev(self, rev):
        rev.end = self._pos_end()
        if self.revs_open and self.revs_open[-1] is rev:
            self.revs_open.pop()
        else:
            try:
                self.revs_open.remove(rev)
            except ValueError:  # pragma: no cover
                pass

    def _ins(self, el):
        if not self.record:
            self._walk(el)
            return
        rev = self._open_rev("ins", el)
        self._walk(el)
        self._close_rev(rev)

    def _moveto(self, el):
        if not self.record:
            self._walk(el)
            return
        rev = self._open_rev("moveTo", el)
        self._walk(el)
        self._close_rev(rev)

    def _deleted(self, el, kind):
        rev = self._open_rev(kind, el) if self.record else None
        self.drop += 1
        self.keep = False
        self._walk(el)
        self.drop -= 1
        self._upd_keep()
        if rev is not None:
            self._close_rev(rev)

    def _del(self, el):
        self._deleted(el, "del")

    def _movefrom(self, el):
        self._deleted(el, "moveFrom")

    def _sectpr(self, el):
        if self.record:
            ch = el.find(SECTPRCHANGE)
            if ch is not None:
                rev = Rev("sectPrChange", ch, self._pos_end())
                rev.end = rev.start
                self.revisions.append(rev)


def revisions_of(walker, text: str) -> list[Revision]:
    """The walker's tracked changes as ``Revision`` (after :meth:`~.walker.Walker.layout`)."""
    out = []
    for rev in walker.revisions:
        start = walker.resolve(rev.start)
        end = walker.resolve(rev.end) if rev.end is not None else start
        if rev.kind not in KEPT_KINDS or rev.mark:
            end = start
        end = max(start, end)
        if rev.para:
            body = text[start:end]
        else:
            body = "".join(rev.parts)
            if body and needs_normalizing(body):
                body = normalize(body)
        out.append(Revision(kind=rev.kind, author=rev.author, date=parse_word_date(rev.date_raw),
                            text=body, start=start, end=end, id=rev.id,
                            paragraph_mark=rev.mark, date_raw=rev.date_raw))
    return out


__all__ = ["Rev", "Revisions", "revisions_of", "KEPT_KINDS"]
