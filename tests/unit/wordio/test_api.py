"""Public API: JSON of `docx inspect`, purity of the package, generator round trip, properties."""
from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import reviewflow.wordio as wordio
from reviewflow.content import blocks_text
from reviewflow.wordio import document_to_json, read_docx
from tests.helpers.docxbuild import (
    comment,
    comments_xml,
    cre,
    crs,
    dele,
    extended_xml,
    ins,
    make_docx,
    p,
    read,
)
from tests.helpers.wordio import CORPUS, load_generator

ROOT = Path(__file__).resolve().parents[3]


def test_document_to_json_schema():
    body = p("Les ", crs(0), "comités", cre(0), " ", ins("locaux"), dele(" anciens"), ".")
    doc = read(body, parts={
        "word/comments.xml": comments_xml(comment(0, "Source ?", para_ids=["00000001"]),
                                          comment(1, "Oui", para_ids=["00000002"])),
        "word/commentsExtended.xml": extended_xml(("00000001", None, True), ("00000002", "00000001", False)),
    })
    data = document_to_json(doc)
    json.dumps(data, ensure_ascii=False)
    assert set(data) == {"app", "text", "blocks", "comments", "revisions", "revision_summary",
                         "form_fields", "warnings"}
    assert data["text"] == "Les comités locaux."
    c0, c1 = data["comments"]
    assert set(c0) >= {"id", "author", "initials", "date", "text", "start", "end", "quote",
                       "parent", "resolved"}
    assert c0["date"] == "2026-03-02T09:00:00Z" and c0["date_source"] == "local"
    assert (c0["quote"], c0["resolved"], c1["parent"], c1["resolved"]) == ("comités", True, "0", True)
    assert data["revision_summary"]["text"] == "2 unaccepted changes by 2 authors"
    assert [r["kind"] for r in data["revisions"]] == ["ins", "del"]


def test_public_names():
    """The API callers outside wordio use (they import nothing else from it)."""
    expected = {
        "read_docx", "check_package", "document_to_json", "parse_word_date", "Package",
        "Document", "WordComment", "Revision", "FormField", "RevisionSummary", "summarize_revisions",
        "WordFileError", "NotZipError", "TruncatedError", "EncryptedError", "ZipEncryptedError",
        "LegacyDocError", "MacroError", "ZipBombError", "TooLargeError", "NotDocxError",
        "DoctypeError", "CorruptError", "REFUSALS", "refusal_message",
        "annotate_docx", "generate_docx", "matrix_docx", "ExportComment", "ExportThread", "ExportRevision",
        "GenDocument", "GenPart", "GenSection",
    }
    assert set(wordio.__all__) == expected
    for name in expected:
        assert getattr(wordio, name) is not None


def test_every_refusal_has_its_message():
    """One table: each error's default message is the table's entry for its code."""
    from reviewflow.wordio import errors

    names = [getattr(errors, n) for n in errors.__all__]
    classes = [c for c in names if isinstance(c, type) and issubclass(c, wordio.WordFileError)]
    assert len(classes) == 13     # unsafe_name: zip entries named ../x, /x, C:x (reviewflow.zipnames)
    for cls in classes:
        assert cls().message == wordio.REFUSALS[cls.code] == wordio.refusal_message(cls.code)
        assert cls("precise").message == "precise"
    assert wordio.refusal_message("unknown-code") == wordio.REFUSALS["invalid"]


WORDIO = ROOT / "reviewflow" / "wordio"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """The absolute names of the modules ``path`` imports (relative imports resolved)."""
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            names.add(module)
            names.update(f"{module}.{a.name}" for a in node.names)  # "from . import textmap"
    return names


def test_wordio_is_pure():
    """No Flask, no database, no app modules: bytes in, dataclasses out."""
    forbidden = ("flask", "sqlalchemy", "flask_sqlalchemy", "werkzeug", "reviewflow.models",
                 "reviewflow.extensions", "reviewflow.services", "psycopg")
    for path in WORDIO.rglob("*.py"):
        for name in _imports(path):
            assert not name.startswith(forbidden), f"{path.name} imports {name}"


def test_no_import_cycle_inside_wordio_and_reading_never_imports_writing():
    modules = {_module_name(path): path for path in WORDIO.rglob("*.py")}
    graph = {name: {m for m in _imports(path) if m in modules and m != name}
             for name, path in modules.items()}
    for name, deps in graph.items():
        if name.startswith("reviewflow.wordio.read"):
            assert not any(d.startswith("reviewflow.wordio.write") for d in deps), name
    # a package's __init__ re-exporting its modules is not a cycle: drop edges into a package
    # from its own modules
    for name in graph:
        graph[name] = {d for d in graph[name] if not name.startswith(d + ".")}
    state: dict[str, int] = {}

    def visit(name: str, stack: list[str]):
        state[name] = 1
        for dep in sorted(graph[name]):
            assert state.get(dep) != 1, "import cycle: " + " -> ".join(stack + [name, dep])
            if dep not in state:
                visit(dep, stack + [name])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [])
    assert len(graph) > 20  # the walk saw the whole package


def test_generated_report_reads_back_exactly():
    gen = load_generator()
    rep = gen.generate_report(pages=4, comments=40, seed=7)
    assert gen.generate_report(pages=4, comments=40, seed=7).data == rep.data  # deterministic
    doc = read_docx(rep.data)
    assert doc.text == rep.text
    assert blocks_text(doc.blocks) == doc.text
    assert doc.warnings == []
    assert len(doc.comments) == len(rep.comments) == 40
    for got, exp in zip(doc.comments, rep.comments, strict=False):
        assert (got.id, got.start, got.end, got.quote, got.parent, got.resolved, got.done, got.text,
                got.author, got.initials, got.date, got.durable_id, got.para_id) == (
            exp.id, exp.start, exp.end, exp.quote, exp.parent, exp.resolved, exp.done, exp.text,
            exp.author, exp.initials, exp.date_utc, exp.durable_id, exp.para_id)
        assert got.date_raw == exp.date_local
    assert doc.revision_summary.by_kind == rep.revisions
    headings = [b for b in doc.blocks if b.get("heading")]
    assert headings and headings[0]["style"] in ("Heading 1", "Heading 2")
    assert any(b["t"] == "table" for b in doc.blocks)


# ---- property: random paragraphs of text, insertions, deletions, tabs and comment ranges ----
WORDS = st.text(alphabet="abcdéèçœ ÀÉ.,;'’-0123456789", min_size=1, max_size=12)
SEGMENT = st.one_of(
    st.tuples(st.just("t"), WORDS), st.tuples(st.just("ins"), WORDS),
    st.tuples(st.just("del"), WORDS), st.tuples(st.just("tab"), st.just("\t")),
    st.tuples(st.just("start"), st.integers(0, 4)), st.tuples(st.just("end"), st.integers(0, 4)),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(SEGMENT, max_size=8), min_size=1, max_size=5))
def test_random_paragraphs(paragraphs):
    """Text equals the accepted text built independently; every quote reads back."""
    from xml.sax.saxutils import escape

    body, texts = [], []
    pos = 0
    starts, ends = {}, {}
    for _k, segments in enumerate(paragraphs):
        xml, text = [], []
        for kind, value in segments:
            if kind == "t":
                xml.append(f'<w:r><w:t xml:space="preserve">{escape(value)}</w:t></w:r>')
                text.append(value)
            elif kind == "ins":
                xml.append(ins(value))
                text.append(value)
            elif kind == "del":
                xml.append(dele(value))
            elif kind == "tab":
                xml.append("<w:r><w:tab/></w:r>")
                text.append("\t")
            elif kind == "start" and value not in starts:
                starts[value] = pos + len("".join(text))
                xml.append(crs(value))
            elif kind == "end" and value in starts and value not in ends:
                ends[value] = pos + len("".join(text))
                xml.append(cre(value))
        body.append(p(*xml) if xml else p())
        texts.append("".join(text))
        pos += len(texts[-1]) + 1
    ids = sorted(ends)
    parts = {"word/comments.xml": comments_xml(*(comment(i, f"c{i}") for i in ids))} if ids else {}
    doc = read_docx(make_docx("".join(body), parts=parts))
    import unicodedata
    expected = unicodedata.normalize("NFC", "\n".join(texts))
    assert doc.text == expected
    assert blocks_text(doc.blocks) == doc.text
    for c in doc.comments:
        assert c.quote == doc.text[c.start:c.end]
        if unicodedata.is_normalized("NFC", "\n".join(texts)):
            assert (c.start, c.end) == (starts[int(c.id)], ends[int(c.id)])


@pytest.mark.parametrize("size", [0, 1, 100])
def test_many_comments_without_thread_parts(size):
    body = p(*[x for i in range(size) for x in (crs(i), f"m{i} ", cre(i))])
    doc = read(body, parts={"word/comments.xml": comments_xml(*(comment(i, f"c{i}") for i in range(size)))})
    assert [c.quote for c in doc.comments] == [f"m{i} " for i in range(size)]


def _threaded(monkeypatch, on: bool):
    from reviewflow.wordio.read import reader

    monkeypatch.setattr(reader, "_THREAD_MIN_BYTES", 0 if on else 10**12)


def _both_ways(monkeypatch, data: bytes) -> dict:
    """The main part parsed in a worker thread or in the caller: identical results."""
    _threaded(monkeypatch, False)
    alone = document_to_json(read_docx(data))
    _threaded(monkeypatch, True)
    threaded = document_to_json(read_docx(data))
    assert threaded == alone
    return alone


def test_generated_report_threaded(monkeypatch):
    gen = load_generator()
    rep = gen.generate_report(pages=3, comments=30, seed=5)
    assert _both_ways(monkeypatch, rep.data)["text"] == rep.text


def test_corpus_threaded_equals_sequential(monkeypatch):
    files = sorted(CORPUS.rglob("*.docx")) if CORPUS.is_dir() else []
    if not files:
        pytest.skip(f"real-world corpus not found at {CORPUS}")
    for path in files:
        _both_ways(monkeypatch, path.read_bytes())


def test_worker_thread_errors_reach_the_caller(monkeypatch):
    from reviewflow.wordio import WordFileError

    _threaded(monkeypatch, True)
    data = make_docx(document="<w:document><w:body><w:p></w:body>",
                     parts={"word/comments.xml": comments_xml()})
    with pytest.raises(WordFileError) as info:
        read_docx(data)
    assert info.value.code == "corrupt"
