"""What LibreOffice (.odt content.xml) and pandoc (JSON AST) show of a document's comments.

Both readers flatten the document into one text in reading order (paragraphs joined by "\\n",
table cells row by row, deleted text left out) and record where each comment's range starts
and ends in it, so the text each application puts under a comment can be compared with the
quote reviewflow wrote it on.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
DC = "http://purl.org/dc/elements/1.1/"
META = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
LOEXT = "urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0"


def _o(local):
    return f"{{{OFFICE}}}{local}"


def _t(local):
    return f"{{{TEXT}}}{local}"


@dataclass
class Annotation:
    name: str | None
    parent: str | None
    resolved: bool
    author: str
    initials: str
    date: str
    body: str
    start: int
    end: int | None = None
    quote: str = ""


@dataclass
class _Flat:
    pieces: list = field(default_factory=list)
    length: int = 0
    paragraphs: int = 0

    def add(self, s):
        if s:
            self.pieces.append(s)
            self.length += len(s)

    def text(self):
        return "".join(self.pieces)


# ---- LibreOffice: ODF content.xml ----------------------------------------------------------
_SKIP = {_t("tracked-changes"), _t("sequence-decls"), _o("forms"), _t("note"),
         _t("variable-decls"), _t("user-field-decls"), _t("soft-page-break"),
         "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}frame",
         "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}covered-table-cell"}
_PARA = {_t("p"), _t("h")}


def _inline_text(el) -> str:
    """The text of one paragraph's inline content (for annotation bodies)."""
    flat = _Flat()
    _inline(el, flat, None)
    return flat.text()


def _inline(el, flat: _Flat, anns):
    flat.add(el.text)
    for c in el:
        tag = c.tag
        if tag == _t("s"):
            flat.add(" " * int(c.get(_t("c"), "1")))
        elif tag == _t("tab"):
            flat.add("\t")
        elif tag == _t("line-break"):
            flat.add("\n")
        elif tag == _o("annotation"):
            if anns is not None:
                paras = [_inline_text(p) for p in c if p.tag in _PARA]
                anns["start"].append(Annotation(
                    name=c.get(_o("name")), parent=c.get(f"{{{LOEXT}}}parent-name"),
                    resolved=c.get(f"{{{LOEXT}}}resolved") == "true",
                    author=c.findtext(f"{{{DC}}}creator") or "",
                    initials=c.findtext(f"{{{META}}}creator-initials") or "",
                    date=c.findtext(f"{{{DC}}}date") or "", body="\n".join(paras), start=flat.length))
        elif tag == _o("annotation-end"):
            if anns is not None:
                anns["end"][c.get(_o("name"))] = flat.length
        elif tag in _SKIP or not isinstance(tag, str):
            pass
        else:
            _inline(c, flat, anns)
        flat.add(c.tail)


def _blocks(el, flat: _Flat, anns):
    for c in el:
        tag = c.tag
        if tag in _PARA:
            if flat.paragraphs:
                flat.add("\n")
            flat.paragraphs += 1
            _inline(c, flat, anns)
        elif tag in _SKIP or not isinstance(tag, str):
            continue
        else:  # tables, rows, cells, lists, list items, sections ...
            _blocks(c, flat, anns)


def odt_annotations(content_xml: bytes) -> tuple[str, list[Annotation]]:
    """(document text, annotations in document order with their quotes) of an ODT content.xml."""
    root = etree.fromstring(content_xml)
    body = root.find(f"{_o('body')}/{_o('text')}")
    flat = _Flat()
    anns = {"start": [], "end": {}}
    _blocks(body, flat, anns)
    text = flat.text()
    for a in anns["start"]:
        a.end = anns["end"].get(a.name) if a.name else None
        a.quote = text[a.start:a.end] if a.end is not None else ""
    return text, anns["start"]


# ---- pandoc: JSON AST ----------------------------------------------------------------------
@dataclass
class PandocComment:
    id: str
    author: str
    date: str
    body: str
    start: int
    end: int | None = None
    quote: str = ""


def _pandoc_inlines(items, flat: _Flat, found):
    for il in items:
        t = il.get("t")
        c = il.get("c")
        if t == "Str":
            flat.add(c)
        elif t in ("Space", "SoftBreak"):
            flat.add(" ")
        elif t == "LineBreak":
            flat.add("\n")
        elif t == "Span":
            (ident, classes, kv), content = c
            attrs = dict(kv)
            if "comment-start" in classes:
                body = _Flat()
                _pandoc_inlines(content, body, None)
                if found is not None:
                    found["start"].append(PandocComment(attrs.get("id", ident), attrs.get("author", ""),
                                                        attrs.get("date", ""), body.text(), flat.length))
            elif "comment-end" in classes:
                if found is not None:
                    found["end"].setdefault(attrs.get("id", ident), flat.length)
                _pandoc_inlines(content, flat, found)
            elif "deletion" in classes:
                continue
            else:
                _pandoc_inlines(content, flat, found)
        elif t in ("Emph", "Strong", "Underline", "Strikeout", "Superscript", "Subscript", "SmallCaps"):
            _pandoc_inlines(c, flat, found)
        elif t == "Link" or t == "Quoted":
            _pandoc_inlines(c[1], flat, found)
        elif t in ("Code", "Math"):
            flat.add(c[1])


def _pandoc_blocks(node, flat: _Flat, found):
    if isinstance(node, list):
        for x in node:
            _pandoc_blocks(x, flat, found)
        return
    if not isinstance(node, dict):
        return
    t = node.get("t")
    if t in ("Para", "Plain"):
        if flat.paragraphs:
            flat.add("\n")
        flat.paragraphs += 1
        _pandoc_inlines(node["c"], flat, found)
    elif t == "Header":
        if flat.paragraphs:
            flat.add("\n")
        flat.paragraphs += 1
        _pandoc_inlines(node["c"][2], flat, found)
    elif "c" in node:
        _pandoc_blocks(node["c"], flat, found)


def pandoc_comments(ast: dict) -> tuple[str, list[PandocComment]]:
    """(document text, comments in document order with the text between their start and end)."""
    flat = _Flat()
    found = {"start": [], "end": {}}
    _pandoc_blocks(ast["blocks"], flat, found)
    text = flat.text()
    for cm in found["start"]:
        cm.end = found["end"].get(cm.id)
        cm.quote = text[cm.start:cm.end] if cm.end is not None else ""
    return text, found["start"]


def squash(s: str) -> str:
    """Whitespace-insensitive form (pandoc turns tabs and breaks into spaces)."""
    return " ".join(s.split())
