"""XML knowledge for WordprocessingML: namespaces, ``qn()``, hardened parsers and THE tag vocabulary.

Both directions (``read/`` and ``write/``) name elements and attributes with the constants
below, as python-docx keeps one ``ns`` module: a tag is spelled once, in Clark notation.

Every XML part of an uploaded package goes through :func:`parse_part`, which refuses any
DOCTYPE or ENTITY declaration *before* libxml2 sees the bytes (Word never writes one; they are
the vehicle of XXE and "billion laughs" attacks), and then parses with entity resolution,
network access, DTD loading and huge-tree mode all switched off.
"""
from __future__ import annotations

from lxml import etree

from .errors import CorruptError, DoctypeError

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "m": "http://schemas.openxmlformats.org/officeDocument/2006/math",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "w14": "http://schemas.microsoft.com/office/word/2010/wordml",
    "w15": "http://schemas.microsoft.com/office/word/2012/wordml",
    "w16cid": "http://schemas.microsoft.com/office/word/2016/wordml/cid",
    "w16cex": "http://schemas.microsoft.com/office/word/2018/wordml/cex",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "v": "urn:schemas-microsoft-com:vml",
    "pr": "http://schemas.openxmlformats.org/package/2006/relationships",
    "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
    "ep": "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
}

# ISO/IEC 29500 "Strict" namespaces, translated to their Transitional equivalents on read.
STRICT_TO_TRANSITIONAL = {
    b"http://purl.oclc.org/ooxml/wordprocessingml/main": NS["w"].encode(),
    b"http://purl.oclc.org/ooxml/officeDocument/relationships": NS["r"].encode(),
    b"http://purl.oclc.org/ooxml/officeDocument/math": NS["m"].encode(),
    b"http://purl.oclc.org/ooxml/drawingml/wordprocessingDrawing": NS["wp"].encode(),
    b"http://purl.oclc.org/ooxml/drawingml/main": NS["a"].encode(),
}

REL_PREFIX_STRICT = "http://purl.oclc.org/ooxml/officeDocument/relationships/"
REL_PREFIX = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def qn(tag: str) -> str:
    """``qn("w:p")`` -> ``"{http://...wordprocessingml/2006/main}p"`` (Clark notation)."""
    prefix, _, local = tag.partition(":")
    return f"{{{NS[prefix]}}}{local}"


# -- the tag vocabulary (Clark notation; one constant per element, named after its local name) --
_W = NS["w"]


def w(local: str) -> str:
    """``w("p")`` -> the Clark name of ``w:p`` (the WordprocessingML main namespace)."""
    return f"{{{_W}}}{local}"


# story and block structure
DOCUMENT, BODY, P, R, T = w("document"), w("body"), w("p"), w("r"), w("t")
PPR, RPR, PSTYLE, RSTYLE, NUMPR, ILVL, NUMID, OUTLINELVL = (
    w("pPr"), w("rPr"), w("pStyle"), w("rStyle"), w("numPr"), w("ilvl"), w("numId"), w("outlineLvl"))
TBL, TR, TC, TBLPR, TRPR, TCPR, TBLGRID, TBLPREX = (
    w("tbl"), w("tr"), w("tc"), w("tblPr"), w("trPr"), w("tcPr"), w("tblGrid"), w("tblPrEx"))
SECTPR, BACKGROUND = w("sectPr"), w("background")
# tracked changes
INS, DEL, MOVEFROM, MOVETO = w("ins"), w("del"), w("moveFrom"), w("moveTo")
DELTEXT, INSTRTEXT, DELINSTRTEXT = w("delText"), w("instrText"), w("delInstrText")
RPRCHANGE, PPRCHANGE = w("rPrChange"), w("pPrChange")
TBLPRCHANGE, TRPRCHANGE, TCPRCHANGE = w("tblPrChange"), w("trPrChange"), w("tcPrChange")
SECTPRCHANGE, NUMBERINGCHANGE = w("sectPrChange"), w("numberingChange")
CELLINS, CELLDEL, CELLMERGE = w("cellIns"), w("cellDel"), w("cellMerge")
MOVEFROMRANGESTART, MOVEFROMRANGEEND = w("moveFromRangeStart"), w("moveFromRangeEnd")
MOVETORANGESTART, MOVETORANGEEND = w("moveToRangeStart"), w("moveToRangeEnd")
# characters
TAB, PTAB, BR, CR = w("tab"), w("ptab"), w("br"), w("cr")
NOBREAKHYPHEN, SOFTHYPHEN, SYM = w("noBreakHyphen"), w("softHyphen"), w("sym")
PROOFERR, LASTRENDEREDPAGEBREAK = w("proofErr"), w("lastRenderedPageBreak")
RUBY, RT, RUBYPR, RUBYBASE = w("ruby"), w("rt"), w("rubyPr"), w("rubyBase")
# fields and form fields
FLDCHAR, FLDSIMPLE, FLDDATA, FFDATA = w("fldChar"), w("fldSimple"), w("fldData"), w("ffData")
CHECKBOX, CHECKED, DEFAULT, DDLIST, LISTENTRY, RESULT, TEXTINPUT = (
    w("checkBox"), w("checked"), w("default"), w("ddList"), w("listEntry"), w("result"),
    w("textInput"))
# content controls
SDT, SDTPR, SDTCONTENT, SDTENDPR = w("sdt"), w("sdtPr"), w("sdtContent"), w("sdtEndPr")
TAG, ALIAS, DROPDOWNLIST, COMBOBOX, LISTITEM, SHOWINGPLCHDR, SDTTEXT, SDTDATE = (
    w("tag"), w("alias"), w("dropDownList"), w("comboBox"), w("listItem"),
    w("showingPlcHdr"), w("text"), w("date"))
# comments, notes, bookmarks, permissions
COMMENT, COMMENTS = w("comment"), w("comments")
CRS, CRE, CREF = w("commentRangeStart"), w("commentRangeEnd"), w("commentReference")
ANNOTATIONREF = w("annotationRef")
FOOTNOTE, ENDNOTE = w("footnote"), w("endnote")
FNREF, ENREF = w("footnoteReference"), w("endnoteReference")
FOOTNOTEREF, ENDNOTEREF = w("footnoteRef"), w("endnoteRef")
SEPARATOR, CONTINUATIONSEPARATOR = w("separator"), w("continuationSeparator")
BOOKMARKSTART, BOOKMARKEND = w("bookmarkStart"), w("bookmarkEnd")
PERMSTART, PERMEND = w("permStart"), w("permEnd")
# inline wrappers and custom markup
HYPERLINK, SMARTTAG, SMARTTAGPR, DIR, BDO = (
    w("hyperlink"), w("smartTag"), w("smartTagPr"), w("dir"), w("bdo"))
CUSTOMXML, CUSTOMXMLPR = w("customXml"), w("customXmlPr")
CUSTOMXMLINSRANGESTART, CUSTOMXMLINSRANGEEND = (
    w("customXmlInsRangeStart"), w("customXmlInsRangeEnd"))
CUSTOMXMLDELRANGESTART, CUSTOMXMLDELRANGEEND = (
    w("customXmlDelRangeStart"), w("customXmlDelRangeEnd"))
CUSTOMXMLMOVEFROMRANGESTART, CUSTOMXMLMOVEFROMRANGEEND = (
    w("customXmlMoveFromRangeStart"), w("customXmlMoveFromRangeEnd"))
CUSTOMXMLMOVETORANGESTART, CUSTOMXMLMOVETORANGEEND = (
    w("customXmlMoveToRangeStart"), w("customXmlMoveToRangeEnd"))
# drawings, embedded content
TXBX, DRAWING, PICT, OBJECT = w("txbxContent"), w("drawing"), w("pict"), w("object")
ALTCHUNK, SUBDOC = w("altChunk"), w("subDoc")
# styles
STYLE, NAME, BASEDON = w("style"), w("name"), w("basedOn")
# other namespaces
AC, CHOICE, FALLBACK = qn("mc:AlternateContent"), qn("mc:Choice"), qn("mc:Fallback")
M_T, M_R, M_RPR, M_OMATH, M_OMATHPARA = (
    qn("m:t"), qn("m:r"), qn("m:rPr"), qn("m:oMath"), qn("m:oMathPara"))
W14_CHECKBOX, W14_CHECKED = qn("w14:checkbox"), qn("w14:checked")
PR_RELATIONSHIPS, PR_RELATIONSHIP = qn("pr:Relationships"), qn("pr:Relationship")
CT_DEFAULT, CT_OVERRIDE = qn("ct:Default"), qn("ct:Override")

# -- attributes ---------------------------------------------------------------------------------
A_VAL, A_ID, A_AUTHOR, A_DATE, A_INITIALS = w("val"), w("id"), w("author"), w("date"), w("initials")
A_TYPE, A_NAME, A_CHAR, A_FONT = w("type"), w("name"), w("char"), w("font")
A_FLDCHARTYPE, A_STYLEID = w("fldCharType"), w("styleId")
A_DISPLAYTEXT, A_VALUE = w("displayText"), w("value")
A_PARAID, A_W14VAL = qn("w14:paraId"), qn("w14:val")
A_EX_PARAID, A_EX_PARENT, A_EX_DONE = qn("w15:paraId"), qn("w15:paraIdParent"), qn("w15:done")
A_W15_AUTHOR = qn("w15:author")
A_CID_PARAID, A_CID_DURABLE = qn("w16cid:paraId"), qn("w16cid:durableId")
A_CEX_DURABLE, A_CEX_DATEUTC = qn("w16cex:durableId"), qn("w16cex:dateUtc")
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


# -- simple types -------------------------------------------------------------------------------
_TRUE = {"1", "true", "on"}
_FALSE = {"0", "false", "off", "none"}


def onoff(value: str | None, default: bool = True) -> bool:
    """ST_OnOff: a missing attribute means *on* for toggle elements."""
    if value is None:
        return default
    value = value.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    return default


def to_int(value) -> int | None:
    """An integer attribute value, or None when absent or not a number."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


_WIDE = (
    (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"), (b"\x00\x00\x00<", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"),
    (b"<\x00", "utf-16-le"), (b"\x00<", "utf-16-be"),
)


def _as_text_bytes(data: bytes) -> bytes:
    """The bytes to scan for declarations: UTF-16/32 parts are decoded to UTF-8 first."""
    for mark, encoding in _WIDE:
        if data.startswith(mark):
            return data.decode(encoding, errors="ignore").encode("utf-8", errors="ignore")
    return data


def has_declaration(data: bytes) -> bool:
    """True when the XML bytes contain a ``<!DOCTYPE`` or ``<!ENTITY`` declaration anywhere.

    Scans every ``<!`` (fast ``bytes.find``); only comments ``<!--`` and ``<![CDATA[`` are
    allowed to follow it.  Anything else (DOCTYPE, ENTITY, ELEMENT, ATTLIST, in any case or
    with whitespace) counts as a declaration.  UTF-16/32 parts are decoded first.
    """
    text = _as_text_bytes(data)
    # Look for "!" (rare in XML markup, unlike "<") and check the byte before it.
    find = text.find
    i = find(b"!", 1)
    while i != -1:
        if text[i - 1] == 0x3C:  # "<!"
            after = text[i + 1:i + 9]
            if not (after.startswith(b"--") or after.startswith(b"[CDATA[")):
                return True
        i = find(b"!", i + 1)
    return False


def make_parser() -> etree.XMLParser:
    """A fresh hardened parser (lxml parsers must not be shared between threads)."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
    )


def make_rewrite_parser() -> etree.XMLParser:
    """Hardened as :func:`make_parser`, but keeping comments and PIs (parts rewritten whole)."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=False,
        remove_pis=False,
        collect_ids=False,
    )


def parse_part(data: bytes, name: str = "part", *, parser: etree.XMLParser | None = None):
    """Parse one XML part and return its root element.

    Raises :class:`DoctypeError` for any DOCTYPE/ENTITY declaration (checked on the bytes,
    before parsing, and again on the parsed tree) and :class:`CorruptError` for malformed XML.
    """
    if has_declaration(data):
        raise DoctypeError(part=name)
    if b"purl.oclc.org/ooxml" in data:
        for strict, transitional in STRICT_TO_TRANSITIONAL.items():
            data = data.replace(strict, transitional)
    try:
        root = etree.fromstring(data, parser or make_parser())
    except etree.XMLSyntaxError as exc:
        raise CorruptError(f"The part {name} of this Word file is damaged ({exc.msg}). Open the "
                           "file in Word (which may offer to repair it) and save a new copy.",
                           part=name) from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:  # pragma: no cover - refused above
        raise DoctypeError(part=name)
    return root


# Everything above is the vocabulary: ``from ..oxml import P, R, T`` (no __all__ restricting it).
