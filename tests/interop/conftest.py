"""Fixtures for the interoperability tests: the exports, LibreOffice and pandoc.

LibreOffice runs headless with a private profile (``-env:UserInstallation``) made for the test
session, converting every export in one call per target format, with a timeout.  Tests skip
with a clear reason when ``soffice`` or pandoc is absent (CI installs both).
"""
from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.helpers.interop_exports import all_exports

SOFFICE_TIMEOUT = 300


def _soffice() -> str | None:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _pandoc() -> str | None:
    try:
        import pypandoc
        return pypandoc.get_pandoc_path()
    except (ImportError, OSError):
        return shutil.which("pandoc")


@pytest.fixture(scope="session")
def exports():
    return {e.name: e for e in all_exports()}


@pytest.fixture(scope="session")
def export_dir(exports, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("exports")
    for name, e in exports.items():
        (folder / f"{name}.docx").write_bytes(e.data)
    return folder


@pytest.fixture(scope="session")
def soffice(tmp_path_factory):
    path = _soffice()
    if path is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    profile = tmp_path_factory.mktemp("lo-profile")

    def convert(files: list[Path], target: str, outdir: Path) -> None:
        outdir.mkdir(parents=True, exist_ok=True)
        cmd = [path, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
               "--convert-to", target, "--outdir", str(outdir), *map(str, files)]
        try:
            done = subprocess.run(cmd, capture_output=True, text=True, timeout=SOFFICE_TIMEOUT)
        except subprocess.TimeoutExpired:
            pytest.fail(f"LibreOffice did not finish within {SOFFICE_TIMEOUT} s: {' '.join(cmd)}")
        missing = [f for f in files if not (outdir / (f.stem + "." + target.split(":")[0])).exists()]
        if done.returncode != 0 or missing:
            pytest.fail(f"LibreOffice conversion failed ({done.returncode}): {done.stdout} {done.stderr}")
    return convert


@pytest.fixture(scope="session")
def odt(soffice, exports, export_dir, tmp_path_factory):
    """name -> content.xml of the export converted to .odt by LibreOffice."""
    out = tmp_path_factory.mktemp("odt")
    soffice(sorted(export_dir.glob("*.docx")), "odt", out)
    result = {}
    for name in exports:
        with zipfile.ZipFile(out / f"{name}.odt") as zf:
            result[name] = zf.read("content.xml")
    return result


@pytest.fixture(scope="session")
def resaved(soffice, exports, export_dir, tmp_path_factory):
    """name -> bytes of the export opened and saved again as .docx by LibreOffice."""
    out = tmp_path_factory.mktemp("resaved")
    soffice(sorted(export_dir.glob("*.docx")), "docx:MS Word 2007 XML", out)
    return {name: (out / f"{name}.docx").read_bytes() for name in exports}


@pytest.fixture(scope="session")
def pandoc_json(exports, export_dir):
    """name -> pandoc's JSON AST of the export (-f docx -t json --track-changes=all)."""
    path = _pandoc()
    if path is None:
        pytest.skip("pandoc is not installed (pip install pypandoc-binary, or the pandoc package)")
    result = {}
    for name in exports:
        done = subprocess.run([path, "-f", "docx", "-t", "json", "--track-changes=all",
                               str(export_dir / f"{name}.docx")], capture_output=True, timeout=120)
        assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
        result[name] = json.loads(done.stdout)
    return result
