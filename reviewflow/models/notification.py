from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow


class Notification(db.Model):
    """An entry of a user's in-app inbox."""
    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(db.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    report_id: Mapped[int | None] = mapped_column(db.ForeignKey("report.id", ondelete="CASCADE"))
    thread_id: Mapped[int | None] = mapped_column(db.ForeignKey("thread.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(db.String(40))
    actor_id: Mapped[int | None] = mapped_column(db.ForeignKey("user_account.id"))
    details: Mapped[dict] = mapped_column(db.JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    read_at: Mapped[datetime | None]
    # When its e-mail was delivered: the idempotency key of the mail job (a retried job skips it).
    mail_sent_at: Mapped[datetime | None]

    actor = relationship("User", foreign_keys=[actor_id])
