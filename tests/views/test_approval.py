"""Workflow, template findings, sign-off and audit through the web views and the CLI."""
import csv
import io
import json
import re

import pytest
from sqlalchemy import select

from reviewflow import content as C
from reviewflow.extensions import db
from reviewflow.models import FindingNote, Report, SignOff, Thread
from reviewflow.services import editing, transitions, versions
from tests.helpers.db import nothing_stored


@pytest.fixture
def w(world):
    editing.save_sections(world.report, {
        "implementation_status": C.text_blocks("x" * 1600),             # over its limit: an error finding
        "human_impact": C.text_blocks("Nous avons formé 58 fonctionnaires (18 femmes/32 hommes) à Bouar."),
    }, actor=world.drafter, roles={"drafter"}, base_number=1)
    transitions.act(world.report, "submit", actor=world.drafter, roles={"drafter"})
    db.session.commit()
    return world


def state(w):
    return db.session.scalar(select(Report.state).where(Report.id == w.report.id))


def test_report_page_shows_findings_next_to_the_text(w, h, client):
    h.login("reviewer@pbf.example")
    page = client.get(f"/reports/{w.report.id}").get_data(as_text=True)
    assert "Vérifications du modèle" in page and "erreur" in page
    assert "18 + 32 = 50" in page                                       # the breakdown that does not add up
    assert 'class="fd ' in page                                         # its words are marked in the text


def test_reviewer_turns_a_finding_into_a_thread_and_drafter_explains_one(w, h, client):
    from reviewflow.services import findings
    found = findings.findings_for(w.report, versions.latest_version(w.report))
    breakdown = next(f for f in found if f.code == "breakdown_sum")
    h.login("reviewer@pbf.example")
    r = h.post(f"/reports/{w.report.id}/findings/{breakdown.fingerprint}/thread")
    assert r.status_code == 302
    t = db.session.scalar(select(Thread))
    assert t.section.key == "human_impact" and "58" in t.quote and "50" in t.comments[0].body
    h.post("/logout")
    h.login("drafter@oim.example")
    r = h.post(f"/reports/{w.report.id}/findings/{breakdown.fingerprint}/explain",
               {"note": "8 personnes n'ont pas indiqué leur sexe."})
    assert r.status_code == 302
    assert db.session.scalar(select(FindingNote)).note.startswith("8 personnes")
    page = client.get(f"/reports/{w.report.id}").get_data(as_text=True)
    assert "Expliqué par Awa Drafter" in page
    # the explanation follows the finding to the next version while its words stay the same
    editing.save_sections(w.report, {"other": C.text_blocks("Autre chose.")}, actor=w.drafter,
                          roles={"drafter"}, base_number=2)
    db.session.commit()
    assert "Expliqué par Awa Drafter" in client.get(f"/reports/{w.report.id}").get_data(as_text=True)


def test_workflow_buttons_follow_role_and_state(w, h, client):
    h.login("reviewer@pbf.example")
    page = client.get(f"/reports/{w.report.id}").get_data(as_text=True)
    assert "Commencer la revue" in page and "Soumettre pour revue" not in page
    assert h.post(f"/reports/{w.report.id}/workflow/start_review").status_code == 302
    assert state(w) == "in_review"
    r = h.post(f"/reports/{w.report.id}/workflow/request_changes", {"note": ""})
    assert r.status_code == 409 and state(w) == "in_review"           # a note is required
    assert h.post(f"/reports/{w.report.id}/workflow/request_changes", {"note": "Partie IV vide"}).status_code == 302
    assert state(w) == "changes_requested"
    with nothing_stored():
        assert h.post(f"/reports/{w.report.id}/workflow/approve").status_code == 400    # never by hand
    h.post("/logout")
    h.login("drafter@oim.example")
    assert h.post(f"/reports/{w.report.id}/workflow/resubmit").status_code == 302
    assert state(w) == "resubmitted"


def test_signoff_refused_then_overridden_then_invalidated_by_a_new_version(w, h, client):
    h.login("approver@onudc.example")
    page = client.get(f"/reports/{w.report.id}/signoff").get_data(as_text=True)
    assert "non remplie" in page and "Aucune erreur relevée" in page
    r = h.post(f"/reports/{w.report.id}/signoff", {"version": "2", "decision": "approve"})
    assert r.status_code == 409 and db.session.scalar(select(SignOff)) is None
    refusal = re.sub(r"<[^>]+>", " ", r.get_data(as_text=True))     # what the page says, not its markup
    assert "les conditions marquées ✗" in refusal and "error_findings" not in refusal and "blocking_threads" not in refusal
    r = h.post(f"/reports/{w.report.id}/signoff", {"version": "2", "decision": "approve",
                                                   "override": "Limite dépassée acceptée par le PBSO (courriel du 3 mai)."})
    assert r.status_code == 302
    s = db.session.scalar(select(SignOff))
    assert s.override_justification.startswith("Limite dépassée") and s.content_hash
    assert state(w) == "approved"                                     # the only approver signed
    page = client.get(f"/reports/{w.report.id}/signoff").get_data(as_text=True)
    assert "Limite dépassée acceptée" in page
    # reopen (approver, with a reason), then a new version voids the signature and says why
    assert h.post(f"/reports/{w.report.id}/workflow/reopen", {"note": "Chiffres à corriger"}).status_code == 302
    editing.save_sections(w.report, {"human_impact": C.text_blocks("Corrigé.")}, actor=w.drafter,
                          roles={"drafter"}, base_number=2)
    db.session.commit()
    db.session.refresh(s)
    assert s.invalidated_at is not None
    page = client.get(f"/reports/{w.report.id}/signoff").get_data(as_text=True)
    assert "plus valable" in page and "le rapport a été rouvert" in page


def test_signing_a_stale_version_is_refused(w, h):
    editing.save_sections(w.report, {"other": C.text_blocks("Nouveau.")}, actor=w.drafter, roles={"drafter"},
                          base_number=2)
    db.session.commit()
    h.login("approver@onudc.example")
    with nothing_stored():
        r = h.post(f"/reports/{w.report.id}/signoff", {"version": "2", "decision": "approve",
                                                       "override": "x"})
    assert r.status_code == 409 and state(w) == "submitted"


def test_reject_sends_the_report_back(w, h):
    h.login("approver@onudc.example")
    with nothing_stored():                                           # a rejection needs its reason
        r = h.post(f"/reports/{w.report.id}/signoff", {"version": "2", "decision": "reject"})
    assert r.status_code == 400
    assert h.post(f"/reports/{w.report.id}/signoff", {"version": "2", "decision": "reject",
                                                      "note": "Désagréger"}).status_code == 302
    assert state(w) == "changes_requested"


def test_reviewers_cannot_sign(w, h):
    h.login("reviewer@pbf.example")
    with nothing_stored():
        r = h.post(f"/reports/{w.report.id}/signoff", {"version": "2", "override": "x"})
    assert r.status_code == 403
    assert state(w) == "submitted"


def test_audit_trail_page_and_csv(w, h, client):
    h.login("reviewer@pbf.example")
    page = client.get(f"/reports/{w.report.id}/audit").get_data(as_text=True)
    assert "Awa Drafter a enregistré la version 2\u202f: " in page              # a sentence, never a code
    assert "report.submit" not in page and "version.created" not in page and "sections_filled" not in page
    r = client.get(f"/reports/{w.report.id}/audit?format=csv")
    assert r.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(r.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:4] == ["time_utc", "actor", "actor_email", "action"]
    assert any(row[3] == "report.submit" and row[1] == "Awa Drafter" for row in rows[1:])
    h.post("/logout")
    h.login("outsider@other.example")
    assert client.get(f"/reports/{w.report.id}/audit?format=csv").status_code == 404


def test_cli_checks_status_and_signoff(w, runner):
    r = runner.invoke(args=["reports", "checks", str(w.report.id)])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["summary"]["error"] >= 1 and any(f["code"] == "char_limit" and f["section"] == "implementation_status"
                                                for f in out["findings"])
    r = runner.invoke(args=["reports", "status", str(w.report.id)])
    status = json.loads(r.output)
    assert status["state"] == "submitted"
    assert {q["code"]: q["met"] for q in status["signoff"]["requirements"]}["error_findings"] is False
    r = runner.invoke(args=["reports", "signoff", str(w.report.id), "--as", "approver@onudc.example"])
    assert r.exit_code != 0 and "refused" in r.output and "Traceback" not in r.output
    r = runner.invoke(args=["reports", "signoff", str(w.report.id), "--as", "approver@onudc.example",
                            "--override", "Accepté par le PBSO"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["state"] == "approved"
    reports_ = runner.invoke(args=["reports", "status", str(w.report.id)])
    assert json.loads(reports_.output)["signoff"]["approvers"][0]["override"] is True
    r = runner.invoke(args=["reports", "workflow", str(w.report.id), "reopen", "--as", "approver@onudc.example",
                            "--note", "Erreur"])
    assert r.exit_code == 0 and json.loads(r.output)["state"] == "in_review"
    editing.save_sections(w.report, {"other": C.text_blocks("Nouveau.")}, actor=w.drafter, roles={"drafter"},
                          base_number=2)
    db.session.commit()
    r = runner.invoke(args=["reports", "status", str(w.report.id)])
    assert json.loads(r.output)["signoff"]["approvers"][0]["decision"] is None    # invalidated


def test_audit_trail_hides_other_organisations_internal_threads(w, h, client):
    from reviewflow.services import threads
    t = threads.open_thread(w.report, actor=w.reviewer, roles={"reviewer"}, section_key="human_impact",
                            body="Note interne", internal_org_id=w.reviewer.organisation_id)
    threads.reply(t, actor=w.reviewer2, roles={"reviewer"}, body="Réponse interne")
    db.session.commit()
    h.login("drafter@oim.example")
    page = client.get(f"/reports/{w.report.id}/audit?format=csv").get_data(as_text=True)
    assert "thread.opened" not in page and f'"thread": {t.id}' not in page
    h.post("/logout")
    h.login("reviewer2@pbf.example")
    page = client.get(f"/reports/{w.report.id}/audit?format=csv").get_data(as_text=True)
    assert "thread.opened" in page and "comment.added" in page
