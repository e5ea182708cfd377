"""The Word loop from the command line (import-docx --dry-run / --resolve, export-docx) and the
exports' placement of point comments and of threads resolved on earlier versions."""
import io
import json

import docx
from sqlalchemy import select

from reviewflow import content as C
from reviewflow.anchoring import Anchor, make_anchor
from reviewflow.extensions import db
from reviewflow.models import Thread, Upload, Version
from reviewflow.services import editing, exports, threads
from reviewflow.services.versions import latest_version, version_contents
from reviewflow.wordio import read_docx
from tests.helpers.reports import Everyone


def _save(w, changes):
    editing.save_sections(w.report, {k: [C.paragraph(t)] for k, t in changes.items()}, actor=w.drafter,
                          roles={"drafter"}, base_number=latest_version(w.report).number)
    db.session.commit()


def _edit(data, old, new):
    d = docx.Document(io.BytesIO(data))
    for p in d.paragraphs:
        if p.text == old:
            for r in p.runs[1:]:
                r._r.getparent().remove(r._r)
            p.runs[0].text = new
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _cli_export(runner, w, tmp_path, *extra):
    out = tmp_path / "export.docx"
    r = runner.invoke(args=["reports", "export-docx", str(w.report.id), "--kind", "generated", *extra,
                            "--out", str(out)])
    assert r.exit_code == 0, r.output
    return out.read_bytes()


def _import(runner, w, path, *extra, email="drafter@oim.example"):
    r = runner.invoke(args=["reports", "import-docx", str(path), "--report", str(w.report.id), "--as", email, *extra])
    return r.exit_code, json.loads(r.output) if r.output.strip().startswith("{") else r.output


def test_dry_run_prints_the_plan_and_stores_nothing(world, runner, tmp_path):
    _save(world, {"outcome_1.statement": "Texte A.", "project_title": "Titre"})
    data = _edit(_cli_export(runner, world, tmp_path), "Texte A.", "Texte A modifié.")
    path = tmp_path / "copie.docx"
    path.write_bytes(data)
    uploads, versions = db.session.query(Upload).count(), db.session.query(Version).count()
    code, out = _import(runner, world, path, "--dry-run")
    assert code == 0 and out["dry_run"] is True
    assert out["base_version"] == 2 and out["sections_changed"] == ["outcome_1.statement"]
    for key in ("sections_kept_absent", "conflicts", "unmapped_chars", "threads_created", "already_known"):
        assert key in out
    assert db.session.query(Upload).count() == uploads and db.session.query(Version).count() == versions


def test_a_conflict_lands_nothing_and_exits_1_unless_resolved(world, runner, tmp_path):
    _save(world, {"outcome_1.statement": "Texte A."})
    old = _cli_export(runner, world, tmp_path)
    _save(world, {"outcome_1.statement": "Texte du navigateur."})
    path = tmp_path / "copie.docx"
    path.write_bytes(_edit(old, "Texte A.", "Texte du fichier."))
    versions = db.session.query(Version).count()
    code, out = _import(runner, world, path)
    assert code == 1 and out["conflicts"] == ["outcome_1.statement"] and out["landed"] is False
    assert db.session.query(Version).count() == versions
    code, out = _import(runner, world, path, "--resolve", "keep")
    assert code == 0 and out["landed"] is True
    assert version_contents(latest_version(world.report))["outcome_1.statement"].text == "Texte du navigateur."
    code, out = _import(runner, world, path, "--resolve", "file")
    assert code == 0 and out["version"] == 4
    assert version_contents(latest_version(world.report))["outcome_1.statement"].text == "Texte du fichier."


def _section(w, key):
    return next(s for s in w.report.sections if s.key == key)


def test_point_comments_are_exported_at_their_own_offset(world):
    _save(world, {"outcome_1.statement": "Les communautés vivent en paix."})
    v = latest_version(world.report)
    threads.create_thread(world.report, v, _section(world, "outcome_1.statement"), Anchor(4, 4, "", "Les ", "commu"),
                          status="section", body="Insérer un chiffre ici", author=world.reviewer)
    db.session.commit()
    data, _n, _k = exports.export_docx(world.report, viewer=Everyone(), options=exports.ExportOptions(
        kind="generated"))
    doc = read_docx(data)
    c = next(c for c in doc.comments if c.text.endswith("Insérer un chiffre ici"))
    at = doc.text.index("Les communautés vivent en paix.")
    assert c.start == c.end == at + 4


def test_include_resolved_takes_threads_resolved_on_earlier_versions(world, runner, tmp_path):
    _save(world, {"outcome_1.statement": "Les communautés vivent en paix.", "project_title": "Titre"})
    v = latest_version(world.report)
    text = version_contents(v)["outcome_1.statement"].text
    t = threads.create_thread(world.report, v, _section(world, "outcome_1.statement"), make_anchor(text, 4, 15),
                              status="exact", body="Lesquelles ?", author=world.reviewer)
    db.session.commit()
    threads.resolve(t, actor=world.reviewer, roles={"reviewer"}, note="Fait")
    db.session.commit()
    _save(world, {"project_title": "Titre revu"})          # version 3: the thread stays on version 2
    data = _cli_export(runner, world, tmp_path, "--include-resolved")
    doc = read_docx(data)
    c = next(c for c in doc.comments if c.text == "Lesquelles ?")
    assert c.quote == "communautés" and c.resolved
    assert all(c.text != "Lesquelles ?" for c in read_docx(_cli_export(runner, world, tmp_path, "--open-only")).comments)
    # and coming back, it is known: no new thread
    path = tmp_path / "retour.docx"
    path.write_bytes(data)
    code, out = _import(runner, world, path)
    assert code == 0 and out["threads_created"] == 0 and out["already_known"] >= 1
    assert len(db.session.scalars(select(Thread)).all()) == 1
