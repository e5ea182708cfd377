"""Workflow transitions of a report: check with the pure table, apply, audit."""
from __future__ import annotations

from datetime import datetime

from .. import workflow
from ..models import Report, User
from ..timeutil import utcnow
from . import audit, notify
from .errors import NOTE_MAX, bounded
from .signoff_invalidation import void_all
from .types import Roles
from .versions import lock


def act(report: Report, action: str, *, actor: User | None, roles: Roles, note: str = "",
        now: datetime | None = None) -> str:
    """Apply ``action`` to the report (WorkflowError if not allowed) and write an audit event."""
    now = now or utcnow()
    lock(report)
    before = report.state
    note = bounded(note, NOTE_MAX)
    report.state = workflow.transition(report.state, action, roles, note=note,
                                       is_admin=bool(actor and actor.is_admin))
    audit.record(f"report.{action}", actor=actor, report=report, obj=report,
                 details={"from": before, "to": report.state, "note": (note or "").strip()}, now=now)
    if action in ("reopen", "withdraw", "restore"):
        void_all(report, reason=action, now=now)
    notify.report_state_changed(report, action, actor=actor, note=note or "", now=now)
    return report.state
