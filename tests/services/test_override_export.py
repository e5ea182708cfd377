"""An approval given with an override travels with the uploaded original too: the export carries
it as a note by reviewflow at the start of the document (who, when, why), and importing that
file again makes no thread of it."""
from reviewflow.extensions import db
from reviewflow.models import Thread
from reviewflow.services import exports, imports, signoff, transitions, versions
from reviewflow.wordio import read_docx
from tests.helpers.pbf_docx import build
from tests.helpers.reports import Everyone


def test_the_uploaded_originals_export_carries_the_override_and_does_not_bring_it_back(world):
    imports.import_docx(world.report, build({"implementation_status": "Le projet avance."}), "rapport.docx",
                        actor=world.drafter, roles={"drafter"}, mode="version")
    transitions.act(world.report, "submit", actor=world.drafter, roles={"drafter"})
    number = versions.latest_version(world.report).number
    signoff.sign(world.report, actor=world.approver, roles={"approver"}, version_number=number,
                 override="Les annexes suivront par courrier.")
    db.session.commit()
    assert world.report.state == "approved"
    data, _name, kind = exports.export_docx(world.report, viewer=Everyone(),
                                            options=exports.ExportOptions(kind="original"))
    db.session.commit()
    assert kind == "original"
    notes = [c for c in read_docx(data).comments if c.author == exports.SYSTEM_AUTHOR]
    assert len(notes) == 1 and "Les annexes suivront par courrier." in notes[0].text
    assert world.approver.name in notes[0].text and notes[0].start == notes[0].end
    threads = db.session.query(Thread).count()
    plan = imports.plan_import(world.report, data, "retour.docx", actor=world.reviewer, roles={"reviewer"},
                               mode="review")
    assert plan.summary["comments_new"] == 0
    imports.confirm_import(plan.id, actor=world.reviewer, roles={"reviewer"})
    db.session.commit()
    assert db.session.query(Thread).count() == threads
