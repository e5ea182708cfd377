from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db


class VersionSection(db.Model):
    """Which content a section has in a version (a pointer: unchanged content is shared)."""
    __tablename__ = "version_section"

    version_id: Mapped[int] = mapped_column(db.ForeignKey("version.id", ondelete="CASCADE"), primary_key=True)
    section_id: Mapped[int] = mapped_column(db.ForeignKey("section.id", ondelete="CASCADE"), primary_key=True)
    content_id: Mapped[int] = mapped_column(db.ForeignKey("section_content.id"), index=True)

    version = relationship("Version", back_populates="entries")
    section = relationship("Section")
    content = relationship("SectionContent")
