"""The comment–response matrix of a report: one row per thread (suggested edits included: old
words, proposed words, decision), as CSV or as a Word table."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..csvout import iter_csv
from ..csvout import to_csv as csv_text
from ..extensions import db
from ..models import Report, Thread
from ..models.thread import SUGGESTED_EDIT
from ..report_templates import Template, load_template
from ..wordio import matrix_docx
from .signoff import override_line, overrides_in_force
from .types import Viewer
from .versions import latest_version
from .workbook_files import describe_cell
from .workspace import Filters, participants_of, section_keys, thread_comments, thread_index, visible_to

HEADERS = {
    "fr": ["N°", "Section", "Texte commenté", "Relecteur", "Date", "Type", "Commentaire", "Réponses", "Statut",
           "Traité dans la version", "Texte proposé", "Résolu ou décidé par", "Le", "Motif", "Visibilité"],
    "en": ["No.", "Section", "Quoted text", "Reviewer", "Date", "Kind", "Comment", "Replies", "Status",
           "Addressed in version", "Proposed text", "Resolved or decided by", "On", "Reason", "Visibility"],
}
SEVERITY = {"fr": {"normal": "Commentaire", "blocking": "Bloquant", "suggestion": "Suggestion"},
            "en": {"normal": "Comment", "blocking": "Blocking", "suggestion": "Suggestion"}}
EDIT_KIND = {"fr": "Modification proposée", "en": "Suggested edit"}
RESOLVED_IN_WORD = {"fr": "Résolu dans Word", "en": "Resolved in Word"}
# Word table column widths (cm, landscape A4 ~ 27.7 cm): narrow for numbers, dates and codes,
# wide for the words people wrote.
WIDTHS_CM = [0.8, 2.2, 3.0, 2.0, 1.7, 1.6, 3.6, 3.2, 1.6, 1.2, 2.4, 1.8, 1.6, 2.2, 1.5]
STATUS = {
    "fr": {"open": "Ouvert", "addressed": "Traité", "resolved": "Résolu", "orphaned": "Texte supprimé",
           "cell_orphaned": "Cellule introuvable"},
    "en": {"open": "Open", "addressed": "Addressed", "resolved": "Resolved", "orphaned": "Text deleted",
           "cell_orphaned": "Cell not found"},
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
CELL = {"fr": "Cellule %s", "en": "Cell %s"}


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
    proposed: str               # suggested edits: the proposed words
    decided_by: str             # who resolved the thread / decided the suggested edit
    decided_on: str             # when (UTC date)
    reason: str                 # why (the resolution note, or the decision's reason)
    visibility: str

    def cells(self) -> list[str]:
        return [str(self.number), self.section, self.quote, self.reviewer, self.date, self.severity, self.comment,
                self.replies, self.status, self.addressed_in, self.proposed, self.decided_by, self.decided_on,
                self.reason, self.visibility]


SHARED = {"fr": "Partagé", "en": "Shared"}
INTERNAL = {"fr": "Interne : %s", "en": "Internal: %s"}


CHUNK = 200      # threads loaded at a time: a matrix of thousands of rows is built and sent by pieces


def rows(report: Report, user: Viewer, *, lang: str = "fr", filters: Filters | None = None,
         shared_only: bool = False) -> list[MatrixRow]:
    """Threads the user may see, in template order, filtered like the report page; internal
    threads are marked as such, or left out with ``shared_only``."""
    return list(iter_rows(report, user, lang=lang, filters=filters, shared_only=shared_only))


def iter_rows(report: Report, user: Viewer, *, lang: str = "fr", filters: Filters | None = None,
              shared_only: bool = False) -> Iterator[MatrixRow]:
    """``rows`` one at a time: the order is worked out on light index rows (one query), then the
    threads and their comments are loaded CHUNK at a time, so memory stays bounded."""
    filters = filters or Filters(status="all")
    template = load_template(report.template_id)
    order = {f.key: i for i, f in enumerate(template.fields(report.outcomes))}
    keys = section_keys(report)
    parts = participants_of(report, user) if filters.mine else {}
    index = [t for t in thread_index(report, user) if filters.keep(t, user, parts)
             and (not filters.section or keys[t.section_id] == filters.section)
             and not (shared_only and t.visibility_org_id is not None)]
    index.sort(key=lambda t: (order.get(keys[t.section_id], 999), t.start_offset, t.id))
    ids = [t.id for t in index]
    return _rows(report, user, template, ids, lang)


def _rows(report: Report, user: Viewer, template: Template, ids: list[int], lang: str) -> Iterator[MatrixRow]:
    n = 0
    for at in range(0, len(ids), CHUNK):
        chunk = ids[at:at + CHUNK]
        found = {t.id: t for t in db.session.scalars(select(Thread).options(
            joinedload(Thread.section), joinedload(Thread.version), joinedload(Thread.resolved_by),
            joinedload(Thread.visibility_org)).where(Thread.report_id == report.id, Thread.id.in_(chunk),
                                                     visible_to(user)))}
        comments = thread_comments(chunk)
        for tid in chunk:
            if tid in found:
                n += 1
                yield _row(n, found[tid], comments.get(tid, []), template, lang)
        found.clear()


def _row(n: int, t: Thread, msgs: list, template: Template, lang: str) -> MatrixRow:
    """One line of the matrix for thread ``t`` (its comments ``msgs``, oldest first)."""
    root = msgs[0] if msgs else None
    status = "orphaned" if t.anchor_status == "orphaned" and t.status != "resolved" else t.status
    if status == "orphaned" and t.anchor_kind == "cell":
        status = "cell_orphaned"
    addressed = t.addressed_in or (t.version.number if t.status == "resolved" else None)
    quote, proposed, status_text = t.quote, "", STATUS[lang][status]
    decided_by = (t.resolved_by.name if t.resolved_by else "") if t.status == "resolved" else ""
    decided_on = (t.resolved_at.strftime("%d/%m/%Y" if lang == "fr" else "%Y-%m-%d")
                  if t.resolved_at and t.status == "resolved" else "")
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
    if reason == "Resolved in Word":
        reason = RESOLVED_IN_WORD[lang]
    return MatrixRow(
        n, section, CELL[lang] % describe_cell(t, lang) if t.anchor_kind == "cell" else quote,
        root.author_display if root else "",
        t.created_at.strftime("%d/%m/%Y" if lang == "fr" else "%Y-%m-%d") if t.created_at else "",
        EDIT_KIND[lang] if t.kind == SUGGESTED_EDIT else SEVERITY[lang].get(t.severity, t.severity),
        root.body if root else "",
        "\n".join(f"{c.author_display} : {c.body}" for c in msgs[1:]), status_text,
        str(addressed) if addressed else "",
        proposed, decided_by, decided_on, reason,
        INTERNAL[lang] % t.visibility_org.name if t.visibility_org_id else SHARED[lang])


def to_csv(matrix_rows: Iterable[MatrixRow], *, lang: str = "fr") -> str:
    return csv_text(HEADERS[lang], [r.cells() for r in matrix_rows])


def iter_csv_lines(matrix_rows: Iterable[MatrixRow], *, lang: str = "fr") -> Iterator[str]:
    """The CSV file line by line (the web answer streams it)."""
    return iter_csv(HEADERS[lang], (r.cells() for r in matrix_rows))


def to_docx(report: Report, matrix_rows: Iterable[MatrixRow], *, lang: str = "fr") -> bytes:
    latest = latest_version(report)
    title = ("Matrice commentaires–réponses" if lang == "fr" else "Comment–response matrix")
    template = load_template(report.template_id)
    sub = [report.project.title,
           f"{template.report_name(report.report_type, report.year, lang)} — version {latest.number}"]
    sub += [override_line(s, lang) for s in overrides_in_force(report)]
    return matrix_docx(title, sub, HEADERS[lang], [r.cells() for r in matrix_rows], widths_cm=WIDTHS_CM)
