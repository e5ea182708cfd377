from datetime import datetime

from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow


class WorkbookFile(db.Model):
    """A budget workbook (.xlsx) attached to a report, kept byte for byte.

    Content-addressed per report (one row per distinct file): a version points at the workbook
    it carries (``Version.workbook_id``), a new version without a new workbook points at the same
    row, and uploading the same bytes again reuses it.  The bytes are loaded only to download or
    to read the file (deferred); ``summary`` is what the reader found, kept for listings and the
    command line (``BudgetWorkbook.to_dict()``, deferred too).
    """
    __tablename__ = "workbook"
    __table_args__ = (db.UniqueConstraint("report_id", "sha256", name="uq_workbook_report_sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(db.ForeignKey("report.id", ondelete="CASCADE"), index=True)
    sha256: Mapped[str] = mapped_column(db.String(64))
    filename: Mapped[str] = mapped_column(db.String(255))
    size: Mapped[int]
    data: Mapped[bytes] = deferred(mapped_column(db.LargeBinary))
    summary: Mapped[dict] = deferred(mapped_column(db.JSON, default=dict))
    uploaded_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    uploaded_by = relationship("User")
