"""Version diffs, changes since my last review, and the conflict page's diff."""
import html

from reviewflow import content as C
from reviewflow.extensions import db
from reviewflow.services import editing, threads
from tests.helpers.db import nothing_stored


def save(w, key, text, base, who=None):
    v = editing.save_sections(w.report, {key: C.text_blocks(text)}, actor=who or w.drafter, roles={"drafter"},
                              base_number=base)
    db.session.commit()
    return v


def test_compare_two_versions_word_by_word_with_counts(world, h, client):
    old, new = "Le projet a formé 45 participants <b>à Bouar</b>.", \
        "Le projet a formé 62 participants <b>à Bouar</b> et Berberati."
    save(world, "implementation_status", old, 1)
    save(world, "implementation_status", new, 2)
    h.login("reviewer@pbf.example")
    page = client.get(f"/reports/{world.report.id}/compare?from=2&to=3").get_data(as_text=True)
    assert "<del>45</del><ins>62</ins>" in page.replace("\n", "")
    assert "&lt;b&gt;à Bouar&lt;/b&gt;" in page and "<b>à Bouar</b>" not in page     # escaped, never raw HTML
    assert f"{len(old)} → {len(new)} caractères" in html.unescape(page)
    assert "Impact humain" not in page                                              # unchanged sections left out
    assert client.get(f"/reports/{world.report.id}/compare?from=2&to=2").status_code == 400
    assert client.get(f"/reports/{world.report.id}/compare?from=2&to=9").status_code == 404


def test_changes_since_my_last_review(world, h, client):
    save(world, "implementation_status", "Texte initial.", 1)
    threads.open_thread(world.report, actor=world.reviewer, roles={"reviewer"}, section_key="implementation_status",
                        body="Préciser")
    db.session.commit()
    save(world, "implementation_status", "Texte précisé.", 2)
    h.login("reviewer@pbf.example")
    page = html.unescape(client.get(f"/reports/{world.report.id}").get_data(as_text=True))
    assert "Modifications depuis votre dernière relecture (version 2)" in page
    assert "from=2&amp;to=3" in client.get(f"/reports/{world.report.id}").get_data(as_text=True)


def test_conflict_page_shows_the_diff_from_their_text_to_mine(world, h, client):
    save(world, "human_impact", "Une victime assistée à Bangui.", 1, who=world.drafter2)
    h.login("drafter@oim.example")
    url = f"/reports/{world.report.id}/sections/human_impact/edit"
    with nothing_stored():                                           # their text stays, mine is shown back
        r = h.post(url, {"text": "Deux victimes assistées à Bangui.", "base_version": "1"}, token_from=url)
    assert r.status_code == 409
    page = r.get_data(as_text=True).replace("\n", "")
    assert "<ins>Deux victimes assistées</ins>" in page or "<ins>Deux</ins>" in page
