"""PURE: THE guard on zip entry names, for every entry point that accepts or re-writes a zip
(Word uploads on the web, the CLI and the API, re-exports of a stored original, budget
workbooks).  A name is unsafe when extracting or re-writing it could leave the archive's folder:

==========  ====================================================================
reason      the name ...
==========  ====================================================================
absolute    starts with "/" (``/tmp/x``)
drive       starts with a drive letter or is a UNC path (``C:x``, ``C:\\x``, ``\\\\host\\x``)
backslash   contains "\\" (a Windows separator: ``..\\..\\x`` on extraction)
parent      has a ".." segment (``../../tmp/x``, ``word/../../x``)
control     contains a NUL or another control character
empty       is empty, or has an empty segment other than a folder's trailing "/"
==========  ====================================================================

Word, Excel and LibreOffice never write such names, so the whole file is refused (never
"cleaned"): the callers raise their own refusal (``unsafe_name``) and store nothing.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

_DRIVE = re.compile(r"^[A-Za-z]:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def unsafe_reason(name: str) -> str | None:
    """Why this zip entry name is unsafe (a code of the table above), or None when it is safe."""
    if not name:
        return "empty"
    if _CONTROL.search(name):
        return "control"
    if "\\" in name:
        return "drive" if name.startswith("\\\\") or _DRIVE.match(name) else "backslash"
    if _DRIVE.match(name):
        return "drive"
    if name.startswith("/"):
        return "absolute"
    segments = name[:-1].split("/") if name.endswith("/") else name.split("/")
    if any(s == ".." for s in segments):
        return "parent"
    if any(s == "" for s in segments):
        return "empty"
    return None


class UnsafeEntryName(ValueError):
    """A zip entry whose name is unsafe: ``name`` (shortened for messages) and ``reason``."""

    def __init__(self, name: str, reason: str):
        self.name = name if len(name) <= 120 else name[:117] + "..."
        self.reason = reason
        super().__init__(f"unsafe zip entry name ({reason}): {self.name!r}")


def first_unsafe(names: Iterable[str]) -> tuple[str, str] | None:
    """(name, reason) of the first unsafe name, or None."""
    for name in names:
        reason = unsafe_reason(name)
        if reason:
            return name, reason
    return None


def check_names(names: Iterable[str]) -> None:
    """Raise :class:`UnsafeEntryName` on the first unsafe name."""
    bad = first_unsafe(names)
    if bad:
        raise UnsafeEntryName(*bad)
