from decimal import Decimal

from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ._types import one_of

ORG_TYPES = ("RUNO", "NUNO")


class Recipient(db.Model):
    """A recipient agency of a project, with its approved PBF budget."""
    __tablename__ = "recipient"
    __table_args__ = (one_of("org_type", ORG_TYPES, "org_type"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(db.ForeignKey("project.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(db.ForeignKey("organisation.id"))
    name: Mapped[str] = mapped_column(db.String(120))
    org_type: Mapped[str] = mapped_column(db.String(4), default="RUNO")
    budget_usd: Mapped[Decimal | None] = mapped_column(db.Numeric(14, 2))
    is_convening: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)

    project = relationship("Project", back_populates="recipients")
    organisation = relationship("Organisation")
