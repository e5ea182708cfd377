"""Suggesting a change in place, clicked through in a real browser: a reviewer selects words and
types a shorter sentence (shown struck / inserted, with the section's new count), inserts at a
point and deletes words with one gesture each; the drafter accepts, and version N+1 holds the new
text with the thread after it moved along."""
import pytest
from sqlalchemy import select

from reviewflow import content as C
from reviewflow.extensions import db
from reviewflow.models import Thread
from reviewflow.services import editing, threads, versions
from tests.helpers.browser import in_place, login, logout, select_words, submit

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect

KEY = "implementation_status"
LONG = "Les activités prévues au premier semestre ont été reprogrammées au dernier trimestre de l'année."
SHORT = "Les activités ont été reprogrammées."
TEXT = "Le projet est dans son troisième trimestre.\n" + LONG + "\nLes comités locaux de paix sont installés."
NNBSP = "\u202f"


@pytest.fixture
def w(world):
    editing.save_sections(world.report, {KEY: C.text_blocks(TEXT)}, actor=world.drafter, roles={"drafter"},
                          base_number=1)
    latest = versions.latest_version(world.report)
    at = TEXT.index("comités locaux")
    threads.open_thread(world.report, actor=world.reviewer, roles={"reviewer"}, section_key=KEY,
                        body="Combien de comités ?", version_number=latest.number, start=at,
                        end=at + len("comités locaux"), quote="comités locaux")
    db.session.commit()
    return world


def _count(text):
    return len(text.replace("\n", ""))


def test_reviewer_suggests_a_shorter_sentence_and_the_drafter_accepts_it(w, live_server, page):
    base, rid = live_server, w.report.id
    login(page, base, "reviewer@pbf.example")
    page.goto(f"{base}/reports/{rid}")
    select_words(page, KEY, LONG)
    page.locator("#selection-comment button.mode[data-mode=suggest]").click()
    pop = page.locator("#selection-suggest")
    expect(pop).to_be_visible()
    assert page.input_value("#sel-repl") == LONG            # typed in place, over the selected words
    page.fill("#sel-repl", SHORT)
    # shown inline: old words struck, new words inserted, and the live effect on the count
    expect(pop.locator(".se-preview del")).to_have_text(LONG)
    expect(pop.locator(".se-preview ins")).to_have_text(SHORT)
    after = _count(TEXT) - len(LONG) + len(SHORT)
    expect(pop.locator(".se-effect")).to_contain_text(f"{after} / 1{NNBSP}500")
    expect(pop.locator(".se-effect")).to_contain_text(f"(actuellement {_count(TEXT)})")
    in_place(page, pop.locator("button.primary"))
    card = page.locator("article.thread.kind-suggested_edit")
    expect(card).to_have_count(1)
    expect(card.locator(".se-diff del")).to_have_text(LONG)
    expect(card.locator(".se-diff ins")).to_have_text(SHORT)
    expect(pop).to_be_hidden()
    logout(page)

    login(page, base, "drafter@oim.example")
    page.goto(f"{base}/reports/{rid}")
    card = page.locator("article.thread.kind-suggested_edit")
    expect(card.locator(".se-effect")).to_contain_text(f"{after} / 1{NNBSP}500")
    submit(page, card.locator("form[action$='/accept'] button.primary").first)
    assert "version 3" in page.content()
    latest = versions.latest_version(w.report)
    assert latest.number == 3
    assert versions.version_contents(latest)[KEY].text == TEXT.replace(LONG, SHORT)
    comment = db.session.scalar(select(Thread).where(Thread.kind == "comment"))
    db.session.refresh(comment)
    new_text = TEXT.replace(LONG, SHORT)
    assert comment.version.number == 3 and comment.anchor_status == "exact"
    assert comment.start_offset == new_text.index("comités locaux") < TEXT.index("comités locaux")
    assert comment.quote == "comités locaux"
    expect(page.locator("mark.hl", has_text="comités locaux")).to_have_count(1)


def test_insertion_at_a_point_and_deletion_are_one_gesture_each(w, live_server, page):
    base, rid = live_server, w.report.id
    login(page, base, "reviewer@pbf.example")
    page.goto(f"{base}/reports/{rid}")
    # suggesting mode, with the keyboard: the button above the sections toggles it
    link = page.locator("button.ss")
    link.focus()
    page.keyboard.press("Enter")
    expect(link).to_have_attribute("aria-pressed", "true")
    # a click at a point: insert there
    select_words(page, KEY, "troisième trimestre", point_after=True)
    pop = page.locator("#selection-suggest")
    expect(pop.locator("#sug-title")).to_have_text("Insérer à cet endroit")
    page.keyboard.type(" de mise en œuvre")               # the focus is in the box
    expect(pop.locator(".se-preview ins")).to_have_text(" de mise en œuvre")
    in_place(page, pop.locator("button.primary"))
    # a selection and one click: delete these words
    select_words(page, KEY, " sont installés")
    expect(pop).to_be_visible()                               # suggesting mode: straight to the proposal
    in_place(page, pop.locator("button.delete-words"))
    edits = db.session.scalars(select(Thread).where(Thread.kind == "suggested_edit").order_by(Thread.id)).all()
    assert [(t.quote, t.replacement) for t in edits] == [("", " de mise en œuvre"), (" sont installés", "")]
    assert edits[0].start_offset == TEXT.index("troisième trimestre") + len("troisième trimestre")
    expect(page.locator("article.thread.kind-suggested_edit")).to_have_count(2)
