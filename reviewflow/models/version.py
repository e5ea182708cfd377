from datetime import datetime

from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow
from ._types import one_of

VERSION_SOURCES = ("created", "browser", "upload", "demo", "import", "suggestions", "workbook")


class Version(db.Model):
    """An immutable, numbered (1..n per report) state of every section of a report."""
    __tablename__ = "version"
    __table_args__ = (
        db.UniqueConstraint("report_id", "number", name="uq_version_report_number"),
        one_of("source", VERSION_SOURCES, "source"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(db.ForeignKey("report.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    source: Mapped[str] = mapped_column(db.String(20), default="browser")
    base_number: Mapped[int | None]
    note: Mapped[str] = mapped_column(db.String(500), default="")
    content_hash: Mapped[str] = mapped_column(db.String(64))
    upload_id: Mapped[int | None] = mapped_column(db.ForeignKey("upload.id"))
    # the budget workbook this version carries (a pointer: carried unchanged to the next version)
    workbook_id: Mapped[int | None] = mapped_column(db.ForeignKey("workbook.id"), index=True)
    # Large columns, deferred: a version is loaded with every thread that sits on it (lists of
    # thousands of rows); only the pages that show these read them (one SELECT each).
    unmapped: Mapped[list | None] = deferred(mapped_column(db.JSON))         # imported content that fits no field
    import_summary: Mapped[dict | None] = deferred(mapped_column(db.JSON))   # what an upload put where
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("user_account.id"))

    report = relationship("Report", back_populates="versions")
    created_by = relationship("User")
    upload = relationship("Upload")
    workbook = relationship("WorkbookFile")
    entries = relationship("VersionSection", back_populates="version", cascade="all, delete-orphan")
