"""Read a .docx into canonical text, blocks, comments, tracked changes and form fields.

One pass over ``document.xml`` in document order with a table of tag handlers (no XPath, no
python-docx text API); formatting-only ``w:rPr`` are dropped from the bytes before parsing
(:func:`_lighten`; exact: the output is that of the part as it is).  Decisions, all
documented in ``docs/docx-inspect.md``:

* **Accepted view.**  ``w:ins``/``w:moveTo`` kept; ``w:del``/``w:delText``/``w:moveFrom``
  dropped; deleted table rows/cells dropped; a paragraph whose mark is deleted (or moved away)
  merges with the next paragraph of the same container, taking that paragraph's style.
* **Fields.**  Instructions (``w:instrText`` and anything between ``begin`` and ``separate``,
  nested fields included) dropped; results kept; ``w:fldSimple`` read as its runs.
* **Characters.**  ``w:tab``/``w:ptab`` -> ``\\t``; ``w:br`` (every type: line, page, column)
  and ``w:cr`` -> ``\\n``; ``w:noBreakHyphen`` -> U+2011; ``w:softHyphen`` dropped (invisible);
  ``w:sym`` decoded (Symbol font mapped to Unicode, other symbol fonts keep their private-use
  code point); math (``m:t``) kept as its characters.  Paragraphs joined by ``\\n``; NFC.
* **Wrappers.**  Content controls, smart tags, customXml, hyperlinks, bdo/dir unwrapped.
  ``mc:AlternateContent``: the first ``mc:Choice`` is read, ``mc:Fallback`` only when there is
  no Choice - so a text box Word writes twice (DrawingML + VML) is read once.
* **Text boxes.**  The paragraphs of a text box become paragraphs placed right after the
  paragraph that anchors it (in the same container).
* **Not read**: headers, footers, footnotes/endnotes text, comments' own text in the body.
  Footnotes/endnotes are scanned only for comment anchors (see :func:`read_docx`).
"""
from __future__ import annotations

import gc
import re
import threading
import unicodedata
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from itertools import accumulate, chain

from lxml import etree

from .errors import CorruptError, WordFileError
from .guard import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_MEMBERS,
    DEFAULT_MAX_RATIO,
    DEFAULT_MAX_TOTAL_UNCOMPRESSED,
    Package,
    check_package,
)
from .model import Document, FormField, Revision, WordComment
from .oxml import NS, make_parser, parse_part

_W = NS["w"]
_W14 = NS["w14"]
_W15 = NS["w15"]
_MC = NS["mc"]


def _w(local: str) -> str:
    return "{%s}%s" % (_W, local)


# -- tags -----------------------------------------------------------------------------------
BODY, P, R, T = _w("body"), _w("p"), _w("r"), _w("t")
PPR, RPR, PSTYLE, NUMPR, ILVL, NUMID, OUTLINELVL = (
    _w("pPr"), _w("rPr"), _w("pStyle"), _w("numPr"), _w("ilvl"), _w("numId"), _w("outlineLvl"))
TBL, TR, TC, TBLPR, TRPR, TCPR = _w("tbl"), _w("tr"), _w("tc"), _w("tblPr"), _w("trPr"), _w("tcPr")
INS, DEL, MOVEFROM, MOVETO = _w("ins"), _w("del"), _w("moveFrom"), _w("moveTo")
DELTEXT, INSTRTEXT, DELINSTRTEXT = _w("delText"), _w("instrText"), _w("delInstrText")
TAB, PTAB, BR, CR = _w("tab"), _w("ptab"), _w("br"), _w("cr")
NOBREAKHYPHEN, SOFTHYPHEN, SYM = _w("noBreakHyphen"), _w("softHyphen"), _w("sym")
FLDCHAR, FFDATA = _w("fldChar"), _w("ffData")
CRS, CRE, CREF = _w("commentRangeStart"), _w("commentRangeEnd"), _w("commentReference")
FNREF, ENREF = _w("footnoteReference"), _w("endnoteReference")
SDT, SDTPR, SDTCONTENT, SDTENDPR = _w("sdt"), _w("sdtPr"), _w("sdtContent"), _w("sdtEndPr")
TXBX = _w("txbxContent")
DRAWING, PICT, OBJECT = _w("drawing"), _w("pict"), _w("object")
RPRCHANGE, PPRCHANGE = _w("rPrChange"), _w("pPrChange")
TBLPRCHANGE, TRPRCHANGE, TCPRCHANGE = _w("tblPrChange"), _w("trPrChange"), _w("tcPrChange")
SECTPR, SECTPRCHANGE, NUMBERINGCHANGE = _w("sectPr"), _w("sectPrChange"), _w("numberingChange")
CELLINS, CELLDEL, CELLMERGE = _w("cellIns"), _w("cellDel"), _w("cellMerge")
BOOKMARKSTART, BOOKMARKEND = _w("bookmarkStart"), _w("bookmarkEnd")
RUBY, RT, RUBYPR = _w("ruby"), _w("rt"), _w("rubyPr")
ALTCHUNK, SUBDOC = _w("altChunk"), _w("subDoc")
STYLE, NAME, BASEDON = _w("style"), _w("name"), _w("basedOn")
COMMENT, FOOTNOTE, ENDNOTE = _w("comment"), _w("footnote"), _w("endnote")
AC, CHOICE, FALLBACK = "{%s}AlternateContent" % _MC, "{%s}Choice" % _MC, "{%s}Fallback" % _MC
M_T = "{%s}t" % NS["m"]
CHECKBOX, CHECKED, DEFAULT, DDLIST, LISTENTRY, RESULT, TEXTINPUT = (
    _w("checkBox"), _w("checked"), _w("default"), _w("ddList"), _w("listEntry"), _w("result"),
    _w("textInput"))
TAG, ALIAS, DROPDOWNLIST, COMBOBOX, LISTITEM, SHOWINGPLCHDR, SDTTEXT, SDTDATE = (
    _w("tag"), _w("alias"), _w("dropDownList"), _w("comboBox"), _w("listItem"),
    _w("showingPlcHdr"), _w("text"), _w("date"))
W14_CHECKBOX, W14_CHECKED = "{%s}checkbox" % _W14, "{%s}checked" % _W14

# -- attributes -----------------------------------------------------------------------------
A_VAL, A_ID, A_AUTHOR, A_DATE, A_INITIALS = _w("val"), _w("id"), _w("author"), _w("date"), _w("initials")
A_TYPE, A_NAME, A_CHAR, A_FONT = _w("type"), _w("name"), _w("char"), _w("font")
A_FLDCHARTYPE, A_STYLEID = _w("fldCharType"), _w("styleId")
A_DISPLAYTEXT, A_VALUE = _w("displayText"), _w("value")
A_PARAID, A_W14VAL = "{%s}paraId" % _W14, "{%s}val" % _W14
A_EX_PARAID, A_EX_PARENT, A_EX_DONE = ("{%s}paraId" % _W15, "{%s}paraIdParent" % _W15,
                                       "{%s}done" % _W15)
A_CID_PARAID, A_CID_DURABLE = "{%s}paraId" % NS["w16cid"], "{%s}durableId" % NS["w16cid"]
A_CEX_DURABLE, A_CEX_DATEUTC = "{%s}durableId" % NS["w16cex"], "{%s}dateUtc" % NS["w16cex"]

_TRUE = {"1", "true", "on"}
_FALSE = {"0", "false", "off", "none"}

# Adobe Symbol font (as used by Word's w:sym w:font="Symbol") -> Unicode, for the common glyphs.
_SYMBOL_FONT = dict(zip(
    range(0x41, 0x5B), "ΑΒΧΔΕΦΓΗΙϑΚΛΜΝΟΠΘΡΣΤΥςΩΞΨΖ"))
_SYMBOL_FONT.update(zip(range(0x61, 0x7B), "αβχδεφγηιϕκλμνοπθρστυϖωξψζ"))
_SYMBOL_FONT.update({0x22: "∀", 0x24: "∃", 0x27: "∋", 0x2A: "∗", 0x2D: "−", 0x40: "≅",
                     0x5C: "∴", 0x5E: "⊥", 0xA3: "≤", 0xA5: "∞", 0xAB: "↔", 0xAC: "←",
                     0xAD: "↑", 0xAE: "→", 0xAF: "↓", 0xB0: "°", 0xB1: "±", 0xB3: "≥",
                     0xB4: "×", 0xB5: "∝", 0xB6: "∂", 0xB7: "•", 0xB8: "÷", 0xB9: "≠",
                     0xBA: "≡", 0xBB: "≈", 0xBC: "…", 0xC5: "⊕", 0xC6: "∅", 0xC7: "∩",
                     0xC8: "∪", 0xCE: "∈", 0xD1: "∇", 0xD6: "√", 0xD7: "⋅", 0xD8: "¬",
                     0xD9: "∧", 0xDA: "∨", 0xE0: "◊", 0xE5: "∑", 0xF2: "∫"})

_HEADING_NAME = re.compile(r"^heading\s*([1-9])$", re.IGNORECASE)


def _onoff(value: str | None, default: bool = True) -> bool:
    """ST_OnOff: a missing attribute means *on* for toggle elements."""
    if value is None:
        return default
    value = value.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    return default


def _normalize(text: str) -> str:
    """Same rule as ``reviewflow.content.normalize`` (line endings -> "\\n", then NFC)."""
    if "\r" in text or "\u2028" in text or "\u2029" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    return unicodedata.normalize("NFC", text)


def _needs_normalizing(text: str) -> bool:
    return ("\r" in text or "\u2028" in text or "\u2029" in text
            or not unicodedata.is_normalized("NFC", text))


@lru_cache(maxsize=4096)  # comments share dates (minute resolution); datetimes are immutable
def parse_word_date(raw: str | None) -> datetime | None:
    """An ISO 8601 date from Word/LibreOffice as an aware UTC datetime; None if absent/invalid.

    A value without offset is taken as UTC.  LibreOffice's ``0-00-00T00:00:00Z`` -> None.
    """
    if not raw:
        return None
    value = raw.strip()
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value)
    except ValueError:
        # fromisoformat (3.11) wants 2-digit fields and at most 6 fractional digits.
        m = re.match(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?"
                     r"\s*(Z|[+-]\d{2}:?\d{2})?$", value)
        if not m:
            return None
        try:
            y, mo, d, h, mi, s = (int(x) if x else 0 for x in m.groups()[:6])
            dt = datetime(y, mo, d, h, mi, s, tzinfo=timezone.utc)
        except ValueError:
            return None
        tz = m.group(7)
        if tz and tz != "Z":
            sign = 1 if tz[0] == "+" else -1
            digits = tz[1:].replace(":", "")
            dt -= sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        return dt
    if dt.tzinfo is None:
        return dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(timezone.utc)


def _decode_sym(char: str | None, font: str | None) -> str | None:
    if not char:
        return None
    try:
        code = int(char, 16)
    except ValueError:
        return None
    if 0xF000 <= code <= 0xF0FF:
        low = code - 0xF000
        if (font or "").strip().lower() == "symbol" and low in _SYMBOL_FONT:
            return _SYMBOL_FONT[low]
    elif (font or "").strip().lower() == "symbol" and code in _SYMBOL_FONT:
        return _SYMBOL_FONT[code]
    if code <= 0 or 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
        return None
    return chr(code)


# -- styles ---------------------------------------------------------------------------------
class _Style:
    __slots__ = ("name", "based_on", "outline", "num", "ilvl")

    def __init__(self, name, based_on, outline, num, ilvl):
        self.name, self.based_on, self.outline, self.num, self.ilvl = name, based_on, outline, num, ilvl


class _Styles:
    """Paragraph style id -> display name, heading level and list level (basedOn resolved)."""

    def __init__(self, root=None):
        self.styles: dict[str, _Style] = {}
        self._cache: dict[str, tuple[str, int | None, int | None]] = {}
        if root is None:
            return
        for st in root.iter(STYLE):
            if st.get(A_TYPE) not in (None, "paragraph"):
                continue
            sid = st.get(A_STYLEID)
            if not sid:
                continue
            el = st.find(NAME)
            name = el.get(A_VAL) if el is not None else None
            el = st.find(BASEDON)
            based = el.get(A_VAL) if el is not None else None
            outline = num = ilvl = None
            ppr = st.find(PPR)
            if ppr is not None:
                el = ppr.find(OUTLINELVL)
                if el is not None:
                    outline = _int(el.get(A_VAL))
                numpr = ppr.find(NUMPR)
                if numpr is not None:
                    el = numpr.find(NUMID)
                    num = el.get(A_VAL) if el is not None else None
                    el = numpr.find(ILVL)
                    ilvl = _int(el.get(A_VAL)) if el is not None else None
            self.styles[sid] = _Style(name, based, outline, num, ilvl)

    def info(self, sid: str) -> tuple[str, int | None, int | None]:
        """(display name, heading level or None, list level or None) of a paragraph style."""
        hit = self._cache.get(sid)
        if hit is not None:
            return hit
        st = self.styles.get(sid)
        name = _display_name(st.name if st and st.name else sid)
        heading = None
        lst = None
        seen = set()
        cur = st
        outline = None
        num = None
        ilvl = None
        while cur is not None and id(cur) not in seen:
            seen.add(id(cur))
            if outline is None and cur.outline is not None:
                outline = cur.outline
            if num is None and cur.num is not None:
                num = cur.num
                ilvl = cur.ilvl
            cur = self.styles.get(cur.based_on) if cur.based_on else None
        if outline is not None and 0 <= outline <= 8:
            heading = outline + 1
        else:
            m = _HEADING_NAME.match((st.name if st and st.name else sid) or "")
            if m:
                heading = int(m.group(1))
        if num is not None and num != "0":
            lst = ilvl or 0
        hit = (name, heading, lst)
        self._cache[sid] = hit
        return hit


def _display_name(name: str) -> str:
    """Word stores built-in style names in lower case ("heading 1"); show them as Word does."""
    if name and name == name.lower() and name.isascii():
        return " ".join(w[:1].upper() + w[1:] for w in name.split(" "))
    return name


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# -- walker ---------------------------------------------------------------------------------
class _Para:
    # Positions inside a paragraph are (paragraph, number of text parts so far): the hot path
    # only appends strings; character offsets are computed once, at layout, where needed.
    __slots__ = ("parts", "style", "heading", "list", "after_blocks", "after_paras",
                 "start", "text", "raw", "mapped", "block", "prefix")

    def __init__(self):
        self.parts = []
        self.prefix = None
        self.style = self.heading = self.list = None
        self.after_blocks = self.after_paras = None
        self.start = None
        self.text = self.raw = None
        self.mapped = False
        self.block = None


class _Rev:
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


class _Field:
    __slots__ = ("result", "ff", "start", "sep", "bookmark")

    def __init__(self, ff, start):
        self.result = False
        self.ff = ff
        self.start = start
        self.sep = None
        self.bookmark = None


class _Form:
    __slots__ = ("kind", "name", "value", "options", "checked", "source", "start", "end",
                 "vstart", "vend")


_ANNOTATIONREF = _w("annotationRef")
_PLAIN_RUN_SKIP = {RPR, _ANNOTATIONREF, _w("lastRenderedPageBreak")}
_PLAIN_PARA_SKIP = {_w("proofErr"), BOOKMARKSTART, BOOKMARKEND}
_MARK_CHANGES = {DEL, INS, MOVEFROM, MOVETO}


def _plain_body(comment):
    """Paragraph texts and last w:p of a comment made only of plain runs, else None.

    The common case (``w:p/w:r/w:t``) is read here directly; anything else (fields, tracked
    changes, tabs, breaks, hyperlinks, tables ...) returns None and goes to the full walker.
    """
    paras = []
    last = None
    for p in comment:
        if p.tag != P:
            return None
        parts = []
        for r in p:
            tag = r.tag
            if tag == R:
                for c in r:
                    ctag = c.tag
                    if ctag == T:
                        s = c.text
                        if s:
                            parts.append(s)
                    elif ctag not in _PLAIN_RUN_SKIP:
                        return None
            elif tag == PPR:
                for c in r:
                    if c.tag == RPR:
                        for d in c:
                            if d.tag in _MARK_CHANGES:
                                return None
            elif tag not in _PLAIN_PARA_SKIP:
                return None
        paras.append("".join(parts))
        last = p
    return paras, last


# -- lightening the main part before parsing ----------------------------------------------------
# Most elements of a typical document are character formatting: each run's
# ``<w:rPr><w:rFonts .../><w:sz .../><w:szCs .../><w:lang .../></w:rPr>``, which libxml2 would
# build (attributes included) and free, and the walker skip.  Before the main part is parsed,
# each such w:rPr made only of the formatting properties listed below is replaced, in the
# bytes, by the processing instruction ``<?_?>``, which the parser drops (remove_pis).  Nothing
# the reader reads is lost: the w:rPr holding paragraph-mark ins/del/moveFrom/moveTo or a
# w:rPrChange are not matched, and no handler looks inside a w:rPr for anything else.
#
# The result is exactly that of parsing the part as it is.  A block is replaced only when
#
# * the part is UTF-8 and holds no comment, CDATA section, DOCTYPE or processing instruction
#   (no ``<!``, no ``<?`` after the XML declaration) - else the part is parsed as it is;
# * its content is a well-formed run of empty elements with listed names and ``w:`` attributes
#   (no duplicate, values of at most 256 printable ASCII characters without ``"&<``);
# * it comes right after a ``>`` that does not end the XML declaration and right before a
#   ``<`` that does not start a ``w:pPr``: so no text is joined across it, it is not the prolog,
#   and no w:pPr becomes the first child of its paragraph (the only place where the reader
#   cares about the position of a child);
#
# and the lightened tree is kept only if its root binds ``w`` to the WordprocessingML namespace
# (so the prefix was bound where the blocks were) and no element is deeper than 254 (so the
# blocks' own elements were within libxml2's depth limit of 256).  Where a block stood, the
# parser was in element content (the tree is the original minus the block) or the original is
# not well-formed - and then neither is the lightened part, whose ``<?_?>`` cannot stand in an
# attribute value or a tag, nor after the root element (a tag follows it).  If the lightened
# part fails to parse, or the checks fail, the part is parsed as it is: the same tree, or the
# very error (message, line, column) the original gives.
_RPR_PROPS = (b"rStyle|rFonts|b|bCs|i|iCs|caps|smallCaps|strike|dstrike|outline|shadow|emboss|"
              b"imprint|noProof|snapToGrid|vanish|webHidden|color|spacing|w|kern|position|sz|"
              b"szCs|highlight|u|effect|bdr|shd|fitText|vertAlign|rtl|cs|em|lang|"
              b"eastAsianLayout|specVanish|oMath")
_SP = rb"[ \t\r\n]"
_PROP_ATTR = re.compile(_SP + rb"+(w:[A-Za-z][A-Za-z0-9]{0,63})=\"[ !#-%'-;=-~]{0,256}\"")
_PROP = (rb"<w:(?:" + _RPR_PROPS + rb")(?=[ \t\r\n/])(?:" + _PROP_ATTR.pattern + rb"){0,16}"
         + _SP + rb"*/>")
_PROP_RE = re.compile(_PROP)
_RPR_CONTENT = re.compile(rb"(?:" + _SP + rb"*" + _PROP + rb")+" + _SP + rb"*")
_RPR_CONTENT_MAX = 4096
# Candidates (their content is checked by _removable_rpr, once per distinct content): empty
# elements only, possessively, so a scan never runs past the next tag that is not an empty
# element (linear time on any input).  The ">" before the block is part of the match: a
# literal prefix is searched fast.
_RPR_BLOCK = re.compile(rb"><w:rPr>((?:<w:[^<>/]*+/>)*+)</w:rPr>(?=</|<w:(?!pPr[ \t\r\n/>]))")
_RPR_MARK = b"><?_?>"
_XML_DECL = re.compile(rb"<\?xml" + _SP + rb"[^<>?]*\?>")
_XML_ENCODING = re.compile(rb"encoding" + _SP + rb"*=" + _SP + rb"*[\"']([A-Za-z0-9._-]*)[\"']")
_DEEPER_THAN_254 = None  # compiled XPath (thread-safe in lxml), made on first use
_LIGHTEN_MAX_BYTES = 64 * 1024 * 1024  # far below libxml2's dictionary limit (100 MB)


@lru_cache(maxsize=4096)  # a document repeats a few run formats thousands of times
def _removable_rpr(content: bytes) -> bool:
    """True when the content of a w:rPr is only listed properties (at least one), valid XML."""
    if _RPR_CONTENT.fullmatch(content) is None:
        return False
    for prop in _PROP_RE.finditer(content):
        names = _PROP_ATTR.findall(prop.group(0))
        if len(names) != len(set(names)):
            return False  # a duplicated attribute: not well-formed, keep it for the parser
    return True


def _has_markup(data: bytes, char: bytes, start: int) -> bool:
    """True when ``"<" + char`` occurs in ``data`` from ``start`` on.

    ``char`` ("!" or "?") is rare, unlike "<": finding it is much faster than finding the
    pair.  After a few hundred occurrences (text full of them), one search for the pair."""
    find = data.find
    i = find(char, start + 1)
    for _ in range(256):
        if i == -1:
            return False
        if data[i - 1] == 0x3C:  # "<"
            return True
        i = find(char, i + 1)
    return i != -1 and find(b"<" + char, i - 1) != -1


def _lighten(data: bytes) -> bytes:
    """``data`` with its plain character-formatting blocks replaced (see above), or ``data``."""
    if (len(data) > _LIGHTEN_MAX_BYTES or b"<w:rPr>" not in data
            or _has_markup(data, b"!", 0)):
        return data
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    if data.startswith(b"<?", start):
        decl = _XML_DECL.match(data, start)
        if decl is None:
            return data  # a processing instruction first, or a declaration we do not read
        enc = _XML_ENCODING.search(decl.group(0))
        if enc is not None and enc.group(1).lower() not in (b"utf-8", b"utf8"):
            return data
        start = decl.end()
    elif not data.startswith(b"<", start):
        return data
    if _has_markup(data, b"?", start):
        return data
    pieces = _RPR_BLOCK.split(data)
    if len(pieces) == 1 or len(pieces[0]) == start - 1:
        return data  # nothing to do, or a block right after the XML declaration (the prolog)
    distinct = set(pieces[1::2])
    keep = {c for c in distinct if len(c) > _RPR_CONTENT_MAX or not _removable_rpr(c)}
    if not keep:
        return _RPR_MARK.join(pieces[::2])
    if len(keep) == len(distinct):
        return data
    out = [pieces[0]]
    for i in range(1, len(pieces), 2):
        c = pieces[i]
        out.append(b"><w:rPr>" + c + b"</w:rPr>" if c in keep else _RPR_MARK)
        out.append(pieces[i + 1])
    return b"".join(out)


def _parse_lightened(data: bytes, light: bytes, name: str, parser=None):
    """:func:`parse_part` of ``light`` (``_lighten(data)``) when that is provably the tree of
    ``data`` minus ignored formatting; else of ``data`` (the same tree, or the same error)."""
    global _DEEPER_THAN_254
    if light is not data:
        try:
            root = parse_part(light, name, parser=parser)
        except CorruptError:
            root = None  # not well-formed: parse the part as it is, for its exact error
        if root is not None and root.nsmap.get("w") == _W:
            deep = _DEEPER_THAN_254
            if deep is None:  # element at depth 255 (the root is at depth 1)
                deep = _DEEPER_THAN_254 = etree.XPath("boolean(/" + "*/" * 254 + "*)")
            if not deep(root):
                return root
        del root
    return parse_part(data, name, parser=parser)


# Main parts at least this large are parsed in a worker thread while this thread reads the
# comments (see _Reader.read).
_THREAD_MIN_BYTES = 512 * 1024

_KEPT_KINDS = {"ins", "moveTo", "rPrChange", "pPrChange", "rowIns", "cellIns", "cellMerge",
               "tblPrChange", "trPrChange", "tcPrChange", "numberingChange", "sectPrChange"}


class _Walker:
    """Walks one story (the body, or one comment) in document order.

    The body's tree has lost its formatting-only w:rPr (see :func:`_lighten`): handlers must
    not read inside a w:rPr beyond paragraph-mark changes and w:rPrChange, nor depend on the
    position of a child other than a w:pPr coming first.
    """

    def __init__(self, styles: _Styles, warnings: list[str], *, record: bool = True):
        self.styles = styles
        self.warnings = warnings
        self.record = record
        self.rpr_changed: set = set()  # w:rPr elements holding a w:rPrChange (record only)
        self._warned: set[str] = set()
        skip = self._skip
        self.h = {
            P: self._p, R: self._r, TBL: self._tbl, TR: self._tr, TC: self._tc, SDT: self._sdt,
            INS: self._ins, MOVETO: self._moveto, DEL: self._del, MOVEFROM: self._movefrom,
            CRS: self._crs, CRE: self._cre, CREF: self._cref, AC: self._altc, TXBX: self._txbx,
            T: self._t, M_T: self._t, DELTEXT: self._deltext, TAB: self._tab, PTAB: self._tab,
            BR: self._br, CR: self._br, NOBREAKHYPHEN: self._nbh, SYM: self._sym,
            FLDCHAR: self._fldchar, FNREF: self._noteref, ENREF: self._noteref,
            DRAWING: self._drawing, PICT: self._drawing, OBJECT: self._drawing,
            BOOKMARKSTART: self._bookmark, SECTPR: self._sectpr, RUBY: self._ruby,
            ALTCHUNK: self._unsupported, SUBDOC: self._unsupported,
            PPR: skip, RPR: skip, TBLPR: skip, TRPR: skip, TCPR: skip, SDTPR: skip,
            SDTENDPR: skip, INSTRTEXT: skip, DELINSTRTEXT: skip, SOFTHYPHEN: skip,
            BOOKMARKEND: skip, _w("proofErr"): skip, _w("lastRenderedPageBreak"): skip,
            _w("annotationRef"): skip, _w("moveFromRangeStart"): skip,
            _w("moveFromRangeEnd"): skip, _w("moveToRangeStart"): skip,
            _w("moveToRangeEnd"): skip, _w("permStart"): skip, _w("permEnd"): skip,
            _w("tblGrid"): skip, _w("background"): skip, _w("fldData"): skip,
            _w("customXmlPr"): skip, _w("smartTagPr"): skip, _w("footnoteRef"): skip,
            _w("endnoteRef"): skip, _w("separator"): skip, _w("continuationSeparator"): skip,
            _w("customXmlInsRangeStart"): skip, _w("customXmlInsRangeEnd"): skip,
            _w("customXmlDelRangeStart"): skip, _w("customXmlDelRangeEnd"): skip,
            _w("customXmlMoveFromRangeStart"): skip, _w("customXmlMoveFromRangeEnd"): skip,
            _w("customXmlMoveToRangeStart"): skip, _w("customXmlMoveToRangeEnd"): skip,
            _w("tblPrEx"): skip,
        }
        self.reset()

    # ---- state ----
    def reset(self):
        self.blocks: list = []
        self.flat: list[_Para] = []
        self.sink_blocks = self.blocks
        self.sink_paras = self.flat
        self.cur: _Para | None = None
        self.carry: _Para | None = None
        self.last_closed: _Para | None = None
        self.pending: list[list] = []
        self.drop = 0          # inside deleted content (w:del, w:moveFrom, deleted row/cell)
        self.sdrop = 0         # structurally deleted: no paragraphs are created
        self.fields: list[_Field] = []
        self.instr = 0         # open fields still in their instruction part
        self.keep = True       # drop == 0 and instr == 0
        self.revs_open: list[_Rev] = []
        self.revisions: list[_Rev] = []
        self.marks: list[tuple[str, int, object]] = []
        self.refs: dict[tuple[str, str], object] = {}
        self.forms: list[_Form] = []
        self.tables: list[dict] = []
        self.rows: list[list] = []
        self.stray = False

    def close(self):
        """Break the walker <-> handler-table cycle so the XML tree is freed at once."""
        self.h = None
        self.rpr_changed = set()

    def warn_once(self, key: str, message: str):
        if key not in self._warned:
            self._warned.add(key)
            self.warnings.append(message)

    def _upd_keep(self):
        self.keep = self.drop == 0 and self.instr == 0

    # ---- positions ----
    def _pos(self):
        """Position of something that starts here (floats to the next paragraph if between)."""
        cur = self.cur or self.carry
        if cur is not None:
            return (cur, len(cur.parts))
        pos = [None, 0]
        self.pending.append(pos)
        return pos

    def _pos_end(self):
        """Position of something that ends here (floats back to the previous paragraph)."""
        cur = self.cur or self.carry
        if cur is not None:
            return (cur, len(cur.parts))
        last = self.last_closed
        if last is not None:
            return (last, len(last.parts))
        return (None, 0)

    def _new_para(self) -> _Para:
        para = _Para()
        if self.pending:
            for pos in self.pending:
                pos[0] = para
            self.pending = []
        return para

    # ---- walking ----
    def _walk(self, el):
        h = self.h
        for c in el:
            fn = h.get(c.tag)
            if fn is None:
                self._walk(c)  # unknown wrapper (hyperlink, smartTag, customXml, fldSimple ...)
            else:
                fn(c)

    def _skip(self, el):
        pass

    def _unsupported(self, el):
        local = el.tag.rsplit("}", 1)[-1]
        self.warn_once("unsupported:" + local,
                       f"The document contains w:{local} (embedded external content); its text "
                       "was not read.")

    def walk_story(self, el):
        self._walk(el)
        self.finish()

    def finish(self):
        """End of the story: flush a pending merged paragraph, report what was left open."""
        self._flush_carry()
        if self.fields:
            self.warn_once("field:unterminated",
                           "A field in the document is not terminated; text after it may be "
                           "missing.")
        if self.stray:
            self.warn_once("stray", "Text outside any paragraph was skipped.")

    # ---- text ----
    def _add(self, s: str):
        if self.keep:
            cur = self.cur
            if cur is not None:
                cur.parts.append(s)
            elif not self.sdrop:
                self.stray = True
        if self.revs_open and not self.instr:
            for rev in self.revs_open:
                rev.parts.append(s)

    def _t(self, el):
        s = el.text
        if s:
            self._add(s)

    def _deltext(self, el):
        s = el.text
        if s and self.revs_open and not self.instr:
            for rev in self.revs_open:
                rev.parts.append(s)

    def _tab(self, el):
        self._add("\t")

    def _br(self, el):
        self._add("\n")

    def _nbh(self, el):
        self._add("\u2011")

    def _sym(self, el):
        s = _decode_sym(el.get(A_CHAR), el.get(A_FONT))
        if s is None:
            self.warn_once("sym", "A symbol character (w:sym) could not be decoded and was "
                           "skipped.")
        else:
            self._add(s)

    def _r(self, r):
        opened = None
        h = self.h
        for c in r:
            tag = c.tag
            if tag == T:
                s = c.text
                if s:
                    if self.keep:
                        cur = self.cur
                        if cur is not None:
                            cur.parts.append(s)
                        elif not self.sdrop:
                            self.stray = True
                    if self.revs_open and not self.instr:
                        for rev in self.revs_open:
                            rev.parts.append(s)
            elif tag == RPR:
                # run-property changes are located once, in C (see _Reader.read)
                if self.rpr_changed and c in self.rpr_changed:
                    ch = c.find(RPRCHANGE)
                    if ch is not None:
                        opened = self._open_rev("rPrChange", ch)
            else:
                fn = h.get(tag)
                if fn is None:
                    self._walk(c)
                else:
                    fn(c)
        if opened is not None:
            self._close_rev(opened)

    def _ruby(self, el):
        base = el.find(_w("rubyBase"))
        if base is not None:
            self._walk(base)

    # ---- paragraphs ----
    def _p(self, p):
        if self.sdrop:
            self._walk(p)
            return
        style = heading = lst = None
        mark = mark_change = None
        pchange = None
        children = iter(p)
        ppr = next(children, None)
        if ppr is not None and ppr.tag != PPR:  # w:pPr, when present, is the first child
            children = chain((ppr,), children)
            ppr = None
        if ppr is not None:
            for c in ppr:
                tag = c.tag
                if tag == PSTYLE:
                    sid = c.get(A_VAL)
                    if sid:
                        style, heading, lst = self.styles.info(sid)
                elif tag == RPR:
                    for d in c:
                        tag = d.tag
                        if tag == DEL or tag == MOVEFROM or tag == INS or tag == MOVETO:
                            if mark is None:
                                mark = d
                        elif tag == RPRCHANGE and self.record:
                            mark_change = d
                elif tag == NUMPR:
                    num = ilvl = None
                    for d in c:
                        tag = d.tag
                        if tag == NUMID:
                            num = d.get(A_VAL)
                        elif tag == ILVL:
                            ilvl = _int(d.get(A_VAL))
                        elif tag == NUMBERINGCHANGE and self.record:
                            pchange = (pchange or []) + [d]
                    if num == "0":
                        lst = None
                    elif num is not None or ilvl is not None:
                        lst = ilvl if ilvl is not None else (lst or 0)
                elif tag == OUTLINELVL:
                    lvl = _int(c.get(A_VAL))
                    outline = lvl + 1 if lvl is not None and 0 <= lvl <= 8 else None
                    heading = outline
                elif tag == PPRCHANGE:
                    if self.record:
                        pchange = (pchange or []) + [c]
                elif tag == SECTPR:
                    self._sectpr(c)
        if heading is not None:
            lst = None
        para = self.carry
        if para is None:
            para = self._new_para()
        else:
            self.carry = None
        para.style, para.heading, para.list = style, heading, lst
        self.cur = para
        prevs = []
        if pchange:
            for ch in pchange:
                kind = "numberingChange" if ch.tag == NUMBERINGCHANGE else "pPrChange"
                rev = _Rev(kind, ch, (para, len(para.parts)))
                rev.para = True
                self.revisions.append(rev)
                prevs.append(rev)
        # Hot loop: runs are read inline (most of a document); everything else dispatches.
        # ``keep`` may only change inside a handler, so it is re-read after each call.
        h = self.h
        append = para.parts.append
        revs = self.revs_open
        changed = self.rpr_changed
        keep = self.keep
        for c in children:
            tag = c.tag
            if tag == R:
                opened = None
                for d in c:
                    dtag = d.tag
                    if dtag == T:
                        s = d.text
                        if s:
                            if keep:
                                append(s)
                            if revs and not self.instr:
                                for rev in revs:
                                    rev.parts.append(s)
                    elif dtag == RPR:
                        if changed and d in changed:
                            ch = d.find(RPRCHANGE)
                            if ch is not None:
                                opened = self._open_rev("rPrChange", ch)
                    else:
                        fn = h.get(dtag)
                        if fn is None:
                            self._walk(d)
                        else:
                            fn(d)
                        keep = self.keep
                if opened is not None:
                    self._close_rev(opened)
            else:
                fn = h.get(tag)
                if fn is None:
                    self._walk(c)
                else:
                    fn(c)
                keep = self.keep
        self.cur = None
        for rev in prevs:
            rev.end = (para, len(para.parts))
        if mark_change is not None:
            rev = _Rev("rPrChange", mark_change, (para, len(para.parts)), mark=True)
            rev.end = rev.start
            rev.parts.append("\n")
            self.revisions.append(rev)
        if mark is not None:
            deleted = mark.tag == DEL or mark.tag == MOVEFROM
            if self.record:
                kind = mark.tag.rsplit("}", 1)[-1]
                rev = _Rev(kind, mark, (para, len(para.parts)), mark=True)
                rev.end = rev.start
                rev.parts.append("\n")
                self.revisions.append(rev)
            if deleted and not self.drop:
                self.carry = para  # merges with the next paragraph of this container
                return
        self._close(para)

    def _close(self, para: _Para):
        block = {"t": "p", "text": ""}
        if para.style is not None:
            block["style"] = para.style
        if para.heading is not None:
            block["heading"] = para.heading
        if para.list is not None:
            block["list"] = para.list
        para.block = block
        self.sink_blocks.append(block)
        self.sink_paras.append(para)
        if para.after_paras:
            self.sink_blocks.extend(para.after_blocks)
            self.sink_paras.extend(para.after_paras)
        self.last_closed = para

    def _flush_carry(self):
        para = self.carry
        if para is not None:
            self.carry = None
            self._close(para)

    # ---- tables ----
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

    def _dropped(self, el):
        self.drop += 1
        self.sdrop += 1
        self.keep = False
        saved = (self.cur, self.carry)
        self.cur = self.carry = None
        self._walk(el)
        self.cur, self.carry = saved
        self.drop -= 1
        self.sdrop -= 1
        self._upd_keep()

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
                elif self.record and (tag == CELLINS or tag == CELLMERGE or tag == TCPRCHANGE):
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

    # ---- tracked changes ----
    def _open_rev(self, kind, el):
        rev = _Rev(kind, el, self._pos())
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
                rev = _Rev("sectPrChange", ch, self._pos_end())
                rev.end = rev.start
                self.revisions.append(rev)

    # ---- comments anchors, notes ----
    def _crs(self, el):
        if self.record:
            self.marks.append((el.get(A_ID), 0, self._pos()))

    def _cre(self, el):
        if self.record:
            self.marks.append((el.get(A_ID), 1, self._pos_end()))

    def _cref(self, el):
        if self.record:
            self.marks.append((el.get(A_ID), 2, self._pos_end()))

    def _noteref(self, el):
        if self.record:
            part = "footnotes" if el.tag == FNREF else "endnotes"
            self.refs.setdefault((part, el.get(A_ID)), self._pos_end())

    # ---- wrappers ----
    def _altc(self, el):
        branch = el.find(CHOICE)
        if branch is None:
            branch = el.find(FALLBACK)
        if branch is not None:
            self._walk(branch)

    def _drawing(self, el):
        """Drawings carry no text except text boxes; find those (honouring AlternateContent)."""
        for c in el:
            tag = c.tag
            if tag == TXBX:
                self._txbx(c)
            elif tag == AC:
                branch = c.find(CHOICE)
                if branch is None:
                    branch = c.find(FALLBACK)
                if branch is not None:
                    self._drawing(branch)
            elif len(c):
                self._drawing(c)

    def _txbx(self, el):
        if self.drop or self.sdrop:
            self._dropped(el)
            return
        host = self.cur
        saved = (self.sink_blocks, self.sink_paras, self.cur, self.carry, self.last_closed)
        if host is not None:
            if host.after_paras is None:
                host.after_blocks, host.after_paras = [], []
            self.sink_blocks, self.sink_paras = host.after_blocks, host.after_paras
            self.last_closed = host
        self.cur = self.carry = None
        self._walk(el)
        self._flush_carry()
        self.sink_blocks, self.sink_paras, self.cur, self.carry, self.last_closed = saved

    def _bookmark(self, el):
        if self.fields and self.fields[-1].bookmark is None:
            self.fields[-1].bookmark = el.get(A_NAME)

    # ---- fields and form fields ----
    def _fldchar(self, el):
        kind = el.get(A_FLDCHARTYPE)
        if kind == "begin":
            ff = el.find(FFDATA) if self.record else None
            self.fields.append(_Field(ff, self._pos() if ff is not None else None))
            self.instr += 1
            self.keep = False
        elif kind == "separate":
            if self.fields and not self.fields[-1].result:
                f = self.fields[-1]
                f.result = True
                self.instr -= 1
                self._upd_keep()
                if f.ff is not None:
                    f.sep = self._pos()
        elif kind == "end":
            if not self.fields:
                self.warn_once("field:end", "A field end without a matching field start was "
                               "ignored.")
                return
            f = self.fields.pop()
            if not f.result:
                self.instr -= 1
                self._upd_keep()
            if f.ff is not None:
                self._legacy_form(f, self._pos_end())

    def _legacy_form(self, f: _Field, end):
        ff = f.ff
        el = ff.find(NAME)
        name = (el.get(A_VAL) if el is not None else None) or f.bookmark or ""
        form = _Form()
        form.name, form.source, form.start, form.end = name, "legacy", f.start, end
        form.options, form.checked, form.value = [], None, None
        form.vstart = form.vend = None
        cb = ff.find(CHECKBOX)
        dd = ff.find(DDLIST)
        if cb is not None:
            form.kind = "checkbox"
            el = cb.find(CHECKED)
            if el is not None:
                checked = _onoff(el.get(A_VAL), True)
            else:
                el = cb.find(DEFAULT)
                checked = _onoff(el.get(A_VAL), False) if el is not None else False
            form.checked = checked
            form.value = "1" if checked else "0"
        elif dd is not None:
            form.kind = "dropdown"
            form.options = [e.get(A_VAL) or "" for e in dd.findall(LISTENTRY)]
            el = dd.find(RESULT)
            if el is None:
                el = dd.find(DEFAULT)
            idx = _int(el.get(A_VAL)) if el is not None else 0
            idx = 0 if idx is None else idx
            form.value = form.options[idx] if 0 <= idx < len(form.options) else ""
        else:
            form.kind = "text"
            if f.sep is not None:
                form.vstart, form.vend = f.sep, end
            else:
                form.value = ""
        self.forms.append(form)

    def _sdt(self, el):
        pr = el.find(SDTPR)
        form = self._sdt_form(pr) if (pr is not None and self.record) else None
        if form is not None:
            form.start = self._pos()
        content = el.find(SDTCONTENT)
        if content is not None:
            self._walk(content)
        if form is not None:
            form.end = self._pos_end()
            if form.value is None:
                form.vstart, form.vend = form.start, form.end
            self.forms.append(form)

    def _sdt_form(self, pr):
        kind = None
        options: list[str] = []
        checked = None
        cb = pr.find(W14_CHECKBOX)
        if cb is not None:
            kind = "checkbox"
            el = cb.find(W14_CHECKED)
            checked = _onoff(el.get(A_W14VAL), True) if el is not None else False
        else:
            dd = pr.find(DROPDOWNLIST)
            if dd is None:
                dd = pr.find(COMBOBOX)
            if dd is not None:
                kind = "dropdown"
                options = [li.get(A_DISPLAYTEXT) or li.get(A_VALUE) or "" for li in dd.findall(LISTITEM)]
            elif pr.find(SDTTEXT) is not None or pr.find(SDTDATE) is not None:
                kind = "text"
        if kind is None:
            return None
        form = _Form()
        el = pr.find(TAG)
        tag = el.get(A_VAL) if el is not None else None
        el = pr.find(ALIAS)
        alias = el.get(A_VAL) if el is not None else None
        form.kind, form.name, form.options, form.checked, form.source = (
            kind, tag or alias or "", options, checked, "sdt")
        form.vstart = form.vend = None
        if kind == "checkbox":
            form.value = "1" if checked else "0"
        elif pr.find(SHOWINGPLCHDR) is not None:
            form.value = ""  # the placeholder ("Choose an item.") is showing: nothing chosen
        else:
            form.value = None  # the displayed text, known after layout
        return form

    # ---- layout ----
    def layout(self) -> str:
        """Assign offsets; fill block texts; return the canonical text."""
        if self.pending:
            last = self.flat[-1] if self.flat else None
            for pos in self.pending:
                pos[0] = last
                pos[1] = len(last.parts) if last is not None else 0
            self.pending = []
        texts = []
        start = 0
        for para in self.flat:
            raw = "".join(para.parts) if len(para.parts) != 1 else para.parts[0]
            para.raw = raw
            if raw and _needs_normalizing(raw):
                text = _normalize(raw)
                para.mapped = True
            else:
                text = raw
            para.text = text
            para.start = start
            para.block["text"] = text
            texts.append(text)
            start += len(text) + 1
        return "\n".join(texts)

    @staticmethod
    def resolve(pos) -> int:
        para, k = pos[0], pos[1]
        if para is None or para.start is None:
            return 0
        prefix = para.prefix
        if prefix is None:
            prefix = para.prefix = list(accumulate(map(len, para.parts), initial=0))
        local = prefix[k] if k < len(prefix) else prefix[-1]
        if para.mapped:
            return para.start + min(len(_normalize(para.raw[:local])), len(para.text))
        return para.start + min(local, len(para.text))

    def para_end(self, pos) -> int:
        para = pos[0]
        if para is None or para.start is None:
            return self.resolve(pos)
        return para.start + len(para.text)


# -- the reader -----------------------------------------------------------------------------
def read_docx(
    data: bytes,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_members: int = DEFAULT_MAX_MEMBERS,
    max_total_uncompressed: int = DEFAULT_MAX_TOTAL_UNCOMPRESSED,
    max_ratio: float = DEFAULT_MAX_RATIO,
) -> Document:
    """Read an untrusted .docx: :func:`check_package` first, then one walk of the body.

    Raises only :class:`WordFileError` (from the guard, or ``corrupt`` when the main part is
    not well-formed XML).  Anything unusual but readable becomes a ``Document.warnings`` entry.
    """
    pkg = check_package(data, max_bytes=max_bytes, max_members=max_members,
                        max_total_uncompressed=max_total_uncompressed, max_ratio=max_ratio)
    # The reader creates no reference cycles; pausing the cyclic GC saves it from traversing
    # the many short-lived objects of a large document (restored even on error).
    gc_was_enabled = gc.isenabled()
    if gc_was_enabled:
        gc.disable()
    try:
        return _Reader(pkg).read()
    finally:
        if gc_was_enabled:
            gc.enable()


class _BackgroundParse:
    """Parses the main part in a worker thread.

    lxml releases the GIL while libxml2 parses, so the caller reads styles, comments, threads
    and dates meanwhile.  (Measured: this also costs less CPU than parsing in the caller,
    the tree being allocated in the worker's malloc arena.  Cutting the part into pieces
    parsed while walking was tried and cost more CPU than it saved.)
    """

    def __init__(self, data: bytes, light: bytes, name: str):
        self.data, self.light, self.name = data, light, name
        self.root = None
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="wordio-parse", daemon=True)

    def start(self) -> bool:
        try:
            self.thread.start()
        except RuntimeError:  # pragma: no cover - no threads available
            return False
        return True

    def _run(self) -> None:
        try:
            self.root = _parse_lightened(self.data, self.light, self.name)
        except BaseException as exc:  # re-raised by result()
            self.error = exc

    def result(self):
        self.thread.join()
        if self.error is not None:
            raise self.error
        root, self.root = self.root, None
        return root


class _Reader:
    def __init__(self, pkg: Package):
        self.pkg = pkg
        self.warnings: list[str] = list(pkg.warnings)
        self.parser = make_parser()

    def part(self, suffix: str, default: str):
        name = self.pkg.related(self.pkg.main_part, suffix)
        if name is None and default in self.pkg.xml:
            name = default
        return name

    def optional(self, name: str | None):
        if name is None:
            return None
        try:
            return parse_part(self.pkg.xml[name], name, parser=self.parser)
        except WordFileError as exc:
            if exc.code == "doctype":  # pragma: no cover - refused by the guard already
                raise
            self.warnings.append(f"The part {name} is damaged and was ignored.")
            return None

    def read(self) -> Document:
        pkg = self.pkg
        main = pkg.main_part
        data = pkg.xml[main]
        # Lightened here, not in the worker: the regular expressions hold the GIL, and the
        # worker's parse (which releases it) should overlap with the comments' Python work.
        light = _lighten(data)
        worker = (_BackgroundParse(data, light, main) if len(data) >= _THREAD_MIN_BYTES
                  else None)
        if worker is not None and not worker.start():
            worker = None
        styles = _Styles(self.optional(self.part("styles", "word/styles.xml")))
        try:
            records = self._comment_records(
                self.optional(self.part("comments", "word/comments.xml")), styles)
        finally:
            root = worker.result() if worker is not None else None
        if root is None:
            root = _parse_lightened(data, light, main, self.parser)

        walker = _Walker(styles, self.warnings)
        # The few w:rPr holding a w:rPrChange, found by one C-level scan instead of a lookup in
        # every run (the proxies stay alive in the set, so identity tests are reliable).
        walker.rpr_changed = {el.getparent() for el in root.iter(RPRCHANGE)}
        body = root.find(BODY)
        if body is None:
            self.warnings.append("The document has no body; it is empty.")
        else:
            walker.walk_story(body)
        del root, body
        text = walker.layout()
        walker.close()

        comments = self._anchor_comments(records, walker, text)
        revisions = self._revisions(walker, text)
        forms = self._forms(walker, text)
        return Document(text=text, blocks=walker.blocks, comments=comments,
                        revisions=revisions, form_fields=forms, warnings=self.warnings,
                        app=self._app())

    # ---- comments, phase 1: everything that does not depend on the body ----
    def _comment_records(self, croot, styles: _Styles):
        """Bodies, thread structure, resolved flags, ids and dates of comments.xml, in order."""
        if croot is None:
            return None
        pkg = self.pkg
        ext_root = self.optional(self.part("commentsExtended", "word/commentsExtended.xml"))
        ids_root = self.optional(self.part("commentsIds", "word/commentsIds.xml"))
        cex_root = self.optional(self.part("commentsExtensible", "word/commentsExtensible.xml"))

        body_walker = _Walker(styles, self.warnings, record=False)
        raw = []  # (id, author, initials, date_raw, text, para_id)
        seen_ids = set()
        for el in croot.iter(COMMENT):
            cid = el.get(A_ID)
            if cid is None:
                self.warnings.append("A comment without an id was skipped.")
                continue
            if cid in seen_ids:
                self.warnings.append(f"Comment id {cid} appears twice in comments.xml; the "
                                     "second one was skipped.")
                continue
            seen_ids.add(cid)
            plain = _plain_body(el)
            if plain is not None:
                paras, last = plain
                body = "\n".join(paras)
                if _needs_normalizing(body):
                    body = _normalize(body)
            else:
                body_walker.reset()
                body_walker.walk_story(el)
                body = body_walker.layout()
                last = None
                for p in el.iter(P):
                    last = p
            para_id = last.get(A_PARAID) if last is not None else None
            raw.append((cid, el.get(A_AUTHOR) or "", el.get(A_INITIALS) or "", el.get(A_DATE),
                        body, para_id))
        body_walker.close()

        # anchors inside footnotes/endnotes
        note_of: dict[str, tuple[str, str]] = {}
        for part, tag in (("footnotes", FOOTNOTE), ("endnotes", ENDNOTE)):
            pname = self.part(part, f"word/{part}.xml")
            if pname is None or b"commentR" not in pkg.xml[pname]:
                continue
            nroot = self.optional(pname)
            if nroot is None:
                continue
            for note in nroot.iter(tag):
                nid = note.get(A_ID)
                for m in note.iter(CRS, CRE, CREF):
                    note_of.setdefault(m.get(A_ID), (part, nid))

        # ids and true UTC dates
        durable_of: dict[str, str] = {}
        if ids_root is not None:
            for el in ids_root:
                pid = el.get(A_CID_PARAID)
                if pid:
                    durable_of[pid.upper()] = el.get(A_CID_DURABLE)
        utc_of: dict[str, str] = {}
        if cex_root is not None:
            for el in cex_root:
                did = el.get(A_CEX_DURABLE)
                if did and el.get(A_CEX_DATEUTC):
                    utc_of[did.upper()] = el.get(A_CEX_DATEUTC)

        # threads: w15:paraId / w15:paraIdParent are the LAST paragraph's w14:paraId
        index_of_para: dict[str, int] = {}
        for i, item in enumerate(raw):
            if item[5]:
                index_of_para.setdefault(item[5].upper(), i)
        parent_idx: list[int | None] = [None] * len(raw)
        done = [False] * len(raw)
        if ext_root is not None:
            stale = 0
            for el in ext_root:
                pid = el.get(A_EX_PARAID)
                if not pid:
                    continue
                i = index_of_para.get(pid.upper())
                if i is None:
                    stale += 1
                    continue
                done[i] = _onoff(el.get(A_EX_DONE), False)
                parent = el.get(A_EX_PARENT)
                if parent:
                    j = index_of_para.get(parent.upper())
                    if j is None:
                        self.warnings.append(f"Comment {raw[i][0]} is a reply to a comment that "
                                             "no longer exists; it is shown as a new thread.")
                    elif j == i:
                        self.warnings.append(f"Comment {raw[i][0]} is marked as a reply to "
                                             "itself; it is shown as a new thread.")
                    else:
                        parent_idx[i] = j
            if stale:
                self.warnings.append(
                    f"{stale} entr{'y' if stale == 1 else 'ies'} of commentsExtended.xml "
                    f"refer{'s' if stale == 1 else ''} to no comment (stale) and "
                    f"{'was' if stale == 1 else 'were'} ignored.")
        root_idx = list(range(len(raw)))
        for i in range(len(raw)):
            seen = {i}
            j = i
            while parent_idx[j] is not None:
                j = parent_idx[j]
                if j in seen:
                    self.warnings.append(f"The reply chain of comment {raw[i][0]} loops; it is "
                                         "shown as a new thread.")
                    j = i
                    parent_idx[i] = None
                    break
                seen.add(j)
            root_idx[i] = j

        # dates: w16cex:dateUtc (true UTC) preferred; else w:date (local time, false "Z")
        invalid_dates = 0
        dates = []
        for cid, _author, _initials, date_raw, _body, para_id in raw:
            date = date_source = None
            durable = durable_of.get(para_id.upper()) if para_id else None
            utc_raw = utc_of.get(durable.upper()) if durable else None
            if utc_raw:
                date = parse_word_date(utc_raw)
                if date is not None:
                    date_source = "utc"
            if date is None and date_raw:
                date = parse_word_date(date_raw)
                if date is not None:
                    date_source = "local"
                else:
                    invalid_dates += 1
            dates.append((date, date_source, durable))
        if invalid_dates:
            self.warnings.append(f"{invalid_dates} comment(s) have an invalid date (e.g. "
                                 "LibreOffice's 0-00-00T00:00:00Z); their date is unknown.")
        # Google Docs exports carry no thread parts (and no docProps): replies are comments
        # on the same range, grouped after anchoring.
        google = ext_root is None and "docProps/app.xml" not in pkg.xml
        return raw, dates, done, root_idx, note_of, google

    # ---- comments, phase 2: anchors in the canonical text ----
    def _anchor_comments(self, records, walker: _Walker, text: str) -> list[WordComment]:
        marks_by_id: dict[str, list] = {}
        for cid, kind, pos in walker.marks:
            slot = marks_by_id.get(cid)
            if slot is None:
                slot = marks_by_id[cid] = [None, None, None, False]
            if slot[kind] is None:
                slot[kind] = pos
            elif kind != 2:
                slot[3] = True
        if records is None:
            if marks_by_id:
                self.warnings.append(f"The document has {len(marks_by_id)} comment anchor(s) "
                                     "but no comments part; they were ignored.")
            return []
        raw, dates, done, root_idx, note_of, google = records
        known = {item[0] for item in raw}
        unknown = [cid for cid in marks_by_id if cid not in known]
        if unknown:
            self.warnings.append(f"{len(unknown)} comment anchor(s) refer to comments that do "
                                 f"not exist (ids {', '.join(sorted(unknown)[:10])}); ignored.")
        resolve = walker.resolve
        anchors = []
        for cid, *_rest in raw:
            slot = marks_by_id.get(cid)
            in_part = "document"
            anchor = "range"
            if slot is not None and slot[3]:
                self.warnings.append(f"Comment {cid} has more than one anchor; the first was used.")
            s_pos, e_pos, r_pos = (slot[0], slot[1], slot[2]) if slot else (None, None, None)
            if s_pos is not None and e_pos is not None:
                start, end = resolve(s_pos), resolve(e_pos)
                if end < start:
                    self.warnings.append(f"Comment {cid} ends before it starts; its range was "
                                         "reversed.")
                    start, end = end, start
            elif s_pos is not None:
                start = resolve(s_pos)
                end = max(start, walker.para_end(s_pos))
                self.warnings.append(f"Comment {cid} has no end of range; it was anchored to the "
                                     "end of its paragraph.")
            elif e_pos is not None:
                start = end = resolve(e_pos)
                anchor = "point"
                self.warnings.append(f"Comment {cid} has no start of range; it was anchored at "
                                     "its end.")
            elif r_pos is not None:
                start = end = resolve(r_pos)
                anchor = "point"
            elif cid in note_of:
                in_part, nid = note_of[cid]
                ref = walker.refs.get((in_part, nid))
                anchor = "point"
                noun = in_part[:-1]
                if ref is not None:
                    start = end = resolve(ref)
                    self.warnings.append(f"Comment {cid} is anchored inside {noun} {nid}; it was "
                                         f"anchored at the {noun} reference in the text.")
                else:
                    start = end = 0
                    self.warnings.append(f"Comment {cid} is anchored inside {noun} {nid}, whose "
                                         "reference was not found; it was anchored at the start "
                                         "of the document.")
            else:
                start = end = 0
                in_part = "unknown"
                anchor = "missing"
                self.warnings.append(f"Comment {cid} has no anchor in the text; it was anchored at "
                                     "the start of the document.")
            anchors.append((start, end, in_part, anchor))

        if google and len(raw) > 1:
            groups: dict[tuple[int, int], list[int]] = {}
            for i, a in enumerate(anchors):
                if a[3] != "missing":
                    groups.setdefault((a[0], a[1]), []).append(i)
            earliest = datetime.min.replace(tzinfo=timezone.utc)
            for members in groups.values():
                if len(members) < 2:
                    continue
                order = sorted(members, key=lambda k: (dates[k][0] is None, dates[k][0] or earliest, k))
                for k in order:
                    root_idx[k] = order[0]

        out = []
        for i, (cid, author, initials, date_raw, body, para_id) in enumerate(raw):
            start, end, in_part, anchor = anchors[i]
            date, date_source, durable = dates[i]
            r = root_idx[i]
            out.append(WordComment(
                id=cid, author=author, initials=initials, date=date, date_raw=date_raw,
                text=body, start=start, end=end, quote=text[start:end],
                parent=None if r == i else raw[r][0], resolved=done[r], done=done[i],
                para_id=para_id, durable_id=durable, in_part=in_part, date_source=date_source,
                anchor=anchor))
        return out

    # ---- revisions / forms ----
    def _revisions(self, walker: _Walker, text: str) -> list[Revision]:
        out = []
        for rev in walker.revisions:
            start = walker.resolve(rev.start)
            end = walker.resolve(rev.end) if rev.end is not None else start
            if rev.kind not in _KEPT_KINDS or rev.mark:
                end = start
            end = max(start, end)
            if rev.para:
                body = text[start:end]
            else:
                body = "".join(rev.parts)
                if body and _needs_normalizing(body):
                    body = _normalize(body)
            out.append(Revision(kind=rev.kind, author=rev.author, date=parse_word_date(rev.date_raw),
                                text=body, start=start, end=end, id=rev.id,
                                paragraph_mark=rev.mark, date_raw=rev.date_raw))
        return out

    def _forms(self, walker: _Walker, text: str) -> list[FormField]:
        out = []
        for f in walker.forms:
            start = walker.resolve(f.start) if f.start is not None else 0
            end = walker.resolve(f.end) if f.end is not None else start
            value = f.value
            if value is None:
                vs = walker.resolve(f.vstart) if f.vstart is not None else start
                ve = walker.resolve(f.vend) if f.vend is not None else end
                value = text[vs:max(vs, ve)]
            out.append(FormField(kind=f.kind, name=f.name, value=value, options=list(f.options),
                                 checked=f.checked, start=start, end=max(start, end),
                                 source=f.source))
        return out

    # ---- application ----
    def _app(self) -> str:
        xml = self.pkg.xml
        app_root = self.optional("docProps/app.xml") if "docProps/app.xml" in xml else None
        core_root = self.optional("docProps/core.xml") if "docProps/core.xml" in xml else None
        application = ""
        total_time = None
        if app_root is not None:
            for el in app_root:
                local = el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""
                if local == "Application":
                    application = (el.text or "").strip()
                elif local == "TotalTime":
                    total_time = (el.text or "").strip()
        description = creator = ""
        if core_root is not None:
            for el in core_root:
                local = el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""
                if local == "description":
                    description = (el.text or "").strip()
                elif local == "creator":
                    creator = (el.text or "").strip()
        low = application.lower()
        if "libreoffice" in low or "openoffice" in low:
            return "libreoffice"
        if "python-docx" in description.lower() and total_time in (None, "", "0"):
            return "python-docx"
        if "microsoft" in low and "word" in low:
            return "word"
        if app_root is None and core_root is None and "docProps/app.xml" not in xml:
            return "google_docs"
        if creator.lower() == "python-docx":
            return "python-docx"
        return "unknown"


__all__ = ["read_docx", "parse_word_date"]
