"""The comment–response matrix of a report: one row per thread, as CSV or as a Word table."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..csvout import to_csv as csv_text
from ..models import Report
from ..report_templates import load_template
from ..wordio import matrix_docx
from .signoff import override_line, overrides_in_force
from .types import Viewer
from .versions import latest_version
from .workspace import Filters, participants, thread_comments, visible_threads

HEADERS = {
    "fr": ["N°", "Section", "Texte commenté", "Relecteur", "Date", "Type", "Commentaire", "Réponses", "Statut",
           "Traité dans la version", "Résolu par", "Motif de résolution", "Visibilité"],
    "en": ["No.", "Section", "Quoted text", "Reviewer", "Date", "Kind", "Comment", "Replies", "Status",
           "Addressed in version", "Resolved by", "Resolution reason", "Visibility"],
}
SEVERITY = {"fr": {"normal": "Commentaire", "blocking": "Bloquant", "suggestion": "Suggestion"},
            "en": {"normal": "Comment", "blocking": "Blocking", "suggestion": "Suggestion"}}
RESOLVED_IN_WORD = {"fr": "Résolu dans Word", "en": "Resolved in Word"}
# Word table column widths (cm, landscape A4 ~ 27.7 cm): narrow for numbers, dates and codes,
# wide for the words people wrote.
WIDTHS_CM = [0.9, 2.4, 3.4, 2.2, 1.8, 1.7, 4.4, 4.0, 1.6, 1.3, 2.0, 2.6, 1.6]
STATUS = {
    "fr": {"open": "Ouvert", "addressed": "Traité", "resolved": "Résolu", "orphaned": "Texte supprimé"},
    "en": {"open": "Open", "addressed": "Addressed", "resolved": "Resolved", "orphaned": "Text deleted"},
}


@dataclass
class MatrixRow:
    number: int
    section: str
    quote: str
    reviewer: str
    date: str
    severity: str
    comment: str
    replies: str
    status: str
    addressed_in: str
    resolved_by: str
    resolution: str
    visibility: str

    def cells(self) -> list[str]:
        return [str(self.number), self.section, self.quote, self.reviewer, self.date, self.severity, self.comment,
                self.replies, self.status, self.addressed_in, self.resolved_by, self.resolution, self.visibility]


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
        try:
            section = template.field(t.section.key).label_in(lang)
        except KeyError:
            section = t.section.key
        note = t.resolution_note or ""
        if note == "Resolved in Word":
            note = RESOLVED_IN_WORD[lang]
        out.append(MatrixRow(
            n, section, t.quote, root.author_display if root else "",
            t.created_at.strftime("%d/%m/%Y" if lang == "fr" else "%Y-%m-%d") if t.created_at else "",
            SEVERITY[lang].get(t.severity, t.severity), root.body if root else "",
            "\n".join(f"{c.author_display} : {c.body}" for c in msgs[1:]), STATUS[lang][status],
            str(addressed) if addressed else "",
            (t.resolved_by.name if t.resolved_by else "") if t.status == "resolved" else "",
            note if t.status == "resolved" else "",
            INTERNAL[lang] % t.visibility_org.name if t.visibility_org_id else SHARED[lang]))
    return out


def to_csv(matrix_rows: Iterable[MatrixRow], *, lang: str = "fr") -> str:
    return csv_text(HEADERS[lang], [r.cells() for r in matrix_rows])


def to_docx(report: Report, matrix_rows: Iterable[MatrixRow], *, lang: str = "fr") -> bytes:
    latest = latest_version(report)
    title = ("Matrice commentaires–réponses" if lang == "fr" else "Comment–response matrix")
    template = load_template(report.template_id)
    sub = [report.project.title,
           f"{template.report_name(report.report_type, report.year, lang)} — version {latest.number}"]
    sub += [override_line(s, lang) for s in overrides_in_force(report)]
    return matrix_docx(title, sub, HEADERS[lang], [r.cells() for r in matrix_rows], widths_cm=WIDTHS_CM)
