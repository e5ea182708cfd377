"""Sign-off: requirements, signatures on a specific version, overrides, approval (what voids a
signature is in signoff_invalidation)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from .. import permissions as P
from .. import workflow
from ..extensions import db
from ..models import Membership, Report, SignOff, Thread, User, Version
from ..models.thread import SUGGESTED_EDIT
from ..report_templates import load_template
from ..timeutil import utcnow
from . import audit, findings, notify, webhooks
from .errors import N_, NOTE_MAX, Conflict, Forbidden, Invalid, bounded
from .signoff_invalidation import active_signoffs
from .transitions import act
from .types import Roles
from .versions import latest_version, lock

SIGNABLE_STATES = workflow.REVIEW_STATES


@dataclass
class Requirement:
    code: str             # blocking_threads | error_findings | required_sections | open_suggested_edits
    met: bool
    count: int
    items: list[Any]      # what fails: threads, findings, section keys
    blocks: bool = True   # False: counted and shown, but never refuses sign-off (a template option)
    hidden: bool = False  # some of what fails is internal to another organisation: not counted here


def requirements(report: Report, version: Version, viewer: User | None = None) -> list[Requirement]:
    """The sign-off requirements for one version, each met or not.  With a ``viewer``, threads
    internal to another organisation still decide whether a requirement is met, but are neither
    counted nor listed (``hidden`` says that some exist, without a number)."""
    blocking = list(db.session.scalars(select(Thread).where(
        Thread.report_id == report.id, Thread.severity == "blocking", Thread.status != "resolved")))
    errors = [f for f in findings.findings_for(report, version) if f.severity == "error"]
    empty = findings.required_empty(report, version)
    # Suggested edits still open: the template says whether they block ("signoff":
    # {"open_suggestions_block": true}); by default they are counted, not blocking.
    edits = list(db.session.scalars(select(Thread).where(
        Thread.report_id == report.id, Thread.kind == SUGGESTED_EDIT, Thread.decision.is_(None))))
    edits_block = bool(load_template(report.template_id).signoff.get("open_suggestions_block", False))
    if viewer is not None:
        def seen(threads: list[Thread]) -> list[Thread]:
            return [t for t in threads if P.can_see_thread(viewer.organisation_id, t.visibility_org_id,
                                                           viewer.is_admin)]
        shown_blocking, shown_edits = seen(blocking), seen(edits)
        return [Requirement("blocking_threads", not blocking, len(shown_blocking), shown_blocking,
                            hidden=len(shown_blocking) != len(blocking)),
                Requirement("error_findings", not errors, len(errors), errors),
                Requirement("required_sections", not empty, len(empty), empty),
                Requirement("open_suggested_edits", not (edits and edits_block), len(shown_edits), shown_edits,
                            edits_block, hidden=len(shown_edits) != len(edits))]
    return [Requirement("blocking_threads", not blocking, len(blocking), blocking),
            Requirement("error_findings", not errors, len(errors), errors),
            Requirement("required_sections", not empty, len(empty), empty),
            Requirement("open_suggested_edits", not (edits and edits_block), len(edits), edits, edits_block)]


def approvers(report: Report) -> list[User]:
    return list(db.session.scalars(select(User).join(Membership, Membership.user_id == User.id).where(
        Membership.report_id == report.id, Membership.role == "approver").order_by(User.name)))


def history(report: Report) -> list[SignOff]:
    return list(db.session.scalars(select(SignOff).where(SignOff.report_id == report.id)
                                   .order_by(SignOff.created_at.desc(), SignOff.id.desc())))


def sign(report: Report, *, actor: User, roles: Roles, version_number: int | None, decision: str = "approve",
         note: str = "", override: str = "", now: datetime | None = None) -> SignOff:
    """An approver signs (or rejects) one specific version.

    Refused while a requirement fails, unless ``override`` gives a written justification (recorded
    and shown).  A rejection needs a note and sends the report back (changes requested).  When
    every approver of the report has approved the latest version, the report is approved.
    """
    now = now or utcnow()
    lock(report)     # two approvers signing at once see each other's signature
    if not P.can_sign(roles):
        raise Forbidden(N_("Only the report's approvers can sign it off."))
    if report.state not in SIGNABLE_STATES:
        raise Conflict(N_("The report is %(state)s: it must be submitted for review before sign-off."),
                       state=report.state.replace("_", " "))
    latest = latest_version(report)
    if version_number is None or int(version_number) != latest.number:
        raise Conflict(N_("Version %(latest)s is now the latest: review it before signing."), latest=latest.number)
    if decision not in ("approve", "reject"):
        raise Invalid(N_("The decision must be approve or reject."))
    note, override = bounded(note, NOTE_MAX), bounded(override, NOTE_MAX)
    if decision == "reject":
        if not note:
            raise Invalid(N_("Say why you reject this version."))
    else:
        failing = [r for r in requirements(report, latest) if not r.met]
        if failing and not override:
            raise Conflict(N_("Sign-off is refused: the requirements marked ✗ on the sign-off page are not met. "
                              "Fix them, or sign with a written justification (an override)."),
                           failing=len(failing))
        if not failing:
            override = ""
    for previous in db.session.scalars(select(SignOff).where(SignOff.report_id == report.id,
                                                             SignOff.approver_id == actor.id,
                                                             SignOff.invalidated_at.is_(None))):
        previous.invalidated_at, previous.invalidated_reason = now, json.dumps({"superseded": True})
    db.session.flush()   # before the new signature: one valid decision per approver (unique index)
    s = SignOff(report_id=report.id, version_id=latest.id, approver_id=actor.id, decision=decision, note=note,
                content_hash=latest.content_hash, override_justification=override, created_at=now)
    db.session.add(s)
    db.session.flush()
    audit.record("signoff." + decision, actor=actor, report=report, obj=s,
                 details={"version": latest.number, "hash": latest.content_hash, "note": note,
                          "override": override}, now=now)
    if decision == "reject":
        act(report, "request_changes", actor=actor, roles=roles, note=note, now=now)
    elif all_signed(report, latest):
        before = report.state
        report.state = workflow.transition(report.state, "approve", {"system"})
        audit.record("report.approve", report=report, obj=report,
                     details={"from": before, "to": report.state, "version": latest.number,
                              "approvers": [a.email for a in approvers(report)]}, now=now)
        notify.report_state_changed(report, "approve", actor=actor, now=now)
    webhooks.signed(report, decision, latest.number, actor, now=now)
    return s


def all_signed(report: Report, version: Version) -> bool:
    needed = {u.id for u in approvers(report)}
    signed = {s.approver_id for s in active_signoffs(report) if s.version_id == version.id and s.decision == "approve"}
    return bool(needed) and needed <= signed


def signed_version_state(report: Report) -> tuple[list[tuple[User, SignOff | None]], Version]:
    """For the report page: who signed which version, and who is still expected."""
    latest = latest_version(report)
    active = active_signoffs(report)
    by_user = {s.approver_id: s for s in active}
    return [(u, by_user.get(u.id)) for u in approvers(report)], latest


def overrides_in_force(report: Report) -> list[SignOff]:
    """Valid approvals given with an override (who signed while requirements failed, and why):
    the report page and the exports show them."""
    return [s for s in active_signoffs(report) if s.decision == "approve" and s.override_justification]


def override_line(s: SignOff, lang: str) -> str:
    """An approval given over failing requirements, in one sentence (exports carry it)."""
    when = s.created_at.strftime("%d/%m/%Y" if lang == "fr" else "%Y-%m-%d")
    if lang == "fr":
        return (f"Approuvé avec dérogation par {s.approver.name} le {when} (version {s.version.number}) : "
                f"« {s.override_justification} »")
    return (f"Approved with an override by {s.approver.name} on {when} (version {s.version.number}): "
            f"\u201c{s.override_justification}\u201d")
