"""Deciding Word tracked changes in a .docx the way Word or LibreOffice writes the result:
accepting a ``w:ins`` keeps its runs, rejecting it drops them; accepting a ``w:del`` drops its
runs, rejecting it keeps them (``w:delText`` -> ``w:t``); a deleted paragraph mark accepted
merges the paragraph with the next one.  Changes are chosen by ``w:id``."""
from __future__ import annotations

import io
import re
import zipfile

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def rezip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for n, b in parts.items():
            z.writestr(n, b)
    return out.getvalue()


def changes(data: bytes) -> list[dict]:
    """Every w:ins / w:del of the body: id, kind, author, date, text."""
    root = etree.fromstring(members(data)["word/document.xml"])
    out = []
    for el in root.iter(q("ins"), q("del")):
        if el.getparent().tag == q("rPr"):
            kind = "para-" + etree.QName(el).localname
            text = ""
        else:
            kind = etree.QName(el).localname
            text = "".join(x.text or "" for x in el.iter(q("t"), q("delText")))
        out.append({"id": el.get(q("id")), "kind": kind, "author": el.get(q("author")),
                    "date": el.get(q("date")), "text": text})
    return out


def decide(data: bytes, *, accept=(), reject=(), everything: str | None = None) -> bytes:
    """The file with the changes of ids ``accept`` accepted and ``reject`` rejected (or all of
    them, ``everything="accept"|"reject"``); the others left pending."""
    parts = members(data)
    root = etree.fromstring(parts["word/document.xml"])
    for el in list(root.iter(q("ins"), q("del"))):
        wid = el.get(q("id"))
        choice = everything or ("accept" if wid in accept else "reject" if wid in reject else None)
        if choice is None:
            continue
        mark = el.getparent().tag == q("rPr")
        deletion = el.tag == q("del")
        if mark:
            para = el.getparent().getparent().getparent()
            el.getparent().remove(el)
            if deletion and choice == "accept":      # merge with the next paragraph
                nxt = para.getnext()
                if nxt is not None and nxt.tag == q("p"):
                    for child in list(nxt):
                        if child.tag != q("pPr"):
                            para.append(child)
                    nxt.getparent().remove(nxt)
            continue
        drop = (deletion and choice == "accept") or (not deletion and choice == "reject")
        parent = el.getparent()
        if drop:
            parent.remove(el)
            continue
        for x in el.iter(q("delText")):
            x.tag = q("t")
        i = parent.index(el)
        for child in list(el):
            parent.insert(i, child)
            i += 1
        parent.remove(el)
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return rezip(parts)


def ids_unique(data: bytes) -> bool:
    """No two annotations of the body share a w:id (comments, changes, bookmarks apart)."""
    xml = members(data)["word/document.xml"].decode()
    change_ids = re.findall(r'<w:(?:ins|del)\b[^>]*\bw:id="(\d+)"', xml)
    comment_ids = set(re.findall(r'<w:commentRangeStart\b[^>]*\bw:id="(\d+)"', xml))
    return len(change_ids) == len(set(change_ids)) and not comment_ids & set(change_ids)
