from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from ..workflow import STATES
from ._types import one_of

REPORT_TYPES = ("semi_annual", "annual", "final")
REPORT_STATES = STATES


class Report(db.Model):
    __tablename__ = "report"
    __table_args__ = (
        one_of("report_type", REPORT_TYPES, "report_type"),
        one_of("state", REPORT_STATES, "state"),
        db.CheckConstraint("outcomes >= 0 AND outcomes <= 20", name="outcomes"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(db.ForeignKey("project.id"), index=True)
    template_id: Mapped[str] = mapped_column(db.String(40), default="pbf")
    report_type: Mapped[str] = mapped_column(db.String(20))
    year: Mapped[int]
    state: Mapped[str] = mapped_column(db.String(30), default="draft")
    outcomes: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("user_account.id"))

    project = relationship("Project", back_populates="reports")
    sections = relationship("Section", order_by="Section.position", back_populates="report")
    memberships = relationship("Membership", back_populates="report", cascade="all, delete-orphan")
    versions = relationship("Version", order_by="Version.number", back_populates="report")

    @property
    def title(self):
        return self.project.title if self.project else f"Report {self.id}"
