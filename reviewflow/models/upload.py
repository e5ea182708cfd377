from datetime import datetime

from sqlalchemy.orm import Mapped, deferred, mapped_column

from ..extensions import db
from ..timeutil import utcnow


class Upload(db.Model):
    """An uploaded file, kept byte for byte (the original of an annotated export)."""
    __tablename__ = "upload"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int | None] = mapped_column(db.ForeignKey("report.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(db.String(255))
    content_type: Mapped[str] = mapped_column(db.String(120), default="application/octet-stream")
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(db.String(64), index=True)
    data: Mapped[bytes] = deferred(mapped_column(db.LargeBinary))
    uploaded_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
