"""Re-anchoring on a new version, as the service does it: certainty kept, point comments
followed, threads searched for in the whole version before they are orphaned."""
import pytest
from sqlalchemy import select

from reviewflow import content as C
from reviewflow.extensions import db
from reviewflow.models import Event
from reviewflow.services import editing, threads

A = "implementation_status"
B = "human_impact"
OLD = ("Le comité a validé le budget. Au niveau national, le bureau a mobilisé les jeunes. "
       "Au niveau national, le gouvernement a élargi la lutte contre les violences.")
# the first sentence after the budget is deleted: which "Au niveau national" went?
NEW = ("Le comité a validé le budget. "
       "Au niveau national, le gouvernement a élargi la lutte contre les violences.")


def save(w, changes, base):
    return editing.save_sections(w.report, {k: C.text_blocks(v) for k, v in changes.items()},
                                 actor=w.drafter, roles={"drafter"}, base_number=base)


def open_on(w, key, text, quote, nth=0):
    start = -1
    for _ in range(nth + 1):
        start = text.index(quote, start + 1)
    return threads.open_thread(w.report, actor=w.reviewer, roles={"reviewer"}, section_key=key, body="Préciser",
                               start=start, end=start + len(quote), quote=quote)


@pytest.fixture
def weak(world):
    """A thread that needs confirmation on version 3."""
    save(world, {A: OLD, B: "Les ménages ont repris leurs activités."}, 1)
    t = open_on(world, A, OLD, "Au niveau")
    save(world, {A: NEW}, 2)
    db.session.commit()
    assert t.anchor_status == "needs_confirmation" and t.version.number == 3
    return world, t


def test_needs_confirmation_survives_a_save_of_another_section(weak):
    w, t = weak
    score = t.anchor_score
    v4 = save(w, {B: "Les ménages ont repris leurs activités agricoles."}, 3)
    db.session.commit()
    assert t.version_id == v4.id
    assert t.anchor_status == "needs_confirmation"       # nobody confirmed: still a proposal
    assert t.anchor_score == score and t.quote == "Au niveau"
    assert [a.status for a in t.anchors] == ["exact", "needs_confirmation", "needs_confirmation"]


def test_needs_confirmation_survives_an_edit_elsewhere_in_its_own_section(weak):
    w, t = weak
    start = t.start_offset
    save(w, {A: "Introduction. " + NEW}, 3)
    db.session.commit()
    assert t.anchor_status == "needs_confirmation"
    assert t.start_offset == start + len("Introduction. ") and t.quote == "Au niveau"   # the proposal follows


def test_a_confirmed_placement_then_follows_edits_as_certain(weak):
    w, t = weak
    threads.confirm(t, actor=w.reviewer, roles={"reviewer"})
    save(w, {B: "Autre texte."}, 3)
    db.session.commit()
    assert t.anchor_status == "exact"


def test_a_reattached_thread_is_certain_again(weak):
    w, t = weak
    start = NEW.index("Au niveau")
    threads.reattach(t, actor=w.reviewer, roles={"reviewer"}, start=start, end=start + 9, quote="Au niveau")
    save(w, {B: "Autre texte."}, 3)
    db.session.commit()
    assert t.anchor_status == "exact"


# ------------------------------------------------------------------ point comments

def test_a_point_comment_follows_the_edits_around_it(world):
    from reviewflow.anchoring import make_anchor
    from reviewflow.models import Section
    from reviewflow.services.versions import latest_version
    text = "Le projet a renforcé la cohésion sociale. Les comités locaux se réunissent chaque mois."
    save(world, {A: text}, 1)
    at = text.index("Les comités")
    section = db.session.scalar(select(Section).where(Section.report_id == world.report.id, Section.key == A))
    t = threads.create_thread(world.report, latest_version(world.report), section, make_anchor(text, at, at),
                              status="section", body="Ici, un mot sur le budget ?", author_name="Claire (Word)")
    db.session.commit()
    save(world, {A: "Depuis 2023, " + text[0].lower() + text[1:]}, 2)
    db.session.commit()
    new = "Depuis 2023, " + text[0].lower() + text[1:]
    assert t.version.number == 3 and t.anchor_status == "section"
    assert t.start_offset == t.end_offset == new.index("Les comités")       # moved with the text
    assert t.suffix.startswith("Les comités") and t.anchors[-1].start_offset == t.start_offset
    # a whole-section comment (no context) stays a whole-section comment at 0
    whole = threads.open_thread(world.report, actor=world.reviewer, roles={"reviewer"}, section_key=A, body="Global")
    save(world, {A: "Intro. " + new}, 3)
    db.session.commit()
    assert (whole.anchor_status, whole.start_offset, whole.end_offset) == ("section", 0, 0)
    assert t.start_offset == len("Intro. ") + new.index("Les comités")


# ------------------------------------------------------------------ words that left their section

INTRO = "Le présent rapport couvre la période de janvier à juin 2024 dans les deux pays."
OUTRO = "Les perspectives pour le prochain semestre sont présentées dans la section suivante."
PARA = ("Dans les communes frontalières, le réseau des jeunes médiateurs a organisé douze "
        "dialogues intercommunautaires sur l’accès à la terre, avec l’appui des chefs traditionnels.")
OTHER = "Les femmes leaders ont participé aux comités de gestion des conflits fonciers dans trois régions."


def test_a_thread_whose_paragraph_moved_to_another_section_follows_it(world):
    from reviewflow.models import Section
    save(world, {A: INTRO + "\n" + PARA + "\n" + OUTRO, B: OTHER}, 1)
    t = open_on(world, A, INTRO + "\n" + PARA + "\n" + OUTRO, "douze dialogues intercommunautaires")
    db.session.commit()
    v3 = save(world, {A: INTRO + "\n" + OUTRO, B: OTHER + "\n" + PARA}, 2)
    db.session.commit()
    new_b = OTHER + "\n" + PARA
    assert t.version_id == v3.id and t.anchor_status == "moved"
    assert db.session.get(Section, t.section_id).key == B
    assert new_b[t.start_offset:t.end_offset] == "douze dialogues intercommunautaires"
    assert [db.session.get(Section, a.section_id).key for a in t.anchors] == [A, B]
    ev = db.session.scalars(select(Event).where(Event.action == "thread.moved_section")).one()
    assert ev.details["from"] == A and ev.details["to"] == B and ev.details["version"] == 3


def test_a_thread_whose_words_are_gone_everywhere_is_orphaned_in_its_section(world):
    from reviewflow.models import Section
    save(world, {A: INTRO + "\n" + PARA + "\n" + OUTRO, B: OTHER}, 1)
    t = open_on(world, A, INTRO + "\n" + PARA + "\n" + OUTRO, "douze dialogues intercommunautaires")
    # the other section gains a sentence with the same few words, in another sentence: no evidence
    save(world, {A: INTRO + "\n" + OUTRO, B: OTHER + " Un comité a suivi les douze dialogues intercommunautaires."}, 2)
    db.session.commit()
    assert t.anchor_status == "orphaned" and db.session.get(Section, t.section_id).key == A
    assert t.quote == "douze dialogues intercommunautaires"
    assert not db.session.scalars(select(Event).where(Event.action == "thread.moved_section")).all()


def test_a_proposal_whose_words_moved_to_another_section_is_still_a_proposal_there(weak):
    from reviewflow.models import Section
    w, t = weak
    # the proposed words ("Au niveau" of the surviving sentence) leave for the other section
    moved = "Au niveau national, le gouvernement a élargi la lutte contre les violences."
    save(w, {A: "Le comité a validé le budget.", B: "Les ménages ont repris leurs activités.\n" + moved}, 3)
    db.session.commit()
    assert t.anchor_status == "needs_confirmation"         # found there, but not made certain
    assert db.session.get(Section, t.section_id).key == B and t.quote == "Au niveau"
