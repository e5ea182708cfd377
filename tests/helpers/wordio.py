"""Helpers shared by the wordio tests: read invariants, the writer's round-trip and package
checks, the real-world corpus and the report generator of bench/."""
from __future__ import annotations

import importlib.util
import io
import os
import posixpath
import sys
import unicodedata
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from lxml import etree

from reviewflow.content import blocks_text
from reviewflow.wordio import ExportComment, ExportThread, annotate_docx, read_docx

ROOT = Path(__file__).resolve().parents[2]
SHARED = (ROOT / ".." / "shared").resolve()
CORPUS = Path(os.environ.get("REVIEWFLOW_CORPUS") or SHARED / "corpus").resolve()
HOSTILE = SHARED / "hostile"


def load_generator():
    """bench/gen_report.py as a module (the generated French PBF reports)."""
    spec = importlib.util.spec_from_file_location("gen_report", ROOT / "bench" / "gen_report.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("gen_report", module)
    spec.loader.exec_module(module)
    return module


def check(doc):
    """Invariants every read must satisfy."""
    assert blocks_text(doc.blocks) == doc.text
    assert unicodedata.is_normalized("NFC", doc.text)
    for c in doc.comments:
        assert 0 <= c.start <= c.end <= len(doc.text)
        assert c.quote == doc.text[c.start:c.end]
    for r in doc.revisions:
        assert 0 <= r.start <= r.end <= len(doc.text)
    return doc


UTC = UTC
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W, "w14": "http://schemas.microsoft.com/office/word/2010/wordml",
      "w15": "http://schemas.microsoft.com/office/word/2012/wordml",
      "w16cid": "http://schemas.microsoft.com/office/word/2016/wordml/cid",
      "w16cex": "http://schemas.microsoft.com/office/word/2018/wordml/cex",
      "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
      "pr": "http://schemas.openxmlformats.org/package/2006/relationships",
      "ct": "http://schemas.openxmlformats.org/package/2006/content-types"}
DATE = datetime(2026, 3, 14, 15, 9, 26, tzinfo=UTC)


def c(author="Claire Relectrice", text="Préciser la source.", initials=None, date=DATE):
    if initials is None:
        initials = "".join(w[0] for w in author.split())
    return ExportComment(author=author, initials=initials, date=date, text=text)


def thread_on(text: str, quote: str, *comments, occurrence: int = 0, resolved=False):
    """A thread on the ``occurrence``-th occurrence of ``quote`` in ``text``."""
    at = -1
    for _ in range(occurrence + 1):
        at = text.index(quote, at + 1)
    return ExportThread(at, at + len(quote), list(comments) or [c()], resolved=resolved)


def key_of(th) -> str:
    return th.comments[0].text


def check_roundtrip(original: bytes, threads, *, people: bool = False):
    """Annotate, read back, and check every thread: same text, one thread per input thread
    with the same quote, replies (parent = root), resolved flag, authors, initials, bodies and
    dates.  Returns (before, after, output bytes)."""
    before = read_docx(original)
    out = annotate_docx(original, threads, people=people)
    after = read_docx(out)
    assert after.text == before.text
    assert after.warnings == [], after.warnings
    assert len(after.comments) == sum(len(th.comments) for th in threads)
    got = {}
    for th in after.threads():
        got.setdefault(th[0].text, []).append(th)
    for th in threads:
        (found,) = got[unicodedata.normalize("NFC", key_of(th))]
        point = th.point or th.start == th.end
        start, end = (th.start, th.start) if point else (th.start, th.end)
        assert len(found) == len(th.comments)
        for k, (wc, ec) in enumerate(zip(found, th.comments, strict=False)):
            assert (wc.start, wc.end) == (start, end), (wc.text, wc.quote)
            assert wc.quote == before.text[start:end]
            assert wc.anchor == "range" and wc.in_part == "document"
            assert wc.parent == (None if k == 0 else found[0].id)
            assert wc.resolved == th.resolved and wc.done == th.resolved
            assert wc.author == unicodedata.normalize("NFC", ec.author)
            assert wc.initials == ec.initials
            assert wc.text == unicodedata.normalize("NFC", ec.text)
            if ec.date is None:
                assert wc.date is None
            else:
                assert wc.date == ec.date.astimezone(UTC).replace(microsecond=0)
                assert wc.date_source == "utc"
                assert wc.date_raw == wc.date.strftime("%Y-%m-%dT%H:%M:%SZ")
    return before, after, out


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def xml_of(data: bytes, name: str):
    return etree.fromstring(members(data)[name])


def body_of(data: bytes) -> str:
    x = members(data)["word/document.xml"].decode("utf-8")
    return x[x.index("<w:body>"):]


def check_package_consistency(data: bytes):
    """Every relationship of the main part points at a member, every content-type override
    names a member, every XML member but the ones covered by a Default is typed."""
    m = members(data)
    rels = etree.fromstring(m["word/_rels/document.xml.rels"])
    for rel in rels:
        if rel.get("TargetMode") != "External":
            target = rel.get("Target")
            name = target.lstrip("/") if target.startswith("/") else posixpath.normpath("word/" + target)
            assert name in m, target
    ct = etree.fromstring(m["[Content_Types].xml"])
    for el in ct:
        if el.tag.endswith("Override"):
            assert el.get("PartName").lstrip("/") in m, el.get("PartName")
    overrides = {el.get("PartName") for el in ct if el.tag.endswith("Override")}
    for name in ("comments", "commentsExtended", "commentsIds", "commentsExtensible", "people"):
        part = f"word/{name}.xml"
        if part in m:
            assert "/" + part in overrides
            assert any(r.get("Target") == f"{name}.xml" for r in rels)
