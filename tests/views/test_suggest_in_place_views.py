"""Suggesting a change from the report page: the in-place answer (htmx) of the selection popover,
and the form that needs no JavaScript (``?suggest=KEY``: the words typed as the section reads
them, found once), with its refusals storing nothing."""
import html

import pytest
from sqlalchemy import select

from reviewflow import content as C
from reviewflow.extensions import db
from reviewflow.models import Thread
from reviewflow.services import editing
from tests.helpers.db import nothing_stored

KEY = "implementation_status"
TEXT = "Le projet connaît des retards. Pas de retard ailleurs. Le projet avance."
HX = {"HX-Request": "true"}


@pytest.fixture
def w(world):
    editing.save_sections(world.report, {KEY: C.text_blocks(TEXT)}, actor=world.drafter, roles={"drafter"},
                          base_number=1)
    db.session.commit()
    return world


def edits():
    return [(t.start_offset, t.end_offset, t.quote, t.replacement)
            for t in db.session.scalars(select(Thread).where(Thread.kind == "suggested_edit").order_by(Thread.id))]


def post(h, w, data, **kw):
    base = {"section": KEY, "version": "2", "back": f"/reports/{w.report.id}"}
    return h.post(f"/reports/{w.report.id}/suggestions", {**base, **data}, token_from=f"/reports/{w.report.id}", **kw)


def test_reviewers_get_the_popover_and_the_link_to_the_plain_form(w, h, client):
    h.login("reviewer@pbf.example")
    body = html.unescape(client.get(f"/reports/{w.report.id}").get_data(as_text=True))
    assert 'id="selection-suggest"' in body and "Proposer une modification" in body
    assert "Mode suggestion" in body
    commenting = html.unescape(client.get(f"/reports/{w.report.id}?comment={KEY}").get_data(as_text=True))
    assert f'href="?suggest={KEY}#s-{KEY}"' in commenting          # no JavaScript: from the comment form
    assert f'data-count="{len(TEXT)}" data-limit="1500"' in body
    plain = html.unescape(client.get(f"/reports/{w.report.id}?suggest={KEY}").get_data(as_text=True))
    assert 'class="new-suggestion"' in plain and "Mots à changer, tels que la section les écrit" in plain
    h.post("/logout")
    h.login("drafter@oim.example")
    drafter = client.get(f"/reports/{w.report.id}?suggest={KEY}").get_data(as_text=True)
    assert 'id="selection-suggest"' not in drafter and 'class="new-suggestion"' not in drafter


def test_the_popover_answer_puts_the_card_in_place_with_its_effect(w, h, client):
    h.login("reviewer@pbf.example")
    at = TEXT.index("Pas de retard ailleurs.")
    r = post(h, w, {"start": at, "end": at + 23, "quote": "Pas de retard ailleurs.", "replacement": "Rien ailleurs."},
             headers=HX)
    assert r.status_code == 200
    body = html.unescape(r.get_data(as_text=True))
    assert f'hx-swap-oob="beforeend:#th-{KEY}"' in body
    assert "<del" in body and "Pas de retard ailleurs." in body and "Rien ailleurs." in body
    assert f"L'accepter porte la section à {len(TEXT) - 9} / 1\u202f500" in body
    assert edits() == [(at, at + 23, "Pas de retard ailleurs.", "Rien ailleurs.")]


def test_a_deletion_is_one_button(w, h, client):
    h.login("reviewer@pbf.example")
    at = TEXT.index(" ailleurs")
    r = post(h, w, {"start": at, "end": at + 9, "quote": " ailleurs", "replacement": " ailleurs", "delete": "1"},
             headers=HX)
    assert r.status_code == 200
    assert edits() == [(at, at + 9, " ailleurs", "")]


def test_without_javascript_the_words_are_found_once_and_replaced_or_followed(w, h, client):
    h.login("reviewer@pbf.example")
    r = post(h, w, {"quote": "des retards", "replacement": "du retard", "body": "Singulier."})
    assert r.status_code == 302
    at = TEXT.index("des retards")
    assert edits() == [(at, at + 11, "des retards", "du retard")]
    r = post(h, w, {"quote": "Pas de retard ailleurs.", "at": "after", "replacement": " Sauf à Bria."})
    assert r.status_code == 302
    end = TEXT.index("Pas de retard ailleurs.") + 23
    assert edits()[-1] == (end, end, "", " Sauf à Bria.")
    page = html.unescape(client.get(f"/reports/{w.report.id}").get_data(as_text=True))
    assert "Modification proposée enregistrée" in page


@pytest.mark.parametrize("quote, said", [
    ("Le projet", "plusieurs fois"),                       # twice in the text
    ("des délais", "ne sont pas dans la section"),
    ("   ", "Tapez (ou collez) les mots à changer"),
])
def test_without_javascript_words_not_found_once_are_refused_and_nothing_stored(w, h, client, quote, said):
    h.login("reviewer@pbf.example")
    h.csrf(f"/reports/{w.report.id}")
    with nothing_stored(ignore=("login_attempt",)):
        r = post(h, w, {"quote": quote, "replacement": "Autre chose"}, headers={"Accept": "application/json"})
    assert r.status_code == 400
    assert said in r.get_json()["message"]
