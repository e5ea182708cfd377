"""The review workspace through its web views."""
import html
import re

import pytest
from sqlalchemy import select

from reviewflow import content as C
from reviewflow.extensions import db
from reviewflow.models import Notification, Thread, User
from reviewflow.services import editing
from tests.helpers.db import nothing_stored

TEXT = "Le projet connaît des retards. Pas de retard ailleurs."


@pytest.fixture
def w(world):
    editing.save_sections(world.report, {"implementation_status": C.text_blocks(TEXT)}, actor=world.drafter,
                          roles={"drafter"}, base_number=1)
    db.session.commit()
    return world


def comment_on(h, w, words, body="Justifier", **extra):
    start = TEXT.index(words)
    data = {"section": "implementation_status", "version": "2", "start": str(start),
            "end": str(start + len(words)), "quote": words, "body": body, **extra}
    return h.post(f"/reports/{w.report.id}/threads", data)


def test_reviewer_comments_on_selected_words_and_sees_the_highlight(w, h, client):
    h.login("reviewer@pbf.example")
    r = comment_on(h, w, "Pas de retard", severity="blocking")
    assert r.status_code == 302
    page = client.get(f"/reports/{w.report.id}").get_data(as_text=True)
    t = db.session.scalar(select(Thread))
    assert f'<mark class="hl" data-threads="{t.id}">Pas de retard</mark>' in page
    assert "Bloquant" in page and "1 bloquant<" in page and "(s)" not in page


def test_wrong_quote_is_refused_with_409_and_nothing_stored(w, h, client):
    h.login("reviewer@pbf.example")
    r = comment_on(h, w, "Pas de retard", quote="Pas de retards")
    assert r.status_code == 409
    assert "ne correspond pas" in html.unescape(r.get_data(as_text=True))
    assert db.session.scalar(select(Thread)) is None


def test_bad_numbers_are_a_400_not_a_500(w, h):
    h.login("reviewer@pbf.example")
    with nothing_stored():
        r = h.post(f"/reports/{w.report.id}/threads", {"section": "implementation_status", "start": "abc",
                                                       "end": "3", "body": "x"})
    assert r.status_code == 400


def test_outsider_cannot_see_or_act_on_threads(w, h, client):
    h.login("reviewer@pbf.example")
    comment_on(h, w, "Pas de retard")
    t = db.session.scalar(select(Thread))
    h.post("/logout")
    h.login("outsider@other.example")
    with nothing_stored():
        assert comment_on(h, w, "Pas de retard").status_code == 404
        for action in ("reply", "resolve", "address", "reopen", "severity"):
            assert h.post(f"/reports/{w.report.id}/threads/{t.id}/{action}", {"body": "x"}).status_code == 404
    assert client.get(f"/reports/{w.report.id}/dashboard").status_code == 404


def test_drafter_replies_and_marks_addressed_reviewer_resolves(w, h, client):
    h.login("reviewer@pbf.example")
    comment_on(h, w, "Pas de retard")
    t = db.session.scalar(select(Thread))
    h.post("/logout")
    h.login("drafter@oim.example")
    assert h.post(f"/reports/{w.report.id}/threads/{t.id}/reply", {"body": "Voir version 3"}).status_code == 302
    assert h.post(f"/reports/{w.report.id}/threads/{t.id}/address", {"version": "2"}).status_code == 302
    with nothing_stored():                                           # only its opener resolves it
        assert h.post(f"/reports/{w.report.id}/threads/{t.id}/resolve", {}).status_code == 403
    h.post("/logout")
    h.login("reviewer@pbf.example")
    page = client.get(f"/reports/{w.report.id}?status=addressed").get_data(as_text=True)
    assert "traité dans la version 2" in page
    assert h.post(f"/reports/{w.report.id}/threads/{t.id}/resolve", {"note": "Merci"}).status_code == 302
    db.session.refresh(t)
    assert t.status == "resolved"
    default = client.get(f"/reports/{w.report.id}").get_data(as_text=True)
    assert f'id="t-{t.id}"' not in default                          # resolved threads leave the default view
    resolved = client.get(f"/reports/{w.report.id}?status=resolved").get_data(as_text=True)
    assert f'id="t-{t.id}"' in resolved and "Merci" in resolved


def test_reply_on_resolved_thread_asks_then_reopens(w, h, client):
    h.login("reviewer@pbf.example")
    comment_on(h, w, "Pas de retard")
    t = db.session.scalar(select(Thread))
    h.post(f"/reports/{w.report.id}/threads/{t.id}/resolve", {})
    h.post("/logout")
    h.login("drafter@oim.example")
    with nothing_stored():                                           # a question first, nothing saved yet
        r = h.post(f"/reports/{w.report.id}/threads/{t.id}/reply", {"body": "Une dernière chose"})
    assert r.status_code == 409
    page = r.get_data(as_text=True)
    assert "Une dernière chose" in page and "Le rouvrir avec ma réponse" in page
    r = h.post(f"/reports/{w.report.id}/threads/{t.id}/reply", {"body": "Une dernière chose", "reopen": "1"})
    assert r.status_code == 302
    db.session.refresh(t)
    assert t.status == "open" and len(t.comments) == 2


def test_filters_mine_reviewer_section_blocking(w, h, client):
    h.login("reviewer@pbf.example")
    comment_on(h, w, "Pas de retard", body="Premier", severity="blocking")
    h.post(f"/reports/{w.report.id}/threads", {"section": "human_impact", "body": "Deuxième"})
    h.post("/logout")
    h.login("reviewer2@pbf.example")
    comment_on(h, w, "Le projet", body="Troisième")
    ids = {t.comments[0].body: t.id for t in db.session.scalars(select(Thread))}

    def shown(query):
        page = client.get(f"/reports/{w.report.id}{query}").get_data(as_text=True)
        return {body for body, tid in ids.items() if f'id="t-{tid}"' in page}
    assert shown("") == {"Premier", "Deuxième", "Troisième"}
    assert shown("?blocking=1") == {"Premier"}
    assert shown("?mine=1") == {"Troisième"}
    reviewer = db.session.scalar(select(User).where(User.email == "reviewer@pbf.example"))
    assert shown(f"?reviewer={reviewer.id}") == {"Premier", "Deuxième"}
    assert shown("?section=human_impact") == {"Deuxième"}


def test_counts_per_section_in_the_table_of_contents(w, h, client):
    h.login("reviewer@pbf.example")
    comment_on(h, w, "Pas de retard")
    comment_on(h, w, "Le projet")
    page = client.get(f"/reports/{w.report.id}").get_data(as_text=True)
    toc = page[page.index('class="toc"'):page.index('class="sections"')]
    assert re.search(r'href="#s-implementation_status"[^>]*>[^<]+</a>\s*<span class="badge count"[^>]*>2</span>', toc)


def test_dashboard_shows_whose_turn(w, h, client):
    h.login("reviewer@pbf.example")
    comment_on(h, w, "Pas de retard")
    comment_on(h, w, "Le projet")
    t = db.session.scalars(select(Thread).order_by(Thread.id)).first()
    h.post("/logout")
    h.login("drafter@oim.example")
    h.post(f"/reports/{w.report.id}/threads/{t.id}/reply", {"body": "Réponse"})
    page = client.get(f"/reports/{w.report.id}/dashboard").get_data(as_text=True)
    assert "1 en attente des rédacteurs" in page and "1 en attente des relecteurs" in page
    assert "Claire Reviewer" in page


def test_dashboard_lists_the_longest_waiting_threads_and_counts_them_all(w, h, client):
    from datetime import timedelta

    from reviewflow.services import threads as thread_service
    from reviewflow.timeutil import utcnow
    start = utcnow() - timedelta(days=30)
    for i in range(105):
        thread_service.open_thread(w.report, actor=w.reviewer, roles={"reviewer"}, section_key="implementation_status",
                                   body=f"Remarque numéro {i}", now=start + timedelta(hours=i))
    db.session.commit()
    h.login("reviewer@pbf.example")
    page = client.get(f"/reports/{w.report.id}/dashboard").get_data(as_text=True)
    assert "105 fils restants" in page and "105 en attente des rédacteurs" in page
    assert page.count('class="badge turn-drafter"') == 100
    assert "Remarque numéro 0" in page and "Remarque numéro 104" not in page        # the oldest first
    assert "5 autres fils attendent depuis moins longtemps" in page


def test_inbox_lists_and_marks_read(w, h, client):
    h.login("reviewer@pbf.example")
    comment_on(h, w, "Pas de retard", body="@Awa Drafter merci")
    h.post("/logout")
    h.login("drafter@oim.example")
    page = client.get("/inbox").get_data(as_text=True)
    assert "Claire Reviewer vous a mentionné·e" in page
    n = db.session.scalar(select(Notification).where(Notification.kind == "mention"))
    r = client.get(f"/notifications/{n.id}")
    assert r.status_code == 302 and f"#t-{n.thread_id}" in r.headers["Location"]
    db.session.refresh(n)
    assert n.read_at is not None
    h.post("/logout")
    h.login("reviewer2@pbf.example")
    assert client.get(f"/notifications/{n.id}").status_code == 404      # not yours


def test_mail_goes_out_after_commit_in_the_readers_language(w, h, client, app):
    drafter = db.session.scalar(select(User).where(User.email == "drafter@oim.example"))
    drafter.language = "en"
    db.session.commit()
    app.extensions["mail_outbox"] = []
    h.login("reviewer@pbf.example")
    comment_on(h, w, "Pas de retard")
    mails = app.extensions["mail_outbox"]
    to_drafter = [m for m in mails if m.to == "drafter@oim.example"]
    assert to_drafter and "commented on" in to_drafter[0].subject
    to_drafter2 = [m for m in mails if m.to == "drafter2@oim.example"]
    assert to_drafter2 and "a commenté" in to_drafter2[0].subject
    before = len(mails)
    comment_on(h, w, "Pas de retard", quote="faux")                      # refused: rolled back, no mail
    assert len(app.extensions["mail_outbox"]) == before


@pytest.mark.parametrize("payload", ['<script>alert("x")</script>', '<img src=x onerror=alert(1)>',
                                     'javascript:alert(1)', '"><svg onload=alert(1)>'])
def test_script_injection_in_comments_names_and_text_is_escaped(w, h, client, payload):
    user = db.session.scalar(select(User).where(User.email == "reviewer@pbf.example"))
    user.name = "Claire " + payload
    db.session.commit()
    editing.save_sections(w.report, {"human_impact": C.text_blocks("Texte " + payload)}, actor=w.drafter,
                          roles={"drafter"}, base_number=2)
    db.session.commit()
    h.login("reviewer@pbf.example")
    h.post(f"/reports/{w.report.id}/threads", {"section": "human_impact", "body": "Voir " + payload +
                                                " https://example.org/x?a=1&b=2"})
    for url in (f"/reports/{w.report.id}", f"/reports/{w.report.id}/dashboard"):
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in page and "<img src=x" not in page and "<svg onload" not in page
        assert 'href="javascript:' not in page
    page = client.get(f"/reports/{w.report.id}").get_data(as_text=True)
    assert '<a href="https://example.org/x?a=1&amp;b=2" rel="nofollow noopener noreferrer">' in page
