"""Rewrite a zip package: unchanged members copied byte for byte, others (re)compressed.

``zipfile`` can only copy a member by decompressing and recompressing it; a package with large
pictures would pay for that on every export, and the pictures' bytes would change.  This writes
the archive itself (local headers, central directory, end record; no zip64 - the guard caps
packages far below 4 GB): an unchanged member's compressed bytes are copied as they are, with
its name, method, date and CRC; a new or changed member is deflated with ``zlib``.
"""
from __future__ import annotations

import struct
import threading
import zipfile
import zlib

_LOCAL = struct.Struct("<4sHHHHHIIIHH")
_CENTRAL = struct.Struct("<4sHHHHHHIIIHHHHHII")
_END = struct.Struct("<4sHHHHIIH")
_DOS_EPOCH = (1980, 1, 1, 0, 0, 0)


def _dos(date_time) -> tuple[int, int]:
    y, mo, d, h, mi, s = date_time
    if y < 1980:
        y, mo, d, h, mi, s = _DOS_EPOCH
    return (h << 11) | (mi << 5) | (s // 2), ((y - 1980) << 9) | (mo << 5) | d


class ZipOut:
    """Build an archive in memory: :meth:`copy` original members, :meth:`add` new ones."""

    def __init__(self, source: bytes, source_zip: zipfile.ZipFile, level: int = 6):
        self.src = source
        self.zf = source_zip
        self.level = level
        self.chunks: list[bytes] = []
        self.central: list[bytes] = []
        self.offset = 0
        self.count = 0

    def _member(self, name: str, method: int, date_time, crc: int, csize: int, usize: int,
                 data: bytes, flags: int = 0, external_attr: int = 0):
        raw_name = name.encode("utf-8")
        if not raw_name.isascii():
            flags |= 0x800
        flags &= 0x800 | 0x6  # keep the UTF-8 flag and deflate option bits; no data descriptor
        version = 20
        dtime, ddate = _dos(date_time)
        header = _LOCAL.pack(b"PK\x03\x04", version, flags, method, dtime, ddate, crc, csize,
                             usize, len(raw_name), 0)
        self.central.append(_CENTRAL.pack(
            b"PK\x01\x02", version, version, flags, method, dtime, ddate, crc, csize, usize,
            len(raw_name), 0, 0, 0, 0, external_attr, self.offset) + raw_name)
        self.chunks.append(header)
        self.chunks.append(raw_name)
        self.chunks.append(data)
        self.offset += len(header) + len(raw_name) + len(data)
        self.count += 1
        if self.offset > 0xFFFFFFFF:  # pragma: no cover - far above the guard's limits
            raise ValueError("package too large to write without zip64")

    def copy(self, info: zipfile.ZipInfo):
        """Copy an original member's compressed bytes unchanged."""
        off = info.header_offset
        head = self.src[off:off + 30]
        if len(head) < 30 or head[:4] != b"PK\x03\x04":  # pragma: no cover - checked by guard
            self.add(info.filename, self.zf.read(info), date_time=info.date_time)
            return
        n = int.from_bytes(head[26:28], "little")
        m = int.from_bytes(head[28:30], "little")
        start = off + 30 + n + m
        data = self.src[start:start + info.compress_size]
        self._member(info.filename, info.compress_type, info.date_time, info.CRC,
                     info.compress_size, info.file_size, data, info.flag_bits,
                     info.external_attr)

    def add(self, name: str, body: bytes, *, date_time=_DOS_EPOCH, deflated: Deflate | None = None):
        """A new or changed member, deflated (``deflated``: already compressed by a
        :class:`Deflate` job)."""
        if deflated is None:
            deflated = Deflate(body, self.level)
            deflated.run()
        else:
            deflated.join()
        self._member(name, zipfile.ZIP_DEFLATED, date_time, deflated.crc, len(deflated.data),
                     len(body), deflated.data)

    def getvalue(self) -> bytes:
        central = b"".join(self.central)
        end = _END.pack(b"PK\x05\x06", 0, 0, self.count, self.count, len(central), self.offset, 0)
        return b"".join(self.chunks) + central + end


class Deflate(threading.Thread):
    """Raw-deflate ``body`` (and its CRC); ``start()`` runs it in a thread - zlib releases the
    GIL, so a large part compresses while the caller builds the other parts."""

    def __init__(self, body: bytes, level: int = 6):
        super().__init__(name="wordio-deflate", daemon=True)
        self.body = body
        self.level = level
        self.data = b""
        self.crc = 0

    def run(self):
        body = self.body
        comp = zlib.compressobj(self.level, zlib.DEFLATED, -15)
        self.crc = zlib.crc32(body) & 0xFFFFFFFF
        self.data = comp.compress(body) + comp.flush()

    def join(self, timeout=None):
        if self.ident is not None:
            super().join(timeout)


def deflate_soon(body: bytes, level: int = 6) -> Deflate:
    """A :class:`Deflate` job started in a thread (run inline if no thread can start)."""
    job = Deflate(body, level)
    try:
        job.start()
    except RuntimeError:  # pragma: no cover - no threads available
        job.run()
    return job


__all__ = ["ZipOut", "Deflate", "deflate_soon"]
