"""Zip packages with hostile entry names (path traversal), built from a valid file: the names
the one guard (reviewflow.zipnames) must refuse at every entry point."""
from __future__ import annotations

import io
import zipfile

from tests.helpers.paths import SHARED

HOSTILE_NAMES = {
    "parent": "../../tmp/x",
    "absolute": "/tmp/x",
    "drive": "C:/Windows/x",
    "backslash": "word\\..\\..\\x",
    "nested_parent": "word/../../x.xml",
}
HOSTILE_DIR = SHARED / "hostile"


def with_entry(data: bytes, name: str, body: bytes = b"owned") -> bytes:
    """``data`` (a zip) with one more member called ``name`` (kept exactly as given)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr(zipfile.ZipInfo(name), body)
    raw = out.getvalue()
    assert name in zipfile.ZipFile(io.BytesIO(raw)).namelist()
    return raw


def shared_hostile_files() -> list:
    """The hostile files of ../shared/hostile (empty when the folder is absent)."""
    return sorted(HOSTILE_DIR.glob("*.docx")) if HOSTILE_DIR.is_dir() else []
