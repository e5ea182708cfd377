"""The import plan: read once, previewed, then confirmed whole or cancelled; uploads merge per
section against the version they were exported from, never reverting later work."""
import io

import docx
import pytest
from sqlalchemy import select

from reviewflow import content as C
from reviewflow.extensions import db
from reviewflow.models import ImportPlan, Thread, Upload, Version
from reviewflow.services import editing, exports, imports
from reviewflow.services.errors import Conflict, Invalid
from reviewflow.services.versions import latest_version, version_contents
from tests.helpers.reports import Everyone, fresh_report


def _save(world, changes, actor=None):
    v = editing.save_sections(world.report, {k: [C.paragraph(t)] for k, t in changes.items()},
                              actor=actor or world.drafter, roles={"drafter"},
                              base_number=latest_version(world.report).number)
    db.session.commit()
    return v


def _export(world):
    data, _name, _kind = exports.export_docx(world.report, viewer=Everyone(),
                                             options=exports.ExportOptions(kind="generated"))
    db.session.commit()
    return data


def _edit(data: bytes, old: str, new: str) -> bytes:
    """The file with paragraph ``old`` replaced by ``new`` (python-docx, as a colleague would)."""
    d = docx.Document(io.BytesIO(data))
    hits = [p for p in d.paragraphs if p.text == old]
    assert hits, f"no paragraph {old!r}"
    for p in hits:
        for r in p.runs[1:]:
            r._r.getparent().remove(r._r)
        p.runs[0].text = new
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _text(world, key):
    return version_contents(latest_version(world.report))[key].text


@pytest.fixture
def drafted(world):
    _save(world, {"project_title": "Titre initial", "country": "RCA",
                  "outcome_1.statement": "Les communautés vivent en paix.",
                  "outcome_2.statement": "Les jeunes participent."})
    return world


def test_an_export_reimported_unchanged_changes_nothing(drafted):
    w = drafted
    plan = imports.plan_import(w.report, _export(w), "copie.docx", actor=w.drafter, mode="version")
    s = plan.summary
    assert s["provenance"] == "ok" and s["base_version"] == 2
    assert s["sections_changed"] == [] and s["conflicts"] == [] and s["unmapped_chars"] == 0
    summary = imports.confirm_import(plan.id, actor=w.drafter)
    assert summary.version is None and summary.threads_created == 0
    assert latest_version(w.report).number == 2


def test_a_stale_copy_never_reverts_what_changed_since_its_export(drafted):
    w = drafted
    old = _export(w)                                          # exported from version 2
    _save(w, {"project_title": "Titre revu en version 3"})    # version 3 changes the title
    copy = _edit(old, "Les jeunes participent.", "Les jeunes participent activement.")
    plan = imports.plan_import(w.report, copy, "copie.docx", actor=w.drafter2, mode="version")
    s = plan.summary
    assert s["base_version"] == 2 and s["latest_version"] == 3
    assert s["sections_changed"] == ["outcome_2.statement"] and "project_title" in s["sections_kept"]
    assert s["conflicts"] == []
    summary = imports.confirm_import(plan.id, actor=w.drafter2)
    db.session.commit()
    assert summary.version == 4 and summary.sections_changed == ["outcome_2.statement"]
    assert _text(w, "project_title") == "Titre revu en version 3"
    assert _text(w, "outcome_2.statement") == "Les jeunes participent activement."
    assert latest_version(w.report).base_number == 2


def test_two_drafters_copies_of_the_same_old_version_both_land(drafted):
    w = drafted
    old = _export(w)
    a = _edit(old, "Les communautés vivent en paix.", "Les communautés vivent en paix durable.")
    b = _edit(old, "Les jeunes participent.", "Les jeunes et les femmes participent.")
    imports.confirm_import(imports.plan_import(w.report, a, "a.docx", actor=w.drafter, mode="version").id,
                           actor=w.drafter)
    db.session.commit()
    imports.confirm_import(imports.plan_import(w.report, b, "b.docx", actor=w.drafter2, mode="version").id,
                           actor=w.drafter2)
    db.session.commit()
    assert _text(w, "outcome_1.statement") == "Les communautés vivent en paix durable."
    assert _text(w, "outcome_2.statement") == "Les jeunes et les femmes participent."


def test_the_same_section_edited_twice_is_a_conflict_not_a_loss(drafted):
    w = drafted
    old = _export(w)
    a = _edit(old, "Les jeunes participent.", "Version d'Awa.")
    b = _edit(old, "Les jeunes participent.", "Version de Paul.")
    imports.confirm_import(imports.plan_import(w.report, a, "a.docx", actor=w.drafter, mode="version").id,
                           actor=w.drafter)
    db.session.commit()
    plan = imports.plan_import(w.report, b, "b.docx", actor=w.drafter2, mode="version")
    db.session.commit()
    assert plan.summary["conflicts"] == ["outcome_2.statement"]
    n = db.session.query(Version).count()
    with pytest.raises(Conflict):
        imports.confirm_import(plan.id, actor=w.drafter2)
    db.session.rollback()
    assert db.session.query(Version).count() == n and _text(w, "outcome_2.statement") == "Version d'Awa."
    imports.confirm_import(plan.id, actor=w.drafter2, choices={"sections": {"outcome_2.statement": {
        "edit": "Version d'Awa et de Paul."}}})
    db.session.commit()
    assert _text(w, "outcome_2.statement") == "Version d'Awa et de Paul."


def test_conflict_choices_keep_and_file(drafted):
    w = drafted
    old = _export(w)
    _save(w, {"outcome_1.statement": "Texte du navigateur."})
    copy = _edit(old, "Les communautés vivent en paix.", "Texte du fichier.")
    plan = imports.plan_import(w.report, copy, "c.docx", actor=w.drafter, mode="version")
    imports.confirm_import(plan.id, actor=w.drafter, choices={"sections": {"outcome_1.statement": "keep"}})
    db.session.commit()
    assert _text(w, "outcome_1.statement") == "Texte du navigateur."
    plan = imports.plan_import(w.report, copy, "c.docx", actor=w.drafter, mode="version")
    imports.confirm_import(plan.id, actor=w.drafter, choices={"resolve": "file"})
    db.session.commit()
    assert _text(w, "outcome_1.statement") == "Texte du fichier."


def test_cancel_leaves_only_the_stored_upload(drafted):
    w = drafted
    copy = _edit(_export(w), "Les jeunes participent.", "Autre texte.")
    versions, threads = db.session.query(Version).count(), db.session.query(Thread).count()
    plan = imports.plan_import(w.report, copy, "c.docx", actor=w.drafter, mode="version")
    imports.cancel_import(plan.id, actor=w.drafter)
    db.session.commit()
    assert db.session.query(Version).count() == versions and db.session.query(Thread).count() == threads
    assert db.session.get(ImportPlan, plan.id).status == "cancelled"
    assert db.session.get(Upload, plan.upload_id).data == copy
    with pytest.raises(Conflict):
        imports.confirm_import(plan.id, actor=w.drafter)


def test_a_file_from_another_report_is_refused_unless_confirmed(drafted):
    w = drafted
    other = fresh_report(w)
    db.session.commit()
    data = _export(w)
    uploads = db.session.query(Upload).count()
    with pytest.raises(Invalid) as exc:
        imports.plan_import(other, data, "x.docx", actor=w.drafter, mode="version")
    assert exc.value.details.get("code") == "other_report"
    db.session.rollback()
    assert db.session.query(Upload).count() == uploads
    plan = imports.plan_import(other, data, "x.docx", actor=w.drafter, mode="version", accept_other_report=True)
    assert plan.summary["provenance"] == "other_report" and plan.summary["base_version"] == 1


def test_a_field_the_file_lacks_keeps_its_value(drafted):
    from tests.helpers.pbf_docx import build
    w = drafted
    plan = imports.plan_import(w.report, build({"project_title": "Titre du fichier"}), "r.docx", actor=w.drafter,
                               mode="version")
    assert "country" in plan.summary["sections_kept_absent"]
    imports.confirm_import(plan.id, actor=w.drafter)
    db.session.commit()
    assert _text(w, "country") == "RCA" and _text(w, "project_title") == "Titre du fichier"


def test_threads_resolved_since_the_export_are_not_reopened_by_an_old_copy(drafted):
    from reviewflow.anchoring import make_anchor
    from reviewflow.services import threads
    w = drafted
    v = latest_version(w.report)
    text = _text(w, "outcome_1.statement")
    section = next(s for s in w.report.sections if s.key == "outcome_1.statement")
    t = threads.create_thread(w.report, v, section, make_anchor(text, 4, 15), status="exact",
                              body="Préciser lesquelles", author=w.reviewer)
    db.session.commit()
    old = _export(w)                                        # the thread is open in the copy
    threads.resolve(t, actor=w.reviewer, roles={"reviewer"}, note="Fait", now=None)
    db.session.commit()
    plan = imports.plan_import(w.report, old, "vieux.docx", actor=w.drafter, mode="version")
    summary = imports.confirm_import(plan.id, actor=w.drafter)
    db.session.commit()
    assert summary.threads_created == 0 and summary.already_known == 1
    assert db.session.get(Thread, t.id).status == "resolved"
    assert db.session.scalars(select(Thread)).all() == [db.session.get(Thread, t.id)]
