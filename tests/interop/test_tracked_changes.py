"""Suggested edits exported as tracked changes, opened by a real LibreOffice (converted to .odt:
one ``text:changed-region`` per change, carrying its author) and read by pandoc
(``--track-changes=all``: each insertion and deletion with its author).  A replacement is two
changes in both programs (a deletion and an insertion), as Word shows it."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from datetime import UTC, datetime

import pytest

from reviewflow import content as C
from reviewflow.wordio import (
    ExportComment,
    ExportRevision,
    ExportThread,
    GenDocument,
    GenPart,
    GenSection,
    annotate_docx,
    generate_docx,
)
from tests.helpers.docxbuild import make_docx, p
from tests.helpers.tracked import changes

pytestmark = pytest.mark.interop

TEXT = "Le projet connaît des retards importants dans la mise en place.\nLes comités sont installés."
WHEN = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def _revs(text):
    at = text.index("des retards importants")
    ins_at = text.index("sont")
    cut = text.index(" dans la mise en place")
    return [ExportRevision(at, at + len("des retards importants"), "du retard", "Claire Fofana", WHEN),
            ExportRevision(cut, cut + len(" dans la mise en place"), "", "Jean Koyassoum", WHEN),
            ExportRevision(ins_at, ins_at, "déjà ", "Awa Ndiaye", WHEN)]


def _files():
    original = make_docx(p("Le projet connaît des retards importants dans la mise en place.")
                         + p("Les comités sont installés."))
    at = TEXT.index("des retards")     # the suggested edit's discussion, on its words (as the export writes it)
    note = ExportThread(at, at + 22, [ExportComment("Claire Fofana", "CF", WHEN, "Au singulier, plus court.")])
    annotated = annotate_docx(original, [note], revisions=_revs(TEXT))
    generated = generate_docx(GenDocument("Rapport", [GenPart("Partie", [GenSection(
        "Section", C.text_blocks(TEXT), revisions=_revs(TEXT))])]))
    return {"tracked-annotated": annotated, "tracked-generated": generated}


EXPECTED = sorted([("deletion", "Claire Fofana"), ("insertion", "Claire Fofana"), ("deletion", "Jean Koyassoum"),
                   ("insertion", "Awa Ndiaye")])


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tracked")
    out = {}
    for name, data in _files().items():
        (folder / f"{name}.docx").write_bytes(data)
        out[name] = folder / f"{name}.docx"
    return out


@pytest.mark.parametrize("name", ["tracked-annotated", "tracked-generated"])
def test_libreoffice_lists_one_changed_region_per_change_with_its_author(name, files, soffice, tmp_path):
    assert len(changes(files[name].read_bytes())) == 4
    soffice([files[name]], "odt", tmp_path)
    with zipfile.ZipFile(tmp_path / f"{name}.odt") as zf:
        xml = zf.read("content.xml").decode()
    regions = re.findall(r"<text:changed-region\b.*?</text:changed-region>", xml, re.S)
    found = sorted((re.search(r"<text:(insertion|deletion)>", r).group(1),
                    re.search(r"<dc:creator>(.*?)</dc:creator>", r).group(1)) for r in regions)
    assert found == EXPECTED
    deleted = [re.sub(r"<[^>]+>", "", r.split("</office:change-info>", 1)[1]) for r in regions if "<text:deletion>" in r]
    assert sorted(d.replace("<text:s/>", " ").strip() for d in deleted) == ["dans la mise en place",
                                                                          "des retards importants"]
    assert all(d.startswith("2026-03-02T09:30:00") for d in re.findall(r"<dc:date>(.*?)</dc:date>", "".join(regions)))


def _pandoc() -> str | None:
    try:
        import pypandoc
        return pypandoc.get_pandoc_path()
    except (ImportError, OSError):
        return shutil.which("pandoc")


def _spans(node, out):
    if isinstance(node, dict):
        if node.get("t") == "Span":
            (_id, classes, attrs), inlines = node["c"]
            kind = next((c for c in classes if c in ("insertion", "deletion")), None)
            if kind:
                words = "".join(i["c"] if i.get("t") == "Str" else " " for i in inlines
                                if i.get("t") in ("Str", "Space"))
                out.append((kind, dict(attrs).get("author"), words))
        for v in node.values():
            _spans(v, out)
    elif isinstance(node, list):
        for v in node:
            _spans(v, out)
    return out


@pytest.mark.parametrize("name", ["tracked-annotated", "tracked-generated"])
def test_pandoc_shows_each_insertion_and_deletion(name, files):
    path = _pandoc()
    if path is None:
        pytest.skip("pandoc is not installed (pip install pypandoc-binary, or the pandoc package)")
    done = subprocess.run([path, "-f", "docx", "-t", "json", "--track-changes=all", str(files[name])],
                          capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    spans = _spans(json.loads(done.stdout), [])
    assert sorted((k, a, w.strip()) for k, a, w in spans) == sorted([
        ("deletion", "Claire Fofana", "des retards importants"), ("insertion", "Claire Fofana", "du retard"),
        ("deletion", "Jean Koyassoum", "dans la mise en place"), ("insertion", "Awa Ndiaye", "déjà")])
