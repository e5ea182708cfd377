"""The review workspace's server side: in-place answers (htmx) and their full-page twins, the
thread cards of a long review, undo, the editor's "addressed in this version", one emptiness
rule, words instead of codes."""
import html as htmllib
import io
import re
from datetime import timedelta

import docx
import pytest
from sqlalchemy import select

from reviewflow import content as C
from reviewflow.extensions import db
from reviewflow.models import Event, Thread
from reviewflow.services import editing, exports, findings, signoff, threads, transitions
from reviewflow.services.versions import latest_version
from tests.helpers.db import nothing_stored

TEXT = "Le projet connaît des retards. Pas de retard ailleurs."
HX = {"HX-Request": "true"}


@pytest.fixture
def w(world):
    editing.save_sections(world.report, {"implementation_status": C.text_blocks(TEXT)}, actor=world.drafter,
                          roles={"drafter"}, base_number=1)
    db.session.commit()
    return world


def comment(h, w, words="Pas de retard", body="Justifier", headers=None):
    start = TEXT.index(words)
    return h.post(f"/reports/{w.report.id}/threads", {
        "section": "implementation_status", "version": "2", "start": str(start), "end": str(start + len(words)),
        "quote": words, "body": body}, headers=headers or {})


def test_an_in_place_comment_answers_with_the_fragments_it_changed(w, h):
    h.login("reviewer@pbf.example")
    r = comment(h, w, headers=HX)
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    t = db.session.scalar(select(Thread))
    assert 'hx-swap-oob="beforeend:#th-implementation_status"' in html and f'id="t-{t.id}"' in html
    assert f'<mark class="hl" data-threads="{t.id}">Pas de retard</mark>' in html     # the section's text again
    assert 'id="thread-counts" hx-swap-oob="true"' in html and "1 ouvert" in html
    assert 'id="tc-implementation_status"' in html and f'id="pi-{t.id}"' in html
    assert "<html" not in html and "<nav" not in html                          # a fragment, not a page


def test_without_javascript_the_same_form_answers_with_the_page(w, h):
    h.login("reviewer@pbf.example")
    r = comment(h, w)
    assert r.status_code == 302 and r.headers["Location"].endswith("#t-1")


def test_an_in_place_refusal_is_a_short_message_and_stores_nothing(w, h):
    h.login("reviewer@pbf.example")
    with nothing_stored():
        r = comment(h, w, body="   \n  ", headers=HX)
    assert r.status_code == 400
    assert re.fullmatch(r'<p class="refusal" data-code="[a-z_]+">[^<]+</p>\s*', r.get_data(as_text=True))
    assert "vide" in r.get_data(as_text=True)
    with nothing_stored():
        r = comment(h, w, body="x" * 12_000, headers=HX)
    assert r.status_code == 400 and "10000" in r.get_data(as_text=True).replace("\u202f", "").replace(" ", "")


def test_resolve_answers_with_a_folded_card_and_undo_puts_it_back_as_it_was(w, h):
    h.login("reviewer@pbf.example")
    comment(h, w)
    t = db.session.scalar(select(Thread))
    threads.mark_addressed(t, actor=w.drafter, roles={"drafter"}, version_number=2)
    db.session.commit()
    r = h.post(f"/reports/{w.report.id}/threads/{t.id}/resolve", {"note": "Merci"}, headers=HX)
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "just-resolved" in html and "collapsed" in html and "/undo" in html
    assert "mark" not in html.split('id="st-implementation_status"')[1].split("</div>")[0]  # highlight gone
    r = h.post(f"/reports/{w.report.id}/threads/{t.id}/undo", {}, headers=HX)
    assert r.status_code == 200
    db.session.refresh(t)
    assert t.status == "addressed" and t.addressed_in == 2 and t.resolved_at is None and t.resolution_note == ""
    actions = list(db.session.scalars(select(Event.action).where(Event.object_id == t.id,
                                                                 Event.object_type == "thread")))
    assert "thread.resolved" in actions and "thread.resolve_undone" in actions     # both kept in the trail


def test_only_the_resolver_may_undo_and_only_soon(w, h):
    h.login("reviewer@pbf.example")
    comment(h, w)
    t = db.session.scalar(select(Thread))
    threads.resolve(t, actor=w.reviewer, roles={"reviewer"})
    db.session.commit()
    h.client.post("/logout", data={"csrf_token": h.csrf("/")})
    h.login("reviewer2@pbf.example")
    with nothing_stored():
        r = h.post(f"/reports/{w.report.id}/threads/{t.id}/undo", {}, headers=HX)
    assert r.status_code == 403 and "Seule la personne qui a résolu" in r.get_data(as_text=True)
    t.resolved_at = t.resolved_at - timedelta(seconds=threads.UNDO_SECONDS + 1)
    db.session.commit()
    with pytest.raises(Exception, match="too late"):
        threads.undo_resolve(t, actor=w.reviewer, roles={"reviewer"})
    db.session.rollback()


def test_thread_cards_come_for_the_ids_asked_and_never_for_hidden_ones(w, h, client):
    h.login("reviewer@pbf.example")
    comment(h, w)
    mine = db.session.scalar(select(Thread))
    threads.open_thread(w.report, actor=w.reviewer, roles={"reviewer"}, section_key="human_impact", body="Interne",
                        internal_org_id=w.reviewer.organisation_id)
    db.session.commit()
    hidden = db.session.scalar(select(Thread).where(Thread.visibility_org_id.is_not(None)))
    html = client.get(f"/reports/{w.report.id}/versions/2/cards?ids={mine.id},{hidden.id},abc,99999").get_data(
        as_text=True)
    assert f'id="t-{mine.id}"' in html and f'id="t-{hidden.id}"' in html        # same organisation
    h.client.post("/logout", data={"csrf_token": h.csrf("/")})
    h.login("drafter@oim.example")
    html = client.get(f"/reports/{w.report.id}/versions/2/cards?ids={mine.id},{hidden.id}").get_data(as_text=True)
    assert f'id="t-{mine.id}"' in html and f'id="t-{hidden.id}"' not in html and "Interne" not in html
    h.client.post("/logout", data={"csrf_token": h.csrf("/")})
    h.login("outsider@other.example")
    assert client.get(f"/reports/{w.report.id}/versions/2/cards?ids={mine.id}").status_code == 404


def test_a_long_review_sends_its_cards_later_and_lists_every_thread_in_the_pane(w, h, client):
    for i in range(45):
        threads.open_thread(w.report, actor=w.reviewer, roles={"reviewer"}, section_key="implementation_status",
                            body=f"Remarque {i}")
    db.session.commit()
    h.login("reviewer@pbf.example")
    html = client.get(f"/reports/{w.report.id}").get_data(as_text=True)
    assert html.count('<li id="pi-') == 45 and "<article" not in html
    assert 'class="threads lazy"' in html and "/versions/2/cards?section=implementation_status" in html
    one = client.get(f"/reports/{w.report.id}?t=7").get_data(as_text=True)   # a pane line, without JavaScript
    assert 'id="t-7"' in one and one.count("<article") == 45                 # its section, cards in the page


def test_a_long_column_comes_fifty_cards_at_a_time_with_and_without_javascript(w, h, client):
    for i in range(120):
        threads.open_thread(w.report, actor=w.reviewer, roles={"reviewer"}, section_key="implementation_status",
                            body=f"Remarque {i}")
    db.session.commit()
    ids = [t.id for t in db.session.scalars(select(Thread).order_by(Thread.id))]
    h.login("reviewer@pbf.example")
    base = f"/reports/{w.report.id}/versions/2/cards?section=implementation_status"
    first = client.get(base).get_data(as_text=True)
    assert first.count("<article") == 50 and f'id="t-{ids[0]}"' in first and f'id="t-{ids[50]}"' not in first
    assert "start=50" in first and 'class="more-cards lazy"' in first       # the next ones when scrolled to
    last = client.get(base + "&start=100").get_data(as_text=True)
    assert last.count("<article") == 20 and f'id="t-{ids[119]}"' in last and "more-cards" not in last
    # without JavaScript: a pane line opens the page of cards holding its thread, with a link onwards
    page = client.get(f"/reports/{w.report.id}?t={ids[75]}").get_data(as_text=True)
    assert page.count("<article") == 50 and f'id="t-{ids[75]}"' in page and f'id="t-{ids[0]}"' not in page
    assert page.count('<li id="pi-') == 120 and "start=100" in page
    # filters carry over to the next cards: resolved threads are not in the default view
    assert client.get(base + "&status=resolved").get_data(as_text=True).count("<article") == 0


def test_filters_answer_in_place_with_the_pane_and_the_columns(w, h, client):
    h.login("reviewer@pbf.example")
    comment(h, w)
    html = client.get(f"/reports/{w.report.id}?status=resolved", headers=HX).get_data(as_text=True)
    assert 'id="pane-list" hx-swap-oob="true"' in html and 'hx-swap-oob="outerHTML:#th-implementation_status"' in html
    assert "<article" not in html and "<html" not in html


def test_the_editor_marks_threads_addressed_in_the_version_it_saves(w, h, client):
    h.login("reviewer@pbf.example")
    comment(h, w)
    comment(h, w, words="Le projet", body="Autre")
    first, second = db.session.scalars(select(Thread).order_by(Thread.id)).all()
    h.client.post("/logout", data={"csrf_token": h.csrf("/")})
    h.login("drafter@oim.example")
    url = f"/reports/{w.report.id}/sections/implementation_status/edit"
    page = client.get(url).get_data(as_text=True)
    assert 'class="edit-threads"' in page and "Justifier" in page and f'value="{first.id}"' in page
    r = h.post(url, {"text": TEXT + " Précisé.", "base_version": "2", "addressed": [str(first.id)]}, token_from=url)
    assert r.status_code == 302
    db.session.refresh(first)
    db.session.refresh(second)
    assert first.status == "addressed" and first.addressed_in == 3 and second.status == "open"
    # nothing changed: no version, nothing marked
    r = h.post(url, {"text": TEXT + " Précisé.", "base_version": "3", "addressed": [str(second.id)]}, token_from=url,
               follow_redirects=True)
    db.session.refresh(second)
    assert second.status == "open" and "Aucun fil n'a été marqué" in htmllib.unescape(r.get_data(as_text=True))


def test_one_emptiness_rule_a_table_turned_into_paragraphs_is_filled(w):
    """An import that turned the recipients' table into paragraphs: the report shows them, so the
    checks and the sign-off page must not call the section empty."""
    editing.save_sections(w.report, {"recipient_orgs": C.text_blocks("RUNO OIM RCA\nRUNO OIM Cameroun"),
                                     "budget_by_recipient": C.text_blocks("OIM RCA 1 200 000 $")},
                          actor=w.drafter, roles={"drafter"}, base_number=2, source="upload")
    db.session.commit()
    version = latest_version(w.report)
    empty = findings.required_empty(w.report, version)
    assert "recipient_orgs" not in empty and "budget_by_recipient" not in empty
    checks_empty = {f.section for f in findings.findings_for(w.report, version) if f.code == "required_empty"}
    assert set(empty) <= checks_empty
    req = next(r for r in signoff.requirements(w.report, version) if r.code == "required_sections")
    assert req.items == empty


def test_compare_shows_option_labels_not_codes(w, h, client):
    editing.save_sections(w.report, {"report_type": [C.paragraph("final")]}, actor=w.drafter, roles={"drafter"},
                          base_number=2)
    db.session.commit()
    h.login("reviewer@pbf.example")
    page = client.get(f"/reports/{w.report.id}/compare?from=2&to=3").get_data(as_text=True)
    diff = page[page.index('class="diff"'):]
    assert "Final" in diff and "Annuel" in diff and ">annual<" not in diff and ">final<" not in diff


def test_the_override_is_shown_on_the_report_page_and_in_the_generated_export(w, h, client):
    transitions.act(w.report, "submit", actor=w.drafter, roles={"drafter"})
    db.session.commit()
    h.login("approver@onudc.example")
    r = h.post(f"/reports/{w.report.id}/signoff", {"version": "2", "decision": "approve",
                                                   "override": "Accepté par le PBSO."})
    assert r.status_code == 302
    page = client.get(f"/reports/{w.report.id}").get_data(as_text=True)
    assert 'id="override"' in page and "Approuvé avec dérogation" in page and "Accepté par le PBSO." in page
    after = client.get(f"/reports/{w.report.id}/signoff").get_data(as_text=True)
    assert "doit être soumis pour revue" not in after and "Le rapport est approuvé" in after
    assert w.report.project.title and "content_hash" not in after and "Empreinte" not in after
    data, _name, _kind = exports.export_docx(w.report, viewer=w.approver, options=exports.ExportOptions(
        kind="generated", lang="fr"))
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs[:8])
    assert "Approuvé avec dérogation par Marie Approver" in text and "Rapport annuel 2024" in text
    assert "annual" not in text


def test_edit_reply_severity_address_and_reopen_answer_in_place_too(w, h):
    h.login("reviewer@pbf.example")
    comment(h, w)
    t = db.session.scalar(select(Thread))
    c = t.comments[0]
    r = h.post(f"/reports/{w.report.id}/comments/{c.id}/edit", {"body": "Justifier, svp"}, headers=HX)
    assert r.status_code == 200 and "Justifier, svp" in r.get_data(as_text=True)
    assert f'id="pi-{t.id}" class="o" hx-swap-oob="true"' in r.get_data(as_text=True)   # its pane line too
    r = h.post(f"/reports/{w.report.id}/threads/{t.id}/severity", {"severity": "blocking"}, headers=HX)
    assert r.status_code == 200 and "1 bloquant" in r.get_data(as_text=True)
    r = h.post(f"/reports/{w.report.id}/threads/{t.id}/resolve", {}, headers=HX)
    r = h.post(f"/reports/{w.report.id}/threads/{t.id}/reopen", {}, headers=HX)
    assert r.status_code == 200 and "status-open" in r.get_data(as_text=True)
    h.client.post("/logout", data={"csrf_token": h.csrf("/")})
    h.login("drafter@oim.example")
    r = h.post(f"/reports/{w.report.id}/threads/{t.id}/reply", {"body": "Précisé."}, headers=HX)
    assert r.status_code == 200 and "Réponse ajoutée." in r.get_data(as_text=True)
    r = h.post(f"/reports/{w.report.id}/threads/{t.id}/address", {"version": "2"}, headers=HX)
    assert r.status_code == 200 and "traité dans la version 2" in r.get_data(as_text=True)
    db.session.refresh(t)
    assert t.status == "addressed" and t.severity == "blocking" and len(t.comments) == 2


def test_without_javascript_a_section_comment_form_comes_with_the_page(w, h, client):
    h.login("reviewer@pbf.example")
    page = client.get(f"/reports/{w.report.id}?comment=human_impact").get_data(as_text=True)
    form = page[page.index('<div class="new-thread">'):]
    form = form[:form.index("</form>")]
    assert 'name="section" value="human_impact"' in form and 'action="/reports/1/threads"' in form
    assert page.count('<div class="new-thread">') == 1                # only that section's


def test_the_report_page_marks_the_sections_the_sign_off_page_calls_empty(w, h, client):
    h.login("reviewer@pbf.example")
    page = client.get(f"/reports/{w.report.id}").get_data(as_text=True)
    empty = findings.required_empty(w.report, latest_version(w.report))
    assert empty
    for key in empty:
        head = page[page.index(f'id="s-{key.replace(".", "-")}"'):]
        head = head[:head.index("</header>")]
        assert "obligatoire, vide" in head
    assert page.count("obligatoire, vide") == len(empty)
