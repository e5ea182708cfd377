"""A comment–response matrix as a .docx table (pure: rows of plain text in, bytes out).

The matrix is the table UN review processes use to answer comments: one row per thread with
its section, the quoted words, the reviewer, the comment, the replies, its status and the
version in which it was addressed.  Built with python-docx: a landscape page, a repeated header
row, wrapped cells.
"""
from __future__ import annotations

import copy
import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import _Cell


def _repeat_header(row):
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


def _set_text(p, text: str) -> None:
    t = p.find(".//" + qn("w:t"))
    if t is None:   # python-docx leaves out the w:t of an empty run
        t = OxmlElement("w:t")
        p.find(".//" + qn("w:r")).append(t)
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


def matrix_docx(title: str, subtitle_lines, headers, rows, *, widths_cm=None) -> bytes:
    """``rows``: lists of cell strings ("\\n" separates paragraphs inside a cell)."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    style = doc.styles["Normal"]
    style.font.size = Pt(9)
    doc.add_heading(title, level=1)
    for line in subtitle_lines:
        doc.add_paragraph(line)
    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    head = table.rows[0]
    _repeat_header(head)
    for cell, text in zip(head.cells, headers, strict=False):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
    widths = [Cm(w) for w in widths_cm] if widths_cm else []
    for cell, w in zip((_Cell(tc, table) for tc in head._tr.tc_lst), widths, strict=False):
        cell.width = w
    # One row built with python-docx (widths, an empty run per cell), then copied for every row
    # and its texts set: python-docx's own calls cost ~9 ms a row (2,000 threads: 18 s).
    proto = table.add_row()._tr
    for tc, w in zip(proto.tc_lst, widths + [None] * len(headers), strict=False):
        cell = _Cell(tc, table)
        if w is not None:
            cell.width = w
        cell.paragraphs[0].add_run("")
    tbl = proto.getparent()
    tbl.remove(proto)
    for values in rows:
        tr = copy.deepcopy(proto)
        for tc, value in zip(tr.tc_lst, values, strict=False):
            p = tc.find(qn("w:p"))
            lines = (value or "").split("\n")
            _set_text(p, lines[0])
            after = p
            for line in lines[1:]:
                nxt = copy.deepcopy(p)
                _set_text(nxt, line)
                after.addnext(nxt)
                after = nxt
        tbl.append(tr)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
