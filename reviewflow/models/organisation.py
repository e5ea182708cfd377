from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import utcnow
from ._types import one_of

ORG_KINDS = ("agency", "secretariat", "other")


class Organisation(db.Model):
    __tablename__ = "organisation"
    __table_args__ = (one_of("kind", ORG_KINDS, "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(db.String(120), unique=True)
    kind: Mapped[str] = mapped_column(db.String(20), default="agency")
    created_at: Mapped[datetime] = mapped_column(db.DateTime, default=utcnow)

    def __repr__(self):
        return f"<Organisation {self.name}>"
