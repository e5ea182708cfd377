"""The Word loop's interop matrix: export kind (original, generated) x editor (none, python-docx
edit, LibreOffice 25 re-save, LibreOffice edit) x uploader (drafter, reviewer).

Each case: a report with an uploaded version and its review threads; version 2 exported; a
browser edit afterwards (version 3, another section); the copy edited (or not) and uploaded.
Asserted: which sections change, threads new / known, the threads' quotes, and that the browser
edit made after the export is not reverted.  "LibreOffice edit" is the python-docx edit then
opened and saved by LibreOffice (headless LibreOffice cannot type)."""
import io

import docx
import pytest
from sqlalchemy import select

from reviewflow import content as C
from reviewflow.extensions import db
from reviewflow.models import Thread
from reviewflow.services import editing, exports, imports
from reviewflow.services.versions import latest_version, version_contents
from tests.helpers.libreoffice import resave
from tests.helpers.pbf_docx import build
from tests.helpers.pbf_sample import ANSWERS, COMMENTS
from tests.helpers.reports import Everyone

pytestmark = pytest.mark.interop

EDITED = "Foire transfrontalière de la paix en décembre."
LATER = "Deux réunions de sécurité ont été tenues."


def _python_docx_edit(data: bytes) -> bytes:
    d = docx.Document(io.BytesIO(data))
    hits = [p for p in d.paragraphs if p.text == EDITED]
    assert len(hits) == 1, [p.text for p in d.paragraphs][:80]
    p = hits[0]
    for r in p.runs[1:]:
        r._r.getparent().remove(r._r)
    p.runs[0].text = EDITED + " Reportée en janvier."
    d.add_comment(runs=[p.runs[0]], text="Quelle date exacte ?", author="Jean Reviewer", initials="JR")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


EDITORS = {
    "none": lambda data: data,
    "python-docx-edit": _python_docx_edit,
    "libreoffice-resave": resave,
    "libreoffice-edit": lambda data: resave(_python_docx_edit(data)),
}


def _quotes(report):
    return {(t.section.key, t.quote) for t in db.session.scalars(select(Thread).where(Thread.report_id == report.id))}


@pytest.mark.parametrize("uploader", ["drafter", "reviewer"])
@pytest.mark.parametrize("editor", list(EDITORS))
@pytest.mark.parametrize("kind", ["original", "generated"])
def test_word_loop(world, kind, editor, uploader):
    report = world.report
    plan = imports.plan_import(report, build(ANSWERS, comments=COMMENTS), "rapport.docx", actor=world.drafter,
                               mode="version")
    imports.confirm_import(plan.id, actor=world.drafter)
    db.session.commit()
    assert latest_version(report).number == 2
    data, _name, made = exports.export_docx(report, viewer=Everyone(), options=exports.ExportOptions(
        version=2, kind=kind))
    assert made == kind
    editing.save_sections(report, {"outcome_2.progress_summary": [C.paragraph("Trois réunions tenues.")]},
                          actor=world.drafter, roles={"drafter"}, base_number=2)      # version 3, after the export
    db.session.commit()
    quotes, n_threads = _quotes(report), db.session.query(Thread).count()
    before = {k: c.text for k, c in version_contents(latest_version(report)).items()}

    copy = EDITORS[editor](data)
    edited = editor.endswith("edit")
    actor = world.drafter if uploader == "drafter" else world.reviewer
    mode = "version" if uploader == "drafter" else "review"
    plan = imports.plan_import(report, copy, "copie.docx", actor=actor, mode=mode)
    s = plan.summary
    assert s["provenance"] == "ok" and s["base_version"] == 2, s["warnings"]
    assert s["comments_new"] == (1 if edited else 0)
    assert s["conflicts"] == []
    if mode == "version":
        assert s["sections_changed"] == (["upcoming_events"] if edited else [])
        assert s["unmapped_chars"] == 0, s["unmapped_preview"]
        assert "outcome_2.progress_summary" in s["sections_kept"]
    summary = imports.confirm_import(plan.id, actor=actor)
    db.session.commit()
    after = {k: c.text for k, c in version_contents(latest_version(report)).items()}
    assert summary.threads_created == (1 if edited else 0)
    assert db.session.query(Thread).count() == n_threads + (1 if edited else 0)
    assert quotes <= _quotes(report)                             # every thread kept its words
    assert after["outcome_2.progress_summary"] == "Trois réunions tenues."   # nothing reverted
    if mode == "version" and edited:
        assert after["upcoming_events"] == EDITED + " Reportée en janvier."
        assert {k for k in after if after[k] != before[k]} == {"upcoming_events"}
    else:
        assert after == before
    if edited:
        new = db.session.scalars(select(Thread).order_by(Thread.id.desc())).first()
        assert new.quote == EDITED + " Reportée en janvier." if mode == "version" else new.anchor_status in (
            "exact", "changed", "moved", "needs_confirmation", "orphaned")
