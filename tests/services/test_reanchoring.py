"""Re-anchoring on a new version, as the service does it: certainty kept, point comments
followed, threads searched for in the whole version before they are orphaned."""
import pytest
from sqlalchemy import select

from reviewflow import content as C
from reviewflow.extensions import db
from reviewflow.models import Event, Thread
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
