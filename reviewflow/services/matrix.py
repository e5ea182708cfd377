"""The comment–response matrix of a report: one row per thread (suggested edits included: old
words, proposed words, decision), as CSV or as a Word table."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..csvout import to_csv as csv_text
from ..models import Report
from ..models.thread import SUGGESTED_EDIT
from ..report_templates import load_template
from ..wordio import matrix_docx
from .types import Viewer
from .versions import latest_version
from .workspace import Filters, participants, thread_comments, visible_threads

HEADERS = {
    "fr": ["N°", "Section", "Texte commenté", "Relecteur", "Commentaire", "Réponses", "Statut",
           "Traité dans la version", "Visibilité", "Texte proposé", "Décidé par", "Le", "Motif"],
    "en": ["No.", "Section", "Quoted text", "Reviewer", "Comment", "Replies", "Status", "Addressed in version",
           "Visibility", "Proposed text", "Decided by", "On", "Reason"],
}
STATUS = {
    "fr": {"open": "Ouvert", "addressed": "Traité", "resolved": "Résolu", "orphaned": "Texte supprimé"},
    "en": {"open": "Open", "addressed": "Addressed", "resolved": "Resolved", "orphaned": "Text deleted"},
}
# Suggested edits (threads of kind "suggested_edit"; not the severity "suggestion" of a comment)
EDIT_STATUS = {
    "fr": {"open": "Modification proposée : ouverte", "accepted": "Modification proposée : acceptée",
           "rejected": "Modification proposée : refusée", "outdated": "Modification proposée : dépassée",
           "orphaned": "Modification proposée : texte supprimé"},
    "en": {"open": "Suggested edit: open", "accepted": "Suggested edit: accepted",
           "rejected": "Suggested edit: rejected", "outdated": "Suggested edit: outdated",
           "orphaned": "Suggested edit: text deleted"},
}
DELETION = {"fr": "[suppression]", "en": "[deletion]"}
INSERTION = {"fr": "[insertion après « …%s »]", "en": "[insertion after “…%s”]"}
OUTDATED = {"fr": "Recouvre une modification acceptée dans la version %s",
            "en": "Overlaps an edit accepted in version %s"}


@dataclass
class MatrixRow:
    number: int
    section: str
    quote: str
    reviewer: str
    comment: str
    replies: str
    status: str
    addressed_in: str
    visibility: str
    proposed: str = ""          # suggested edits: the proposed words
    decided_by: str = ""        # who resolved the thread / decided the suggested edit
    decided_on: str = ""        # when (UTC date)
    reason: str = ""            # why

    def cells(self) -> list[str]:
        return [str(self.number), self.section, self.quote, self.reviewer, self.comment, self.replies, self.status,
                self.addressed_in, self.visibility, self.proposed, self.decided_by, self.decided_on, self.reason]


SHARED = {"fr": "Partagé", "en": "Shared"}
INTERNAL = {"fr": "Interne : %s", "en": "Internal: %s"}


def rows(report: Report, user: Viewer, *, lang: str = "fr", filters: Filters | None = None,
         shared_only: bool = False) -> list[MatrixRow]:
    """Threads the user may see, in template order, filtered like the report page; internal
    threads are marked as such, or left out with ``shared_only``."""
    filters = filters or Filters(status="all")
    template = load_template(report.template_id)
    order = {f.key: i for i, f in enumerate(template.fields(report.outcomes))}
    threads = visible_threads(report, user)
    parts = participants([t.id for t in threads])
    threads = [t for t in threads if filters.keep(t, user, parts)
               and (not filters.section or t.section.key == filters.section)
               and not (shared_only and t.visibility_org_id is not None)]
    threads.sort(key=lambda t: (order.get(t.section.key, 999), t.start_offset, t.id))
    comments = thread_comments([t.id for t in threads])
    out = []
    for n, t in enumerate(threads, start=1):
        msgs = comments.get(t.id, [])
        root = msgs[0] if msgs else None
        status = "orphaned" if t.anchor_status == "orphaned" and t.status != "resolved" else t.status
        addressed = t.addressed_in or (t.version.number if t.status == "resolved" else None)
        quote, proposed, status_text = t.quote, "", STATUS[lang][status]
        decided_by = t.resolved_by.name if t.resolved_by else ""
        decided_on = f"{t.resolved_at:%Y-%m-%d}" if t.resolved_at and t.status == "resolved" else ""
        reason = t.resolution_note if t.status == "resolved" else ""
        if t.kind == SUGGESTED_EDIT:
            edit_status = "orphaned" if status == "orphaned" else t.suggestion_status or "open"
            status_text, addressed = EDIT_STATUS[lang][edit_status], t.decided_in
            quote = t.quote or INSERTION[lang] % t.prefix[-40:]
            proposed = t.replacement or DELETION[lang]
            if t.decision == "outdated":
                reason = OUTDATED[lang] % (t.decided_in or "?")
        try:
            section = template.field(t.section.key).label_in(lang)
        except KeyError:
            section = t.section.key
        out.append(MatrixRow(
            n, section, quote, root.author_display if root else "", root.body if root else "",
            "\n".join(f"{c.author_display} : {c.body}" for c in msgs[1:]), status_text,
            str(addressed) if addressed else "",
            INTERNAL[lang] % t.visibility_org.name if t.visibility_org_id else SHARED[lang],
            proposed, decided_by, decided_on, reason))
    return out


def to_csv(matrix_rows: Iterable[MatrixRow], *, lang: str = "fr") -> str:
    return csv_text(HEADERS[lang], [r.cells() for r in matrix_rows])


def to_docx(report: Report, matrix_rows: Iterable[MatrixRow], *, lang: str = "fr") -> bytes:
    latest = latest_version(report)
    title = ("Matrice commentaires–réponses" if lang == "fr" else "Comment–response matrix")
    sub = [report.project.title,
           (f"Rapport {report.report_type} {report.year} — version {latest.number}" if lang == "fr"
            else f"{report.report_type} report {report.year} — version {latest.number}")]
    return matrix_docx(title, sub, HEADERS[lang], [r.cells() for r in matrix_rows],
                       widths_cm=[0.8, 2.2, 2.8, 2.0, 3.4, 3.2, 1.5, 1.3, 1.5, 2.8, 1.8, 1.5, 1.9])
