"""XML knowledge for WordprocessingML: namespaces, ``qn()``, and a hardened parser.

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
    return "{%s}%s" % (NS[prefix], local)


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


__all__ = ["NS", "qn", "parse_part", "make_parser", "has_declaration", "REL_PREFIX",
           "REL_PREFIX_STRICT", "STRICT_TO_TRANSITIONAL"]
