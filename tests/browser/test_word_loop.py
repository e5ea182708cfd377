"""Upload a stale copy in the browser: preview (before -> after, one conflict) -> choose -> confirm ->
the version and its threads."""
import io

import docx
import pytest
from sqlalchemy import select

from reviewflow import content as C
from reviewflow.extensions import db
from reviewflow.models import Thread
from reviewflow.services import editing, exports
from reviewflow.services.versions import latest_version, version_contents
from tests.helpers.browser import login, submit
from tests.helpers.reports import Everyone

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect


def _save(w, changes):
    editing.save_sections(w.report, {k: [C.paragraph(t)] for k, t in changes.items()}, actor=w.drafter,
                          roles={"drafter"}, base_number=latest_version(w.report).number)
    db.session.commit()


def _stale_copy(w) -> bytes:
    _save(w, {"outcome_1.statement": "Les communautés vivent en paix.", "outcome_2.statement": "Les jeunes votent."})
    old, _n, _k = exports.export_docx(w.report, viewer=Everyone(), options=exports.ExportOptions(kind="generated"))
    _save(w, {"outcome_1.statement": "Les communautés vivent en paix depuis 2023."})     # after the export
    d = docx.Document(io.BytesIO(old))
    for p in d.paragraphs:
        if p.text in ("Les communautés vivent en paix.", "Les jeunes votent."):
            new = {"Les communautés vivent en paix.": "Les communautés vivent ensemble.",
                   "Les jeunes votent.": "Les jeunes votent et se présentent."}[p.text]
            for r in p.runs[1:]:
                r._r.getparent().remove(r._r)
            p.runs[0].text = new
            if new.startswith("Les jeunes"):
                d.add_comment(runs=[p.runs[0]], text="Combien de candidats ?", author="Claire Reviewer",
                              initials="CR")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_upload_preview_choose_confirm(world, live_server, page, tmp_path):
    path = tmp_path / "copie.docx"
    path.write_bytes(_stale_copy(world))
    login(page, live_server, "drafter@oim.example")
    page.goto(f"{live_server}/reports/{world.report.id}/upload")
    page.set_input_files("#file", str(path))
    submit(page, page.locator("form button.primary"))
    expect(page.locator("h1")).to_have_text("Aperçu de l’import")
    expect(page.locator("#count-conflicts")).to_have_text("1 conflit à régler")
    expect(page.locator("#count-changed")).to_have_text("1 section prend le texte du fichier")
    taken = page.locator("#import-outcome_2-statement")
    expect(taken.locator("ins")).to_contain_text("et se présentent")
    conflict = page.locator("#import-outcome_1-statement")
    expect(conflict).to_contain_text("Les communautés vivent en paix depuis 2023.")
    expect(conflict).to_contain_text("Les communautés vivent ensemble.")
    expect(page.get_by_text("Claire Reviewer (Word) : est-ce Claire Reviewer ?")).to_be_visible()
    conflict.get_by_label("Garder le texte du rapport").check()
    page.get_by_label("Claire Reviewer (Word) : est-ce Claire Reviewer ?").check()
    submit(page, page.locator("#confirm-import"))
    expect(page.locator("body")).to_contain_text("Version 4 créée à partir du fichier")
    db.session.expire_all()
    contents = version_contents(latest_version(world.report))
    assert contents["outcome_1.statement"].text == "Les communautés vivent en paix depuis 2023."
    assert contents["outcome_2.statement"].text == "Les jeunes votent et se présentent."
    t = db.session.scalars(select(Thread)).one()
    assert t.quote == "Les jeunes votent et se présentent." and t.comments[0].author_id == world.reviewer.id
