from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..timeutil import utcnow


class Comment(db.Model):
    """One message of a thread: the first is the thread's opening comment, the rest replies."""
    __tablename__ = "comment"

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(db.ForeignKey("thread.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(db.ForeignKey("user_account.id"))
    author_name: Mapped[str] = mapped_column(db.String(160), default="")  # external (Word) authors
    body: Mapped[str] = mapped_column(db.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]
    word_key: Mapped[str | None] = mapped_column(db.String(64), index=True)  # identity in Word files

    thread = relationship("Thread", back_populates="comments")
    author = relationship("User")
    edits = relationship("CommentEdit", order_by="CommentEdit.id", cascade="all, delete-orphan")

    @property
    def author_display(self):
        return self.author.name if self.author else (self.author_name or "?")
