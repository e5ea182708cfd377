from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow


class Event(db.Model):
    """Audit trail: who did what to which object, when, and why."""
    __tablename__ = "event"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int | None] = mapped_column(db.ForeignKey("report.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(db.ForeignKey("user_account.id"))
    action: Mapped[str] = mapped_column(db.String(60))
    object_type: Mapped[str] = mapped_column(db.String(40), default="")
    object_id: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    details: Mapped[dict] = mapped_column(db.JSON, default=dict)

    actor = relationship("User")
