"""The audit trail: one event per change (who, what, which object, when, why)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

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
