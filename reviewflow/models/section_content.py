from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class SectionContent(db.Model):
    """Immutable, content-addressed section text + structure, shared by every version that has it."""
    __tablename__ = "section_content"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(db.String(64), unique=True)
    text: Mapped[str] = mapped_column(db.Text, default="")
    blocks: Mapped[list] = mapped_column(db.JSON, default=list)
    chars: Mapped[int] = mapped_column(default=0)
    chars_no_spaces: Mapped[int] = mapped_column(default=0)
