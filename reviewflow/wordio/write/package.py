"""Package plumbing for the writer: parts parsed for rewriting, relationships, content types.

A :class:`Part` keeps everything of the part (comments, PIs, its XML declaration, Strict
namespaces, which are translated on read and back on save), so a rewritten part differs from
the original only where the writer changed it.
"""
from __future__ import annotations

import posixpath
import re

from lxml import etree

from ..errors import CorruptError, DoctypeError
from ..oxml import (
    CT_OVERRIDE,
    NS,
    PR_RELATIONSHIP,
    PR_RELATIONSHIPS,
    REL_PREFIX,
    REL_PREFIX_STRICT,
    STRICT_TO_TRANSITIONAL,
    has_declaration,
    make_rewrite_parser,
)

DECL = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
# The namespace declarations of the comment parts, as Word writes them.
NSDECL = (
    f'xmlns:mc="{NS["mc"]}" xmlns:r="{NS["r"]}" xmlns:w="{NS["w"]}" xmlns:w14="{NS["w14"]}" '
    f'xmlns:w15="{NS["w15"]}" xmlns:w16cex="{NS["w16cex"]}" xmlns:w16cid="{NS["w16cid"]}" '
    'mc:Ignorable="w14 w15 w16cex w16cid"'
)
REL = {
    "comments": REL_PREFIX + "comments",
    "commentsExtended": "http://schemas.microsoft.com/office/2011/relationships/commentsExtended",
    "commentsIds": "http://schemas.microsoft.com/office/2016/09/relationships/commentsIds",
    "commentsExtensible": "http://schemas.microsoft.com/office/2018/08/relationships/commentsExtensible",
    "people": "http://schemas.microsoft.com/office/2011/relationships/people",
}
_CT_BASE = "application/vnd.openxmlformats-officedocument.wordprocessingml."
CONTENT_TYPE = {k: _CT_BASE + k + "+xml" for k in REL}
COMMENT_KINDS = ("comments", "commentsExtended", "commentsIds", "commentsExtensible")
STORY_KINDS = {"header", "footer", "footnotes", "endnotes"}


class Part:
    """An XML part parsed for rewriting (Strict namespaces translated, and back on save)."""

    def __init__(self, name: str, data: bytes):
        if has_declaration(data):
            raise DoctypeError(part=name)
        self.name = name
        self.strict = b"purl.oclc.org/ooxml" in data
        m = re.match(rb"\s*<\?xml[^>]*\?>\s*", data)
        decl = m.group(0) if m else b""
        if decl and not re.search(rb"encoding=[\"'](utf-8|UTF-8)[\"']", decl):
            decl = DECL
        self.decl = decl
        if self.strict:
            for strict, transitional in STRICT_TO_TRANSITIONAL.items():
                data = data.replace(strict, transitional)
        try:
            self.root = etree.fromstring(data, make_rewrite_parser())
        except etree.XMLSyntaxError as exc:
            raise CorruptError(f"The part {name} of this Word file is damaged ({exc.msg}).",
                               part=name) from None

    def tobytes(self) -> bytes:
        out = self.decl + etree.tostring(self.root, encoding="UTF-8", xml_declaration=False)
        if self.strict:
            for strict, transitional in STRICT_TO_TRANSITIONAL.items():
                out = out.replace(transitional, strict)
        return out


def rels_name(part: str) -> str:
    """``word/document.xml`` -> ``word/_rels/document.xml.rels``."""
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")


def target_name(source: str, target: str) -> str:
    """The part name a relationship of ``source`` points at."""
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def rel_kind(rtype: str) -> str:
    """The last segment of a relationship type (Strict or Transitional): ``comments`` ..."""
    return (rtype or "").replace(REL_PREFIX_STRICT, REL_PREFIX).rsplit("/", 1)[-1]


def relationships(data: bytes | None, name: str, main: str, drop: set, new_rels) -> bytes:
    """The main part's relationships without the dropped parts, with the new ones."""
    if data is None:
        rroot = etree.Element(PR_RELATIONSHIPS, nsmap={None: NS["pr"]})
        part = None
    else:
        part = Part(name, data)
        rroot = part.root
    used = set()
    for rel in list(rroot):
        if not isinstance(rel.tag, str):
            continue
        external = (rel.get("TargetMode") or "").lower() == "external"
        if not external and (rel_kind(rel.get("Type")) in COMMENT_KINDS
                             or target_name(main, rel.get("Target") or "") in drop):
            rroot.remove(rel)
            continue
        used.add(rel.get("Id"))
    k = 1
    for rtype, target in new_rels:
        while f"rId{k}" in used:
            k += 1
        used.add(f"rId{k}")
        etree.SubElement(rroot, PR_RELATIONSHIP, {"Id": f"rId{k}", "Type": rtype, "Target": target})
    if part is None:
        return DECL + etree.tostring(rroot, encoding="UTF-8")
    return part.tobytes()


def content_types(data: bytes, name: str, drop: set, new_parts: dict) -> bytes:
    """``[Content_Types].xml`` without the dropped parts' overrides, with the new parts'."""
    ct = Part(name, data)
    gone = {"/" + n for n in drop} | {"/" + n for n in new_parts}
    for el in list(ct.root):
        if isinstance(el.tag, str) and el.tag == CT_OVERRIDE and el.get("PartName") in gone:
            ct.root.remove(el)
    for part in new_parts:
        kind = posixpath.splitext(posixpath.basename(part))[0]
        etree.SubElement(ct.root, CT_OVERRIDE,
                         {"PartName": "/" + part, "ContentType": CONTENT_TYPE[kind]})
    return ct.tobytes()


__all__ = ["Part", "DECL", "NSDECL", "REL", "CONTENT_TYPE", "COMMENT_KINDS", "STORY_KINDS",
           "rels_name", "target_name", "rel_kind", "relationships", "content_types"]
