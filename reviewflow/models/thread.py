from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..anchoring import ANCHOR_STATUSES
from ..extensions import db
from ..timeutil import utcnow
from ..workbook.model import locator_of
from ._types import one_of

THREAD_STATUSES = ("open", "addressed", "resolved")
SEVERITIES = ("normal", "blocking", "suggestion")   # "suggestion": a comment marked as a mere suggestion
# What a thread is: a discussion ("comment"), or a suggested edit ("suggested_edit": a proposal to
# replace its words by ``replacement``; not to be confused with the severity "suggestion" above).
THREAD_KINDS = ("comment", "suggested_edit")
SUGGESTED_EDIT = "suggested_edit"
# How a suggested edit was decided; an open one has no decision.  A decided suggested edit is a
# resolved thread (resolved_by/at/note say who decided, when and why).
DECISIONS = ("accepted", "rejected", "outdated")
SUGGESTION_STATUSES = ("open", *DECISIONS)
# What a thread is anchored to: words of a section's text ("text": a range, or the whole section
# when anchor_status is "section"), or a cell or range of the budget workbook attached to the
# version ("cell": the cell_* columns; section_id is then the template's attachment field).
ANCHOR_KINDS = ("text", "cell")


class Thread(db.Model):
    """A discussion anchored to words of a section (or to the whole section), or to a cell of the
    version's budget workbook (``anchor_kind`` "cell").

    The anchor fields describe where the thread sits on ``version``: the latest version it was
    re-anchored to (or the version it was resolved on).  History per version is in ThreadAnchor.
    A cell thread keeps its text anchor empty (offsets 0, no quote) and says where it is in
    ``cell_sheet``/``cell_ref`` (``F23`` or ``C7:C44``), with what identifies the cell when a new
    workbook arrives (``cell_label``: the row's label; ``cell_column``: the column's header) and
    the value it holds (``cell_value``, as text); ``anchor_status`` tells how it followed.
    """
    __tablename__ = "thread"
    __table_args__ = (
        one_of("status", THREAD_STATUSES, "status"),
        one_of("anchor_status", ANCHOR_STATUSES, "anchor_status"),
        one_of("severity", SEVERITIES, "severity"),
        one_of("kind", THREAD_KINDS, "kind"),
        db.CheckConstraint("decision IS NULL OR decision IN ('accepted', 'rejected', 'outdated')",
                           name="decision"),
        db.CheckConstraint("start_offset >= 0 AND end_offset >= start_offset", name="offsets"),
        one_of("anchor_kind", ANCHOR_KINDS, "anchor_kind"),
        db.CheckConstraint("anchor_kind <> 'cell' OR (cell_sheet IS NOT NULL AND cell_ref IS NOT NULL)",
                           name="cell_anchor"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(db.ForeignKey("report.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int] = mapped_column(db.ForeignKey("section.id"), index=True)
    version_id: Mapped[int] = mapped_column(db.ForeignKey("version.id"), index=True)
    start_offset: Mapped[int] = mapped_column(default=0)
    end_offset: Mapped[int] = mapped_column(default=0)
    quote: Mapped[str] = mapped_column(db.Text, default="")
    prefix: Mapped[str] = mapped_column(db.Text, default="")
    suffix: Mapped[str] = mapped_column(db.Text, default="")
    anchor_status: Mapped[str] = mapped_column(db.String(20), default="exact")
    anchor_score: Mapped[float] = mapped_column(default=1.0)
    status: Mapped[str] = mapped_column(db.String(20), default="open")
    severity: Mapped[str] = mapped_column(db.String(20), default="normal")
    visibility_org_id: Mapped[int | None] = mapped_column(db.ForeignKey("organisation.id"))
    created_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    addressed_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("user_account.id"))
    addressed_at: Mapped[datetime | None]
    addressed_in: Mapped[int | None]  # version number named by the drafter
    resolved_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("user_account.id"))
    resolved_at: Mapped[datetime | None]
    resolution_note: Mapped[str] = mapped_column(db.Text, default="")
    reopened_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("user_account.id"))
    reopened_at: Mapped[datetime | None]
    origin: Mapped[str] = mapped_column(db.String(20), default="web")
    kind: Mapped[str] = mapped_column(db.String(20), default="comment", server_default="comment")
    # suggested edits only: the proposed text ("" deletes; a point anchor inserts), the author's
    # proposal when a drafter edited it before deciding, and the decision
    replacement: Mapped[str | None] = mapped_column(db.Text)
    original_replacement: Mapped[str | None] = mapped_column(db.Text)
    replacement_edited_by_id: Mapped[int | None] = mapped_column(db.ForeignKey("user_account.id"))
    replacement_edited_at: Mapped[datetime | None]
    decision: Mapped[str | None] = mapped_column(db.String(20))
    decided_in: Mapped[int | None]   # version number: the one accepting made (or outdating); rejected: the latest
    anchor_kind: Mapped[str] = mapped_column(db.String(10), default="text", server_default="text")
    cell_sheet: Mapped[str | None] = mapped_column(db.String(100))
    cell_ref: Mapped[str | None] = mapped_column(db.String(30))
    cell_label: Mapped[str | None] = mapped_column(db.String(300))
    cell_column: Mapped[str | None] = mapped_column(db.String(300))
    cell_value: Mapped[str | None] = mapped_column(db.String(300))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    section = relationship("Section")
    version = relationship("Version")
    created_by = relationship("User", foreign_keys=[created_by_id])
    resolved_by = relationship("User", foreign_keys=[resolved_by_id])
    addressed_by = relationship("User", foreign_keys=[addressed_by_id])
    reopened_by = relationship("User", foreign_keys=[reopened_by_id])
    replacement_edited_by = relationship("User", foreign_keys=[replacement_edited_by_id])
    visibility_org = relationship("Organisation")
    comments = relationship("Comment", order_by="Comment.created_at, Comment.id", back_populates="thread",
                            cascade="all, delete-orphan")
    anchors = relationship("ThreadAnchor", order_by="ThreadAnchor.id", back_populates="thread",
                           cascade="all, delete-orphan")

    @property
    def moved_in(self):
        """The anchor (of a version) where this thread arrived in its present section from another
        one -- its words moved there (services.threads.reanchor_threads) -- or None."""
        anchors = self.anchors
        for i in range(len(anchors) - 1, 0, -1):
            if anchors[i].section_id != anchors[i - 1].section_id:
                return anchors[i] if anchors[i].section_id == self.section_id else None
        return None

    @property
    def is_section_level(self):
        return self.anchor_status == "section"

    @property
    def is_suggested_edit(self) -> bool:
        return self.kind == SUGGESTED_EDIT

    @property
    def suggestion_status(self) -> str | None:
        """open, accepted, rejected or outdated for a suggested edit; None for a comment thread."""
        if self.kind != SUGGESTED_EDIT:
            return None
        return self.decision or "open"

    @property
    def decided_by(self):
        return self.resolved_by if self.decision else None

    @property
    def decided_at(self) -> datetime | None:
        return self.resolved_at if self.decision else None

    @property
    def decision_reason(self) -> str:
        return (self.resolution_note or "") if self.decision else ""

    @property
    def is_cell(self) -> bool:
        return self.anchor_kind == "cell"

    @property
    def cell_locator(self) -> str | None:
        """``Budget!F23`` (as Excel writes it) for a cell thread, else None."""
        if self.anchor_kind != "cell" or not self.cell_sheet or not self.cell_ref:
            return None
        return locator_of(self.cell_sheet, self.cell_ref)
