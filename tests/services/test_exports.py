"""Word exports: annotated original and generated documents, and their round trip through import."""
import pytest
from sqlalchemy import select

from reviewflow import content as C
from reviewflow.extensions import db
from reviewflow.models import Report, Thread
from reviewflow.services import editing, exports, imports, threads, versions
from reviewflow.wordio import read_docx
from tests.helpers.paths import CORPUS
from tests.helpers.pbf_docx import build
from tests.helpers.pbf_sample import ANSWERS, COMMENTS, RF
from tests.helpers.reports import Everyone, fresh_report, thread_set


def test_annotated_original_round_trip(world):
    imports.import_docx(world.report, build(ANSWERS, comments=COMMENTS, rf_rows=RF), "rapport.docx",
                        actor=world.drafter, roles={"drafter"}, mode="version")
    t = db.session.scalars(select(Thread).order_by(Thread.id)).first()
    threads.reply(t, actor=world.reviewer, roles={"reviewer"}, body="Merci, c'est plus clair.")
    threads.open_thread(world.report, actor=world.reviewer, roles={"reviewer"}, section_key="upcoming_events",
                        body="Date exacte ?", start=0, end=5)
    db.session.flush()
    data, name, kind = exports.export_docx(world.report, viewer=Everyone())
    assert kind == "original" and name.endswith("-v2.docx")
    doc = read_docx(data)
    assert len(doc.comments) == 4 + 1 + 1           # 4 from the file, a reply and a new thread, each once
    copy = fresh_report(world)
    imports.import_docx(copy, data, name, actor=world.drafter, roles={"drafter"}, mode="version")
    original_text = versions.version_contents(versions.latest_version(world.report))
    copied_text = versions.version_contents(versions.latest_version(copy))
    for key in ANSWERS:
        assert copied_text[key].text == original_text[key].text, key
    assert thread_set(copy) == thread_set(world.report)


def test_reimporting_an_export_into_the_same_report_adds_nothing(world):
    imports.import_docx(world.report, build(ANSWERS, comments=COMMENTS), "rapport.docx", actor=world.drafter,
                        roles={"drafter"}, mode="version")
    before = thread_set(world.report)
    data, name, _ = exports.export_docx(world.report, viewer=Everyone())
    s = imports.import_docx(world.report, data, name, actor=world.reviewer, roles={"reviewer"}, mode="review")
    assert s.threads_created == 0 and s.replies_added == 0 and s.already_known == 4
    assert thread_set(world.report) == before


def test_generated_export_round_trip_of_the_demo(app):
    from reviewflow.demo import load_demo
    load_demo()
    report = db.session.scalar(select(Report))
    data, name, kind = exports.export_docx(report, viewer=Everyone())
    assert kind == "generated"
    doc = read_docx(data)
    visible = [t for t in db.session.scalars(select(Thread).where(Thread.report_id == report.id))
               if t.version_id == versions.latest_version(report).id or t.status == "resolved"]
    roots = [c for c in doc.comments if c.parent is None]
    assert len(roots) >= len([t for t in visible if t.version_id == versions.latest_version(report).id])
    # every exported thread sits on its words in the document
    quotes = {c.quote for c in roots}
    for t in visible:
        if t.version_id == versions.latest_version(report).id and t.quote and t.anchor_status != "orphaned":
            assert t.quote in quotes, t.quote
    # importing the generated file back is recognised: no new thread, no duplicate
    drafter = next(m.user for m in report.memberships if m.role == "drafter")
    s = imports.import_docx(report, data, name, actor=drafter, roles={"drafter"}, mode="review")
    assert s.threads_created == 0 and s.replies_added == 0


def test_export_options(world):
    imports.import_docx(world.report, build(ANSWERS, comments=COMMENTS), "rapport.docx", actor=world.drafter,
                        roles={"drafter"}, mode="version")
    threads.open_thread(world.report, actor=world.reviewer, roles={"reviewer"}, section_key="human_impact",
                        body="Interne", internal_org_id=world.reviewer.organisation_id)
    db.session.flush()
    every = read_docx(exports.export_docx(world.report, viewer=Everyone())[0]).comments
    open_only = read_docx(exports.export_docx(world.report, viewer=Everyone(),
                                              options=exports.ExportOptions(include_resolved=False))[0]).comments
    shared = read_docx(exports.export_docx(world.report, viewer=Everyone(),
                                           options=exports.ExportOptions(shared_only=True))[0]).comments
    drafter_view = read_docx(exports.export_docx(world.report, viewer=world.drafter)[0]).comments
    clean = read_docx(exports.export_docx(world.report, viewer=Everyone(),
                                          options=exports.ExportOptions(clean=True))[0]).comments
    assert len(every) == 5 and len(open_only) == 4 and len(shared) == 4 and len(drafter_view) == 4 and clean == []
    assert not any(c.text == "Interne" for c in drafter_view)


def test_orphaned_thread_is_a_point_comment_saying_its_text_is_gone(world):
    imports.import_docx(world.report, build(ANSWERS, comments=COMMENTS), "rapport.docx", actor=world.drafter,
                        roles={"drafter"}, mode="version")
    editing.save_sections(world.report, {"human_impact": C.text_blocks("Témoignage retiré.")}, actor=world.drafter,
                          roles={"drafter"}, base_number=2)
    db.session.flush()
    doc = read_docx(exports.export_docx(world.report, viewer=Everyone())[0])
    gone = next(c for c in doc.comments if "Citation à sourcer." in c.text)
    assert gone.text.startswith("[Texte supprimé : « la machette »]") and gone.quote == ""


def _commented_corpus():
    if not CORPUS.exists():
        return []
    out = []
    for p in sorted(CORPUS.rglob("*.docx")):
        try:
            if read_docx(p.read_bytes()).comments:
                out.append(p)
        except Exception:
            continue
    return out


@pytest.mark.corpus
@pytest.mark.parametrize("path", _commented_corpus() or [None], ids=lambda p: p.name if p else "absent")
def test_corpus_files_round_trip_through_import_and_export(world, path):
    if path is None:
        pytest.skip(f"the corpus is not at {CORPUS} (set REVIEWFLOW_CORPUS)")
    s = imports.import_docx(world.report, path.read_bytes(), path.name, actor=world.drafter, roles={"drafter"},
                            mode="version")
    data, name, kind = exports.export_docx(world.report, viewer=Everyone())
    if s.version is not None:                  # (a file with no text at all makes no new version)
        assert kind == "original"
        assert read_docx(data).text == read_docx(path.read_bytes()).text      # the drafter's file is kept
    copy = fresh_report(world)
    imports.import_docx(copy, data, name, actor=world.drafter, roles={"drafter"}, mode="version")
    assert thread_set(copy) == thread_set(world.report)
