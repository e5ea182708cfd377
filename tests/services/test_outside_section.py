"""Content outside the template is a section like the others ("Contenu hors modèle"): it keeps
what fits no question, comments sit on its words, and exports write them there."""
import io

import docx
from sqlalchemy import select

from reviewflow.extensions import db
from reviewflow.models import Thread
from reviewflow.services import exports, imports
from reviewflow.services.versions import latest_version, version_contents
from reviewflow.wordio import read_docx
from tests.helpers.pbf_docx import build
from tests.helpers.pbf_sample import ANSWERS
from tests.helpers.reports import Everyone


def _with_outside_note() -> bytes:
    d = docx.Document(io.BytesIO(build(ANSWERS)))
    p = d.paragraphs[0].insert_paragraph_before("Note de l’agence : ")
    run = p.add_run("le calendrier")
    p.add_run(" a changé en octobre.")
    d.add_comment(runs=[run], text="Quel calendrier ?", author="Claire Reviewer", initials="CR")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_outside_content_is_a_section_with_its_comments_on_their_words(world):
    plan = imports.plan_import(world.report, _with_outside_note(), "rapport.docx", actor=world.drafter,
                               mode="version")
    assert plan.summary["unmapped_chars"] > 0 and "outside_template" in plan.summary["sections_changed"]
    imports.confirm_import(plan.id, actor=world.drafter)
    db.session.commit()
    text = version_contents(latest_version(world.report))["outside_template"].text
    assert "Note de l’agence : le calendrier a changé en octobre." in text
    t = db.session.scalars(select(Thread)).one()
    assert t.section.key == "outside_template" and t.quote == "le calendrier" and t.anchor_status == "exact"

    for kind in ("original", "generated"):
        data, _n, _k = exports.export_docx(world.report, viewer=Everyone(), options=exports.ExportOptions(kind=kind))
        db.session.commit()
        c = next(c for c in read_docx(data).comments if c.text == "Quel calendrier ?")
        assert c.quote == "le calendrier", kind
        again = imports.plan_import(world.report, data, "retour.docx", actor=world.drafter, mode="version")
        s = again.summary
        assert (s["sections_changed"], s["unmapped_chars"], s["comments_new"], s["conflicts"]) == ([], 0, 0, []), kind
        imports.cancel_import(again.id, actor=world.drafter)
        db.session.commit()


def test_outside_content_longer_than_a_section_is_all_kept(world):
    d = docx.Document()
    paragraphs = [f"Paragraphe {i} " + "x" * 990 for i in range(230)]       # about 230,000 characters
    for text in paragraphs:
        d.add_paragraph(text)
    buf = io.BytesIO()
    d.save(buf)
    plan = imports.plan_import(world.report, buf.getvalue(), "long.docx", actor=world.drafter, mode="version")
    imports.confirm_import(plan.id, actor=world.drafter)
    db.session.commit()
    v = latest_version(world.report)
    inside = version_contents(v)["outside_template"].text
    rest = [b["text"] for b in v.unmapped or []]
    assert len(inside) <= 200_000 and inside.split("\n") + rest == paragraphs
