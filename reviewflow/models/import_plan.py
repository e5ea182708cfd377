from datetime import datetime

from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from ._types import one_of

PLAN_STATUSES = ("planned", "confirmed", "cancelled")


class ImportPlan(db.Model):
    """What an uploaded Word file would change, read once and stored until the uploader
    confirms (the version lands whole) or cancels (only the stored upload remains)."""
    __tablename__ = "import_plan"
    __table_args__ = (one_of("status", PLAN_STATUSES, "status"), one_of("mode", ("version", "review"), "mode"))

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(db.ForeignKey("report.id", ondelete="CASCADE"), index=True)
    upload_id: Mapped[int] = mapped_column(db.ForeignKey("upload.id"))
    created_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("user_account.id"))
    mode: Mapped[str] = mapped_column(db.String(10))
    status: Mapped[str] = mapped_column(db.String(12), default="planned")
    base_number: Mapped[int | None]          # the version the file was exported from (its provenance)
    latest_number: Mapped[int]               # the latest version when the plan was made
    payload: Mapped[dict] = deferred(mapped_column(db.JSON))   # the file as read, and the plan
    summary: Mapped[dict | None] = mapped_column(db.JSON)      # counts and what the preview lists
    version_id: Mapped[int | None] = mapped_column(db.ForeignKey("version.id"))   # made by confirm
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]

    upload = relationship("Upload")
    created_by = relationship("User")
