"""An export opened and saved again by LibreOffice, then re-imported, keeps every thread:
no duplicates, no losses (the service end to end, with the real LibreOffice)."""
import shutil
import subprocess

import pytest
from sqlalchemy import select

from reviewflow.extensions import db
from reviewflow.models import Report, Thread
from reviewflow.services import exports, imports
from tests.helpers.reports import Everyone, fresh_report, thread_set

pytestmark = pytest.mark.interop


def libreoffice_resave(data: bytes, tmp_path) -> bytes:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed (.ci/run installs it)")
    src = tmp_path / "in" / "export.docx"
    src.parent.mkdir()
    src.write_bytes(data)
    out = tmp_path / "out"
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless", "--norestore",
                    "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), str(src)],
                   check=True, timeout=240, capture_output=True)
    return (out / "export.docx").read_bytes()


def test_demo_export_saved_by_libreoffice_reimports_without_duplicates_or_losses(app, tmp_path):
    from reviewflow.demo import load_demo
    load_demo()
    report = db.session.scalar(select(Report))
    before = thread_set(report)
    n_threads = len(before)
    data, name, _kind = exports.export_docx(report, viewer=Everyone())
    resaved = libreoffice_resave(data, tmp_path)
    drafter = next(m.user for m in report.memberships if m.role == "drafter")
    s = imports.import_docx(report, resaved, "resaved.docx", actor=drafter, roles={"drafter"}, mode="review")
    assert s.threads_created == 0 and s.replies_added == 0
    assert len(db.session.scalars(select(Thread)).all()) == n_threads and thread_set(report) == before


def test_annotated_original_saved_by_libreoffice_round_trips(world, tmp_path):
    from tests.helpers.pbf_docx import build
    from tests.helpers.pbf_sample import ANSWERS, COMMENTS
    imports.import_docx(world.report, build(ANSWERS, comments=COMMENTS), "rapport.docx", actor=world.drafter,
                        roles={"drafter"}, mode="version")
    data, name, kind = exports.export_docx(world.report, viewer=Everyone())
    assert kind == "original"
    resaved = libreoffice_resave(data, tmp_path)
    copy = fresh_report(world)
    imports.import_docx(copy, resaved, name, actor=world.drafter, roles={"drafter"}, mode="version")
    assert thread_set(copy) == thread_set(world.report)
