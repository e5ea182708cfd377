"""Report workflow (pure): states, actions, the transition table and who may act.

    draft --submit--> submitted --start_review--> in_review --request_changes--> changes_requested
    changes_requested --resubmit--> resubmitted --start_review--> in_review ...
    (all sign-offs given) --approve--> approved --reopen (approver, reason)--> in_review
    any open state --withdraw--> withdrawn --restore--> draft
"""
from __future__ import annotations

from dataclasses import dataclass

STATES = ("draft", "submitted", "in_review", "changes_requested", "resubmitted", "approved", "withdrawn")

# States in which drafters may add versions.  Approved and withdrawn reports are frozen.
EDITABLE_STATES = frozenset({"draft", "submitted", "in_review", "changes_requested", "resubmitted"})
# States in which reviewers are expected to work (the report "is with the reviewers").
REVIEW_STATES = frozenset({"submitted", "in_review", "resubmitted"})


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset
    target: str
    roles: frozenset          # roles on the report that may act ("system" = done by the service)
    note_required: bool = False


TRANSITIONS = (
    Transition("submit", frozenset({"draft"}), "submitted", frozenset({"drafter"})),
    Transition("start_review", frozenset({"submitted", "resubmitted"}), "in_review",
               frozenset({"reviewer", "approver"})),
    Transition("request_changes", frozenset({"submitted", "in_review", "resubmitted"}), "changes_requested",
               frozenset({"reviewer", "approver"}), note_required=True),
    Transition("resubmit", frozenset({"changes_requested"}), "resubmitted", frozenset({"drafter"})),
    Transition("approve", frozenset({"submitted", "in_review", "resubmitted"}), "approved", frozenset({"system"})),
    Transition("reopen", frozenset({"approved"}), "in_review", frozenset({"approver"}), note_required=True),
    Transition("withdraw", frozenset({"draft", "submitted", "in_review", "changes_requested", "resubmitted"}),
               "withdrawn", frozenset({"drafter"}), note_required=True),
    Transition("restore", frozenset({"withdrawn"}), "draft", frozenset({"drafter"})),
)
BY_ACTION = {t.action: t for t in TRANSITIONS}
ACTIONS = tuple(BY_ACTION)


def N_(message):
    """Marks a message for translation (translated where it is shown)."""
    return message


class WorkflowError(Exception):
    """A transition that is not allowed; ``code`` says why, ``message`` % ``details`` in English."""

    def __init__(self, code: str, message: str, **details):
        super().__init__(message % details if details else message)
        self.code = code
        self.message = message
        self.details = details


def transition(state: str, action: str, roles, *, note: str = "", is_admin: bool = False) -> str:
    """The state after ``action``, or WorkflowError (unknown, wrong state, not allowed, note missing)."""
    t = BY_ACTION.get(action)
    if t is None:
        raise WorkflowError("unknown_action", N_("Unknown action %(action)s."), action=action)
    if state not in t.sources:
        raise WorkflowError("wrong_state",
                            N_("This action (%(action)s) is not possible while the report is %(state)s."),
                            action=action, state=state)
    if not (set(roles) & t.roles) and not (is_admin and "system" not in t.roles):
        raise WorkflowError("forbidden", N_("Your role on this report does not allow this action (%(action)s)."),
                            action=action)
    if t.note_required and not (note or "").strip():
        raise WorkflowError("note_required", N_("This action (%(action)s) needs a note saying why."), action=action)
    return t.target


def available_actions(state: str, roles, *, is_admin: bool = False) -> list[str]:
    """Actions a user with these roles may take now (system actions excluded)."""
    roles = set(roles)
    out = []
    for t in TRANSITIONS:
        if state in t.sources and "system" not in t.roles and (roles & t.roles or is_admin):
            out.append(t.action)
    return out


def can_edit(state: str) -> bool:
    return state in EDITABLE_STATES
