"""The comment–response matrix, as CSV and as a Word table, on the web and the command line."""
import csv
import io
import re

import docx
import pytest
from sqlalchemy import select

from reviewflow import content as C
from reviewflow.extensions import db
from reviewflow.models import Thread
from reviewflow.services import editing, threads

TEXT = "Le projet connaît des retards. Pas de retard ailleurs."


@pytest.fixture
def w(world):
    editing.save_sections(world.report, {"implementation_status": C.text_blocks(TEXT)}, actor=world.drafter,
                          roles={"drafter"}, base_number=1)
    t = threads.open_thread(world.report, actor=world.reviewer, roles={"reviewer"}, section_key="implementation_status",
                            body="Justifier", start=0, end=29)
    threads.reply(t, actor=world.drafter, roles={"drafter"}, body="Fin novembre.")
    threads.mark_addressed(t, actor=world.drafter, roles={"drafter"}, version_number=2)
    threads.open_thread(world.report, actor=world.reviewer, roles={"reviewer"}, section_key="human_impact",
                        body="Interne au secrétariat", internal_org_id=world.reviewer.organisation_id)
    db.session.commit()
    return world


def test_csv_matrix_lists_threads_with_replies_status_and_version(w, h, client):
    h.login("reviewer@pbf.example")
    r = client.get(f"/reports/{w.report.id}/matrix.csv")
    rows = list(csv.reader(io.StringIO(r.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:3] == ["N°", "Section", "Texte commenté"]
    first = rows[1]
    assert first[1] == "État global de mise en œuvre" and first[2] == "Le projet connaît des retards"
    assert first[3] == "Claire Reviewer" and re.fullmatch(r"\d\d/\d\d/\d{4}", first[4]) and first[5] == "Commentaire"
    assert first[6] == "Justifier" and first[7] == "Awa Drafter : Fin novembre."
    assert first[8] == "Traité" and first[9] == "2" and first[11] == first[13] == ""   # not resolved: nobody, no reason
    assert any(row[6] == "Interne au secrétariat" for row in rows[1:])


def test_matrix_says_who_resolved_and_why_and_the_kind_in_words(w, h, client):
    t = db.session.scalars(select(Thread).order_by(Thread.id)).first()
    threads.set_severity(t, actor=w.reviewer, roles={"reviewer"}, severity="blocking")
    threads.resolve(t, actor=w.reviewer, roles={"reviewer"}, note="Calendrier précisé.")
    db.session.commit()
    h.login("reviewer@pbf.example")
    rows = list(csv.reader(io.StringIO(client.get(f"/reports/{w.report.id}/matrix.csv").get_data(as_text=True)
                                       .lstrip("\ufeff"))))
    first = rows[1]
    assert first[5] == "Bloquant" and first[8] == "Résolu"
    assert first[11] == "Claire Reviewer" and first[13] == "Calendrier précisé."
    docx_rows = docx.Document(io.BytesIO(client.get(f"/reports/{w.report.id}/matrix.docx").data)).paragraphs
    assert any("Rapport annuel 2024" in p.text for p in docx_rows)
    assert not any("annual" in p.text for p in docx_rows)


def test_matrix_respects_visibility_and_filters(w, h, client):
    h.login("drafter@oim.example")
    text = client.get(f"/reports/{w.report.id}/matrix.csv").get_data(as_text=True)
    assert "Interne au secrétariat" not in text
    h.post("/logout")
    h.login("reviewer@pbf.example")
    text = client.get(f"/reports/{w.report.id}/matrix.csv?section=human_impact").get_data(as_text=True)
    assert "Justifier" not in text and "Interne au secrétariat" in text


def test_docx_matrix_is_a_word_table(w, h, client):
    h.login("reviewer@pbf.example")
    r = client.get(f"/reports/{w.report.id}/matrix.docx")
    assert r.mimetype.endswith("wordprocessingml.document")
    table = docx.Document(io.BytesIO(r.data)).tables[0]
    assert table.rows[0].cells[6].text == "Commentaire" and table.rows[0].cells[11].text == "Résolu ou décidé par"
    assert table.rows[1].cells[2].text == "Le projet connaît des retards"


def test_cli_export_matrix(w, runner, tmp_path):
    out = tmp_path / "m.csv"
    r = runner.invoke(args=["reports", "export-matrix", str(w.report.id), "--format", "csv", "--out", str(out),
                            "--lang", "en"])
    assert r.exit_code == 0, r.output
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows[0][6] == "Comment" and rows[1][8] == "Addressed" and len(rows) == 3
    out = tmp_path / "m.docx"
    r = runner.invoke(args=["reports", "export-matrix", str(w.report.id), "--format", "docx", "--out", str(out),
                            "--as", "drafter@oim.example"])
    assert r.exit_code == 0 and len(docx.Document(str(out)).tables[0].rows) == 2   # header + the shared thread
