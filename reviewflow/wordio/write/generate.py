"""Generate a clean .docx from plain data (:func:`generate_docx`): built with python-docx, then
its threads written in by :func:`~.annotate.annotate`.

Layout: the title (style "Title") and subtitle lines ("Subtitle"); for each part its heading
("Heading 1", omitted when ``None``); for each section its heading ("Heading N",
``heading_level``) and its blocks in the ``reviewflow.content`` format:

* a paragraph with ``heading`` N -> "Heading N"; with ``list`` L -> "List Paragraph" and real
  Word bullets (``w:numPr`` ilvl L of a nine-level bullet list added to numbering.xml); else
  its ``style`` when the template has a paragraph style of that name, else "Normal";
* a table -> a "Table Grid" table, one Word cell per cell (a short row's last cell spans the
  remaining columns), cells holding paragraphs and nested tables.

While building, the offset of every paragraph in the document's canonical text is tracked, so
each section's threads (offsets into ``blocks_text(blocks)``) are shifted to document offsets.
Word needs a paragraph after a table that ends a cell; that paragraph (empty) is not part of
the section's text, and offsets after it are mapped around it.  ``check(text)`` verifies the
tracking against the text the writer reads back.
"""
from __future__ import annotations

from bisect import bisect_right
from io import BytesIO

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from ...content import iter_paragraphs, paragraph_offsets
from ..model import ExportThread, GenDocument, GenSection
from .annotate import annotate
from .text import clean

_COMMENT_STYLES = (
    '<w:style {ns} w:type="paragraph" w:styleId="CommentText"><w:name w:val="annotation text"/>'
    '<w:basedOn w:val="Normal"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>'
    '<w:pPr><w:spacing w:line="240" w:lineRule="auto"/></w:pPr>'
    '<w:rPr><w:sz w:val="20"/><w:szCs w:val="20"/></w:rPr></w:style>',
    '<w:style {ns} w:type="character" w:styleId="CommentReference">'
    '<w:name w:val="annotation reference"/><w:basedOn w:val="DefaultParagraphFont"/>'
    '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>'
    '<w:rPr><w:sz w:val="16"/><w:szCs w:val="16"/></w:rPr></w:style>',
)

_BULLETS = (("\uf0b7", "Symbol"), ("o", "Courier New"), ("\uf0a7", "Wingdings"))


def _bullet_abstract(aid: int) -> str:
    levels = []
    for lvl in range(9):
        char, font = _BULLETS[lvl % 3]
        levels.append(
            f'<w:lvl w:ilvl="{lvl}"><w:start w:val="1"/><w:numFmt w:val="bullet"/>'
            f'<w:lvlText w:val="{char}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{720 * (lvl + 1)}" w:hanging="360"/></w:pPr>'
            f'<w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}" w:hint="default"/></w:rPr></w:lvl>')
    return (f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{aid}">'
            '<w:multiLevelType w:val="hybridMultilevel"/>' + "".join(levels) + "</w:abstractNum>")


class _Builder:
    """The python-docx document being built and the canonical offset of each paragraph."""

    def __init__(self, document: GenDocument):
        self.clean = clean
        self.d = docx.Document()
        self.pos = 0              # canonical offset of the next paragraph
        self.emitted = []         # (offset, text) of every paragraph written, in order
        self.styles = {s.name for s in self.d.styles if s.type == 1}
        self.bookmarks = 0        # bookmark ids given
        self._setup(document)

    def _setup(self, document):
        d = self.d
        styles_el = d.styles.element
        for xml in _COMMENT_STYLES:
            styles_el.append(parse_xml(xml.format(ns=nsdecls("w"))))
        if document.language:
            rpr = d.styles["Normal"].element.get_or_add_rPr()
            lang = rpr.find(qn("w:lang"))
            if lang is None:
                lang = parse_xml(f'<w:lang {nsdecls("w")}/>')
                rpr.append(lang)
            lang.set(qn("w:val"), document.language)
        numbering = d.part.numbering_part.element
        abstracts = numbering.findall(qn("w:abstractNum"))
        aid = 1 + max((int(a.get(qn("w:abstractNumId"))) for a in abstracts), default=-1)
        abstract = parse_xml(_bullet_abstract(aid))
        if abstracts:
            abstracts[-1].addnext(abstract)
        else:
            numbering.insert(0, abstract)
        self.bullets = numbering.add_num(aid).numId
        # python-docx's template carries a thumbnail of ITS sample page: not ours to show
        rels = d.part.package.rels
        for rid, rel in list(rels.items()):
            if rel.reltype.endswith("/metadata/thumbnail"):
                rels.pop(rid)
        core = d.core_properties
        core.title = self.clean(document.title)
        core.author = self.clean(document.author)
        core.last_modified_by = self.clean(document.author)
        core.comments = ""
        core.revision = 1

    def bookmark(self, body, first: int, stop: int, name: str):
        """A bookmark ``name`` around the body's children [first, stop): its start in the first
        paragraph of the first one, its end at the end of the last paragraph of the last one."""
        self.bookmarks += 1
        bid = str(self.bookmarks)
        first_el, last_el = body[first], body[stop - 1]
        p_first = first_el if first_el.tag == qn("w:p") else next(first_el.iter(qn("w:p")))
        p_last = last_el if last_el.tag == qn("w:p") else list(last_el.iter(qn("w:p")))[-1]
        start = parse_xml(f'<w:bookmarkStart {nsdecls("w")} w:id="{bid}" w:name="{name}"/>')
        ppr = p_first.find(qn("w:pPr"))
        if ppr is not None:
            ppr.addnext(start)
        else:
            p_first.insert(0, start)
        p_last.append(parse_xml(f'<w:bookmarkEnd {nsdecls("w")} w:id="{bid}"/>'))

    # ---- paragraphs ----
    def emit(self, text: str):
        self.emitted.append((self.pos, text))
        self.pos += len(text) + 1

    def fill(self, para, block: dict):
        text = block.get("text", "")
        if text:
            para.add_run(text)
        heading = block.get("heading")
        lst = block.get("list")
        if heading is not None and 1 <= int(heading) <= 9:
            para.style = self.d.styles[f"Heading {int(heading)}"]
        elif lst is not None:
            para.style = self.d.styles["List Paragraph"]
            num_pr = para._p.get_or_add_pPr().get_or_add_numPr()
            num_pr.get_or_add_ilvl().val = max(0, min(8, int(lst)))
            num_pr.get_or_add_numId().val = self.bullets
        elif block.get("style") in self.styles:
            para.style = self.d.styles[block["style"]]
        self.emit(text)

    def blocks(self, container, blocks, *, in_cell=False, offsets=None):
        """Write blocks into the document body (or a cell); ``offsets`` collects the document
        offset of every paragraph of ``iter_paragraphs(blocks)``, in order."""
        if in_cell:
            avail = container.paragraphs[0]
            fresh = True
        else:
            avail, fresh = None, False
        for block in blocks:
            if block.get("t") == "table":
                if avail is not None:
                    if fresh:
                        avail._p.getparent().remove(avail._p)
                    else:  # the paragraph Word needs after a table stays before this one
                        self.emit("")
                    avail = None
                self.table(container, block, offsets, in_cell)
                if in_cell:
                    avail, fresh = container.paragraphs[-1], False
                continue
            if avail is not None:
                para, avail = avail, None
            else:
                para = container.add_paragraph()
            if offsets is not None:
                offsets.append(self.pos)
            self.fill(para, block)
        if avail is not None:
            if fresh:  # an empty cell: its one empty paragraph is the cell's text
                if offsets is not None:
                    offsets.append(self.pos)
            self.emit("")

    def table(self, container, block, offsets, in_cell):
        rows = block.get("rows") or []
        ncols = max((len(r) for r in rows), default=0) or 1
        nrows = max(len(rows), 1)
        table = container.add_table(nrows, ncols)
        if "Table Grid" in {s.name for s in self.d.styles if s.type == 3}:
            table.style = self.d.styles["Table Grid"]
        for ri in range(nrows):
            row = rows[ri] if ri < len(rows) else []
            cells = table.rows[ri].cells
            first = max(len(row) - 1, 0)
            if len(row) < ncols and first < ncols - 1:
                cells[first].merge(cells[ncols - 1])
            if not row:  # a row without cells: one empty spanning cell, not in the text
                self.emit("")
                continue
            for ci, cell_blocks in enumerate(row):
                cell = table.cell(ri, ci)
                self.blocks(cell, cell_blocks or [{"t": "p", "text": ""}], in_cell=True,
                            offsets=offsets)
        return table


def _clean_blocks(blocks, clean):
    out = []
    for b in blocks or []:
        if b.get("t") == "table":
            nb = dict(b)
            nb["rows"] = [[_clean_blocks(cell, clean) for cell in row] for row in b.get("rows") or []]
            out.append(nb)
        else:
            nb = dict(b)
            nb["t"] = "p"
            nb["text"] = clean(b.get("text", ""))
            out.append(nb)
    return out


def generate_docx(document: GenDocument, *, people: bool = False,
                  properties: dict[str, str] | None = None) -> bytes:
    """A clean .docx of ``document`` with every section's threads anchored in it (and
    ``properties`` as custom document properties)."""
    data, threads, check = build_document(document)
    return annotate(data, threads, people=people, expect=check, properties=properties)


def build_document(document: GenDocument):
    """(bytes of the clean document, threads at document offsets, check(text) callable)."""
    b = _Builder(document)
    d = b.d
    d.add_paragraph(clean(document.title), style="Title")
    b.emit(clean(document.title))
    for line in document.subtitle or ():
        d.add_paragraph(clean(line), style="Subtitle")
        b.emit(clean(line))
    threads: list[ExportThread] = []
    expected: list[tuple[int, str]] = []   # (document offset, paragraph text)
    for part in document.parts:
        if part.heading is not None:
            d.add_paragraph(clean(part.heading), style="Heading 1")
            b.emit(clean(part.heading))
        for section in part.sections:
            _section(b, section, threads, expected)
    buf = BytesIO()
    d.save(buf)

    def check(text: str):
        for off, para_text in expected:
            if text[off:off + len(para_text)] != para_text:
                raise RuntimeError(f"generated document text does not match its sections at "
                                   f"offset {off}: {text[off:off + len(para_text)]!r} != "
                                   f"{para_text!r}")
        if len(text) != b.pos - 1:
            raise RuntimeError("generated document text has an unexpected length")

    return buf.getvalue(), threads, check


def _section(b: _Builder, section: GenSection, threads: list, expected: list) -> None:
    """Write one section (heading, blocks); its threads shifted to document offsets."""
    d = b.d
    level = max(1, min(9, int(section.heading_level)))
    d.add_paragraph(clean(section.heading), style=f"Heading {level}")
    b.emit(clean(section.heading))
    blocks = _clean_blocks(section.blocks, clean)
    offsets: list[int] = []
    body = d.element.body
    first = len(body) - 1   # the last child is w:sectPr: the section's blocks go before it
    if blocks:
        b.blocks(d, blocks, offsets=offsets)
    else:
        offsets.append(b.pos)
        d.add_paragraph("")
        b.emit("")
    if section.bookmark:
        b.bookmark(body, first, len(body) - 1, section.bookmark)
    local = paragraph_offsets(blocks) or [(0, 0)]
    texts = [p.get("text", "") for p in iter_paragraphs(blocks)] or [""]
    for (_s, _e), off, text in zip(local, offsets, texts, strict=False):
        expected.append((off, text))
    starts = [s for s, _e in local]
    length = local[-1][1]

    def to_doc(o):
        if not 0 <= o <= length:
            raise ValueError(f"section {section.heading!r}: offset {o} is outside its text "
                             f"(length {length})")
        i = bisect_right(starts, o) - 1
        return offsets[i] + (o - starts[i])

    for th in section.threads:
        threads.append(ExportThread(start=to_doc(th.start), end=to_doc(th.end),
                                    comments=list(th.comments), resolved=th.resolved,
                                    point=th.point))


__all__ = ["generate_docx", "build_document"]
