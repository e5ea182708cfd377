"""Regression tests for problems found in review (each written before its fix)."""
import csv
import io

import pytest
from sqlalchemy import select

from reviewflow import content as C
from reviewflow.extensions import db
from reviewflow.models import Notification, SignOff, Thread
from reviewflow.services import editing, imports, threads, transitions
from tests.helpers.db import nothing_stored
from tests.helpers.pbf_docx import WComment, build
from tests.helpers.pbf_sample import ANSWERS

TEXT = "Le projet connaît des retards. Pas de retard ailleurs."


@pytest.fixture
def w(world):
    editing.save_sections(world.report, {"implementation_status": C.text_blocks(TEXT)}, actor=world.drafter,
                          roles={"drafter"}, base_number=1)
    db.session.commit()
    return world


def internal(w, body="Interne", severity="normal"):
    t = threads.open_thread(w.report, actor=w.reviewer, roles={"reviewer"}, section_key="human_impact", body=body,
                            severity=severity, internal_org_id=w.reviewer.organisation_id)
    db.session.commit()
    return t


# -- security -------------------------------------------------------------------------------------

def test_a_word_author_name_never_impersonates_another_user(w):
    data = build(ANSWERS, comments=[WComment("project_title", "transfrontalier", "Parfait, approuvé.",
                                             author="Claire Reviewer")])
    imports.import_docx(w.report, data, "x.docx", actor=w.drafter, roles={"drafter"}, mode="review")
    c = db.session.scalar(select(Thread)).comments[0]
    assert c.author_id is None and c.author_name == "Claire Reviewer (Word)"
    # the uploader's own comments are theirs
    data = build(ANSWERS, comments=[WComment("project_title", "Projet", "Mon commentaire", author="Awa Drafter")])
    imports.import_docx(w.report, data, "y.docx", actor=w.drafter, roles={"drafter"}, mode="review")
    mine = next(t for t in db.session.scalars(select(Thread)) if t.comments[0].body == "Mon commentaire")
    assert mine.comments[0].author_id == w.drafter.id


def test_report_list_counts_only_threads_i_may_see(w, h, client):
    internal(w)
    h.login("drafter@oim.example")
    page = client.get("/").get_data(as_text=True)
    assert '<td class="num">0</td>' in page


def test_signoff_page_does_not_reveal_another_organisations_internal_thread(w, h, client):
    internal(w, severity="blocking")
    transitions.act(w.report, "submit", actor=w.drafter, roles={"drafter"})
    db.session.commit()
    h.login("approver@onudc.example")
    page = client.get(f"/reports/{w.report.id}/signoff").get_data(as_text=True)
    assert "Interne" not in page and "internes à une autre organisation" in page


def test_editing_an_internal_comment_stays_out_of_other_organisations_audit(w, h, client):
    t = internal(w)
    threads.edit_comment(t.comments[0], actor=w.reviewer, body="Interne, corrigé")
    db.session.commit()
    h.login("drafter@oim.example")
    assert "comment.edited" not in client.get(f"/reports/{w.report.id}/audit?format=csv").get_data(as_text=True)


def test_imports_never_touch_threads_the_uploader_cannot_see(w):
    t = internal(w, body="Note interne")
    data = build(ANSWERS, comments=[WComment("human_impact", "", "Note interne", author="Claire Reviewer",
                                             replies=[("Awa Drafter", "Je réponds dans Word")])])
    s = imports.import_docx(w.report, data, "x.docx", actor=w.drafter, roles={"drafter"}, mode="review")
    db.session.refresh(t)
    assert len(t.comments) == 1 and s.threads_created == 1


def test_exports_leave_out_internal_threads_by_default_on_the_page(w, h, client):
    h.login("reviewer@pbf.example")
    page = client.get(f"/reports/{w.report.id}").get_data(as_text=True)
    assert 'name="shared" value="1" checked' in page


def test_matrix_marks_internal_threads_and_can_leave_them_out(w, h, client):
    internal(w, body="Note interne")
    h.login("reviewer@pbf.example")
    rows = list(csv.reader(io.StringIO(client.get(f"/reports/{w.report.id}/matrix.csv").get_data(as_text=True)
                                       .lstrip("\ufeff"))))
    col = rows[0].index("Visibilité")
    assert rows[1][col].startswith("Interne")
    text = client.get(f"/reports/{w.report.id}/matrix.csv?shared=1").get_data(as_text=True)
    assert "Note interne" not in text


def test_only_who_may_resolve_can_lift_blocking(w):
    from reviewflow.services.errors import Forbidden
    t = threads.open_thread(w.report, actor=w.reviewer2, roles={"reviewer"}, section_key="implementation_status",
                            body="Bloquant", severity="blocking")
    with pytest.raises(Forbidden):
        threads.set_severity(t, actor=w.approver, roles={"approver"}, severity="normal")
    threads.set_severity(t, actor=w.reviewer2, roles={"reviewer"}, severity="normal")
    assert t.severity == "normal"
    threads.set_severity(t, actor=w.approver, roles={"approver"}, severity="blocking")   # raising is allowed
    assert t.severity == "blocking"


def test_csv_cells_cannot_run_as_spreadsheet_formulas(w, h, client):
    threads.open_thread(w.report, actor=w.reviewer, roles={"reviewer"}, section_key="implementation_status",
                        body='=HYPERLINK("http://evil.example","clic")')
    db.session.commit()
    h.login("reviewer@pbf.example")
    text = client.get(f"/reports/{w.report.id}/matrix.csv").get_data(as_text=True)
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text
    audit = client.get(f"/reports/{w.report.id}/audit?format=csv").get_data(as_text=True)
    assert "\n=" not in audit and ",=" not in audit


def test_mail_links_use_the_configured_base_url_not_the_host_header(w, app):
    from reviewflow import mail
    t = threads.open_thread(w.report, actor=w.reviewer, roles={"reviewer"}, section_key="human_impact", body="x")
    n = db.session.scalar(select(Notification).where(Notification.thread_id == t.id))
    with app.test_request_context("/", headers={"Host": "evil.example"}):
        body = mail.render(n).body
    assert "evil.example" not in body and app.config["BASE_URL"] + f"/notifications/{n.id}" in body


def test_a_password_change_logs_out_other_sessions(w, h, client, app):
    other = app.test_client()
    from tests.helpers.web import Helpers
    Helpers(other).login("drafter@oim.example")
    h.login("drafter@oim.example")
    assert h.post("/account/password", {"current": "password123", "new": "nouveau-mdp",
                                        "confirm": "nouveau-mdp"}).status_code == 302
    assert other.get("/").status_code == 302          # the other session is gone
    assert client.get("/").status_code == 200         # this one stays


def test_empty_new_password_is_refused(w, h):
    h.login("drafter@oim.example")
    with nothing_stored():
        r = h.post("/account/password", {"current": "password123", "new": "", "confirm": ""})
    assert r.status_code == 400


def test_password_guessing_on_the_change_form_is_throttled(w, h):
    h.login("drafter@oim.example")
    for _ in range(5):
        h.post("/account/password", {"current": "mauvais", "new": "nouveau-mdp", "confirm": "nouveau-mdp"})
    with nothing_stored(ignore=("login_attempt",)):                 # the password is not changed
        r = h.post("/account/password", {"current": "password123", "new": "nouveau-mdp",
                                         "confirm": "nouveau-mdp"})
    assert r.status_code == 429


# -- correctness ----------------------------------------------------------------------------------

@pytest.mark.parametrize("url, status", [
    ("/reports/100000000000000000000", 404), ("/reports/{id}/versions/100000000000000000000", 404),
    ("/reports/{id}/compare?to=100000000000000000000", 400), ("/notifications/100000000000000000000", 404),
    ("/reports/{id}/sections/outcome_x.statement/edit", 404),
    ("/reports/{id}/sections/outcome_.statement/edit", 404),
    ("/reports/{id}/sections/outcome_99.statement/edit", 404),
])
def test_odd_urls_are_4xx_not_500(w, h, client, url, status):
    h.login("drafter@oim.example")           # a drafter may edit sections: only the odd key is refused
    r = client.get(url.format(id=w.report.id))
    assert r.status_code == status, (url, r.status_code)


@pytest.mark.parametrize("query", ["?reviewer=%C2%B2", "?reviewer=99999999999", "?status=%00",
                                   "?fmt=x&report_id=3&_external=1&_anchor=x"])
def test_odd_filter_parameters_are_ignored_not_500(w, h, client, query):
    """A filter value that means nothing shows the report unfiltered (as a mistyped link should);
    parameters meant for url_for never reach it."""
    internal(w, body="Fil visible")
    h.login("reviewer@pbf.example")
    r = client.get(f"/reports/{w.report.id}{query}")
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and "Fil visible" in page
    assert "http://localhost" not in page and '#x"' not in page


def test_odd_member_removal_is_400_not_500(w, h):
    h.login("admin@example.org")
    with nothing_stored():
        r = h.post(f"/admin/reports/{w.report.id}/members", {"remove": "²"})
    assert r.status_code == 400


def test_back_parameter_with_control_characters_is_ignored(w, h):
    h.login("reviewer@pbf.example")
    r = h.post(f"/reports/{w.report.id}/threads", {"section": "human_impact", "body": "x",
                                                   "back": f"/reports/{w.report.id}\r\nX: y"})
    assert r.status_code == 302 and "\n" not in r.headers["Location"]


def test_an_upload_that_adds_an_outcome_makes_a_version_with_it(w, h, client):
    answers = dict(ANSWERS, **{"outcome_3.statement": ""})
    imports.import_docx(w.report, build(ANSWERS), "a.docx", actor=w.drafter, roles={"drafter"}, mode="version")
    s = imports.import_docx(w.report, build(answers, outcomes=3), "b.docx", actor=w.drafter, roles={"drafter"},
                            mode="version")
    db.session.commit()
    assert s.outcomes_added == 1 and s.version is not None
    h.login("drafter@oim.example")
    assert client.get(f"/reports/{w.report.id}/sections/outcome_3.progress_summary/edit").status_code == 200


def test_choice_answers_must_be_in_the_vocabulary(w, h):
    h.login("drafter@oim.example")
    url = f"/reports/{w.report.id}/sections/gender_marker/edit"
    with nothing_stored():
        assert h.post(url, {"text": "<script>", "base_version": "2"}, token_from=url).status_code == 400
    url = f"/reports/{w.report.id}/sections/priority_windows/edit"
    with nothing_stored():
        r = h.post(url, {"choice": ["gpi", "nope"], "base_version": "2"}, token_from=url)
    assert r.status_code == 400
    assert h.post(url, {"choice": ["gpi"], "base_version": "2"}, token_from=url).status_code == 302


def test_new_versions_of_a_draft_do_not_notify_reviewers(w):
    assert db.session.scalar(select(Notification).where(Notification.kind == "new_version")) is None


def test_addressed_with_a_reply_notifies_the_opener_once(w):
    t = threads.open_thread(w.report, actor=w.reviewer, roles={"reviewer"}, section_key="human_impact", body="x")
    threads.mark_addressed(t, actor=w.drafter, roles={"drafter"}, body="Fait.")
    kinds = [n.kind for n in db.session.scalars(select(Notification).where(Notification.user_id == w.reviewer.id))]
    assert kinds == ["addressed"]


def test_withdrawing_or_reopening_voids_signatures(w):
    from reviewflow.services import signoff
    transitions.act(w.report, "submit", actor=w.drafter, roles={"drafter"})
    signoff.sign(w.report, actor=w.approver, roles={"approver"}, version_number=2, override="ok")
    transitions.act(w.report, "reopen", actor=w.approver, roles={"approver"}, note="Erreur")
    s = db.session.scalar(select(SignOff))
    assert s.invalidated_at is not None


def test_lead_change_is_audited(w):
    from reviewflow.models import Event
    from reviewflow.services import accounts
    accounts.add_member(w.report, w.reviewer, "reviewer", actor=w.admin, is_lead=True)
    assert db.session.scalar(select(Event).where(Event.action == "member.updated")) is not None


def test_typed_comment_is_shown_back_when_refused(w, h):
    h.login("reviewer@pbf.example")
    with nothing_stored():
        r = h.post(f"/reports/{w.report.id}/threads", {"section": "implementation_status", "version": "1",
                                                       "start": "0", "end": "9",
                                                       "body": "Mon long commentaire"})
    assert r.status_code == 409 and "Mon long commentaire" in r.get_data(as_text=True)


def test_report_state_names_are_translated_in_messages(w, h):
    h.login("drafter@oim.example")
    with nothing_stored():
        r = h.post(f"/reports/{w.report.id}/workflow/resubmit")
    assert r.status_code == 409 and "draft" not in r.get_data(as_text=True).split("<main")[1]
