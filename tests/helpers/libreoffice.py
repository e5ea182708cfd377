"""LibreOffice for the Word-loop tests: open a .docx and save it again (headless, private profile)."""
from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def resave(data: bytes) -> bytes:
    """``data`` opened and saved as .docx by LibreOffice (skips the test when it is absent)."""
    soffice = soffice_path()
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed (.ci/run installs it)")
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        (t / "in").mkdir()
        (t / "in" / "copie.docx").write_bytes(data)
        subprocess.run([soffice, f"-env:UserInstallation={(t / 'profile').as_uri()}", "--headless", "--norestore",
                        "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(t / "out"), str(t / "in" / "copie.docx")],
                       check=True, timeout=240, capture_output=True)
        return (t / "out" / "copie.docx").read_bytes()
