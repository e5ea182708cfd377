"""The lightened main part: formatting-only ``w:rPr`` dropped from the bytes before parsing.

Exact by construction (the tree is that of the part minus ignored formatting, or the part is
parsed as it is, for the very same error); see the comment below and docs/docx-inspect.md
"performance notes".  :class:`BackgroundParse` parses it in a worker thread.
"""
from __future__ import annotations

import re
import threading
from functools import lru_cache

from lxml import etree

from ..errors import CorruptError
from ..oxml import NS, parse_part

_W = NS["w"]

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


def lighten(data: bytes) -> bytes:
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


def parse_lightened(data: bytes, light: bytes, name: str, parser=None):
    """:func:`parse_part` of ``light`` (``lighten(data)``) when that is provably the tree of
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


class BackgroundParse:
    """Parses the main part in a worker thread.

    lxml releases the GIL while libxml2 parses, so the caller reads styles, comments, threads
    and dates meanwhile (see ``reader.Reader.read``).  (Measured: this also costs less CPU
    than parsing in the caller, the tree being allocated in the worker's malloc arena.
    Cutting the part into pieces parsed while walking was tried and cost more CPU than it
    saved.)
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
            self.root = parse_lightened(self.data, self.light, self.name)
        except BaseException as exc:  # re-raised by result()
            self.error = exc

    def result(self):
        self.thread.join()
        if self.error is not None:
            raise self.error
        root, self.root = self.root, None
        return root


__all__ = ["lighten", "parse_lightened", "BackgroundParse"]
