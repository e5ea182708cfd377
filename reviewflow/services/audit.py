from ..extensions import db
from ..models import Event
from ..timeutil import utcnow


def record(action, *, actor=None, report=None, obj=None, details=None, now=None) -> Event:
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
