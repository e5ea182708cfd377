"""Zip entries named ../../tmp/x, /tmp/x, C:/x or with backslashes are refused at every entry point
(web upload, command line, re-export of a stored original, budget workbooks) by the one guard,
with a clear reason, and nothing is stored."""
import html

import pytest
from sqlalchemy import select

from reviewflow.extensions import db
from reviewflow.models import Upload
from tests.helpers.budget_xlsx import build as build_xlsx
from tests.helpers.db import nothing_stored
from tests.helpers.hostile_zip import HOSTILE_NAMES, shared_hostile_files, with_entry
from tests.helpers.pbf_docx import build
from tests.helpers.pbf_sample import ANSWERS
from tests.helpers.web import upload

REASON_FR = "nom dangereux"
NAMES = pytest.mark.parametrize("name", list(HOSTILE_NAMES.values()), ids=list(HOSTILE_NAMES))


def _text(r):
    return html.unescape(r.get_data(as_text=True))


@NAMES
def test_web_upload_refuses_hostile_entry_names(world, h, name):
    h.login("drafter@oim.example")
    data = with_entry(build(ANSWERS), name)
    with nothing_stored():
        r = upload(h, world, data)
    assert r.status_code == 400 and REASON_FR in _text(r)


@NAMES
def test_reviewer_upload_refuses_hostile_entry_names(world, h, name):
    h.login("reviewer@pbf.example")
    with nothing_stored():
        r = upload(h, world, with_entry(build(ANSWERS), name), mode="review")
    assert r.status_code == 400 and REASON_FR in _text(r)


@NAMES
def test_cli_import_refuses_hostile_entry_names(world, runner, tmp_path, name):
    path = tmp_path / "rapport.docx"
    path.write_bytes(with_entry(build(ANSWERS), name))
    with nothing_stored():
        r = runner.invoke(args=["reports", "import-docx", str(path), "--report", str(world.report.id),
                                "--as", "drafter@oim.example"])
    assert r.exit_code != 0 and "unsafe name" in r.output and "Traceback" not in r.output


@pytest.mark.parametrize("path", shared_hostile_files(), ids=lambda p: p.name)
def test_the_shared_hostile_files_are_refused_by_the_web_and_the_cli(world, h, runner, path):
    h.login("drafter@oim.example")
    with nothing_stored():
        r = upload(h, world, path.read_bytes())
        assert r.status_code == 400
        c = runner.invoke(args=["reports", "import-docx", str(path), "--report", str(world.report.id),
                                "--as", "drafter@oim.example"])
        assert c.exit_code != 0 and "Traceback" not in c.output


def _stored_original_with(world, h, name):
    """A version uploaded before the guard existed: its stored original holds a hostile name."""
    h.login("drafter@oim.example")
    assert upload(h, world, build(ANSWERS)).status_code == 302
    stored = db.session.scalars(select(Upload)).one()
    stored.data = with_entry(stored.data, name)
    db.session.commit()


@NAMES
def test_re_export_of_a_stored_original_refuses_hostile_entry_names(world, h, client, runner, tmp_path, name):
    _stored_original_with(world, h, name)
    with nothing_stored():
        r = client.get(f"/reports/{world.report.id}/export.docx?kind=original")
    assert r.status_code == 400 and REASON_FR in _text(r)
    out = tmp_path / "out.docx"
    with nothing_stored():
        c = runner.invoke(args=["reports", "export-docx", str(world.report.id), "--kind", "original",
                                "--out", str(out)])
    assert c.exit_code != 0 and "unsafe name" in c.output and not out.exists()


def _post_workbook(h, w, data):
    import io
    token = h.csrf(f"/reports/{w.report.id}/workbook")
    return h.client.post(f"/reports/{w.report.id}/workbook",
                         data={"csrf_token": token, "file": (io.BytesIO(data), "Budget.xlsx")},
                         content_type="multipart/form-data")


@NAMES
def test_workbook_upload_refuses_hostile_entry_names(world, h, runner, tmp_path, name):
    data = with_entry(build_xlsx().data, name)
    h.login("drafter@oim.example")
    with nothing_stored():
        r = _post_workbook(h, world, data)
    assert r.status_code == 400 and REASON_FR in _text(r)
    path = tmp_path / "Budget.xlsx"
    path.write_bytes(data)
    with nothing_stored():
        c = runner.invoke(args=["reports", "attach-budget", str(path), "--report", str(world.report.id),
                                "--as", "drafter@oim.example"])
    assert c.exit_code != 0 and "unsafe name" in c.output
