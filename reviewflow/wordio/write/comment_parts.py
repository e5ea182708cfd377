"""The comment parts as Word writes them: ``comments.xml``, ``commentsExtended.xml`` (threads,
resolved), ``commentsIds.xml`` (durable ids), ``commentsExtensible.xml`` (UTC dates), and the
optional ``people.xml``.  Built as text (one string per part), from :class:`Written` records.
"""
from __future__ import annotations

import posixpath

from lxml import etree

from ..errors import WordFileError
from ..oxml import A_W15_AUTHOR, NS, REL_PREFIX, REL_PREFIX_STRICT, STRICT_TO_TRANSITIONAL
from .package import COMMENT_KINDS, DECL, NSDECL, REL, Part
from .text import attr, escape


class Written:
    """One comment as written: its ``w:id``, cleaned author/initials, UTC date, paragraphs and
    their paraIds, durableId, the root's last paraId (replies) and its resolved flag."""

    __slots__ = ("cid", "author", "initials", "date", "paras", "para_ids", "durable",
                 "parent_para", "done")


def comment_xml(w: Written, ref_style: bool, text_style: bool) -> str:
    """The ``w:comment`` element of one comment (paragraphs, tabs, its annotationRef)."""
    attrs = f'w:id="{w.cid}" w:author="{attr(w.author)}"'
    date = w.date
    if date:
        attrs += f' w:date="{date}"'
    initials = w.initials
    if initials:
        attrs += f' w:initials="{attr(initials)}"'
    paras = w.paras
    out = [f"<w:comment {attrs}>"]
    ppr = '<w:pPr><w:pStyle w:val="CommentText"/></w:pPr>' if text_style else ""
    rref = '<w:rPr><w:rStyle w:val="CommentReference"/></w:rPr>' if ref_style else ""
    for k, para in enumerate(paras):
        out.append(f'<w:p w14:paraId="{w.para_ids[k]}" w14:textId="77777777">{ppr}')
        if k == 0:
            out.append(f"<w:r>{rref}<w:annotationRef/></w:r>")
        if para:
            pieces = para.split("\t")
            run = []
            for j, piece in enumerate(pieces):
                if j:
                    run.append("<w:tab/>")
                if piece:
                    run.append(f'<w:t xml:space="preserve">{escape(piece)}</w:t>')
            out.append("<w:r>" + "".join(run) + "</w:r>")
        out.append("</w:p>")
    out.append("</w:comment>")
    return "".join(out)


def parts_xml(written: list[Written], ref_style: bool, text_style: bool) -> dict[str, bytes]:
    """{kind: bytes} of the four comment parts."""
    comments = [f"<w:comments {NSDECL}>"]
    ext = [f"<w15:commentsEx {NSDECL}>"]
    ids = [f"<w16cid:commentsIds {NSDECL}>"]
    cex = [f"<w16cex:commentsExtensible {NSDECL}>"]
    for w in written:
        comments.append(comment_xml(w, ref_style, text_style))
        last = w.para_ids[-1]
        parent = f' w15:paraIdParent="{w.parent_para}"' if w.parent_para else ""
        ext.append(f'<w15:commentEx w15:paraId="{last}"{parent} w15:done="{1 if w.done else 0}"/>')
        ids.append(f'<w16cid:commentId w16cid:paraId="{last}" w16cid:durableId="{w.durable}"/>')
        date = w.date
        date_attr = f' w16cex:dateUtc="{date}"' if date else ""
        cex.append(f'<w16cex:commentExtensible w16cex:durableId="{w.durable}"{date_attr}/>')
    comments.append("</w:comments>")
    ext.append("</w15:commentsEx>")
    ids.append("</w16cid:commentsIds>")
    cex.append("</w16cex:commentsExtensible>")
    return {k: DECL + "".join(v).encode("utf-8") for k, v in
            (("comments", comments), ("commentsExtended", ext), ("commentsIds", ids),
             ("commentsExtensible", cex))}


def comment_parts(written: list[Written], folder: str, ref_style: bool, text_style: bool,
                  strict: bool):
    """{part name: bytes} of the four comment parts and their (type, target) relationships."""
    new_parts: dict[str, bytes] = {}
    new_rels: list[tuple[str, str]] = []
    if not written:
        return new_parts, new_rels
    parts = parts_xml(written, ref_style, text_style)
    for kind in COMMENT_KINDS:
        data = parts[kind]
        rtype = REL[kind]
        if strict:
            for s_ns, t_ns in STRICT_TO_TRANSITIONAL.items():
                data = data.replace(t_ns, s_ns)
            if rtype.startswith(REL_PREFIX):
                rtype = REL_PREFIX_STRICT + rtype[len(REL_PREFIX):]
        new_parts[posixpath.join(folder, kind + ".xml")] = data
        new_rels.append((rtype, kind + ".xml"))
    return new_parts, new_rels


def people_xml(authors: list[str], existing: bytes | None) -> bytes:
    """people.xml: the existing entries for other names, then ours (provider "None")."""
    ours = []
    for name in authors:
        a = attr(name)
        ours.append(f'<w15:person w15:author="{a}"><w15:presenceInfo w15:providerId="None" '
                    f'w15:userId="{a}"/></w15:person>')
    if existing is not None:
        try:
            part = Part("word/people.xml", existing)
        except WordFileError:  # a damaged people part is replaced
            part = None
        if part is not None:
            root = part.root
            names = set(authors)
            for person in list(root):
                if person.get(A_W15_AUTHOR) in names:
                    root.remove(person)
            for xml in ours:
                root.append(etree.fromstring(f'<x xmlns:w15="{NS["w15"]}">{xml}</x>')[0])
            return part.tobytes()
    return DECL + (f"<w15:people {NSDECL}>" + "".join(ours) + "</w15:people>").encode("utf-8")


__all__ = ["Written", "comment_xml", "parts_xml", "comment_parts", "people_xml"]
