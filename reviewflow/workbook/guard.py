"""Pre-flight of an untrusted .xlsx, before any spreadsheet library sees it.

The same kind of guard as :mod:`reviewflow.wordio.guard` (same zip limits, same refusal of
DOCTYPE/ENTITY declarations), written for workbooks: the Word guard reads every XML part into
memory and speaks of Word in its messages, while a workbook's sheets can be large and must be
scanned in a stream.  (The two could share a generic zip scanner later: see docs/workbook.md.)

:func:`check_xlsx` refuses, with a :class:`~reviewflow.workbook.errors.WorkbookError` whose ``code``
says why:

================  ============================================================================
code              meaning
================  ============================================================================
too_large         more than ``limits.max_bytes`` bytes
ole_encrypted     an OLE compound file holding an ``EncryptedPackage``: a password-protected .xlsx
legacy_xls        any other OLE compound file (.xls ...), or an Excel 2003 XML spreadsheet
not_zip           not a zip archive at all (CSV, PDF, HTML, text ...)
truncated         starts like a zip but its directory or a member is cut short / fails its CRC
encrypted         zip members encrypted with a zip password
zip_bomb          too many members, or a member expanding more than ``max_ratio`` times
too_much_data     more uncompressed data than ``max_total_uncompressed`` / ``max_part_uncompressed``
macro             ``vbaProject.bin``, a macro sheet, or a macro-enabled content type (.xlsm, .xltm, .xlam)
xlsb              a binary workbook (.xlsb)
not_xlsx          a zip that is not a workbook (a .docx, an .ods, no workbook part, Strict OOXML)
doctype           a DOCTYPE/ENTITY declaration in any XML part (XXE, billion laughs)
================  ============================================================================

Refusals are decided on the content, never on the file name.  On success it returns an
:class:`XlsxPackage` describing the parts (worksheets, shared strings, external links), with
what the stream scan saw in each worksheet: whether it holds formulas and its merged ranges.
Nothing is fetched: external links are listed (their targets are file names), never opened.
"""

from __future__ import annotations

import codecs
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from io import BytesIO

from lxml import etree

from ..zipnames import first_unsafe
from .errors import (
    BinaryWorkbookError,
    DoctypeError,
    EncryptedError,
    LegacyXlsError,
    MacroError,
    NotXlsxError,
    NotZipError,
    TooLargeError,
    TooMuchDataError,
    TruncatedError,
    UnsafeNameError,
    WorkbookError,
    ZipBombError,
    ZipEncryptedError,
)

MB = 1024 * 1024
# The zip limits are those of the Word guard (reviewflow/wordio/guard.py); the size limit is the
# upload limit of the application (config MAX_CONTENT_LENGTH, 25 MB by default).
RATIO_FLOOR = 1 * MB
CHUNK = 1 * MB

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
NS_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
NS_PR = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

CT_WORKBOOK = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
}
CT_MACRO_WORKBOOK = {
    "application/vnd.ms-excel.sheet.macroenabled.main+xml",
    "application/vnd.ms-excel.template.macroenabled.main+xml",
    "application/vnd.ms-excel.addin.macroenabled.main+xml",
}
CT_BINARY_WORKBOOK = "application/vnd.ms-excel.sheet.binary.macroenabled.main"
CT_WORKSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
CT_SHARED_STRINGS = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedstrings+xml"
CT_EXTERNAL_LINK = "application/vnd.openxmlformats-officedocument.spreadsheetml.externallink+xml"
CT_CONNECTIONS = "application/vnd.openxmlformats-officedocument.spreadsheetml.connections+xml"
CT_MACRO_SHEETS = ("application/vnd.ms-excel.macrosheet+xml", "application/vnd.ms-excel.intlmacrosheet+xml")
CT_WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml"
XML_SUFFIXES = (".xml", ".rels", ".vml")


@dataclass(frozen=True)
class Limits:
    """What an uploaded workbook may hold.  Package limits refuse the file; reading limits
    (``max_sheets``, ``max_rows``, ``max_cols``, ``max_cells``) cut what is read, with a warning."""

    max_bytes: int = 25 * MB
    max_members: int = 2000
    max_total_uncompressed: int = 200 * MB
    max_ratio: float = 200
    max_part_uncompressed: int = 120 * MB  # one worksheet
    max_shared_strings: int = 40 * MB  # the shared-strings part (read whole by the reader)
    max_sheets: int = 50
    max_rows: int = 10_000  # row numbers beyond this are not read
    max_cols: int = 200  # columns beyond this (GR) are not read
    max_cells: int = 1_000_000  # cells read in the whole workbook
    max_merges: int = 10_000


DEFAULT_LIMITS = Limits()


@dataclass
class PartScan:
    """What the stream scan saw in one worksheet part."""

    has_formulas: bool = False
    merges: list[str] = field(default_factory=list)  # "A1:C1" ...
    merges_dropped: int = 0
    uncompressed: int = 0


@dataclass
class XlsxPackage:
    """A checked workbook package."""

    names: list[str]
    content_types: dict[str, str]
    workbook_part: str
    worksheets: dict[str, PartScan]  # part name -> scan
    shared_strings_part: str | None = None
    external_links: list[str] = field(default_factory=list)  # file names/URLs, never opened
    connections: bool = False  # data connections (never refreshed)
    warnings: list = field(default_factory=list)  # (code, {"fr", "en"}) pairs

    def content_type(self, name: str) -> str | None:
        ct = self.content_types.get("/" + name)
        if ct is None:
            ct = self.content_types.get("ext:" + posixpath.splitext(name)[1].lstrip(".").lower())
        return ct


def make_parser() -> etree.XMLParser:
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


def parse_small(data: bytes, name: str):
    """Parse a small XML part (content types, relationships) already scanned for declarations."""
    try:
        return etree.fromstring(data, make_parser())
    except etree.XMLSyntaxError:
        raise NotXlsxError("damaged_part", part=name) from None


# --------------------------------------------------------------------------- not a zip
def _refuse_non_zip(data: bytes) -> None:
    if data.startswith(OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise EncryptedError()
        if "WordDocument".encode("utf-16-le") in data:
            raise NotZipError("doc")
        raise LegacyXlsError()
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    low = head.lower()
    if head.startswith(b"%PDF"):
        raise NotZipError("pdf")
    if head.startswith(b"{\\rtf"):
        raise NotZipError("rtf")
    if b"urn:schemas-microsoft-com:office:spreadsheet" in data[:4096]:
        raise LegacyXlsError("xml2003")
    if low.startswith((b"<html", b"<!doctype html", b"<table")) or b"<html" in low[:200]:
        raise NotZipError("html")
    sample = data[:2048]
    if (
        sample
        and b"\x00" not in sample
        and (sample.count(b",") + sample.count(b";") + sample.count(b"\t")) >= 2
    ):
        raise NotZipError("csv")
    raise NotZipError()


# --------------------------------------------------------------------------- stream scan
_WIDE = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
    (b"<\x00", "utf-16-le"),
    (b"\x00<", "utf-16-be"),
)
_MERGE = re.compile(
    rb"mergeCell\b[^>]*?\bref\s*=\s*[\"']([A-Za-z]{1,3}\$?\d{1,7}(?::[A-Za-z]{1,3}\$?\d{1,7})?)[\"']"
)
_FORMULA_MARKS = (b"<f>", b"<f ", b":f>", b":f ")
_OVERLAP = 512


class _Scan:
    """Declarations (any ``<!`` that is not a comment or CDATA), formulas and merged ranges,
    fed chunk by chunk; UTF-16/32 parts are decoded to UTF-8 first."""

    def __init__(self, worksheet: bool, max_merges: int):
        self.worksheet = worksheet
        self.max_merges = max_merges
        self.tail = b""
        self.decoder = None
        self.first = True
        self.declaration = False
        self.info = PartScan()
        self._seen_merge_ends: set[int] = set()

    def feed(self, chunk: bytes, final: bool = False) -> None:
        if self.first:
            self.first = False
            for mark, enc in _WIDE:
                if chunk.startswith(mark):
                    self.decoder = codecs.getincrementaldecoder(enc)(errors="ignore")
                    break
        if self.decoder is not None:
            chunk = self.decoder.decode(chunk, final).encode("utf-8", errors="ignore")
        buf = self.tail + chunk
        base = len(self.tail)
        i = buf.find(b"<!", max(0, base - 9))
        while i != -1:
            after = buf[i + 2 : i + 9]
            if len(after) < 7 and not final and i + 9 > len(buf):
                break  # decided with the next chunk (it is in the tail)
            if not (after.startswith(b"--") or after.startswith(b"[CDATA[")):
                self.declaration = True
                return
            i = buf.find(b"<!", i + 2)
        if self.worksheet:
            if not self.info.has_formulas and any(m in buf for m in _FORMULA_MARKS):
                self.info.has_formulas = True
            if b"mergeCell" in buf:
                # matches that end inside the overlap were already taken from the previous buffer
                start = max(0, base - _OVERLAP)
                for m in _MERGE.finditer(buf, start):
                    if m.end() <= base:
                        continue
                    if len(self.info.merges) < self.max_merges:
                        self.info.merges.append(m.group(1).decode("ascii").replace("$", "").upper())
                    else:
                        self.info.merges_dropped += 1
        self.tail = buf[-_OVERLAP:]


def _stream(zf: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int, max_ratio: float, scan: _Scan) -> int:
    total = 0
    try:
        with zf.open(info) as fh:
            while True:
                chunk = fh.read(CHUNK)
                if not chunk:
                    break
                total += len(chunk)
                if total > cap:
                    raise TooMuchDataError(part=info.filename, figures={"limit": cap})
                if total >= RATIO_FLOOR and total > max_ratio * max(info.compress_size, 1):
                    raise ZipBombError(part=info.filename)
                scan.feed(chunk)
                if scan.declaration:
                    raise DoctypeError(part=info.filename)
        scan.feed(b"", final=True)
    except WorkbookError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError) as exc:
        if isinstance(exc, NotImplementedError):
            raise NotXlsxError("compression") from None
        raise TruncatedError(part=info.filename) from None
    if scan.declaration:
        raise DoctypeError(part=info.filename)
    scan.info.uncompressed = total
    return total


def _read_small(zf: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int = 8 * MB) -> bytes:
    try:
        with zf.open(info) as fh:
            body = fh.read(cap + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError):
        raise TruncatedError(part=info.filename) from None
    if len(body) > cap:
        raise TooMuchDataError(part=info.filename, figures={"limit": cap})
    return body


# --------------------------------------------------------------------------- check
def _mb(n: float) -> str:
    return f"{n / MB:.0f}"


def check_xlsx(data: bytes, *, limits: Limits = DEFAULT_LIMITS) -> XlsxPackage:
    """Check an untrusted upload; return an :class:`XlsxPackage` or raise ``WorkbookError``."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError("check_xlsx() needs the file's bytes")
    data = bytes(data)
    if len(data) > limits.max_bytes:
        raise TooLargeError(
            "size",
            figures={"bytes": len(data), "limit": limits.max_bytes, "size_mb": f"{len(data) / MB:.1f}",
                     "limit_mb": _mb(limits.max_bytes)},
        )
    if not data.startswith(b"PK"):
        _refuse_non_zip(data)
    try:
        zf = zipfile.ZipFile(BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError):
        if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
            raise TruncatedError() from None
        raise NotZipError() from None

    bad = first_unsafe(info.filename for info in infos)
    if bad:
        raise UnsafeNameError(part=bad[0])
    if len(infos) > limits.max_members:
        raise ZipBombError("members", figures={"members": len(infos), "limit": limits.max_members})
    declared, names, seen = 0, [], set()
    for info in infos:
        if info.flag_bits & 0x1:
            raise ZipEncryptedError()
        if info.filename in seen:
            raise NotXlsxError("duplicate")
        seen.add(info.filename)
        names.append(info.filename)
        declared += info.file_size
        if info.file_size >= RATIO_FLOOR and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise ZipBombError(part=info.filename)
    if declared > limits.max_total_uncompressed:
        raise TooMuchDataError(
            "declared",
            figures={"uncompressed": declared, "limit": limits.max_total_uncompressed,
                     "size_mb": f"{declared / MB:.0f}", "limit_mb": _mb(limits.max_total_uncompressed)},
        )

    lower = {n.lower(): n for n in names}
    if any(posixpath.basename(n) == "vbaproject.bin" for n in lower):
        raise MacroError()
    if "[content_types].xml" not in lower:
        if "word/document.xml" in lower:
            raise NotXlsxError("word")
        if "mimetype" in lower and b"opendocument.spreadsheet" in _read_small(
            zf, zf.getinfo(lower["mimetype"]), 200
        ):
            raise NotXlsxError("ods")
        raise NotXlsxError()
    if any(n.endswith(".bin") and (n.startswith("xl/worksheets/") or n == "xl/workbook.bin") for n in lower):
        raise BinaryWorkbookError()

    ct_name = lower["[content_types].xml"]
    ct_body = _read_small(zf, zf.getinfo(ct_name))
    scan = _Scan(False, 0)
    scan.feed(ct_body, final=True)
    if scan.declaration:
        raise DoctypeError(part=ct_name)
    content_types = _content_types(ct_body, ct_name)
    types_low = {k: v.lower() for k, v in content_types.items()}
    if any(v == CT_BINARY_WORKBOOK for v in types_low.values()):
        raise BinaryWorkbookError()
    if any(
        v in CT_MACRO_WORKBOOK or "macroenabled" in v or "vbaproject" in v or v in CT_MACRO_SHEETS
        for v in types_low.values()
    ):
        raise MacroError()
    if any(v.startswith(CT_WORD) for v in types_low.values()) and not any(
        v in CT_WORKBOOK for v in types_low.values()
    ):
        raise NotXlsxError("word")

    def ctype(name):
        ct = types_low.get("/" + name)
        return (
            ct
            if ct is not None
            else types_low.get("ext:" + posixpath.splitext(name)[1].lstrip(".").lower(), "")
        )

    # Every XML part is streamed once: declarations refused, worksheets scanned.
    budget = limits.max_total_uncompressed
    worksheets: dict[str, PartScan] = {}
    small: dict[str, bytes] = {}
    shared = None
    for info in infos:
        name = info.filename
        if name.endswith("/") or name == ct_name:
            continue
        ct = ctype(name)
        if not (name.lower().endswith(XML_SUFFIXES) or "xml" in ct):
            continue
        is_sheet = ct == CT_WORKSHEET
        if ct == CT_SHARED_STRINGS:
            shared = name
        cap = min(
            budget,
            limits.max_part_uncompressed
            if is_sheet
            else limits.max_shared_strings
            if ct == CT_SHARED_STRINGS
            else limits.max_total_uncompressed,
        )
        if name.endswith(".rels") or ct in CT_WORKBOOK or ct == CT_EXTERNAL_LINK:
            body = _read_small(zf, info)
            s = _Scan(False, 0)
            s.feed(body, final=True)
            if s.declaration:
                raise DoctypeError(part=name)
            small[name] = body
            budget -= len(body)
            continue
        s = _Scan(is_sheet, limits.max_merges)
        try:
            budget -= _stream(zf, info, cap, limits.max_ratio, s)
        except TooMuchDataError:
            what = ("sheet" if is_sheet else "strings") if cap < budget else "workbook"
            raise TooMuchDataError(what, part=name, figures={"limit": cap, "limit_mb": _mb(cap)}) from None
        if is_sheet:
            worksheets[name] = s.info

    workbook_part = _workbook_part(small, content_types)
    if workbook_part is None:
        raise NotXlsxError()
    pkg = XlsxPackage(
        names=names,
        content_types=content_types,
        workbook_part=workbook_part,
        worksheets=worksheets,
        shared_strings_part=shared,
    )
    wb_body = small.get(workbook_part)
    if wb_body is None:
        raise NotXlsxError()
    if b"purl.oclc.org/ooxml/spreadsheetml" in wb_body:
        raise NotXlsxError("strict")
    for name in small:
        if ctype(name) == CT_EXTERNAL_LINK:
            rels = small.get(
                posixpath.join(posixpath.dirname(name), "_rels", posixpath.basename(name) + ".rels")
            )
            targets = _external_targets(rels, name) if rels else []
            pkg.external_links.extend(targets or [posixpath.basename(name)])
    pkg.connections = any(ctype(n) == CT_CONNECTIONS for n in names)
    return pkg


def _content_types(data: bytes, name: str) -> dict[str, str]:
    root = parse_small(data, name)
    out = {}
    for el in root:
        if not isinstance(el.tag, str):
            continue
        if el.tag == f"{{{NS_CT}}}Default":
            out["ext:" + (el.get("Extension") or "").lower()] = el.get("ContentType") or ""
        elif el.tag == f"{{{NS_CT}}}Override":
            part = el.get("PartName") or ""
            out[part if part.startswith("/") else "/" + part] = el.get("ContentType") or ""
    return out


def _workbook_part(small: dict[str, bytes], content_types: dict[str, str]) -> str | None:
    rels = small.get("_rels/.rels")
    if rels is not None:
        root = parse_small(rels, "_rels/.rels")
        for rel in root.iter(f"{{{NS_PR}}}Relationship"):
            if (rel.get("Type") or "").rsplit("/", 1)[-1] == "officeDocument":
                target = posixpath.normpath((rel.get("Target") or "").lstrip("/"))
                if target in small:
                    return target
    for part, ct in content_types.items():
        if ct.lower() in CT_WORKBOOK and part.lstrip("/") in small:
            return part.lstrip("/")
    return None


def _external_targets(rels: bytes, name: str) -> list[str]:
    root = parse_small(rels, name)
    out = []
    for rel in root.iter(f"{{{NS_PR}}}Relationship"):
        if (rel.get("TargetMode") or "").lower() == "external":
            out.append((rel.get("Target") or "")[:300])
    return out


__all__ = ["check_xlsx", "XlsxPackage", "PartScan", "Limits", "DEFAULT_LIMITS"]
