import pytest

from reviewflow import permissions as P
from reviewflow import workflow as W


def test_happy_path_through_review_to_approval():
    s = W.transition("draft", "submit", {"drafter"})
    s = W.transition(s, "start_review", {"reviewer"})
    s = W.transition(s, "request_changes", {"reviewer"}, note="Compléter la partie IV")
    s = W.transition(s, "resubmit", {"drafter"})
    s = W.transition(s, "start_review", {"reviewer"})
    s = W.transition(s, "approve", {"system"})
    assert s == "approved"
    assert W.transition(s, "reopen", {"approver"}, note="Erreur de chiffres") == "in_review"


@pytest.mark.parametrize("state, action, roles, note, code", [
    ("draft", "submit", {"reviewer"}, "", "forbidden"),
    ("draft", "start_review", {"reviewer"}, "", "wrong_state"),
    ("in_review", "request_changes", {"reviewer"}, "  ", "note_required"),
    ("approved", "reopen", {"reviewer"}, "x", "forbidden"),
    ("approved", "reopen", {"approver"}, "", "note_required"),
    ("in_review", "approve", {"approver"}, "", "forbidden"),   # only the sign-off service approves
    ("draft", "fly", {"drafter"}, "", "unknown_action"),
])
def test_refused_transitions_say_why(state, action, roles, note, code):
    with pytest.raises(W.WorkflowError) as err:
        W.transition(state, action, roles, note=note)
    assert err.value.code == code


def test_available_actions_depend_on_role_and_state():
    assert W.available_actions("draft", {"drafter"}) == ["submit", "withdraw"]
    assert W.available_actions("draft", {"reviewer"}) == []
    assert "request_changes" in W.available_actions("in_review", {"reviewer"})
    assert W.available_actions("approved", {"approver"}) == ["reopen"]


def test_permissions_by_role():
    assert P.can_view_report({"reviewer"}) and not P.can_view_report(set())
    assert P.can_view_report(set(), is_admin=True)
    assert P.can_edit_sections({"drafter"}, "in_review")
    assert not P.can_edit_sections({"drafter"}, "approved")
    assert not P.can_edit_sections({"reviewer"}, "draft")
    assert P.can_mark_blocking({"reviewer"}) and not P.can_mark_blocking({"drafter"})
    assert P.can_resolve(7, {"reviewer"}, 7)
    assert not P.can_resolve(8, {"reviewer"}, 7)
    assert P.can_resolve(8, {"reviewer"}, 7, is_lead=True, same_org_as_creator=True)
    assert not P.can_resolve(8, {"reviewer"}, 7, is_lead=True, same_org_as_creator=False)
    assert not P.can_resolve(7, {"drafter"}, 7)
    assert P.can_see_thread(3, None) and P.can_see_thread(3, 3) and not P.can_see_thread(4, 3)
    assert P.can_sign({"approver"}) and not P.can_sign({"reviewer"})
