"""Write comments into Word files: the pure Word writer (bytes and dataclasses in, bytes out).

* :func:`annotate_docx` takes the ORIGINAL .docx, removes every comment it holds and writes
  the given threads in, anchored on offsets of the canonical text that
  :func:`reviewflow.wordio.read_docx` gives for that same file.  Everything else (styles,
  pictures, tables, headers, numbering, tracked changes) is left as it was: unchanged zip
  members are copied byte for byte; in ``document.xml`` only the runs a comment boundary falls
  in are split (each piece keeps the run's properties).
* :func:`generate_docx` builds a clean .docx from plain data (title block, parts, sections
  with blocks in the ``reviewflow.content`` format) and anchors the sections' threads in it.

Decisions (details in docs/docx-export.md):

* Offsets are mapped through the reader's own walker (:mod:`.textmap`), so a comment written
  at ``[start, end)`` reads back with ``quote == text[start:end]``.
* A point comment (``start == end`` or ``point=True``, at ``start``) is written as a
  zero-length range plus its reference: pandoc drops comments without a range, LibreOffice
  and Word show both forms as a point.
* Replies: their own ``commentRangeStart``/``End`` on the root's span and their own reference
  (as Word writes them), threaded by ``commentsExtended.xml`` ``w15:paraIdParent`` on the
  LAST paragraph's ``w14:paraId``; resolved threads get ``w15:done="1"`` on the root and on
  every reply.
* Dates: ``w:date`` and ``w16cex:dateUtc`` both carry the UTC time (seconds precision).
* Ids: ``w:id`` 0..n-1 in document order; paraIds and durableIds are 31-bit, non-zero, unique,
  below 0x7FFFFFFF, never equal to a paraId/textId already in the package, and deterministic
  (drawn from a generator seeded by the input), so the same input gives the same bytes.
"""
from __future__ import annotations

import gc
import hashlib
import posixpath
import random
import re
import threading
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from io import BytesIO
from xml.sax.saxutils import escape

from lxml import etree

from . import textmap
from .errors import CorruptError, DoctypeError, WordFileError
from .guard import check_package
from .oxml import NS, REL_PREFIX, REL_PREFIX_STRICT, STRICT_TO_TRANSITIONAL, has_declaration
from .zipout import ZipOut, deflate_soon

__all__ = ["ExportComment", "ExportThread", "GenSection", "GenPart", "GenDocument",
           "annotate_docx", "generate_docx"]


# -- input --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ExportComment:
    author: str
    initials: str
    date: datetime | None        # aware UTC (a naive value is taken as UTC)
    text: str                    # body; "\n" separates paragraphs, "\t" is a tab


@dataclass(frozen=True)
class ExportThread:
    start: int                   # offsets into read_docx(original).text
    end: int
    comments: list[ExportComment]  # root first, then its replies in order
    resolved: bool = False
    point: bool = False          # a point comment at ``start`` (also when start == end)


# -- namespaces, tags ---------------------------------------------------------------------------
_W, _W14, _W15 = NS["w"], NS["w14"], NS["w15"]
_W16CID, _W16CEX, _MC = NS["w16cid"], NS["w16cex"], NS["mc"]


def _w(local: str) -> str:
    return "{%s}%s" % (_W, local)


BODY, P, R, T, RPR, PPR = _w("body"), _w("p"), _w("r"), _w("t"), _w("rPr"), _w("pPr")
CRS, CRE, CREF = _w("commentRangeStart"), _w("commentRangeEnd"), _w("commentReference")
RSTYLE, A_ID, A_VAL = _w("rStyle"), _w("id"), _w("val")
SDT, SDTCONTENT = _w("sdt"), _w("sdtContent")
M_RPR = "{%s}rPr" % NS["m"]
M_OMATH, M_OMATHPARA = "{%s}oMath" % NS["m"], "{%s}oMathPara" % NS["m"]
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

_PROPS = {RPR, M_RPR}
# Inline wrappers a marker may be moved out of when it sits at their very start/end.
_WRAPPERS = {_w("ins"), _w("moveTo"), _w("hyperlink"), _w("smartTag"), _w("customXml"),
             _w("fldSimple"), _w("dir"), _w("bdo"), SDTCONTENT}
_NON_CONTENT = {
    _w("bookmarkStart"), _w("bookmarkEnd"), _w("proofErr"), _w("permStart"), _w("permEnd"), CRS,
    CRE, _w("moveFromRangeStart"), _w("moveFromRangeEnd"), _w("moveToRangeStart"),
    _w("moveToRangeEnd"), _w("smartTagPr"), _w("customXmlPr"), _w("fldData"),
    _w("customXmlInsRangeStart"), _w("customXmlInsRangeEnd"), _w("customXmlDelRangeStart"),
    _w("customXmlDelRangeEnd"),
}

REL = {
    "comments": REL_PREFIX + "comments",
    "commentsExtended": "http://schemas.microsoft.com/office/2011/relationships/commentsExtended",
    "commentsIds": "http://schemas.microsoft.com/office/2016/09/relationships/commentsIds",
    "commentsExtensible": "http://schemas.microsoft.com/office/2018/08/relationships/commentsExtensible",
    "people": "http://schemas.microsoft.com/office/2011/relationships/people",
}
_CT_BASE = "application/vnd.openxmlformats-officedocument.wordprocessingml."
CONTENT_TYPE = {k: _CT_BASE + k + "+xml" for k in REL}
_THREAD_MIN_BYTES = 256 * 1024   # parts at least this large are deflated in a thread
_COMMENT_KINDS = ("comments", "commentsExtended", "commentsIds", "commentsExtensible")
_STORY_KINDS = {"header", "footer", "footnotes", "endnotes"}
_PR = NS["pr"]
_CT = NS["ct"]

DECL = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
_NSDECL = (
    f'xmlns:mc="{_MC}" xmlns:r="{NS["r"]}" xmlns:w="{_W}" xmlns:w14="{_W14}" '
    f'xmlns:w15="{_W15}" xmlns:w16cex="{_W16CEX}" xmlns:w16cid="{_W16CID}" '
    'mc:Ignorable="w14 w15 w16cex w16cid"'
)
_BAD_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_WID = re.compile(rb'w:id="(\d+)"')
# w14:paraId, w14:textId, w16cid:durableId ... (anything "...Id" with a hex value: a literal
# prefix keeps the scan fast; matching a few other ids only excludes a few more values)
_COMMENT_WID = re.compile(rb'<w:comment(?:RangeStart|RangeEnd|Reference)\b[^>]*?\bw:id="(\d+)"')
_ID_ATTR = re.compile(rb'Id="([0-9A-Fa-f]{1,8})"')


def _clean(text: str) -> str:
    """NFC, line endings as "\\n"; characters XML 1.0 cannot carry become U+FFFD."""
    text = text or ""
    if text.isascii() and text.isprintable():
        return text
    if "\r" in text or "\u2028" in text or "\u2029" in text:
        text = (text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
                .replace("\u2029", "\n"))
    text = unicodedata.normalize("NFC", text)
    return _BAD_XML_CHARS.sub("\ufffd", text)


def _attr(value: str) -> str:
    return escape(value, {'"': "&quot;", "\n": "&#10;", "\t": "&#9;"})


def _utc(dt: datetime | None) -> str | None:
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parser() -> etree.XMLParser:
    # hardened as oxml.make_parser, but keeping comments and PIs so parts are rewritten whole
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                           load_dtd=False, dtd_validation=False, remove_comments=False,
                           remove_pis=False, collect_ids=False)


class _Part:
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
            self.root = etree.fromstring(data, _parser())
        except etree.XMLSyntaxError as exc:
            raise CorruptError(f"The part {name} of this Word file is damaged ({exc.msg}).",
                               part=name) from None

    def tobytes(self) -> bytes:
        out = self.decl + etree.tostring(self.root, encoding="UTF-8", xml_declaration=False)
        if self.strict:
            for strict, transitional in STRICT_TO_TRANSITIONAL.items():
                out = out.replace(transitional, strict)
        return out


# -- removing existing comments -----------------------------------------------------------------
def _strip_comments(root) -> int:
    """Remove every comment range marker and reference (and a reference's emptied run)."""
    found = list(root.iter(CRS, CRE, CREF))
    for el in found:
        parent = el.getparent()
        if parent is None:
            continue
        _remove(el)
        if el.tag == CREF and parent.tag == R and all(c.tag in _PROPS for c in parent):
            _remove(parent)
    return len(found)


def _remove(el):
    """Remove ``el`` keeping its tail text (if any) in place."""
    parent = el.getparent()
    tail = el.tail
    if tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(el)


# -- ids ----------------------------------------------------------------------------------------
class _Ids:
    """31-bit, non-zero, unique hex ids (below 0x7FFFFFFF), avoiding ``taken``."""

    def __init__(self, seed: bytes, taken: set[int]):
        self.rng = random.Random(int.from_bytes(hashlib.sha256(seed).digest()[:8], "big"))
        self.taken = set(taken)

    def next(self) -> str:
        while True:
            value = self.rng.randrange(1, 0x7FFFFFFF)
            if value not in self.taken:
                self.taken.add(value)
                return f"{value:08X}"


# -- placing markers ----------------------------------------------------------------------------
def _is_content(el) -> bool:
    tag = el.tag
    if not isinstance(tag, str) or tag in _NON_CONTENT:
        return False
    if tag == R:  # a reference run of ours (or an empty run) shows no text
        for c in el:
            if c.tag not in _PROPS and c.tag != CREF:
                return True
        return False
    return True


def _hoist_before(group):
    """Move a marker group that opens a wrapper (w:ins, hyperlink, sdt ...) out of it."""
    first = group[0]
    while True:
        parent = first.getparent()
        if parent is None or parent.tag not in _WRAPPERS:
            return
        prev = first.getprevious()
        while prev is not None:
            if _is_content(prev):
                return
            prev = prev.getprevious()
        outer = parent.getparent() if parent.tag == SDTCONTENT else parent
        if outer is None or outer.getparent() is None:
            return
        for m in group:
            outer.addprevious(m)


def _hoist_after(group):
    """Move a marker group that closes a wrapper out of it (after the wrapper)."""
    last = group[-1]
    while True:
        parent = last.getparent()
        if parent is None or parent.tag not in _WRAPPERS:
            return
        nxt = last.getnext()
        while nxt is not None:
            if _is_content(nxt):
                return
            nxt = nxt.getnext()
        outer = parent.getparent() if parent.tag == SDTCONTENT else parent
        if outer is None or outer.getparent() is None:
            return
        anchor = outer
        for m in group:
            anchor.addnext(m)
            anchor = m


def _insert_before(anchor, group):
    for m in group:
        anchor.addprevious(m)


def _insert_after(anchor, group):
    for m in group:
        anchor.addnext(m)
        anchor = m


def _math_root(el):
    """The outermost m:oMathPara/m:oMath holding ``el`` (None when not in math)."""
    found = None
    cur = el.getparent()
    while cur is not None and cur.tag != P:
        if cur.tag in (M_OMATH, M_OMATHPARA):
            found = cur
        cur = cur.getparent()
    return found


def _cut(item: textmap.Item, cuts: dict[int, list], tm: textmap.TextMap):
    """Split ``item``'s run at the canonical local indices of ``cuts`` and put each list of
    marker elements between the pieces (at the run's level)."""
    el = item.el
    run = el.getparent()
    n = item.end - item.start
    children = list(run)
    props = [c for c in children if c.tag in _PROPS]
    content = [c for c in children if c.tag not in _PROPS]
    idx = content.index(el)
    seq: list = [("c", c) for c in content[:idx]]
    if 0 in cuts:
        seq.append(("m", cuts[0]))
    inner = sorted(k for k in cuts if 0 < k < n)
    if inner and el.text:
        raw = el.text
        by_raw: dict[int, list] = {}
        for k in inner:
            i = tm.raw_index(item, k)
            by_raw.setdefault(i, []).extend(cuts[k])
        prev = 0
        pieces = []
        for i in sorted(by_raw):
            if i > prev:
                pieces.append(("t", raw[prev:i]))
            pieces.append(("m", by_raw[i]))
            prev = max(prev, i)
        if prev < len(raw):
            pieces.append(("t", raw[prev:]))
        first = True
        for kind, x in pieces:
            if kind == "m":
                seq.append(("m", x))
                continue
            if first:
                t_el = el
                first = False
            else:
                t_el = el.makeelement(el.tag, el.attrib)
            t_el.text = x
            t_el.set(XML_SPACE, "preserve")
            seq.append(("c", t_el))
        if first:  # every cut was at an edge after mapping: keep the element empty-free
            el.text = raw
            seq.append(("c", el))
    else:
        seq.append(("c", el))
    if n in cuts:
        seq.append(("m", cuts[n]))
    seq.extend(("c", c) for c in content[idx + 1:])

    # group content into runs; the first group reuses the original run element
    groups: list = []
    cur: list = []
    for kind, x in seq:
        if kind == "c":
            cur.append(x)
        else:
            if cur:
                groups.append(("run", cur))
                cur = []
            groups.append(("m", x))
    if cur:
        groups.append(("run", cur))
    for c in content:
        run.remove(c)
    out = []
    used = False
    for kind, x in groups:
        if kind == "m":
            out.append(("m", x))
            continue
        if not used:
            target = run
            used = True
        else:
            target = run.makeelement(run.tag, run.attrib)
            for pr in props:
                target.append(_copy(pr))
        for c in x:
            target.append(c)
        out.append(("run", target))
    # place everything around the original run, in order
    pos = out.index(("run", run)) if used else len(out)
    for kind, x in out[:pos]:
        _insert_before(run, x if kind == "m" else [x])
    anchor = run
    for kind, x in out[pos + 1:]:
        elems = x if kind == "m" else [x]
        _insert_after(anchor, elems)
        anchor = elems[-1]
    if out and out[0][0] == "m" and 0 in cuts and out[0][1] is cuts[0]:
        _hoist_before(cuts[0])
    if out and out[-1][0] == "m" and n in cuts and out[-1][1] is cuts[n]:
        _hoist_after(cuts[n])


def _copy(el):
    from copy import deepcopy
    return deepcopy(el)


def _place(root, tm: textmap.TextMap, placed: list, ref_style: bool):
    """``placed``: (thread order, comment order, cid, start, end, point)."""
    rpr = '<w:rPr><w:rStyle w:val="CommentReference"/></w:rPr>' if ref_style else ""
    spots: dict = {}

    def at(spot, entry):
        key = spot.key()
        slot = spots.get(key)
        if slot is None:
            slot = spots[key] = (spot, [])
        slot[1].append(entry)

    # markers as XML text first: one parse of them all is much cheaper than building
    # thousands of elements one by one
    for ti, ci, cid, start, end, point in placed:
        crs = f'<w:commentRangeStart w:id="{cid}"/>'
        cre = f'<w:commentRangeEnd w:id="{cid}"/><w:r>{rpr}<w:commentReference w:id="{cid}"/></w:r>'
        if point:
            spot = tm.spot(start, textmap.END)
            # innermost of everything ending here: sorts first among the ends
            at(spot, ((0, -start, 0, ti, ci), crs + cre, 3))
            continue
        at(tm.spot(start, textmap.START), ((1, -end, ti, ci), crs, 1))
        at(tm.spot(end, textmap.END), ((0, -start, 1, ti, ci), cre, 2))
    xml = [f'<w:x xmlns:w="{_W}">']
    sizes = []
    for _spot, entries in spots.values():
        entries.sort(key=lambda e: e[0])
        xml.extend(e[1] for e in entries)
        sizes.append(sum(e[2] for e in entries))
    xml.append("</w:x>")
    markers = list(etree.fromstring("".join(xml).encode("utf-8"), _parser()))
    groups = []
    i = 0
    for (spot, _entries), n in zip(spots.values(), sizes, strict=True):
        groups.append((spot, markers[i:i + n]))
        i += n

    by_item: dict = {}
    for spot, group in groups:
        if spot.kind == "item":
            item = spot.item
            math = _math_root(item.el) if item.el.getparent().tag != R else None
            if math is not None:  # markers are kept out of equations (moved to their edges):
                ends = {m.get(A_ID) for m in group if m.tag == CRE}   # range starts before,
                before = [m for m in group if m.tag == CRS and m.get(A_ID) not in ends]
                after = [m for m in group if not (m.tag == CRS and m.get(A_ID) not in ends)]
                _insert_before(math, before)                          # ends and points after
                _insert_after(math, after)
                continue
            slot = by_item.get(id(item.el))
            if slot is None:
                slot = by_item[id(item.el)] = (item, {})
            slot[1].setdefault(spot.local, []).extend(group)
        elif spot.kind == "pstart":
            p = spot.p
            first = p[0] if len(p) else None
            if first is not None and first.tag == PPR:
                _insert_after(first, group)
            elif first is not None:
                _insert_before(first, group)
            else:
                for m in group:
                    p.append(m)
        else:  # pend
            for m in group:
                spot.p.append(m)
    for item, cuts in by_item.values():
        _cut(item, cuts, tm)


# -- comment parts ------------------------------------------------------------------------------
class _Written:
    __slots__ = ("cid", "author", "initials", "date", "paras", "para_ids", "durable",
                 "parent_para", "done")


def _comment_xml(w: _Written, ref_style: bool, text_style: bool) -> str:
    attrs = f'w:id="{w.cid}" w:author="{_attr(w.author)}"'
    date = w.date
    if date:
        attrs += f' w:date="{date}"'
    initials = w.initials
    if initials:
        attrs += f' w:initials="{_attr(initials)}"'
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


def _parts_xml(written: list[_Written], ref_style: bool, text_style: bool) -> dict[str, bytes]:
    comments = [f"<w:comments {_NSDECL}>"]
    ext = [f"<w15:commentsEx {_NSDECL}>"]
    ids = [f"<w16cid:commentsIds {_NSDECL}>"]
    cex = [f"<w16cex:commentsExtensible {_NSDECL}>"]
    for w in written:
        comments.append(_comment_xml(w, ref_style, text_style))
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


def _people_xml(authors: list[str], existing: bytes | None) -> bytes:
    """people.xml: the existing entries for other names, then ours (provider "None")."""
    ours = []
    for name in authors:
        a = _attr(name)
        ours.append(f'<w15:person w15:author="{a}"><w15:presenceInfo w15:providerId="None" '
                    f'w15:userId="{a}"/></w15:person>')
    if existing is not None:
        try:
            part = _Part("word/people.xml", existing)
        except WordFileError:  # a damaged people part is replaced
            part = None
        if part is not None:
            root = part.root
            names = set(authors)
            for person in list(root):
                if person.get("{%s}author" % _W15) in names:
                    root.remove(person)
            for xml in ours:
                root.append(etree.fromstring(f'<x xmlns:w15="{_W15}">{xml}</x>')[0])
            return part.tobytes()
    return DECL + (f"<w15:people {_NSDECL}>" + "".join(ours) + "</w15:people>").encode("utf-8")


# -- package plumbing ---------------------------------------------------------------------------
def _rels_name(part: str) -> str:
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")


def _target_name(source: str, target: str) -> str:
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def _rel_kind(rtype: str) -> str:
    return (rtype or "").replace(REL_PREFIX_STRICT, REL_PREFIX).rsplit("/", 1)[-1]


def _check_threads(threads) -> list[ExportThread]:
    out = []
    for n, th in enumerate(threads):
        if not isinstance(th, ExportThread):
            raise TypeError(f"thread {n} is not an ExportThread")
        if not th.comments:
            raise ValueError(f"thread {n} has no comments")
        if not (isinstance(th.start, int) and isinstance(th.end, int)):
            raise TypeError(f"thread {n}: start and end must be int offsets")
        if not 0 <= th.start <= th.end:
            raise ValueError(f"thread {n}: range [{th.start}, {th.end}) is not a range")
        for c in th.comments:
            if not isinstance(c, ExportComment):
                raise TypeError(f"thread {n}: comments must be ExportComment")
        out.append(th)
    return out


def _check_ranges(threads, length: int):
    for n, th in enumerate(threads):
        if th.end > length:
            raise ValueError(f"thread {n}: range [{th.start}, {th.end}) is outside the text "
                             f"(length {length})")


class _ParseJob(threading.Thread):
    """Parse a part in a thread (lxml releases the GIL while parsing)."""

    def __init__(self, name: str, data: bytes):
        super().__init__(name="wordio-parse", daemon=True)
        self.args_ = (name, data)
        self.part = None
        self.error = None

    def run(self):
        try:
            self.part = _Part(*self.args_)
        except BaseException as exc:  # re-raised by result()
            self.error = exc
        self.args_ = None

    def result(self) -> _Part:
        if self.ident is not None:
            self.join()
        elif self.part is None and self.error is None:  # never started: parse here
            self.run()
        if self.error is not None:
            raise self.error
        return self.part


def annotate_docx(original: bytes, threads: Sequence[ExportThread], *,
                  people: bool = False) -> bytes:
    """The ``original`` package with all its comments removed and ``threads`` written in.

    Offsets are those of ``read_docx(original).text``.  Raises ``WordFileError`` for a file
    the guard refuses, ``ValueError``/``TypeError`` for invalid threads.
    """
    return _annotate(original, threads, people=people)


def _annotate(original: bytes, threads, *, people: bool, expect=None) -> bytes:
    # Like the reader: no reference cycles are made, so the cyclic GC (which would traverse
    # the many small objects of a large document again and again) is paused meanwhile.
    enabled = gc.isenabled()
    if enabled:
        gc.disable()
    try:
        return _annotate_impl(original, threads, people=people, expect=expect)
    finally:
        if enabled:
            gc.enable()


def _annotate_impl(original: bytes, threads, *, people: bool, expect=None) -> bytes:
    threads = _check_threads(threads)
    pkg = check_package(original)
    xml = pkg.xml
    main = pkg.main_part
    folder = posixpath.dirname(main)
    rels_name = _rels_name(main)

    # parts: the comment parts to drop, the stories whose markers must go
    drop: set[str] = set()
    stories: list[str] = []
    people_part = None
    for _rid, rtype, name in pkg.relationships(main):
        kind = _rel_kind(rtype)
        if kind in _COMMENT_KINDS:
            drop.add(name)
        elif kind in _STORY_KINDS and name in xml and name != main:
            stories.append(name)
        elif kind == "people":
            people_part = name
    for kind in _COMMENT_KINDS:  # unreferenced leftovers under the default names
        default = posixpath.join(folder, kind + ".xml")
        if default in xml:
            drop.add(default)
    drop |= {_rels_name(n) for n in drop if _rels_name(n) in xml}

    # The main part is parsed in a thread while everything that does not need its tree is
    # prepared here: ids, the comment parts, relationships and content types.
    main_bytes = xml.pop(main)
    # ISO 29500 Strict: the parts written are given Strict namespaces and relationship types
    strict = b"purl.oclc.org/ooxml/wordprocessingml/main" in main_bytes[:65536]
    job = _ParseJob(main, main_bytes)
    try:
        job.start()
    except RuntimeError:  # pragma: no cover - no threads available: parsed in result()
        pass

    # ids already in use: hex ids (paraId, textId, durableId) anywhere but in the dropped
    # comment parts; w:id values of the stories other than the comment markers being removed
    taken = {int(m, 16) for m in _ID_ATTR.findall(main_bytes)}
    wids = Counter()
    for data in [main_bytes] + [xml[n] for n in stories]:
        wids.update(_WID.findall(data))
        wids.subtract(_COMMENT_WID.findall(data))
    del main_bytes
    for name in drop:
        xml.pop(name, None)
    for data in xml.values():
        taken.update(int(m, 16) for m in _ID_ATTR.findall(data))
    used_wids = {k for k, v in wids.items() if v > 0}

    styles_name = pkg.related(main, "styles")
    styles = xml.get(styles_name, b"") if styles_name else b""
    ref_style = b'styleId="CommentReference"' in styles
    text_style = b'styleId="CommentText"' in styles

    written, placed = _allocate(original, threads, taken, used_wids)
    new_parts, new_rels = _comment_parts(written, folder, ref_style, text_style, strict)
    changed: dict[str, bytes] = {}
    if people and written:
        authors = list(dict.fromkeys(w.author for w in written))
        if people_part:
            changed[people_part] = _people_xml(authors, xml.get(people_part))
        else:
            name = posixpath.join(folder, "people.xml")
            new_parts[name] = _people_xml(authors, None)
            new_rels.append((REL["people"], "people.xml"))
    changed[rels_name] = _relationships(xml.get(rels_name), rels_name, main, drop, new_rels)
    ct_name = next(n for n in pkg.names if n.lower() == "[content_types].xml")
    changed[ct_name] = _content_types(xml[ct_name], ct_name, drop, new_parts)

    # the tree: old comments out, new ones in
    doc = job.result()
    root = doc.root
    _strip_comments(root)
    for name in stories:
        data = xml[name]
        if b"commentR" in data:
            part = _Part(name, data)
            if _strip_comments(part.root):
                changed[name] = part.tobytes()
    body = root.find(BODY)
    if body is None:
        raise CorruptError("The document has no body.", part=main)
    tm = textmap.build(body)
    if expect is not None:
        expect(tm.text)
    _check_ranges(threads, len(tm.text))
    _place(root, tm, placed, ref_style)
    main_out = doc.tobytes()
    # the main part (the large one) is deflated in a thread while its tree is freed
    deflated = deflate_soon(main_out) if len(main_out) >= _THREAD_MIN_BYTES else None
    del tm, body, root, doc, job
    changed[main] = main_out

    # the package: originals copied byte for byte unless changed or dropped
    zf = zipfile.ZipFile(BytesIO(original))
    out = ZipOut(original, zf)
    for info in zf.infolist():
        name = info.filename
        if name in drop or name in new_parts:
            continue
        if name in changed:
            out.add(name, changed.pop(name), date_time=info.date_time,
                    deflated=deflated if name == main else None)
        else:
            out.copy(info)
    for name, data in changed.items():  # e.g. a relationships part that did not exist
        out.add(name, data)
    for name, data in new_parts.items():
        out.add(name, data)
    return out.getvalue()


def _allocate(original: bytes, threads, taken: set, used_wids: set):
    """Comments in the order they are written (document order, as Word does) with their ids;
    and the markers to place: (thread order, comment order, w:id, start, end, point)."""
    order = sorted(range(len(threads)), key=lambda i: (threads[i].start, threads[i].end, i))
    seed = hashlib.sha256()
    seed.update(len(original).to_bytes(8, "big"))
    for th in threads:
        seed.update(repr((th.start, th.end, th.resolved, th.point,
                          [(c.author, c.initials, c.date, c.text) for c in th.comments]))
                    .encode("utf-8", "surrogatepass"))
    ids = _Ids(seed.digest(), taken)
    # w:id: 0, 1, 2 ... skipping any w:id already used in the document's stories (bookmarks,
    # tracked changes), so no two annotations share an id whatever the consumer assumes
    next_wid = 0
    written: list[_Written] = []
    placed = []
    for ti in order:
        th = threads[ti]
        point = th.point or th.start == th.end
        root_para = None
        for ci, c in enumerate(th.comments):
            w = _Written()
            while str(next_wid).encode() in used_wids:
                next_wid += 1
            w.cid = str(next_wid)
            next_wid += 1
            w.author = _clean(c.author)
            w.initials = _clean(c.initials)
            w.date = _utc(c.date)
            w.paras = _clean(c.text).split("\n")
            w.para_ids = [ids.next() for _ in w.paras]
            w.durable = ids.next()
            w.parent_para = root_para if ci else None
            w.done = bool(th.resolved)
            if ci == 0:
                root_para = w.para_ids[-1]
            written.append(w)
            placed.append((ti, ci, w.cid, th.start, th.start if point else th.end, point))
    return written, placed


def _comment_parts(written, folder: str, ref_style: bool, text_style: bool, strict: bool):
    """{part name: bytes} of the four comment parts and their (type, target) relationships."""
    new_parts: dict[str, bytes] = {}
    new_rels: list[tuple[str, str]] = []
    if not written:
        return new_parts, new_rels
    parts = _parts_xml(written, ref_style, text_style)
    for kind in _COMMENT_KINDS:
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


def _relationships(data: bytes | None, rels_name: str, main: str, drop: set, new_rels) -> bytes:
    """The main part's relationships without the dropped parts, with the new ones."""
    if data is None:
        rroot = etree.Element("{%s}Relationships" % _PR, nsmap={None: _PR})
        part = None
    else:
        part = _Part(rels_name, data)
        rroot = part.root
    used = set()
    for rel in list(rroot):
        if not isinstance(rel.tag, str):
            continue
        external = (rel.get("TargetMode") or "").lower() == "external"
        if not external and (_rel_kind(rel.get("Type")) in _COMMENT_KINDS
                             or _target_name(main, rel.get("Target") or "") in drop):
            rroot.remove(rel)
            continue
        used.add(rel.get("Id"))
    k = 1
    for rtype, target in new_rels:
        while f"rId{k}" in used:
            k += 1
        used.add(f"rId{k}")
        etree.SubElement(rroot, "{%s}Relationship" % _PR,
                         {"Id": f"rId{k}", "Type": rtype, "Target": target})
    if part is None:
        return DECL + etree.tostring(rroot, encoding="UTF-8")
    return part.tobytes()


def _content_types(data: bytes, name: str, drop: set, new_parts: dict) -> bytes:
    ct = _Part(name, data)
    gone = {"/" + n for n in drop} | {"/" + n for n in new_parts}
    override = "{%s}Override" % _CT
    for el in list(ct.root):
        if isinstance(el.tag, str) and el.tag == override and el.get("PartName") in gone:
            ct.root.remove(el)
    for part in new_parts:
        kind = posixpath.splitext(posixpath.basename(part))[0]
        etree.SubElement(ct.root, override,
                         {"PartName": "/" + part, "ContentType": CONTENT_TYPE[kind]})
    return ct.tobytes()


# -- generating a clean document ----------------------------------------------------------------
@dataclass(frozen=True)
class GenSection:
    heading: str
    blocks: list                              # reviewflow.content blocks
    threads: list = field(default_factory=list)  # ExportThread, offsets in blocks_text(blocks)
    heading_level: int = 2


@dataclass(frozen=True)
class GenPart:
    heading: str | None
    sections: list[GenSection]


@dataclass(frozen=True)
class GenDocument:
    title: str
    parts: list[GenPart]
    subtitle: list[str] = field(default_factory=list)
    author: str = ""                          # core property dc:creator ("" = none)
    language: str | None = None               # e.g. "fr-FR": the Normal style's language


def generate_docx(document: GenDocument, *, people: bool = False) -> bytes:
    """A clean .docx of ``document`` with every section's threads anchored in it."""
    from .generate import build_document
    data, threads, check = build_document(document)
    return _annotate(data, threads, people=people, expect=check)
