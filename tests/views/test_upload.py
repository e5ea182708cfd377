"""Uploading Word files through the web pages and the command line."""
import html
import io
import json

import pytest
from sqlalchemy import func, select

from reviewflow.extensions import db
from reviewflow.models import Thread, Upload, Version
from tests.helpers.db import nothing_stored
from tests.helpers.paths import CORPUS
from tests.helpers.pbf_docx import WComment, build
from tests.helpers.pbf_sample import ANSWERS, COMMENTS
from tests.helpers.web import upload


def test_drafter_uploads_a_version_and_sees_the_summary(world, h, client):
    h.login("drafter@oim.example")
    r = upload(h, world, build(ANSWERS, comments=COMMENTS))
    assert r.status_code == 302 and "/uploads/" in r.headers["Location"]
    page = html.unescape(client.get(r.headers["Location"]).get_data(as_text=True))
    assert "Version 2 créée à partir du fichier" in page
    assert "3 nouveaux fils" in page
    report_page = client.get(f"/reports/{world.report.id}").get_data(as_text=True)
    assert "Justifier : quels retards ?" in report_page and "(depuis Word)" in report_page


def test_reviewer_uploads_comments_without_creating_a_version(world, h, client):
    h.login("reviewer@pbf.example")
    with nothing_stored():
        r = upload(h, world, build({}, comments=[]), mode="version")
    assert r.status_code == 403
    r = upload(h, world, build(ANSWERS, comments=[WComment("project_title", "transfrontalier", "Titre trop long")]),
               mode="review")
    assert r.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Version)) == 1
    assert db.session.scalar(select(Thread)).quote == "transfrontalier"


@pytest.mark.parametrize("data, reason", [
    (b"%PDF-1.4 pas un docx", "n'est pas un document Word"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "ancien format (.doc)"),
])
def test_bad_upload_is_a_400_with_a_reason(world, h, data, reason):
    h.login("drafter@oim.example")
    r = upload(h, world, data)
    assert r.status_code == 400
    assert reason in html.unescape(r.get_data(as_text=True))
    assert db.session.scalar(select(func.count()).select_from(Upload)) == 0


def test_upload_over_the_size_limit_is_a_413_page(world, h, client, app):
    h.login("drafter@oim.example")
    token = h.csrf(f"/reports/{world.report.id}/upload")
    app.config["MAX_CONTENT_LENGTH"] = 50_000
    try:
        with nothing_stored():
            r = client.post(f"/reports/{world.report.id}/upload", data={"csrf_token": token, "file": (
                io.BytesIO(b"x" * 60_000), "gros.docx")}, content_type="multipart/form-data")
    finally:
        app.config["MAX_CONTENT_LENGTH"] = 25 * 1024 * 1024
    assert r.status_code == 413 and "trop volumineux" in r.get_data(as_text=True)


def test_upload_without_a_file_is_explained(world, h):
    h.login("drafter@oim.example")
    token = h.csrf(f"/reports/{world.report.id}/upload")
    with nothing_stored():
        r = h.client.post(f"/reports/{world.report.id}/upload", data={"csrf_token": token, "mode": "version"})
    assert r.status_code == 400 and "Choisissez un fichier Word" in html.unescape(r.get_data(as_text=True))


def test_cli_inspect_and_import(world, runner, tmp_path):
    path = tmp_path / "rapport.docx"
    path.write_bytes(build(ANSWERS, comments=COMMENTS))
    r = runner.invoke(args=["docx", "inspect", str(path)])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert {c["quote"] for c in out["comments"]} >= {"Le projet connaît des retards", "Pas de retard"}
    reply = next(c for c in out["comments"] if c["text"] == "Fin novembre.")
    root = next(c for c in out["comments"] if c["quote"] == "Le projet connaît des retards")
    assert reply["parent"] == root["id"] and root["parent"] is None
    r = runner.invoke(args=["reports", "import-docx", str(path), "--report", str(world.report.id),
                            "--as", "drafter@oim.example"])
    assert r.exit_code == 0, r.output
    summary = json.loads(r.output)
    assert summary["version"] == 2 and summary["threads_created"] == 3


def test_cli_refuses_bad_files_in_one_line(world, runner, tmp_path):
    bad = tmp_path / "faux.docx"
    bad.write_bytes(b"pas un zip")
    r = runner.invoke(args=["docx", "inspect", str(bad)])
    assert r.exit_code != 0 and "Traceback" not in r.output and "not_zip" in r.output
    r = runner.invoke(args=["reports", "import-docx", str(bad), "--report", str(world.report.id),
                            "--as", "drafter@oim.example"])
    assert r.exit_code != 0 and "Traceback" not in r.output and len(r.output.strip().splitlines()) == 1
    r = runner.invoke(args=["docx", "inspect", str(tmp_path / "absent.docx")])
    assert r.exit_code != 0 and "cannot read" in r.output


def _corpus_files():
    if not CORPUS.exists():
        return []
    return sorted(p for p in CORPUS.rglob("*.docx"))


@pytest.mark.corpus
@pytest.mark.parametrize("path", _corpus_files() or [None], ids=lambda p: p.name if p else "absent")
def test_every_corpus_file_imports_through_the_service(world, path):
    if path is None:
        pytest.skip(f"the corpus is not at {CORPUS} (set REVIEWFLOW_CORPUS)")
    from reviewflow.services import imports
    from reviewflow.wordio import read_docx
    doc = read_docx(path.read_bytes())
    s = imports.import_docx(world.report, path.read_bytes(), path.name, actor=world.drafter, roles={"drafter"},
                            mode="version")
    db.session.flush()
    assert s.comments_in_file == len(doc.comments)
    n_threads = db.session.scalar(select(func.count()).select_from(Thread))
    assert n_threads == len([c for c in doc.comments if c.parent is None])   # every thread kept, none lost


def test_download_the_annotated_original_and_a_clean_copy(world, h, client):
    from reviewflow.wordio import read_docx
    h.login("drafter@oim.example")
    upload(h, world, build(ANSWERS, comments=COMMENTS))
    r = client.get(f"/reports/{world.report.id}/export.docx?version=2")
    assert r.status_code == 200 and r.mimetype.endswith("wordprocessingml.document")
    assert "attachment" in r.headers["Content-Disposition"] and "-v2.docx" in r.headers["Content-Disposition"]
    assert len(read_docx(r.data).comments) == 4
    r = client.get(f"/reports/{world.report.id}/export.docx?version=2&clean=1")
    assert read_docx(r.data).comments == []
    r = client.get(f"/reports/{world.report.id}/export.docx?version=1&kind=original")
    assert r.status_code == 400
    h.post("/logout")
    h.login("outsider@other.example")
    assert client.get(f"/reports/{world.report.id}/export.docx").status_code == 404
