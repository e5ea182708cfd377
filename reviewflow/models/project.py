from datetime import date, datetime

from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow


class Project(db.Model):
    __tablename__ = "project"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(db.String(400))
    gateway_numbers: Mapped[str] = mapped_column(db.String(200), default="")
    countries: Mapped[str] = mapped_column(db.String(200), default="")
    first_transfer_date: Mapped[date | None]
    end_date: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("user_account.id"))

    recipients = relationship("Recipient", order_by="Recipient.position", cascade="all, delete-orphan",
                              back_populates="project")
    reports = relationship("Report", back_populates="project")

    @property
    def total_budget(self):
        return sum((r.budget_usd or 0) for r in self.recipients)
