from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..permissions import ROLES
from ..timeutil import utcnow
from ._types import one_of


class Membership(db.Model):
    """A user's role on one report: a user may draft one report and review another."""
    __tablename__ = "membership"
    __table_args__ = (
        one_of("role", ROLES, "role"),
        db.UniqueConstraint("report_id", "user_id", "role", name="uq_membership_report_user_role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(db.ForeignKey("report.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(db.ForeignKey("user_account.id"), index=True)
    role: Mapped[str] = mapped_column(db.String(20))
    is_lead: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    report = relationship("Report", back_populates="memberships")
    user = relationship("User")
