from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..anchoring import ANCHOR_STATUSES
from ..extensions import db
from ..timeutil import utcnow
from ._types import one_of


class ThreadAnchor(db.Model):
    """Where a thread sat on one version, how it got there (status) and how sure we are (score)."""
    __tablename__ = "thread_anchor"
    __table_args__ = (
        db.UniqueConstraint("thread_id", "version_id", name="uq_thread_anchor_thread_version"),
        one_of("status", ANCHOR_STATUSES, "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(db.ForeignKey("thread.id", ondelete="CASCADE"), index=True)
    version_id: Mapped[int] = mapped_column(db.ForeignKey("version.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int] = mapped_column(db.ForeignKey("section.id"))
    start_offset: Mapped[int] = mapped_column(default=0)
    end_offset: Mapped[int] = mapped_column(default=0)
    quote: Mapped[str] = mapped_column(db.Text, default="")      # a cell thread: the cell's value
    cell: Mapped[str | None] = mapped_column(db.String(140))     # a cell thread: its cell, Budget!F23
    status: Mapped[str] = mapped_column(db.String(20))
    score: Mapped[float] = mapped_column(default=1.0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    thread = relationship("Thread", back_populates="anchors")
    version = relationship("Version")
