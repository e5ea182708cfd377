"""The core review loop, clicked through in a real browser."""
import re

import pytest
from sqlalchemy import select

from reviewflow import content as C
from reviewflow.extensions import db
from reviewflow.models import Thread
from reviewflow.services import editing
from tests.helpers.browser import in_place, login, logout, select_words

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect

TEXT = ("Le projet est dans son troisième trimestre.\n"
        "Pas de retard dans la mise en place des comités locaux de paix.\n"
        "Les activités ont été reprogrammées au dernier trimestre.")


@pytest.fixture
def w(world):
    editing.save_sections(world.report, {"implementation_status": C.text_blocks(TEXT)}, actor=world.drafter,
                          roles={"drafter"}, base_number=1)
    db.session.commit()
    return world


def test_comment_reply_address_revise_and_resolve(w, live_server, page):
    base, rid = live_server, w.report.id
    # 1. The reviewer selects words and comments; the thread appears beside them.
    login(page, base, "reviewer@pbf.example")
    page.goto(f"{base}/reports/{rid}")
    select_words(page, "implementation_status", "Pas de retard")
    page.fill("#sel-body", "Justifier : quels comités, quand ?")
    page.select_option("#sel-sev", "blocking")
    in_place(page, page.locator("#selection-comment button.primary"))
    mark = page.locator("mark.hl", has_text="Pas de retard")
    assert mark.count() == 1
    thread = page.locator("article.thread").first
    assert "Justifier : quels comités, quand ?" in thread.inner_text()
    assert "1 bloquant" in page.locator(".filters").inner_text()
    # clicking the highlight focuses its thread
    mark.click()
    assert page.evaluate("document.activeElement.classList.contains('thread')")
    logout(page)

    # 2. The drafter replies, marks it addressed, and saves a new version of the section.
    login(page, base, "drafter@oim.example")
    page.goto(f"{base}/reports/{rid}")
    t = page.locator("article.thread").first
    t.locator("summary", has_text="Répondre").click()
    t.locator("textarea[id^=reply]").fill("Les 6 comités restants seront installés fin novembre.")
    in_place(page, t.locator("form[action$='/reply'] button.primary"))
    t = page.locator("article.thread").first
    reply = t.locator(".comment", has_text="Les 6 comités restants seront installés fin novembre.")
    expect(reply).to_be_visible()
    t.locator("summary", has_text="Marquer comme traité").click()
    in_place(page, t.locator("form[action$='/address'] button.primary"))
    expect(page.locator("article.thread").first.locator(".badge.status")).to_have_text("Traité")
    page.goto(f"{base}/reports/{rid}/sections/implementation_status/edit")
    text = page.input_value("#text")
    page.fill("#text", "Introduction ajoutée en version 3.\n" + text.replace(
        "comités locaux de paix", "comités locaux de paix (6 restants d'ici fin novembre)"))
    counter = page.locator(".live-count").inner_text()
    assert "caractères" in counter
    page.click("button.primary")
    page.wait_for_url(re.compile(rf".*/reports/{rid}.*"))
    assert "Enregistré comme version 3" in page.content()
    logout(page)

    # 3. The reviewer finds the thread on the new text, checks it, and resolves it.
    login(page, base, "reviewer@pbf.example")
    page.goto(f"{base}/reports/{rid}")
    assert "Version 3 sur 3" in page.content()
    assert page.locator("mark.hl", has_text="Pas de retard").count() == 1
    page.goto(f"{base}/reports/{rid}?status=addressed")
    t = page.locator("article.thread").first
    assert "traité dans la version" in t.inner_text()
    t.locator("summary", has_text="Résoudre").click()
    t.locator("input[name=note]").fill("Précision apportée, merci.")
    in_place(page, t.locator("form[action$='/resolve'] button.primary"))
    page.goto(f"{base}/reports/{rid}")
    summary = page.locator(".filters .summary").inner_text()
    assert "0 ouvert" in summary and "1 résolu" in summary and "(s)" not in summary
    assert page.locator("article.thread").count() == 0            # nothing left in the default view
    assert page.locator("mark.hl").count() == 0
    page.goto(f"{base}/reports/{rid}?status=resolved")
    assert "Précision apportée, merci." in page.locator("article.thread").first.inner_text()
    thread_row = db.session.scalar(select(Thread))
    db.session.refresh(thread_row)
    assert thread_row.status == "resolved" and thread_row.version.number == 3


def test_keyboard_moves_between_open_threads_and_section_comment(w, live_server, page):
    base, rid = live_server, w.report.id
    login(page, base, "reviewer@pbf.example")
    page.goto(f"{base}/reports/{rid}")
    for words in ("Pas de retard", "Les activités"):
        select_words(page, "implementation_status", words)
        page.fill("#sel-body", "Commentaire sur " + words)
        in_place(page, page.locator("#selection-comment button.primary"))
        expect(page.locator("article.thread", has_text="Commentaire sur " + words)).to_be_visible()
    # a section-level comment, with the keyboard only
    sec = page.locator("#s-human_impact")
    sec.locator("a.sc").focus()
    page.keyboard.press("Enter")
    page.locator("#sel-body").fill("Ajouter une citation directe.")
    in_place(page, page.locator("#selection-comment button.primary"))
    expect(page.locator("article.thread")).to_have_count(3)
    page.locator("body").click(position={"x": 5, "y": 300})
    page.keyboard.press("n")
    first = page.evaluate("document.activeElement.id")
    page.keyboard.press("n")
    second = page.evaluate("document.activeElement.id")
    page.keyboard.press("n")
    third = page.evaluate("document.activeElement.id")
    assert len({first, second, third}) == 3 and all(x.startswith("t-") for x in (first, second, third))
    page.keyboard.press("p")
    assert page.evaluate("document.activeElement.id") == second
