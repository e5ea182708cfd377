"""Threads and comments: open, reply, edit, address, resolve, reopen; re-anchor on every version."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select

from .. import permissions as P
from ..anchoring import Anchor, Reanchorer, keep_certainty, make_anchor, search_elsewhere
from ..extensions import db
from ..models import Comment, CommentEdit, Report, Section, Thread, ThreadAnchor, User, Version
from ..models.thread import SEVERITIES, SUGGESTED_EDIT
from ..report_templates import load_template
from ..timeutil import utcnow
from ..workbook import CellAnchor
from . import accounts, audit, notify
from .errors import N_, REASON_MAX, Conflict, Forbidden, Invalid, NotFound, bounded
from .types import Roles, Viewer
from .versions import latest_version, version_contents
from .workbook_files import cell_anchor, follow_cell

BODY_MAX = 10_000


class ReopenQuestion(Conflict):
    """A reply on a resolved thread must say whether it reopens the thread."""
    code = "reopen_question"


def _not_a_suggested_edit(thread: Thread, message: str) -> None:
    """Suggested edits are decided (services.suggestions), not addressed, resolved or reopened."""
    if thread.kind == SUGGESTED_EDIT:
        raise Conflict(message)


def _clean_body(body: str) -> str:
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise Invalid(N_("A comment cannot be empty."))
    if len(body) > BODY_MAX:
        raise Invalid(N_("A comment takes at most %(n)s characters."), n=BODY_MAX)
    return body


def _section(report: Report, key: str) -> Section:
    section = db.session.scalar(select(Section).where(Section.report_id == report.id, Section.key == key))
    if section is None:
        raise NotFound(N_("This report has no section %(key)s."), key=key)
    return section


def thread_report(thread: Thread) -> Report:
    return db.session.get_one(Report, thread.report_id)


def get_thread(report: Report, thread_id: int, *, viewer: Viewer | None = None) -> Thread:
    """The thread, or NotFound when it is not in this report or not visible to ``viewer``."""
    thread = db.session.get(Thread, thread_id) if isinstance(thread_id, int) else None
    if thread is None or thread.report_id != report.id or (
            viewer is not None and not P.can_see_thread(viewer.organisation_id, thread.visibility_org_id,
                                                        viewer.is_admin)):
        raise NotFound(N_("This thread does not exist."))
    return thread


def get_comment(report: Report, comment_id: int, *, viewer: Viewer | None = None) -> tuple[Comment, Thread]:
    """The comment and its thread; NotFound unless the thread is in this report and visible to
    ``viewer``."""
    comment = db.session.get(Comment, comment_id) if isinstance(comment_id, int) else None
    if comment is None:
        raise NotFound(N_("This page does not exist, or it is not shared with you."))
    return comment, get_thread(report, comment.thread_id, viewer=viewer)


def _latest(report: Report, version_number: int | None) -> Version:
    """The latest version; Conflict when the browser selected text on an older one."""
    version = latest_version(report)
    if version_number is not None and version_number != version.number:
        raise Conflict(N_("Version %(latest)s is now the latest: reload the page and select the text again."),
                       latest=version.number)
    return version


def _anchor_on(text: str, start: int | None, end: int | None, quote: str | None) -> Anchor:
    if start is None or end is None:
        raise Invalid(N_("The selected range is not inside this section's text."))
    try:
        anchor = make_anchor(text, int(start), int(end))
    except (TypeError, ValueError):
        raise Invalid(N_("The selected range is not inside this section's text.")) from None
    if anchor.end == anchor.start:
        raise Invalid(N_("Select at least one character, or comment on the whole section."))
    if quote is not None and quote != anchor.quote:
        raise Conflict(N_("The selected text does not match this version of the section. Reload and select again."))
    return anchor


def attachment_field(report: Report) -> str:
    """The template's field that holds the budget workbook (cell threads belong to it)."""
    block = load_template(report.template_id).budget_workbook or {}
    if not block.get("field"):
        raise Invalid(N_("This report's template takes no budget workbook."))
    return str(block["field"])


def open_thread(report: Report, *, actor: User, roles: Roles, section_key: str, body: str,
                version_number: int | None = None, start: int | None = None, end: int | None = None,
                quote: str | None = None, severity: str = "normal", internal_org_id: int | None = None,
                cell: tuple[str, str] | None = None, now: datetime | None = None) -> Thread:
    """Open a thread on words [start, end) of a section of the latest version, or on the whole
    section when no range is given.  The quote computed by the browser must equal the server's
    text at those offsets, or the comment is refused (never stored on the wrong words).

    ``cell`` = (sheet, reference such as "F23" or "C7:C44"): the thread is on that cell or range of
    the latest version's budget workbook (its section is the template's attachment field, and
    ``section_key`` is ignored); it records the value the cell holds and its row's label."""
    now = now or utcnow()
    if actor is not None and not P.can_comment(roles):
        raise Forbidden(N_("Only members of this report can comment on it."))
    if severity not in SEVERITIES:
        raise Invalid(N_("Severity must be one of %(values)s."), values=", ".join(SEVERITIES))
    if severity == "blocking" and actor is not None and not P.can_mark_blocking(roles):
        raise Forbidden(N_("Only reviewers and approvers can mark a thread as blocking."))
    if internal_org_id is not None and actor is not None and actor.organisation_id != internal_org_id:
        raise Forbidden(N_("A thread can only be made internal to your own organisation."))
    body = _clean_body(body)
    version = _latest(report, version_number)
    on_cell = None
    if cell is not None:
        section_key = attachment_field(report)
        on_cell = cell_anchor(report, version, *cell)
        anchor, status = Anchor(0, 0, "", "", ""), "exact"
    section = _section(report, section_key)
    if on_cell is None:
        text = version_contents(version)[section_key].text
        if start is None and end is None:
            anchor, status = Anchor(0, 0, "", "", ""), "section"
        else:
            anchor, status = _anchor_on(text, start, end, quote), "exact"
    thread = create_thread(report, version, section, anchor, status=status, body=body,
                           author=actor, severity=severity, internal_org_id=internal_org_id, cell=on_cell,
                           now=now)
    details = {"section": section_key, "quote": anchor.quote[:200], "severity": severity,
               "internal": internal_org_id is not None}
    if on_cell is not None:
        details.update(cell=on_cell.locator, value=on_cell.value[:200])
    audit.record("thread.opened", actor=actor, report=report, obj=thread, details=details, now=now)
    if actor is not None:
        notify.thread_opened(report, thread, body, actor=actor, now=now)
    return thread


def create_thread(report: Report, version: Version, section: Section, anchor: Anchor, *, status: str,
                  body: str, author: User | None = None, author_name: str = "", score: float = 1.0,
                  severity: str = "normal", internal_org_id: int | None = None, origin: str = "web",
                  word_key: str | None = None, created_at: datetime | None = None, resolved: bool = False,
                  cell: CellAnchor | None = None, now: datetime | None = None) -> Thread:
    """The thread row, its first anchor and its opening comment (no checks, no notifications:
    callers decide who may open a thread and who hears of it).  With ``cell`` the thread is on
    a cell of the version's workbook (anchor_kind "cell"; ``anchor`` is then empty)."""
    now = now or utcnow()
    created_at = created_at or now
    thread = Thread(report_id=report.id, section_id=section.id, version_id=version.id,
                    start_offset=anchor.start, end_offset=anchor.end, quote=anchor.quote, prefix=anchor.prefix,
                    suffix=anchor.suffix, anchor_status=status, anchor_score=score, status="open",
                    severity=severity, visibility_org_id=internal_org_id,
                    created_by_id=author.id if author else None, created_at=created_at, origin=origin,
                    updated_at=now)
    if cell is not None:
        thread.anchor_kind = "cell"
        _set_cell(thread, cell)
    if resolved:
        thread.status, thread.resolved_at, thread.resolution_note = "resolved", created_at, N_("Resolved in Word")
    db.session.add(thread)
    db.session.flush()
    thread.anchors.append(ThreadAnchor(version_id=version.id, section_id=section.id,
                                       start_offset=anchor.start, end_offset=anchor.end,
                                       quote=cell.value if cell is not None else anchor.quote,
                                       cell=cell.locator if cell is not None else None,
                                       status=status, score=score, created_at=now))
    thread.comments.append(Comment(author_id=author.id if author else None, author_name=author_name or "",
                                   body=body, created_at=created_at, word_key=word_key))
    db.session.flush()
    return thread


def reply(thread: Thread, *, actor: User | None, roles: Roles, body: str, reopen: bool | None = None,
          author_name: str | None = None, word_key: str | None = None, created_at: datetime | None = None,
          notify_others: bool = True, now: datetime | None = None) -> Comment:
    """Add a reply.  On a resolved thread the caller must say whether the reply reopens it
    (``reopen`` True/False); without an answer ReopenQuestion is raised and nothing is stored."""
    now = now or utcnow()
    if actor is not None and not P.can_comment(roles):
        raise Forbidden(N_("Only members of this report can reply."))
    body = _clean_body(body)
    report = thread_report(thread)
    if thread.kind == SUGGESTED_EDIT and thread.status == "resolved":
        if reopen:
            raise Conflict(N_("A decided suggested edit cannot be reopened: suggest the change again."))
        reopen = False      # a reply on a decided suggested edit is only a reply
    if thread.status == "resolved" and actor is not None:
        if reopen is None:
            raise ReopenQuestion(N_("This thread is resolved. Say whether your reply reopens it."))
        if reopen:
            _reopen(thread, report, actor=actor, now=now, note=body)
            notify_others = False      # "reopened" already carries the reply
    comment = Comment(author_id=actor.id if actor else None, author_name=author_name or "",
                      body=body, created_at=created_at or now, word_key=word_key)
    thread.comments.append(comment)
    thread.updated_at = now
    db.session.flush()
    audit.record("comment.added", actor=actor, report=report, obj=comment, details={"thread": thread.id}, now=now)
    if actor is not None and notify_others:
        notify.replied(report, thread, body, actor=actor, now=now)
    return comment


def edit_comment(comment: Comment, *, actor: User | None, body: str, now: datetime | None = None) -> Comment:
    """Authors edit their own comments; the previous text is kept in the history."""
    now = now or utcnow()
    if actor is None or comment.author_id != actor.id:
        raise Forbidden(N_("You can only edit your own comments."))
    body = _clean_body(body)
    if body == comment.body:
        return comment
    db.session.add(CommentEdit(comment_id=comment.id, previous_body=comment.body, edited_by_id=actor.id,
                               edited_at=now))
    comment.body, comment.edited_at = body, now
    db.session.flush()
    audit.record("comment.edited", actor=actor, report=thread_report(comment.thread), obj=comment,
                 details={"thread": comment.thread_id}, now=now)
    return comment


def mark_addressed(thread: Thread, *, actor: User, roles: Roles, version_number: int | str | None = None,
                   body: str = "", now: datetime | None = None) -> None:
    """A drafter says the comment is addressed (in a version), optionally with a reply."""
    now = now or utcnow()
    _not_a_suggested_edit(thread, N_("A suggested edit is accepted or rejected, not marked as addressed."))
    if not P.can_mark_addressed(roles):
        raise Forbidden(N_("Only the report's drafters can mark a thread as addressed."))
    if thread.status != "open":
        raise Conflict(N_("Only an open thread can be marked as addressed."))
    report = thread_report(thread)
    latest = latest_version(report)
    number = latest.number if version_number in (None, "") else int(version_number)
    if not 1 <= number <= latest.number:
        raise Invalid(N_("Version %(n)s of this report does not exist."), n=number)
    if (body or "").strip():   # the opener hears of it once, as "addressed" (mentions still notify)
        reply(thread, actor=actor, roles=roles, body=body, notify_others=False, now=now)
        notify.mentions(report, thread, body, actor=actor, now=now)
    thread.status, thread.addressed_by_id, thread.addressed_at, thread.addressed_in = "addressed", actor.id, now, number
    thread.updated_at = now
    db.session.flush()
    audit.record("thread.addressed", actor=actor, report=report, obj=thread, details={"version": number}, now=now)
    notify.thread_event(report, thread, "addressed", actor=actor,
                        details={"number": number, "quote": thread.quote[:120]}, now=now)


def may_resolve(thread: Thread, actor: User | None, roles: Roles) -> bool:
    """The reviewer who opened the thread, a reviewer lead of the same organisation, or (for a
    thread imported from Word, which has no reviewflow author) any reviewer or approver."""
    if actor is None:
        return False
    creator = thread.created_by
    return P.can_resolve(actor.id, roles, thread.created_by_id,
                         is_lead=accounts.is_lead(actor, thread_report(thread)),
                         same_org_as_creator=bool(creator and creator.organisation_id == actor.organisation_id))


def resolve(thread: Thread, *, actor: User, roles: Roles, note: str = "",
            now: datetime | None = None) -> None:
    now = now or utcnow()
    _not_a_suggested_edit(thread, N_("A suggested edit is accepted or rejected by a drafter, not resolved."))
    if thread.status == "resolved":
        raise Conflict(N_("This thread is already resolved."))
    if not may_resolve(thread, actor, roles):
        raise Forbidden(N_("Only the reviewer who opened this thread, or a reviewer lead of the same "
                           "organisation, can resolve it."))
    thread.status, thread.resolved_by_id, thread.resolved_at = "resolved", actor.id, now
    thread.resolution_note = bounded(note, REASON_MAX)
    thread.updated_at = now
    db.session.flush()
    report = thread_report(thread)
    audit.record("thread.resolved", actor=actor, report=report, obj=thread,
                 details={"note": thread.resolution_note, "version": thread.version.number}, now=now)
    notify.thread_event(report, thread, "resolved", actor=actor, details={"note": thread.resolution_note}, now=now)


def _reopen(thread: Thread, report: Report, *, actor: User, now: datetime, note: str = "") -> None:
    thread.status = "open"
    thread.reopened_by_id, thread.reopened_at = actor.id, now
    thread.addressed_in = None
    thread.updated_at = now
    latest = latest_version(report)
    if thread.version_id != latest.id:
        # A resolved thread stayed on the version it was resolved on: bring it to the latest.
        reanchor_threads(report, None, latest, only=[thread], now=now)
    db.session.flush()
    audit.record("thread.reopened", actor=actor, report=report, obj=thread, details={"note": note}, now=now)
    notify.thread_event(report, thread, "reopened", actor=actor, details={"note": note}, now=now)


def reopen(thread: Thread, *, actor: User, roles: Roles, note: str = "", now: datetime | None = None) -> None:
    now = now or utcnow()
    _not_a_suggested_edit(thread, N_("A decided suggested edit cannot be reopened: suggest the change again."))
    if thread.status != "resolved":
        raise Conflict(N_("Only a resolved thread can be reopened."))
    if not P.can_comment(roles):
        raise Forbidden(N_("Only members of this report can reopen a thread."))
    _reopen(thread, thread_report(thread), actor=actor, now=now, note=(note or "").strip()[:2000])


def set_severity(thread: Thread, *, actor: User, roles: Roles, severity: str,
                 now: datetime | None = None) -> None:
    """Reviewers and approvers mark a thread blocking; lifting a blocking thread needs the right
    to resolve it (it is a sign-off requirement), and its opener is told."""
    if severity not in SEVERITIES:
        raise Invalid(N_("Severity must be one of %(values)s."), values=", ".join(SEVERITIES))
    if not P.can_mark_blocking(roles):
        raise Forbidden(N_("Only reviewers and approvers can mark a thread as blocking."))
    _not_a_suggested_edit(thread, N_("A suggested edit has no severity: it is accepted or rejected."))
    if thread.status == "resolved":
        raise Conflict(N_("This thread is already resolved."))
    lifting = thread.severity == "blocking" and severity != "blocking"
    if lifting and not may_resolve(thread, actor, roles):
        raise Forbidden(N_("Only who may resolve this thread can make it non-blocking."))
    before, thread.severity = thread.severity, severity
    db.session.flush()
    report = thread_report(thread)
    audit.record("thread.severity", actor=actor, report=report, obj=thread,
                 details={"from": before, "to": severity}, now=now)
    if lifting and thread.created_by_id != actor.id:
        notify.thread_event(report, thread, "severity", actor=actor, details={"from": before, "to": severity},
                            now=now)


def reattach(thread: Thread, *, actor: User, roles: Roles, start: int | None, end: int | None,
             quote: str | None = None, version_number: int | None = None,
             now: datetime | None = None) -> None:
    """Put an orphaned (or to-be-confirmed) thread on words the reviewer selects in the latest version."""
    now = now or utcnow()
    if not P.can_mark_blocking(roles):
        raise Forbidden(N_("Only reviewers and approvers can re-attach a thread."))
    _not_a_suggested_edit(thread, N_("A suggested edit stays on the words it was made on: reject it, or "
                                     "suggest the change again on the new words."))
    if thread.anchor_kind == "cell":
        raise Invalid(N_("This thread is on a cell of the budget workbook: choose a cell to re-attach it."))
    report = thread_report(thread)
    version = _latest(report, version_number)
    key = db.session.get_one(Section, thread.section_id).key
    anchor = _anchor_on(version_contents(version)[key].text, start, end, quote)
    _place(thread, version, anchor, "exact", 1.0, now=now)
    audit.record("thread.reattached", actor=actor, report=report, obj=thread,
                 details={"quote": anchor.quote[:200], "version": version.number}, now=now)


def reattach_cell(thread: Thread, *, actor: User, roles: Roles, sheet: str, ref: str,
                  version_number: int | None = None, now: datetime | None = None) -> None:
    """Put a cell thread (orphaned, or on the wrong cell) on a cell the reviewer chooses in the
    latest version's workbook."""
    now = now or utcnow()
    if not P.can_mark_blocking(roles):
        raise Forbidden(N_("Only reviewers and approvers can re-attach a thread."))
    if thread.anchor_kind != "cell":
        raise Invalid(N_("This thread is on the text: select words to re-attach it."))
    report = thread_report(thread)
    version = _latest(report, version_number)
    anchor = cell_anchor(report, version, sheet, ref)
    place_cell(thread, version, anchor, "exact", now=now)
    db.session.flush()
    audit.record("thread.reattached", actor=actor, report=report, obj=thread,
                 details={"cell": anchor.locator, "version": version.number}, now=now)


def confirm(thread: Thread, *, actor: User, roles: Roles, now: datetime | None = None) -> None:
    """Accept the proposed place of a thread that needed confirmation."""
    if not P.can_mark_blocking(roles):
        raise Forbidden(N_("Only reviewers and approvers can confirm where a thread goes."))
    if thread.anchor_status != "needs_confirmation":
        raise Conflict(N_("This thread does not need confirmation."))
    thread.anchor_status = "changed"
    last = thread.anchors[-1] if thread.anchors else None
    if last is not None and last.version_id == thread.version_id:
        last.status = "changed"
    db.session.flush()
    audit.record("thread.confirmed", actor=actor, report=thread_report(thread), obj=thread, now=now)


# ------------------------------------------------------------------------------------ re-anchoring

def _place(thread: Thread, version: Version, anchor: Anchor | None, status: str, score: float, *,
           now: datetime) -> None:
    if anchor is not None:
        thread.start_offset, thread.end_offset = anchor.start, anchor.end
        thread.quote, thread.prefix, thread.suffix = anchor.quote, anchor.prefix, anchor.suffix
    elif status == "orphaned":
        thread.start_offset = thread.end_offset = 0
    thread.anchor_status, thread.anchor_score = status, score
    thread.version_id = version.id
    existing = db.session.scalar(select(ThreadAnchor).where(ThreadAnchor.thread_id == thread.id,
                                                            ThreadAnchor.version_id == version.id))
    if existing is None:
        existing = ThreadAnchor(version_id=version.id, section_id=thread.section_id)
        thread.anchors.append(existing)
    existing.start_offset, existing.end_offset, existing.quote = thread.start_offset, thread.end_offset, thread.quote
    existing.status, existing.score, existing.created_at = status, score, now


def place(thread: Thread, version: Version, anchor: Anchor, status: str, score: float, *,
          now: datetime | None = None) -> None:
    """Put a thread on ``anchor`` of ``version`` (its anchor row for that version updated), when
    the caller knows the place exactly (accepted suggested edits map offsets without a diff)."""
    _place(thread, version, anchor, status, score, now=now or utcnow())
    db.session.flush()


def _set_cell(thread: Thread, cell: CellAnchor) -> None:
    thread.cell_sheet, thread.cell_ref = cell.sheet[:100], cell.ref[:30]
    thread.cell_label, thread.cell_column = cell.label[:300], cell.column[:300]
    thread.cell_value = cell.value[:300]


def place_cell(thread: Thread, version: Version, cell: CellAnchor | None, status: str, *,
               now: datetime) -> None:
    """Put a cell thread on ``version``: on ``cell`` (None: where it was), with ``status``; the
    version's ThreadAnchor records the cell and the value it holds there."""
    if cell is not None:
        _set_cell(thread, cell)
    thread.anchor_status = status
    thread.anchor_score = 0.0 if status == "orphaned" else 1.0
    thread.version_id = version.id
    existing = db.session.scalar(select(ThreadAnchor).where(ThreadAnchor.thread_id == thread.id,
                                                            ThreadAnchor.version_id == version.id))
    if existing is None:
        existing = ThreadAnchor(version_id=version.id, section_id=thread.section_id)
        thread.anchors.append(existing)
    existing.start_offset = existing.end_offset = 0
    existing.cell, existing.quote = thread.cell_locator, thread.cell_value or ""
    existing.status, existing.score, existing.created_at = status, thread.anchor_score, now


def reanchor_threads(report: Report, old_version: Version | None, new_version: Version, *,
                     only: Iterable[Thread] | None = None, now: datetime | None = None) -> dict[str, int]:
    """Carry every thread that is not resolved onto ``new_version``, recording the outcome.

    Resolved threads keep pointing at the version they were resolved on.  Nothing is deleted:
    a thread whose words are gone stays, ``orphaned``, with its last quote.  A thread on a
    workbook cell follows its cell when the new version carries another workbook (same sheet and
    row label, else orphaned, with its last cell), and stays where it is otherwise.
    Returns counts per status.
    """
    now = now or utcnow()
    if only is not None:
        threads = list(only)
    else:
        threads = list(db.session.scalars(select(Thread).where(Thread.report_id == report.id,
                                                               Thread.status != "resolved")))
    if not threads:
        return {}
    new_contents = version_contents(new_version)
    old_cache: dict[int, dict] = {}
    keys = dict(db.session.execute(select(Section.id, Section.key).where(Section.report_id == report.id)).all())
    ids = {k: i for i, k in keys.items()}
    reanchorers: dict[tuple, Reanchorer] = {}
    counts: dict[str, int] = {}

    def old_text(version_id: int, key: str) -> str:
        if version_id not in old_cache:
            old_cache[version_id] = version_contents(db.session.get_one(Version, version_id))
        row = old_cache[version_id].get(key)
        return row.text if row is not None else ""

    def reanchorer(version_id: int, key: str) -> Reanchorer:
        r = reanchorers.get((version_id, key))
        if r is None:
            new = new_contents[key].text if key in new_contents else ""
            r = reanchorers[(version_id, key)] = Reanchorer(old_text(version_id, key), new)
        return r

    # The audit trail counts shared threads in "counts" and internal ones per organisation in
    # "internal" (workspace.visible_events shows each reader only what they may see).
    shared: dict[str, int] = {}
    internal: dict[str, dict[str, int]] = {}

    def tally(thread: Thread, status: str) -> None:
        counts[status] = counts.get(status, 0) + 1
        bucket = shared if thread.visibility_org_id is None else internal.setdefault(str(thread.visibility_org_id), {})
        bucket[status] = bucket.get(status, 0) + 1
    for thread in threads:
        if thread.version_id == new_version.id:
            continue
        if thread.anchor_kind == "cell":
            moved = follow_cell(report, thread, new_version)
            status, cell = (thread.anchor_status, None) if moved is None else moved
            place_cell(thread, new_version, cell, status, now=now)
            tally(thread, status)
            continue
        key = keys[thread.section_id]
        old_anchor = Anchor(thread.start_offset, thread.end_offset, thread.quote, thread.prefix, thread.suffix)
        if thread.anchor_status == "section" and (thread.prefix or thread.suffix):
            # a point comment (an empty range from Word): no words to follow, but its place does
            status, anchor, score = "section", reanchorer(thread.version_id, key).follow_point(old_anchor), \
                thread.anchor_score
        elif thread.anchor_status in ("section", "orphaned"):
            status, anchor, score = thread.anchor_status, None, thread.anchor_score
        else:
            r = reanchorer(thread.version_id, key)
            result = keep_certainty(thread.anchor_status, r.reanchor(old_anchor), thread.anchor_score)
            if result.status == "orphaned" and old_anchor.quote:
                moved_to = _search_other_sections(thread, key, r, old_anchor, new_contents, old_text, reanchorer)
                if moved_to is not None:
                    other, result = moved_to[0], keep_certainty(thread.anchor_status, moved_to[1], thread.anchor_score)
                    audit.record("thread.moved_section", report=report, obj=thread,
                                 details={"from": key, "to": other, "version": new_version.number,
                                          "quote": result.anchor.quote[:200], "status": result.status}, now=now)
                    thread.section_id = ids[other]
            status, anchor, score = result.status, result.anchor, result.score
        _place(thread, new_version, anchor, status, score, now=now)
        tally(thread, status)
    db.session.flush()
    if counts and only is None:
        details: dict = {"version": new_version.number, "counts": shared}
        if internal:
            details["internal"] = internal
        audit.record("threads.reanchored", report=report, obj=new_version, details=details, now=now)
    return counts


def _search_other_sections(thread: Thread, key: str, home: Reanchorer, anchor: Anchor, new_contents: dict,
                           old_text, reanchorer) -> tuple | None:
    """The words of a thread orphaned in its section, looked for in every other section of the
    new version whose text changed (anchoring.search_elsewhere: the same thresholds)."""
    others = {}
    for other, row in new_contents.items():
        if other == key or not row.text or old_text(thread.version_id, other) == row.text:
            continue
        others[other] = reanchorer(thread.version_id, other)
    return search_elsewhere(home, anchor, others) if others else None


UNDO_SECONDS = 120    # how long after resolving the resolver may take it back as if it never happened


def undo_resolve(thread: Thread, *, actor: User, roles: Roles, now: datetime | None = None) -> None:
    """The resolver takes a resolution back within ``UNDO_SECONDS``: the thread returns to the
    state it had (addressed stays addressed), and the audit trail keeps both events."""
    now = now or utcnow()
    if thread.status != "resolved":
        raise Conflict(N_("Only a resolved thread can be reopened."))
    if thread.resolved_by_id != actor.id or not P.can_comment(roles):
        raise Forbidden(N_("Only who resolved this thread can undo it."))
    if thread.resolved_at is None or (now - thread.resolved_at).total_seconds() > UNDO_SECONDS:
        raise Conflict(N_("It is too late to undo: reopen the thread instead."))
    thread.status = "addressed" if thread.addressed_at is not None and thread.addressed_in else "open"
    thread.resolved_by_id, thread.resolved_at, thread.resolution_note = None, None, ""
    thread.updated_at = now
    db.session.flush()
    audit.record("thread.resolve_undone", actor=actor, report=thread_report(thread), obj=thread,
                 details={"status": thread.status}, now=now)
