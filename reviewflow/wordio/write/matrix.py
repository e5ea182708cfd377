"""A comment–response matrix as a .docx table (pure: rows of plain text in, bytes out).

The matrix is the table UN review processes use to answer comments: one row per thread with
its section, the quoted words, the reviewer, the comment, the replies, its status and the
version in which it was addressed.  Built with python-docx: a landscape page, a repeated header
row, wrapped cells.
"""
from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt


def _repeat_header(row):
    tr_pr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    tr_pr.append(el)


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
    for values in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=False):
            lines = (value or "").split("\n")
            cell.text = lines[0]
            for line in lines[1:]:
                cell.add_paragraph(line)
    if widths_cm:
        for row in table.rows:
            for cell, w in zip(row.cells, widths_cm, strict=False):
                cell.width = Cm(w)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
