"""The audit trail: one event per change (who, what, which object, when, why)."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from ..extensions import db
from ..models import Event, Report, User
from ..timeutil import utcnow


def record(action: str, *, actor: User | None = None, report: Report | None = None, obj: object = None,
           details: dict[str, Any] | None = None, now: datetime | None = None) -> Event:
    """Write one audit event (who, what, which object, when, details/why)."""
    event = Event(
        action=action,
        actor_id=actor.id if actor is not None else None,
        report_id=report.id if report is not None else None,
        object_type=type(obj).__name__.lower() if obj is not None else "",
        object_id=getattr(obj, "id", None),
        details=details or {},
        created_at=now or utcnow(),
    )
    db.session.add(event)
    return event


ADMIN_READ_EVERY = timedelta(hours=1)


def admin_read_internal(report: Report, viewer: User, threads: Iterable, *, now: datetime | None = None) -> int:
    """An administrator was shown threads internal to an organisation that is not theirs: one
    ``thread.internal_read`` event per thread (at most once an hour per administrator and
    thread).  Each event is on its thread, so the audit trail shows it to the people who may see
    that thread (that organisation, administrators) and to nobody else.  Returns how many were
    recorded."""
    if not viewer.is_admin:
        return 0
    others = {t.id for t in threads if t.visibility_org_id is not None
              and t.visibility_org_id != viewer.organisation_id}
    if not others:
        return 0
    now = now or utcnow()
    seen = set(db.session.scalars(select(Event.object_id).where(
        Event.report_id == report.id, Event.actor_id == viewer.id, Event.action == "thread.internal_read",
        Event.object_type == "thread", Event.object_id.in_(others), Event.created_at >= now - ADMIN_READ_EVERY)))
    for tid in sorted(others - seen):
        db.session.add(Event(action="thread.internal_read", actor_id=viewer.id, report_id=report.id,
                             object_type="thread", object_id=tid, details={"thread": tid}, created_at=now))
    db.session.flush()
    return len(others - seen)
