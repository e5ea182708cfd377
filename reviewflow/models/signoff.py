from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from ._types import one_of

DECISIONS = ("approve", "reject")


class SignOff(db.Model):
    """An approver's decision on one specific version (its content hash recorded)."""
    __tablename__ = "signoff"
    __table_args__ = (
        one_of("decision", DECISIONS, "decision"),
        # one valid decision per approver and report
        db.Index("uq_signoff_active_approver", "report_id", "approver_id", unique=True,
                 postgresql_where=db.text("invalidated_at IS NULL"), sqlite_where=db.text("invalidated_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(db.ForeignKey("report.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int] = mapped_column(db.ForeignKey("version.id"), index=True)
    approver_id: Mapped[int] = mapped_column(db.ForeignKey("user_account.id"))
    decision: Mapped[str] = mapped_column(db.String(10))
    note: Mapped[str] = mapped_column(db.Text, default="")
    content_hash: Mapped[str] = mapped_column(db.String(64))
    override_justification: Mapped[str] = mapped_column(db.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    invalidated_at: Mapped[datetime | None]
    invalidated_reason: Mapped[str] = mapped_column(db.Text, default="")

    version = relationship("Version")
    approver = relationship("User")
