"""Suggested edits through the web views: the card in the thread column (old words struck, new
words inserted, the effect on the count), the drafters' accept / reject / edit forms as plain
POST forms, batch decisions, refusals that store nothing, and the sign-off page, the matrix and
the filters."""
import csv
import html
import io
import re

import pytest
from sqlalchemy import select

from reviewflow import content as C
from reviewflow.extensions import db
from reviewflow.models import Thread, Version
from reviewflow.services import editing, suggestions, threads, versions
from tests.helpers.db import nothing_stored

KEY = "implementation_status"
TEXT = "Le projet connaît des retards. Pas de retard ailleurs."


@pytest.fixture
def w(world):
    editing.save_sections(world.report, {KEY: C.text_blocks(TEXT)}, actor=world.drafter, roles={"drafter"},
                          base_number=1)
    db.session.commit()
    return world


def suggest(w, quote, new, who=None):
    at = TEXT.index(quote)
    s = suggestions.suggest(w.report, actor=who or w.reviewer, roles={"reviewer"}, section_key=KEY, start=at,
                            end=at + len(quote), quote=quote, replacement=new)
    db.session.commit()
    return s


def page(client, w, query=""):
    return html.unescape(client.get(f"/reports/{w.report.id}{query}").get_data(as_text=True))


def card(text: str, sid: int) -> str:
    m = re.search(rf'<div class="suggested-edit [^"]*" data-suggestion="{sid}">(.*?)\n</div>', text, re.S)
    assert m, f"no card for suggested edit {sid}"
    return m.group(1)


def test_the_card_shows_old_and_new_words_and_the_drafter_gets_plain_forms(w, h, client):
    s = suggest(w, "des retards", "du retard")
    h.login("drafter@oim.example")
    body = card(page(client, w), s.id)
    assert "<del" in body and "des retards" in body and "<ins" in body and "du retard" in body
    assert "Modification proposée\u202f: ouverte" in body
    assert f"L'accepter porte la section à {len(TEXT) - 2} / 1" in body      # 52 / 1 500
    assert f'action="/reports/{w.report.id}/suggestions/{s.id}/accept"' in body
    assert f'action="/reports/{w.report.id}/suggestions/{s.id}/reject"' in body
    assert 'name="csrf_token"' in body
    # a suggested edit is not resolved or marked as addressed
    article = page(client, w).split(f'id="t-{s.id}"', 1)[1].split("</article>", 1)[0]
    assert "/address" not in article and "/resolve" not in article


def test_the_inbox_says_what_happened(w, h, client):
    s = suggest(w, "des retards", "du retard")
    h.login("drafter@oim.example")
    inbox = html.unescape(client.get("/inbox").get_data(as_text=True))
    assert "Claire Reviewer a proposé une modification" in inbox
    h.post(f"/reports/{w.report.id}/suggestions/{s.id}/reject", {})
    h.post("/logout")
    h.login("reviewer@pbf.example")
    inbox = html.unescape(client.get("/inbox").get_data(as_text=True))
    assert "Awa Drafter a statué sur vos modifications proposées\u202f: 1 refusée" in inbox


def test_reviewers_see_the_card_without_the_decision_forms(w, h, client):
    s = suggest(w, "des retards", "du retard")
    h.login("reviewer2@pbf.example")
    body = card(page(client, w), s.id)
    assert "du retard" in body and "/accept" not in body and "/reject" not in body


def test_accept_through_the_form_makes_the_next_version(w, h, client):
    s = suggest(w, "des retards", "du retard")
    h.login("drafter@oim.example")
    r = h.post(f"/reports/{w.report.id}/suggestions/{s.id}/accept", {"back": f"/reports/{w.report.id}"})
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/reports/{w.report.id}#t-{s.id}")
    latest = versions.latest_version(w.report)
    assert latest.number == 3 and versions.version_contents(latest)[KEY].text == TEXT.replace("des retards",
                                                                                              "du retard")
    text = page(client, w)
    assert "1 modification proposée acceptée\u202f: version 3 créée." in text
    assert "Modification proposée\u202f: acceptée" in page(client, w, "?status=all")


def test_edit_then_accept_and_reject_with_a_reason(w, h, client):
    a = suggest(w, "des retards", "du retard")
    b = suggest(w, "Pas de retard", "Aucun retard")
    h.login("drafter@oim.example")
    h.post(f"/reports/{w.report.id}/suggestions/{a.id}/accept", {"replacement": "quelques retards", "note": "Nuance"})
    h.post(f"/reports/{w.report.id}/suggestions/{b.id}/reject", {"note": "Le texte dit autre chose"})
    db.session.expire_all()
    a, b = db.session.get(Thread, a.id), db.session.get(Thread, b.id)
    assert (a.decision, a.replacement, a.original_replacement) == ("accepted", "quelques retards", "du retard")
    assert (b.decision, b.resolution_note) == ("rejected", "Le texte dit autre chose")
    everything = page(client, w, "?status=all")
    assert "Le relecteur proposait\u202f:" in card(everything, a.id) and "Le texte dit autre chose" in card(everything,
                                                                                                       b.id)


def test_only_drafters_decide_and_refusals_store_nothing(w, h, client):
    s = suggest(w, "des retards", "du retard")
    h.login("reviewer@pbf.example")
    with nothing_stored():
        r = h.post(f"/reports/{w.report.id}/suggestions/{s.id}/accept", {})
        assert r.status_code == 403
        r = h.post(f"/reports/{w.report.id}/suggestions/{s.id}/reject", {})
        assert r.status_code == 403
        r = h.post(f"/reports/{w.report.id}/suggestions/{s.id}/bogus", {})
        assert r.status_code == 404
    h.post("/logout")
    h.login("approver@onudc.example")
    with nothing_stored():
        assert h.post(f"/reports/{w.report.id}/suggestions/{s.id}/accept", {}).status_code == 403
        assert h.post(f"/reports/{w.report.id}/suggestions", {"section": KEY, "start": "0", "end": "2",
                                                              "quote": "Le", "replacement": "Ce"}).status_code == 403


def test_a_reviewer_suggests_through_the_form_and_bad_input_is_a_clear_4xx(w, h, client):
    h.login("reviewer@pbf.example")
    at = TEXT.index("Pas de")
    with nothing_stored():
        r = h.post(f"/reports/{w.report.id}/suggestions", {"section": KEY, "version": "2", "start": str(at),
                                                           "end": str(at + 6), "quote": "Pas du", "replacement": "X"})
        assert r.status_code == 409 and "Pas de" in html.unescape(r.get_data(as_text=True))
        r = h.post(f"/reports/{w.report.id}/suggestions", {"section": KEY, "version": "2", "start": str(at),
                                                           "end": str(at + 6), "quote": "Pas de",
                                                           "replacement": "Pas de"})
        assert r.status_code == 400 and "identique" in html.unescape(r.get_data(as_text=True))
        r = h.post(f"/reports/{w.report.id}/suggestions", {"section": KEY, "start": "x", "end": "2"})
        assert r.status_code == 400
    r = h.post(f"/reports/{w.report.id}/suggestions", {"section": KEY, "version": "2", "start": str(at),
                                                       "end": str(at + 6), "quote": "Pas de", "replacement": "Aucun",
                                                       "body": "Plus net"})
    assert r.status_code == 302
    s = db.session.scalar(select(Thread).where(Thread.kind == "suggested_edit"))
    assert (s.quote, s.replacement, s.comments[0].body) == ("Pas de", "Aucun", "Plus net")


def test_suggest_on_a_comment_threads_words_without_javascript(w, h, client):
    t = threads.open_thread(w.report, actor=w.reviewer2, roles={"reviewer"}, section_key=KEY, body="Lourd",
                            start=TEXT.index("des retards"), end=TEXT.index("des retards") + 11, quote="des retards")
    db.session.commit()
    h.login("reviewer@pbf.example")
    text = page(client, w)
    article = text.split(f'id="t-{t.id}"', 1)[1].split("</article>", 1)[0]
    assert f'name="thread" value="{t.id}"' in article and "Proposer une modification de ces mots" in article
    r = h.post(f"/reports/{w.report.id}/suggestions", {"section": KEY, "thread": str(t.id), "version": "2",
                                                       "replacement": "du retard"})
    assert r.status_code == 302
    s = db.session.scalar(select(Thread).where(Thread.kind == "suggested_edit"))
    assert (s.quote, s.replacement) == ("des retards", "du retard")


def test_batch_accept_of_a_section_is_one_version(w, h, client):
    suggest(w, "des retards", "du retard")
    suggest(w, "Pas de retard", "Aucun retard", who=w.reviewer2)
    h.login("drafter@oim.example")
    text = page(client, w)
    assert "2 modifications proposées" in text and f'action="/reports/{w.report.id}/suggestions/decide"' in text
    r = h.post(f"/reports/{w.report.id}/suggestions/decide", {"decision": "accept", "section": KEY})
    assert r.status_code == 302
    assert db.session.scalar(select(Version).order_by(Version.number.desc())).number == 3
    assert versions.version_contents(versions.latest_version(w.report))[KEY].text == \
        "Le projet connaît du retard. Aucun retard ailleurs."


def test_signoff_matrix_and_filters_show_suggestions(w, h, client):
    s = suggest(w, "des retards", "du retard")
    threads.open_thread(w.report, actor=w.reviewer, roles={"reviewer"}, section_key=KEY, body="Commentaire seul")
    db.session.commit()
    h.login("approver@onudc.example")
    signoff = html.unescape(client.get(f"/reports/{w.report.id}/signoff").get_data(as_text=True))
    assert "1 modification proposée est encore ouverte" in signoff and "ne bloquent pas" in signoff
    filtered = page(client, w, "?kind=suggested_edit")
    assert f'id="t-{s.id}"' in filtered and "Commentaire seul" not in filtered
    rows = list(csv.reader(io.StringIO(client.get(f"/reports/{w.report.id}/matrix.csv").get_data(as_text=True)
                                       .lstrip("\ufeff"))))
    header = rows[0]
    edit = next(r for r in rows[1:] if r[header.index("Texte commenté")] == "des retards")
    assert edit[header.index("Texte proposé")] == "du retard"
    assert edit[header.index("Statut")] == "Modification proposée : ouverte"
