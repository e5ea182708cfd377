from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db


class Section(db.Model):
    """A template field of one report (e.g. ``implementation_status``); its content lives in versions."""
    __tablename__ = "section"
    __table_args__ = (db.UniqueConstraint("report_id", "key", name="uq_section_report_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(db.ForeignKey("report.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(db.String(80))
    position: Mapped[int] = mapped_column(default=0)

    report = relationship("Report", back_populates="sections")
