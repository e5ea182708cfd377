from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from ..timeutil import utcnow


class CommentEdit(db.Model):
    """The previous body of an edited comment (edit history is kept)."""
    __tablename__ = "comment_edit"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(db.ForeignKey("comment.id", ondelete="CASCADE"), index=True)
    previous_body: Mapped[str] = mapped_column(db.Text)
    edited_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("user_account.id"))
    edited_at: Mapped[datetime] = mapped_column(default=utcnow)
