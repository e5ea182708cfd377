"""The walker's table family: ``w:tbl``/``w:tr``/``w:tc`` as table blocks of cells of blocks.

Deleted rows and cells (``w:trPr/w:del``, ``w:tcPr/w:cellDel``) are dropped (accepted view);
an empty cell still holds one empty paragraph, as in Word.
"""
from __future__ import annotations

from ..oxml import (
    CELLDEL,
    CELLINS,
    CELLMERGE,
    DEL,
    INS,
    TBLPR,
    TBLPRCHANGE,
    TCPR,
    TCPRCHANGE,
    TRPR,
    TRPRCHANGE,
)


class Tables:
    """Handlers of tables, rows and cells (a mixin of :class:`~.walker.Walker`)."""

    def _tbl(self, tbl):
        self._flush_carry()
        if self.sdrop:
            self._walk(tbl)
            return
        block = {"t": "table", "rows": []}
        if self.record:
            pr = tbl.find(TBLPR)
            if pr is not None:
                ch = pr.find(TBLPRCHANGE)
                if ch is not None:
                    rev = self._open_rev("tblPrChange", ch)
                    self._close_rev(rev)
        self.tables.append(block)
        self._walk(tbl)
        self.tables.pop()
        self.sink_blocks.append(block)

    def _tr(self, tr):
        if self.sdrop or not self.tables:
            self._walk(tr)
            return
        deleted = None
        revs = []
        pr = tr.find(TRPR)
        if pr is not None:
            for c in pr:
                tag = c.tag
                if tag == DEL:
                    deleted = c
                elif tag == INS and self.record:
                    revs.append(self._open_rev("rowIns", c))
                elif tag == TRPRCHANGE and self.record:
                    revs.append(self._open_rev("trPrChange", c))
        if deleted is not None:
            rev = self._open_rev("rowDel", deleted) if self.record else None
            self._dropped(tr)
            if rev is not None:
                self._close_rev(rev)
        else:
            row: list = []
            self.rows.append(row)
            self._walk(tr)
            self.rows.pop()
            self.tables[-1]["rows"].append(row)
        for rev in revs:
            self._close_rev(rev)

    def _tc(self, tc):
        if self.sdrop or not self.rows:
            self._walk(tc)
            return
        revs = []
        deleted = None
        pr = tc.find(TCPR)
        if pr is not None:
            for c in pr:
                tag = c.tag
                if tag == CELLDEL:
                    deleted = c
                elif self.record and (tag in (CELLINS, CELLMERGE, TCPRCHANGE)):
                    revs.append(self._open_rev(tag.rsplit("}", 1)[-1], c))
        if deleted is not None:
            rev = self._open_rev("cellDel", deleted) if self.record else None
            self._dropped(tc)
            if rev is not None:
                self._close_rev(rev)
            for rev in revs:
                self._close_rev(rev)
            return
        cell: list = []
        saved_sink, saved_carry = self.sink_blocks, self.carry
        self.sink_blocks, self.carry = cell, None
        self._walk(tc)
        self._flush_carry()
        if not cell:
            self._close(self._new_para())
        self.sink_blocks, self.carry = saved_sink, saved_carry
        self.rows[-1].append(cell)
        for rev in revs:
            self._close_rev(rev)


__all__ = ["Tables"]
