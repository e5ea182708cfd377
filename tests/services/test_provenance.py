"""Provenance in every export (custom document properties, signed) and the answer bookmarks
of a generated export: what a file says about the report and version it came from."""
import io
import zipfile

import docx
from sqlalchemy import select

from reviewflow import content as C
from reviewflow.extensions import db
from reviewflow.mapping import map_document
from reviewflow.models import Report
from reviewflow.report_templates import load_template
from reviewflow.services import editing, exports, provenance
from reviewflow.services.versions import latest_version, version_contents
from reviewflow.wordio import read_docx
from tests.helpers.reports import Everyone


def _edited_report(world):
    editing.save_sections(world.report, {"project_title": [C.paragraph("Projet de test")],
                                         "outcome_1.statement": [C.paragraph("Les communautés vivent en paix. " * 5)],
                                         "report_type": [C.paragraph("annual")]},
                          actor=world.drafter, roles={"drafter"}, base_number=1)
    db.session.commit()
    return world.report


def test_a_generated_export_says_which_report_and_version_it_comes_from(world):
    report = _edited_report(world)
    data, _name, kind = exports.export_docx(report, viewer=Everyone())
    assert kind == "generated"
    found = provenance.verify(read_docx(data).properties, report, {1, 2})
    assert (found.status, found.report_id, found.version, found.kind) == ("ok", report.id, 2, "generated")
    contents = version_contents(latest_version(report))
    assert set(found.fingerprints) == set(contents) and provenance.matches(found, contents)


def test_provenance_survives_a_python_docx_save(world):
    report = _edited_report(world)
    data, _name, _kind = exports.export_docx(report, viewer=Everyone())
    d = docx.Document(io.BytesIO(data))
    d.paragraphs[-1].add_run(" plus")
    buf = io.BytesIO()
    d.save(buf)
    assert provenance.verify(read_docx(buf.getvalue()).properties, report).version == 2


def _with_property(data: bytes, name: str, value: str) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "docProps/custom.xml":
                props = read_docx(data).properties
                old = props[name]
                body = body.replace(f">{old}<".encode(), f">{value}<".encode())
            z.writestr(info, body)
    return out.getvalue()


def test_provenance_edited_by_hand_is_treated_as_absent_with_a_warning(world):
    report = _edited_report(world)
    data, _name, _kind = exports.export_docx(report, viewer=Everyone())
    forged = _with_property(data, "reviewflow.version", "1")
    found = provenance.verify(read_docx(forged).properties, report, {1, 2})
    assert found.status == "corrupt" and found.version is None and found.warning == provenance.CORRUPT


def test_a_file_from_another_report_is_recognised(world):
    from tests.helpers.reports import fresh_report
    report = _edited_report(world)
    other = fresh_report(world)
    data, _name, _kind = exports.export_docx(report, viewer=Everyone())
    found = provenance.verify(read_docx(data).properties, other)
    assert found.status == "other_report" and found.report_id == report.id


def test_an_original_export_carries_provenance_too(world):
    from reviewflow.services import imports
    from tests.helpers.pbf_docx import build
    from tests.helpers.pbf_sample import ANSWERS
    imports.import_docx(world.report, build(ANSWERS), "rapport.docx", actor=world.drafter, roles={"drafter"},
                        mode="version")
    db.session.commit()
    data, _name, kind = exports.export_docx(world.report, viewer=Everyone(), options=exports.ExportOptions(
        kind="original"))
    assert kind == "original"
    found = provenance.verify(read_docx(data).properties, world.report)
    assert found.status == "ok" and found.version == latest_version(world.report).number


def test_the_generated_export_maps_back_onto_every_section_with_the_same_text(world):
    from reviewflow.demo import load_demo
    load_demo()
    report = db.session.scalars(select(Report).order_by(Report.id.desc())).first()
    data, _name, _kind = exports.export_docx(report, viewer=Everyone(), options=exports.ExportOptions(
        kind="generated"))
    mapping = map_document(read_docx(data), load_template(report.template_id))
    contents = version_contents(latest_version(report))
    assert set(mapping.sections) == set(contents)
    differ = [k for k, c in contents.items() if C.blocks_text(mapping.sections[k].blocks) != c.text]
    assert differ == []
    assert C.blocks_text(mapping.unmapped) == ""
