"""Every free-text field has a server-side length limit: a longer text is refused with the
limit (HTTP 400, what was typed shown back), never stored and never cut."""
import html

import pytest

from reviewflow.extensions import db
from reviewflow.services import threads, transitions
from tests.helpers.db import nothing_stored


@pytest.fixture
def in_review(world):
    transitions.act(world.report, "submit", actor=world.drafter, roles={"drafter"})
    transitions.act(world.report, "start_review", actor=world.reviewer, roles={"reviewer"})
    db.session.commit()
    return world


def test_a_request_changes_note_of_100000_characters_is_refused(in_review, h):
    w = in_review
    h.login("reviewer@pbf.example")
    with nothing_stored():
        r = h.post(f"/reports/{w.report.id}/workflow/request_changes", {"note": "x" * 100_000})
    assert r.status_code == 400
    page = html.unescape(r.get_data(as_text=True))
    assert "Ce texte est trop long" in page and "4000" in page.replace("\u202f", "").replace(" ", "")
    assert h.post(f"/reports/{w.report.id}/workflow/request_changes", {"note": "x" * 4000}).status_code == 302


def test_a_resolution_note_over_its_limit_is_refused_not_cut(world, h):
    t = threads.open_thread(world.report, actor=world.reviewer, roles={"reviewer"},
                            section_key="implementation_status", body="Justifier")
    db.session.commit()
    h.login("reviewer@pbf.example")
    with nothing_stored():
        r = h.post(f"/reports/{world.report.id}/threads/{t.id}/resolve", {"note": "y" * 2001})
    assert r.status_code == 400 and "trop long" in html.unescape(r.get_data(as_text=True))
    assert h.post(f"/reports/{world.report.id}/threads/{t.id}/resolve", {"note": "y" * 2000}).status_code == 302
    db.session.expire_all()
    assert len(db.session.get(type(t), t.id).resolution_note) == 2000
