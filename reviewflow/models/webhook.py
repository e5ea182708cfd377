from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from ._types import one_of

WEBHOOK_EVENTS = ("version.created", "thread.opened", "thread.resolved", "suggestion.decided", "signoff")
DELIVERY_STATUSES = ("pending", "delivered", "failed")


class Webhook(db.Model):
    """A URL an administrator registered for a report's events, or for the events of every report
    an organisation takes part in.  Deliveries are signed with ``secret`` (HMAC-SHA256).  Threads
    internal to an organisation are only sent to hooks of that organisation."""
    __tablename__ = "webhook"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(db.String(500))
    secret: Mapped[str] = mapped_column(db.String(100))
    report_id: Mapped[int | None] = mapped_column(db.ForeignKey("report.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(db.ForeignKey("organisation.id"), index=True)
    events: Mapped[list] = mapped_column(db.JSON, default=list)
    active: Mapped[bool] = mapped_column(default=True)
    created_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organisation = relationship("Organisation")


class WebhookDelivery(db.Model):
    """One event sent (or to send) to one hook: the exact body signed, attempts, the last answer."""
    __tablename__ = "webhook_delivery"
    __table_args__ = (one_of("status", DELIVERY_STATUSES, "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    webhook_id: Mapped[int] = mapped_column(db.ForeignKey("webhook.id", ondelete="CASCADE"), index=True)
    event: Mapped[str] = mapped_column(db.String(40))
    body: Mapped[str] = mapped_column(db.Text)
    status: Mapped[str] = mapped_column(db.String(12), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    response_status: Mapped[int | None]
    error: Mapped[str] = mapped_column(db.String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_attempt_at: Mapped[datetime | None]
    next_attempt_at: Mapped[datetime | None] = mapped_column(index=True)
    delivered_at: Mapped[datetime | None]

    webhook = relationship("Webhook")
