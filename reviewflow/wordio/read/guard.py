"""Pre-flight of an untrusted .docx, before any XML is parsed.

:func:`check_package` refuses, with a :class:`~reviewflow.wordio.errors.WordFileError` whose
``code`` says why:

==============  ==============================================================================
code            meaning
==============  ==============================================================================
too_large       more than ``max_bytes`` bytes
ole_encrypted   an OLE compound file holding an ``EncryptedPackage``: a password-protected .docx
legacy_doc      any other OLE compound file (.doc, .xls ...): "save it as .docx"
not_zip         not a zip archive at all (RTF, PDF, HTML, text ...)
truncated       starts like a zip but its directory or a member is cut short / fails its CRC
encrypted       zip members encrypted with a zip password
zip_bomb        too many members, too much uncompressed data, or a member expanding more than
                ``max_ratio`` times
macro           ``vbaProject.bin`` or a macro-enabled content type (.docm/.dotm)
not_docx        a zip without ``[Content_Types].xml`` or without a main document part
doctype         a DOCTYPE/ENTITY declaration in any XML part (XXE, billion laughs)
unsafe_name     a member named with an absolute path, a drive letter, a backslash or ".."
                (reviewflow.zipnames, the one guard of every entry point)
==============  ==============================================================================

On success it returns a :class:`Package` holding the (already decompressed, already checked)
bytes of every XML part, so the reader never decompresses twice.
"""
from __future__ import annotations

import posixpath
import zipfile
import zlib
from dataclasses import dataclass, field
from io import BytesIO

from ...zipnames import first_unsafe
from ..errors import (
    DoctypeError,
    EncryptedError,
    LegacyDocError,
    MacroError,
    NotDocxError,
    NotZipError,
    TooLargeError,
    TruncatedError,
    UnsafeNameError,
    WordFileError,
    ZipBombError,
    ZipEncryptedError,
)
from ..oxml import (
    CT_DEFAULT,
    CT_OVERRIDE,
    PR_RELATIONSHIP,
    REL_PREFIX,
    REL_PREFIX_STRICT,
    has_declaration,
    parse_part,
)

MB = 1024 * 1024
DEFAULT_MAX_BYTES = 50 * MB
DEFAULT_MAX_MEMBERS = 2000
DEFAULT_MAX_TOTAL_UNCOMPRESSED = 200 * MB
DEFAULT_MAX_RATIO = 200
# Small members may legitimately compress extremely well (a page of spaces); the ratio rule
# applies from this uncompressed size up.  The total limit still bounds everything.
RATIO_FLOOR = 1 * MB

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAIN_DOCUMENT_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
}
XML_SUFFIXES = (".xml", ".rels", ".vml")


@dataclass
class Package:
    """A checked package: names, content types and the bytes of every XML part."""

    names: list[str]
    xml: dict[str, bytes]
    content_types: dict[str, str]
    main_part: str
    warnings: list[str] = field(default_factory=list)
    _rels: dict = field(default_factory=dict, repr=False)

    def has(self, name: str) -> bool:
        return name in self.xml or name in self.names

    def content_type(self, name: str) -> str | None:
        ct = self.content_types.get("/" + name)
        if ct is None:
            ext = posixpath.splitext(name)[1].lstrip(".").lower()
            ct = self.content_types.get("ext:" + ext)
        return ct

    def relationships(self, source: str) -> list[tuple[str, str, str]]:
        """(id, type, target part name) of the internal relationships of ``source``."""
        cached = self._rels.get(source)
        if cached is None:
            cached = self._rels[source] = self._read_relationships(source)
        return cached

    def _read_relationships(self, source: str) -> list[tuple[str, str, str]]:
        folder, base = posixpath.split(source)
        rels_name = posixpath.join(folder, "_rels", base + ".rels")
        data = self.xml.get(rels_name)
        if data is None:
            return []
        try:
            root = parse_part(data, rels_name)
        except WordFileError as exc:
            if exc.code == "doctype":  # pragma: no cover - refused by check_package already
                raise
            self.warnings.append(f"The relationships part {rels_name} is damaged and was ignored.")
            return []
        out = []
        for rel in root.iter(PR_RELATIONSHIP):
            if (rel.get("TargetMode") or "").lower() == "external":
                continue
            target = rel.get("Target") or ""
            rtype = (rel.get("Type") or "").replace(REL_PREFIX_STRICT, REL_PREFIX)
            if target.startswith("/"):
                name = posixpath.normpath(target.lstrip("/"))
            else:
                name = posixpath.normpath(posixpath.join(folder, target))
            out.append((rel.get("Id") or "", rtype, name))
        return out

    def related(self, source: str, type_suffix: str) -> str | None:
        """The first part related to ``source`` whose relationship type ends with ``/suffix``."""
        for _rid, rtype, name in self.relationships(source):
            if rtype.rsplit("/", 1)[-1] == type_suffix and name in self.xml:
                return name
        return None


def _refuse_non_zip(data: bytes) -> None:
    if data.startswith(OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise EncryptedError()
        raise LegacyDocError()
    head = data[:16].lstrip()
    if head.startswith(b"{\\rtf"):
        raise NotZipError("This is an RTF file, not a Word document (.docx). Open it in Word and "
                          "save it as \"Word Document (*.docx)\".")
    if head.startswith(b"%PDF"):
        raise NotZipError("This is a PDF, not a Word document. Upload the .docx the report was "
                          "written in.")
    raise NotZipError()


def check_package(
    data: bytes,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_members: int = DEFAULT_MAX_MEMBERS,
    max_total_uncompressed: int = DEFAULT_MAX_TOTAL_UNCOMPRESSED,
    max_ratio: float = DEFAULT_MAX_RATIO,
) -> Package:
    """Check an untrusted upload; return a :class:`Package` or raise ``WordFileError``."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError("check_package() needs the file's bytes")
    data = bytes(data)
    if len(data) > max_bytes:
        raise TooLargeError(f"This file is {len(data) / MB:.1f} MB; the limit is "
                            f"{max_bytes / MB:.0f} MB. Compress its pictures in Word "
                            "(File > Compress Pictures) or split the report.")
    if not data.startswith(b"PK"):
        _refuse_non_zip(data)
    zf, infos = _open_zip(data)
    names = _check_members(infos, max_members, max_total_uncompressed, max_ratio)

    lower = {n.lower(): n for n in names}
    if any(posixpath.basename(n) == "vbaproject.bin" for n in lower):
        raise MacroError()
    if "[content_types].xml" not in lower:
        raise NotDocxError()
    xml = _read_xml_parts(zf, infos, max_total_uncompressed, max_ratio)

    ct_name = lower["[content_types].xml"]
    content_types = _content_types(xml[ct_name], ct_name)
    for ctype in content_types.values():
        low = ctype.lower()
        if "macroenabled" in low or "vbaproject" in low:
            raise MacroError()

    main = _main_part(xml, names)
    if main is None:
        raise NotDocxError()
    main_type = content_types.get("/" + main)
    pkg = Package(names=names, xml=xml, content_types=content_types, main_part=main)
    if main_type and main_type not in MAIN_DOCUMENT_TYPES:
        pkg.warnings.append(f"The main part has the unexpected content type {main_type!r}; "
                            "it was read as a Word document.")
    return pkg


def _open_zip(data: bytes) -> tuple[zipfile.ZipFile, list[zipfile.ZipInfo]]:
    """The archive and its members; ``truncated`` or ``not_zip`` when it cannot be opened."""
    try:
        zf = zipfile.ZipFile(BytesIO(data))
        return zf, zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError):
        if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
            raise TruncatedError() from None
        raise NotZipError() from None


def _check_members(infos: list[zipfile.ZipInfo], max_members: int, max_total_uncompressed: int,
                   max_ratio: float) -> list[str]:
    """The members' names, after the limits on their number, sizes and ratios (declared)."""
    if len(infos) > max_members:
        raise ZipBombError(f"This file holds {len(infos)} internal parts (the limit is "
                           f"{max_members}); it was refused for safety.")
    bad = first_unsafe(info.filename for info in infos)
    if bad:
        raise UnsafeNameError(part=bad[0])
    declared = 0
    names = []
    seen = set()
    for info in infos:
        name = info.filename
        if info.flag_bits & 0x1:
            raise ZipEncryptedError()
        if name in seen:
            raise NotDocxError("This file contains the same part twice; it is damaged or was "
                               "not written by a word processor. Save it again from Word.")
        seen.add(name)
        names.append(name)
        declared += info.file_size
        if info.file_size >= RATIO_FLOOR and info.file_size > max_ratio * max(info.compress_size, 1):
            raise ZipBombError()
    if declared > max_total_uncompressed:
        raise ZipBombError()
    return names


def _read_xml_parts(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], max_total_uncompressed: int,
                    max_ratio: float) -> dict[str, bytes]:
    """Every XML part (bounded), refusing declarations before anything is parsed."""
    budget = max_total_uncompressed
    xml: dict[str, bytes] = {}
    for info in infos:
        name = info.filename
        if name.endswith("/") or not name.lower().endswith(XML_SUFFIXES):
            continue
        body = _read_member(zf, info, min(budget, max_total_uncompressed), max_ratio)
        budget -= len(body)
        if has_declaration(body):
            raise DoctypeError(part=name)
        xml[name] = body
    return xml


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int, max_ratio: float) -> bytes:
    try:
        with zf.open(info) as fh:
            body = fh.read(cap + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError,
            NotImplementedError) as exc:
        if isinstance(exc, NotImplementedError):
            raise NotDocxError("This file uses a zip compression method Word does not use; "
                               "save it again from Word as .docx.") from None
        raise TruncatedError(part=info.filename) from None
    if len(body) > cap:
        raise ZipBombError()
    if len(body) >= RATIO_FLOOR and len(body) > max_ratio * max(info.compress_size, 1):
        raise ZipBombError()
    return body


def _content_types(data: bytes, name: str) -> dict[str, str]:
    try:
        root = parse_part(data, name)
    except WordFileError as exc:
        if exc.code == "doctype":  # pragma: no cover - checked before
            raise
        raise NotDocxError("The content-type list of this file is damaged; open it in Word and "
                           "save a new copy as .docx.") from None
    out = {}
    for el in root:
        if not isinstance(el.tag, str):
            continue
        if el.tag == CT_DEFAULT:
            out["ext:" + (el.get("Extension") or "").lower()] = el.get("ContentType") or ""
        elif el.tag == CT_OVERRIDE:
            part = el.get("PartName") or ""
            out[part if part.startswith("/") else "/" + part] = el.get("ContentType") or ""
    return out


def _main_part(xml: dict[str, bytes], names: list[str]) -> str | None:
    rels = xml.get("_rels/.rels")
    if rels is not None:
        try:
            root = parse_part(rels, "_rels/.rels")
        except WordFileError as exc:
            if exc.code == "doctype":  # pragma: no cover
                raise
            root = None
        if root is not None:
            for rel in root.iter(PR_RELATIONSHIP):
                rtype = (rel.get("Type") or "")
                if rtype.rsplit("/", 1)[-1] == "officeDocument":
                    target = (rel.get("Target") or "").lstrip("/")
                    target = posixpath.normpath(target)
                    if target in xml:
                        return target
    if "word/document.xml" in xml:
        return "word/document.xml"
    return None


__all__ = ["check_package", "Package", "DEFAULT_MAX_BYTES", "DEFAULT_MAX_MEMBERS",
           "DEFAULT_MAX_TOTAL_UNCOMPRESSED", "DEFAULT_MAX_RATIO"]
