from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow


class FindingNote(db.Model):
    """A drafter's explanation of a check's finding.  Keyed on the finding's fingerprint, so it
    follows the finding to later versions as long as the words it is about stay the same."""
    __tablename__ = "finding_note"
    __table_args__ = (db.UniqueConstraint("report_id", "fingerprint", name="uq_finding_note_report_fingerprint"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(db.ForeignKey("report.id", ondelete="CASCADE"), index=True)
    fingerprint: Mapped[str] = mapped_column(db.String(40))
    code: Mapped[str] = mapped_column(db.String(60))
    section: Mapped[str] = mapped_column(db.String(80), default="")
    note: Mapped[str] = mapped_column(db.Text)
    author_id: Mapped[int | None] = mapped_column(db.ForeignKey("user_account.id"))
    version_number: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author = relationship("User")
