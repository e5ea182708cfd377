"""Permission rules as pure predicates (no Flask, no database).

They take plain values: the set of roles the user holds on the report, the admin flag, ids.
Views load those values and ask; services ask again before they act.
"""
from __future__ import annotations

from .workflow import EDITABLE_STATES

ROLES = ("drafter", "reviewer", "approver")


def can_view_report(roles, is_admin=False) -> bool:
    """Members see their reports; admins see every report.  Anyone else gets a 404."""
    return bool(roles) or is_admin


def can_edit_sections(roles, state, is_admin=False) -> bool:
    return "drafter" in set(roles) and state in EDITABLE_STATES


def can_upload_version(roles, state) -> bool:
    return "drafter" in set(roles) and state in EDITABLE_STATES


def can_comment(roles) -> bool:
    """Every member takes part in discussions; drafters answer and may leave notes."""
    return bool(set(roles) & set(ROLES))


def can_mark_blocking(roles) -> bool:
    return bool(set(roles) & {"reviewer", "approver"})


def can_resolve(user_id, roles, thread_creator_id, *, is_lead=False, same_org_as_creator=False) -> bool:
    """The reviewer who opened the thread, or a reviewer lead of the same organisation.
    Threads imported from Word (no reviewflow author) may be resolved by any reviewer or approver."""
    roles = set(roles)
    if not roles & {"reviewer", "approver"}:
        return False
    if thread_creator_id is None:
        return True
    return user_id == thread_creator_id or (is_lead and same_org_as_creator)


def can_mark_addressed(roles) -> bool:
    return "drafter" in set(roles)


def can_see_thread(user_org_id, visibility_org_id, is_admin=False) -> bool:
    """Shared threads (no organisation) are seen by every member; internal ones by that organisation."""
    return visibility_org_id is None or visibility_org_id == user_org_id or is_admin


def can_sign(roles) -> bool:
    return "approver" in set(roles)


def can_manage(is_admin) -> bool:
    """User, organisation and membership administration."""
    return bool(is_admin)


def can_create_report(is_admin, user_org_id) -> bool:
    """Admins and users who belong to an organisation may start a project and report."""
    return bool(is_admin) or user_org_id is not None


# Suggested edits (a thread of kind "suggested_edit", not the severity "suggestion" of a comment).

def can_suggest_edit(roles, state) -> bool:
    """Reviewers propose edits while the report can still change (drafters edit the text
    themselves; approvers sign, they do not edit)."""
    return "reviewer" in set(roles) and state in EDITABLE_STATES


def can_decide_suggested_edit(roles, state) -> bool:
    """Drafters accept (which makes the next version), reject, or edit a proposal before
    accepting it, while they may still edit the report."""
    return "drafter" in set(roles) and state in EDITABLE_STATES
