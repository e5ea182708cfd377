"""Read models for the report pages (what a user sees of a report and one of its versions)."""
from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import joinedload, selectinload

from .. import content as C
from .. import permissions as P
from ..checks import Finding
from ..extensions import db
from ..models import (
    Comment,
    Event,
    FindingNote,
    Membership,
    Report,
    Section,
    SectionContent,
    Thread,
    ThreadAnchor,
    User,
    Version,
)
from ..models.thread import SUGGESTED_EDIT, THREAD_KINDS
from ..report_templates import Field, Part, Template, load_template
from ..timeutil import utcnow
from . import accounts, findings, workbook_view
from .errors import N_, NotFound
from .types import Roles, Viewer
from .versions import changed_sections, get_report, get_version, latest_version, version_contents


@dataclass
class SectionView:
    field: Field
    content: SectionContent
    threads: list[Any] = dataclasses.field(default_factory=list)    # ThreadRow (the page) or Thread
    findings: list[Finding] = dataclasses.field(default_factory=list)
    cards: list[Thread] = dataclasses.field(default_factory=list)   # full cards shown in the page (bounded)
    next_start: int | None = None    # more threads after the cards: where the next ones start

    @property
    def finding_ranges(self) -> list[tuple[int, int, str, str]]:
        return [(f.start, f.end, f.fingerprint, f.severity) for f in self.findings
                if f.start is not None and f.end is not None]

    @property
    def count(self) -> C.CharCount:
        return C.CharCount(self.content.chars, self.content.chars_no_spaces)

    @property
    def over(self) -> bool:
        return self.field.limit is not None and self.content.chars > self.field.limit

    @property
    def ranges(self) -> list[tuple[int, int, int]]:
        """(start, end, thread id) of the unresolved threads placed on words of this section."""
        return [(t.start_offset, t.end_offset, t.id) for t in self.threads
                if t.status != "resolved" and t.anchor_status not in ("orphaned", "section")
                and t.anchor_kind != "cell"]

    @property
    def empty(self) -> bool:
        return not self.content.text.strip()


@dataclass
class PartView:
    part: Part
    outcome: int | None
    sections: list[SectionView]


@dataclass
class Filters:
    status: str = ""          # "", open, addressed, resolved, orphaned, all
    mine: bool = False
    reviewer: int | None = None
    section: str = ""
    blocking: bool = False
    kind: str = ""            # "", comment, suggested_edit (the "suggested edits" filter)

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> Filters:
        reviewer = args.get("reviewer", "")
        return cls(status=args.get("status", "") if args.get("status", "") in FILTER_STATUSES else "",
                   mine=args.get("mine") == "1",
                   reviewer=int(reviewer) if reviewer.isascii() and reviewer.isdigit() and len(reviewer) < 10 else None,
                   section=args.get("section", "")[:80], blocking=args.get("blocking") == "1",
                   kind=args.get("kind", "") if args.get("kind", "") in THREAD_KINDS else "")

    def args(self) -> dict[str, str]:
        """The query arguments that give these filters back (section left out)."""
        out = {"status": self.status, "mine": "1" if self.mine else "", "blocking": "1" if self.blocking else "",
               "reviewer": str(self.reviewer) if self.reviewer else "", "kind": self.kind}
        return {k: v for k, v in out.items() if v}

    @property
    def active(self) -> bool:
        return bool(self.status or self.mine or self.reviewer or self.section or self.blocking or self.kind)

    def keep(self, thread: Thread, user: Viewer, participants: dict[int, set[int]]) -> bool:
        if self.kind and thread.kind != self.kind:
            return False
        if self.status == "orphaned":
            if thread.anchor_status != "orphaned" or thread.status == "resolved":
                return False
        elif self.status in ("open", "addressed", "resolved"):
            if thread.status != self.status:
                return False
        elif self.status != "all" and thread.status == "resolved":
            return False  # default view: what is left to do
        if self.mine and thread.created_by_id != user.id and user.id not in participants.get(thread.id, ()):
            return False
        if self.reviewer and thread.created_by_id != self.reviewer:
            return False
        return not (self.blocking and thread.severity != "blocking")


FILTER_STATUSES = ("open", "addressed", "resolved", "orphaned", "all")


@dataclass
class ReportPage:
    report: Report
    version: Version
    latest: Version
    roles: Roles
    template: Template
    parts: list[PartView]
    threads: list[Thread]
    counts: dict[str, int]
    changed: list[str]
    filters: Filters | None = None
    elsewhere: list[Thread] = field(default_factory=list)   # matching threads that sit on other versions
    reviewers: list[User] = field(default_factory=list)
    section_open: dict[str, int] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    report_findings: list[Finding] = field(default_factory=list)   # about the report as a whole
    checks: dict[str, int] = field(default_factory=dict)            # counts per severity
    notes: dict[str, FindingNote] = field(default_factory=dict)     # fingerprint -> FindingNote
    required_empty: list[str] = field(default_factory=list)        # the one emptiness rule (findings)
    workbook: workbook_view.WorkbookPanel | None = None              # the budget workbook of the version
    unmapped: Unmapped | None = None    # the first blocks of the version's content that fits no field
    lazy: bool = False               # a long review: thread columns load their cards when scrolled to
    keys: dict[int, str] = field(default_factory=dict)              # section id -> key
    cards: list[Thread] = field(default_factory=list)               # every full card in the page
    elsewhere_total: int = 0         # matching threads on other versions (``elsewhere``: the first CARDS_PAGE)


def load_for(user: User, report_id: int) -> tuple[Report, set[str]]:
    """The report and the user's roles on it; NotFound (404) unless the user may see it."""
    report = get_report(report_id)
    roles = accounts.roles_on(user, report)
    if not P.can_view_report(roles, user.is_admin):
        raise NotFound("This report does not exist or is not shared with you.")
    return report, roles


INLINE_CARDS = 40     # up to this many threads on a page, their cards are in the first answer; else lazy
CARDS_PAGE = 50       # full cards in one answer at most; a column asks for the next ones when scrolled to


@dataclass(frozen=True, slots=True)
class ThreadRow:
    """A line of the thread index of a page: what counts, filters, highlights, the review pane and
    the workbook panel need of a thread (no text, no relationships: a long review costs one light
    row per thread; full cards are loaded only for the threads shown)."""
    id: int
    report_id: int
    section_id: int
    version_id: int
    start_offset: int
    end_offset: int
    status: str
    severity: str
    anchor_status: str
    anchor_kind: str
    kind: str
    decision: str | None
    created_by_id: int | None
    visibility_org_id: int | None
    cell_sheet: str | None
    cell_ref: str | None


INDEX_COLUMNS = (Thread.id, Thread.report_id, Thread.section_id, Thread.version_id, Thread.start_offset,
                 Thread.end_offset, Thread.status, Thread.severity, Thread.anchor_status, Thread.anchor_kind,
                 Thread.kind, Thread.decision, Thread.created_by_id, Thread.visibility_org_id, Thread.cell_sheet,
                 Thread.cell_ref)


def thread_index(report: Report, user: Viewer, *, version: Version | None = None) -> list[ThreadRow]:
    """The report's threads the user may see, as light rows (one query, no ORM objects)."""
    q = select(*INDEX_COLUMNS).where(Thread.report_id == report.id, visible_to(user))
    if version is not None:
        q = q.where(Thread.version_id == version.id)
    return [ThreadRow(*row) for row in db.session.execute(q.order_by(Thread.id))]


def full_threads(report: Report, ids: Collection[int]) -> list[Thread]:
    """The threads ``ids`` of this report with what their cards show, in the order given."""
    if not ids:
        return []
    found = {t.id: t for t in db.session.scalars(select(Thread).options(*THREAD_LOADS).where(
        Thread.report_id == report.id, Thread.id.in_(list(ids))))}
    return [found[i] for i in ids if i in found]


THREAD_LOADS = (
    selectinload(Thread.anchors).joinedload(ThreadAnchor.version), joinedload(Thread.version),
    joinedload(Thread.section), joinedload(Thread.created_by), joinedload(Thread.resolved_by),
    joinedload(Thread.reopened_by), joinedload(Thread.visibility_org),
)


def visible_threads(report: Report, user: Viewer, *, version: Version | None = None) -> list[Thread]:
    """The report's threads the user may see (internal threads of other organisations left out),
    with what the pages show of them loaded in a few queries."""
    q = select(Thread).options(*THREAD_LOADS).where(Thread.report_id == report.id, visible_to(user))
    if version is not None:
        q = q.where(Thread.version_id == version.id)
    return list(db.session.scalars(q.order_by(Thread.id)))


def report_page(report: Report, user: User, roles: Roles, number: int | None = None,
                filters: Filters | None = None, *, start: int = 0, focus: int | None = None) -> ReportPage:
    """The report page's read model: every visible thread as a light index row (counts, filters,
    pane, highlights), and full cards only for what the first answer shows: all of them on a
    short review, none on a long one (columns load theirs), CARDS_PAGE from ``start`` (or from
    the page holding thread ``focus``) on one section."""
    filters = filters or Filters()
    template = load_template(report.template_id)
    latest = latest_version(report)
    version = latest if number is None else get_version(report, number)
    contents = version_contents(version)
    keys = section_keys(report)
    every = thread_index(report, user)
    parts_of = participants_of(report, user) if filters.mine else {}
    section_open: dict[str, int] = {}
    for t in every:
        if t.version_id == version.id and t.status != "resolved":
            section_open[keys[t.section_id]] = section_open.get(keys[t.section_id], 0) + 1
    chosen = [t for t in every if filters.keep(t, user, parts_of)
              and (not filters.section or keys[t.section_id] == filters.section)]
    threads = [t for t in chosen if t.version_id == version.id]
    elsewhere_rows = [t for t in chosen if t.version_id != version.id]
    by_section: dict[str, list[ThreadRow]] = {}
    for t in threads:
        by_section.setdefault(keys[t.section_id], []).append(t)
    lazy = len(threads) > INLINE_CARDS and not filters.section
    shown: dict[str, tuple[list[int], int | None]] = {}     # key -> (ids of its cards, next start)
    if not lazy:
        for key, rows in by_section.items():
            first = start if filters.section else 0
            if focus is not None and filters.section:
                at = next((i for i, r in enumerate(rows) if r.id == focus), None)
                first = at // CARDS_PAGE * CARDS_PAGE if at is not None else first
            first = max(0, min(first, len(rows) - 1))
            window = rows[first:first + CARDS_PAGE]
            shown[key] = ([r.id for r in window], first + CARDS_PAGE if first + CARDS_PAGE < len(rows) else None)
    wanted = [i for ids, _n in shown.values() for i in ids] + [r.id for r in elsewhere_rows[:CARDS_PAGE]]
    full = {t.id: t for t in full_threads(report, wanted)}
    found = findings.findings_for(report, version)
    found_by_section: dict[str, list[Finding]] = {}
    for fd in found:
        found_by_section.setdefault(fd.section, []).append(fd)
    parts, current = [], None
    for f in template.fields(report.outcomes):
        if f.key not in contents:
            continue
        if current is None or current.part.id != f.part_id or current.outcome != f.outcome:
            current = PartView(template.part(f.part_id), f.outcome, [])
            parts.append(current)
        ids, next_start = shown.get(f.key, ([], None))
        current.sections.append(SectionView(f, contents[f.key], by_section.get(f.key, []),
                                            found_by_section.get(f.key, []),
                                            [full[i] for i in ids if i in full], next_start))
    counts = {s: sum(1 for t in every if t.status == s) for s in ("open", "addressed", "resolved")}
    counts["blocking"] = sum(1 for t in every if t.severity == "blocking" and t.status != "resolved")
    counts["orphaned"] = sum(1 for t in every if t.anchor_status == "orphaned" and t.status != "resolved")
    counts["suggested_edits"] = sum(1 for t in every if t.kind == SUGGESTED_EDIT and t.status != "resolved")
    counts["needs_confirmation"] = sum(1 for t in every if t.anchor_status == "needs_confirmation"
                                       and t.status != "resolved")
    reviewer_ids = {t.created_by_id for t in every if t.created_by_id}
    reviewers = list(db.session.scalars(select(User).where(User.id.in_(reviewer_ids)).order_by(User.name))) \
        if reviewer_ids else []
    elsewhere = [full[r.id] for r in elsewhere_rows[:CARDS_PAGE] if r.id in full]
    cards = [t for pv in parts for sv in pv.sections for t in sv.cards]
    return ReportPage(report, version, latest, roles, template, parts, threads, counts, changed_sections(version),
                      filters, elsewhere, reviewers, section_open, found, found_by_section.get("", []),
                      findings.summary(found), findings.notes(report), findings.required_empty(report, version),
                      workbook_view.panel(report, version, found, every),
                      unmapped=unmapped(version, 0, UNMAPPED_PREVIEW), lazy=lazy, keys=keys, cards=cards,
                      elsewhere_total=len(elsewhere_rows))


def participants_of(report: Report, user: Viewer) -> dict[int, set[int]]:
    """Thread id -> {user id} for the report's threads the user wrote in (the "mine" filter)."""
    out: dict[int, set[int]] = {}
    if user.id is None:
        return out
    for (tid,) in db.session.execute(select(Comment.thread_id).join(Thread, Thread.id == Comment.thread_id).where(
            Thread.report_id == report.id, Comment.author_id == user.id).distinct()):
        out.setdefault(tid, set()).add(cast(int, user.id))
    return out


def upload_summary(report: Report, upload_id: int) -> tuple[Event, Version | None, dict[str, Any]]:
    """What an upload of a Word file did: its audit event, the version it made (if any) and the
    summary of what was read; NotFound when the upload is not this report's."""
    event = db.session.scalar(select(Event).where(Event.report_id == report.id, Event.object_type == "upload",
                                                  Event.object_id == upload_id,
                                                  Event.action.in_(("import.version", "import.review")))
                              .order_by(Event.id.desc()).limit(1))   # the import (not its preview)
    if event is None:
        raise NotFound(N_("This page does not exist, or it is not shared with you."))
    version = db.session.scalar(select(Version).where(Version.report_id == report.id,
                                                      Version.upload_id == upload_id))
    summary = dict(event.details or {})
    if version is not None and version.import_summary:
        summary = version.import_summary
    return event, version, summary


UNMAPPED_PREVIEW = 20    # blocks of a version's unmapped content shown on the report page
UNMAPPED_PAGE = 200      # ... and on each page of its own


@dataclass
class Unmapped:
    """A window of a version's content that fits no template field (from an uploaded file)."""
    version: Version
    blocks: list
    start: int
    total: int

    @property
    def next_start(self) -> int | None:
        return self.start + len(self.blocks) if self.start + len(self.blocks) < self.total else None


def unmapped(version: Version, start: int = 0, count: int = UNMAPPED_PAGE) -> Unmapped | None:
    """``count`` blocks of the version's unmapped content from ``start`` (None when it has none)."""
    blocks = version.unmapped or []
    if not blocks:
        return None
    start = max(0, min(start, len(blocks) - 1))
    return Unmapped(version, blocks[start:start + count], start, len(blocks))


def history(report: Report) -> list[tuple[Version, list[str]]]:
    """Versions newest first, each with its author and the sections it changed."""
    versions = list(db.session.scalars(select(Version).where(Version.report_id == report.id)
                                       .order_by(Version.number.desc())))
    return [(v, changed_sections(v)) for v in versions]


def members(report: Report) -> list[Membership]:
    return list(db.session.scalars(select(Membership).where(Membership.report_id == report.id)
                                   .join(User).order_by(Membership.role, User.name)))


def visible_to(user: Viewer) -> ColumnElement[bool]:
    """SQL condition: threads shared with every member, or internal to the user's organisation."""
    if user.is_admin:
        return Thread.id.is_not(None)
    return (Thread.visibility_org_id.is_(None)) | (Thread.visibility_org_id == user.organisation_id)


def open_thread_counts(report_ids: Collection[int], user: Viewer) -> dict[int, int]:
    """Unresolved threads the user may see, per report."""
    if not report_ids:
        return {}
    rows = db.session.execute(select(Thread.report_id, func.count()).where(
        Thread.report_id.in_(report_ids), Thread.status != "resolved", visible_to(user)).group_by(Thread.report_id))
    return dict(rows.all())


def section_for_edit(report: Report, key: str) -> tuple[Field, Version, SectionContent]:
    template = load_template(report.template_id)
    try:
        field_ = template.field(key)
    except KeyError:
        raise NotFound(f"This report has no section {key!r}.") from None
    section = db.session.scalar(select(Section).where(Section.report_id == report.id, Section.key == key))
    if section is None:
        raise NotFound(f"This report has no section {key!r}.")
    latest = latest_version(report)
    return field_, latest, version_contents(latest)[key]


def thread_comments(thread_ids: Collection[int]) -> dict[int, list[Comment]]:
    rows = db.session.scalars(select(Comment).options(selectinload(Comment.edits), joinedload(Comment.author))
                              .where(Comment.thread_id.in_(thread_ids)).order_by(Comment.created_at, Comment.id))
    out: dict[int, list[Comment]] = {}
    for c in rows:
        out.setdefault(c.thread_id, []).append(c)
    return out


@dataclass
class Waiting:
    thread: Any            # id, quote, severity of the thread (a light row)
    section_key: str
    since: datetime        # when the last message (or state change) was written
    turn: str              # "drafter" or "reviewer": who is expected to act next
    last_author: str
    first_body: str = ""


@dataclass(frozen=True, slots=True)
class WaitingThread:
    id: int
    quote: str
    severity: str


DASHBOARD_WAITING = 100    # the longest-waiting threads listed; the counts cover them all


def dashboard(report: Report, user: User, *, now: datetime | None = None) -> dict[str, Any]:
    """Open threads per section and per reviewer, and how long each has been waiting for whom
    (light rows and aggregates: no thread or comment object is built; the list is capped)."""
    now = now or utcnow()
    template = load_template(report.template_id)
    keys = section_keys(report)
    drafters = set(db.session.scalars(select(Membership.user_id).where(Membership.report_id == report.id,
                                                                       Membership.role == "drafter")))
    rows = db.session.execute(select(Thread.id, Thread.section_id, Thread.status, Thread.severity,
                                     Thread.created_by_id, Thread.created_at, Thread.addressed_at,
                                     Thread.reopened_at).where(Thread.report_id == report.id,
                                                               Thread.status != "resolved", visible_to(user))).all()
    ids = [r.id for r in rows]
    names = dict(db.session.execute(select(User.id, User.name).where(
        User.id.in_({r.created_by_id for r in rows if r.created_by_id}))).all()) if rows else {}
    last = _last_comments(report, user)
    first_author = _first_authors(report, user) if any(r.created_by_id is None for r in rows) else {}
    per_section: dict[str, int] = {}
    per_reviewer: dict[str, int] = {}
    waiting: list[Waiting] = []
    for r in rows:
        key = keys[r.section_id]
        per_section[key] = per_section.get(key, 0) + 1
        name = names.get(r.created_by_id) if r.created_by_id else first_author.get(r.id, "?")
        per_reviewer[name or "?"] = per_reviewer.get(name or "?", 0) + 1
        at, author_id, author = last.get(r.id, (None, None, ""))
        since = max(filter(None, [at, r.addressed_at, r.reopened_at, r.created_at]))
        drafter_spoke = at is not None and author_id in drafters
        turn = "reviewer" if (r.status == "addressed" or drafter_spoke) else "drafter"
        waiting.append(Waiting(r.id, key, since, turn, author))
    drafter_turn = sum(1 for w in waiting if w.turn == "drafter")
    waiting.sort(key=lambda w: w.since)
    shown = waiting[:DASHBOARD_WAITING]
    quotes = {t.id: t for t in (WaitingThread(*row) for row in db.session.execute(
        select(Thread.id, func.substr(Thread.quote, 1, 120), Thread.severity)
        .where(Thread.id.in_([w.thread for w in shown]))))} if shown else {}
    words = first_words([w.thread for w in shown], 120)
    for w in shown:
        w.first_body = words.get(w.thread, "")
        w.thread = quotes[w.thread]
    sections = [(template.field(k), n) for k, n in sorted(per_section.items(),
                                                           key=lambda kv: _order(template, report, kv[0]))]
    return {"template": template, "sections": sections,
            "reviewers": sorted(per_reviewer.items(), key=lambda kv: -kv[1]),
            "waiting": shown, "more_waiting": len(waiting) - len(shown), "now": now, "total": len(ids),
            "drafter_turn": drafter_turn, "reviewer_turn": len(waiting) - drafter_turn}


def _last_comments(report: Report, user: Viewer) -> dict[int, tuple[datetime, int | None, str]]:
    """Open thread id -> (when, author id, author shown) of its last comment (one query)."""
    last = (select(Comment.thread_id, func.max(Comment.id).label("cid")).join(Thread, Thread.id == Comment.thread_id)
            .where(Thread.report_id == report.id, Thread.status != "resolved", visible_to(user))
            .group_by(Comment.thread_id).subquery())
    rows = db.session.execute(select(last.c.thread_id, Comment.created_at, Comment.author_id, User.name,
                                     Comment.author_name).join(Comment, Comment.id == last.c.cid)
                              .outerjoin(User, User.id == Comment.author_id))
    return {tid: (at, uid, name or author_name or "?") for tid, at, uid, name, author_name in rows}


def _first_authors(report: Report, user: Viewer) -> dict[int, str]:
    """Open thread id -> who wrote its first comment (threads imported from Word have no creator)."""
    first = (select(Comment.thread_id, func.min(Comment.id).label("cid")).join(Thread, Thread.id == Comment.thread_id)
             .where(Thread.report_id == report.id, Thread.status != "resolved", visible_to(user))
             .group_by(Comment.thread_id).subquery())
    rows = db.session.execute(select(first.c.thread_id, User.name, Comment.author_name)
                              .join(Comment, Comment.id == first.c.cid).outerjoin(User, User.id == Comment.author_id))
    return {tid: name or author_name or "?" for tid, name, author_name in rows}


def _order(template: Template, report: Report, key: str) -> int:
    keys = [f.key for f in template.fields(report.outcomes)]
    return keys.index(key) if key in keys else len(keys)


def visible_events(report: Report, user: User) -> list[Event]:
    """The report's audit trail, without the events of threads the user may not see
    (internal threads of another organisation)."""
    hidden = {t.id for t in db.session.scalars(select(Thread).where(Thread.report_id == report.id,
                                                                   Thread.visibility_org_id.is_not(None)))
              if not P.can_see_thread(user.organisation_id, t.visibility_org_id, user.is_admin)}
    events = db.session.scalars(select(Event).where(Event.report_id == report.id)
                                .order_by(Event.created_at.desc(), Event.id.desc()))
    return [_counted_for(e, user) for e in events if not hidden or not (
        (e.object_type == "thread" and e.object_id in hidden)
        or (e.object_type == "comment" and (e.details or {}).get("thread") in hidden))]


class ViewerEvent:
    """An audit event as one reader may see it: the same event, with its details cut to what
    that reader may count (the stored row is never changed)."""

    def __init__(self, event: Event, details: dict):
        self._event, self.details = event, details

    def __getattr__(self, name: str):
        return getattr(self._event, name)


def _counted_for(e: Event, user: User):
    """Counts of threads internal to an organisation ("internal" in the details) are added for the
    readers who may see those threads, and dropped for everyone else (pages and CSV alike)."""
    d = e.details or {}
    if e.action != "threads.reanchored" or not isinstance(d.get("internal"), dict):
        return e
    counts = dict(d.get("counts") or {})
    for org_id, theirs in (d.get("internal") or {}).items():
        if P.can_see_thread(user.organisation_id, int(org_id), user.is_admin):
            for status, n in theirs.items():
                counts[status] = counts.get(status, 0) + n
    return ViewerEvent(e, {**{k: v for k, v in d.items() if k != "internal"}, "counts": counts})


def resolvable(threads: Iterable[Thread], user: User, roles: Roles, report: Report) -> set[int]:
    """Ids of the threads this user may resolve (one query for the lead flag, none per thread)."""
    lead = accounts.is_lead(user, report)
    return {t.id for t in threads
            if P.can_resolve(user.id, roles, t.created_by_id, is_lead=lead,
                             same_org_as_creator=bool(t.created_by and t.created_by.organisation_id ==
                                                      user.organisation_id))}


# ---------------------------------------------------------------- the review workspace (in-place answers)


@dataclass
class PaneItem:
    """One line of the review pane: a thread (later also a suggestion) with what the list shows."""
    id: int
    kind: str             # "thread" (suggested edits will add "suggestion")
    section_key: str
    status: str
    severity: str
    anchor_status: str
    words: str            # the first words of its first comment


@dataclass
class Cards:
    """Thread cards for a set of ids: what the card template needs, in a few queries."""
    report: Report
    version: Version
    latest: Version
    threads: list[Thread]
    comments: dict[int, list[Comment]]
    resolvable: set[int]
    section_key: str = ""            # cards of one section's column (``thread_cards`` by section)
    next_start: int | None = None    # ... and where its next cards start, if there are more
    filters: Filters | None = None


def first_words(thread_ids: Collection[int], n: int = 90) -> dict[int, str]:
    """Thread id -> the first ``n`` characters of its first comment (one query)."""
    if not thread_ids:
        return {}
    first = (select(Comment.thread_id, func.min(Comment.id).label("cid"))
             .where(Comment.thread_id.in_(thread_ids)).group_by(Comment.thread_id).subquery())
    rows = db.session.execute(select(first.c.thread_id, func.substr(Comment.body, 1, n))
                              .join(Comment, Comment.id == first.c.cid))
    return {tid: " ".join((body or "").split()) for tid, body in rows}


def pane_items(threads: Iterable[Thread], keys: Mapping[int, str]) -> list[PaneItem]:
    """The review pane's lines for these threads, in the order given (the page's order)."""
    threads = list(threads)
    words = first_words([t.id for t in threads])
    return [PaneItem(t.id, "thread", keys[t.section_id], t.status, t.severity, t.anchor_status, words.get(t.id, ""))
            for t in threads]


def section_keys(report: Report) -> dict[int, str]:
    return dict(db.session.execute(select(Section.id, Section.key).where(Section.report_id == report.id)).all())


def review_counts(report: Report, user: Viewer, version: Version) -> tuple[dict[str, int], dict[str, int]]:
    """(counts, open threads per section on ``version``) as the report page shows them, in two
    aggregate queries (for the fragments an in-place action answers with)."""
    rows = db.session.execute(select(Thread.status, Thread.severity, Thread.anchor_status, func.count())
                              .where(Thread.report_id == report.id, visible_to(user))
                              .group_by(Thread.status, Thread.severity, Thread.anchor_status)).all()
    counts = {s: 0 for s in ("open", "addressed", "resolved", "blocking", "orphaned", "needs_confirmation")}
    for status, severity, anchor, n in rows:
        counts[status] = counts.get(status, 0) + n
        if status != "resolved":
            counts["blocking"] += n if severity == "blocking" else 0
            counts["orphaned"] += n if anchor == "orphaned" else 0
            counts["needs_confirmation"] += n if anchor == "needs_confirmation" else 0
    per_section = dict(db.session.execute(
        select(Section.key, func.count()).join(Thread, Thread.section_id == Section.id)
        .where(Thread.report_id == report.id, Thread.version_id == version.id, Thread.status != "resolved",
               visible_to(user)).group_by(Section.key)).all())
    return counts, per_section


def thread_cards(report: Report, user: User, roles: Roles, ids: Collection[int],
                 number: int | None = None) -> Cards:
    """The cards of the threads ``ids`` of this report that the user may see (others left out
    silently: a lazy list may ask for a thread that was made internal meanwhile)."""
    latest = latest_version(report)
    version = latest if number is None else get_version(report, number)
    wanted = [i for i in ids if isinstance(i, int)][:500]
    found = list(db.session.scalars(select(Thread).options(*THREAD_LOADS).where(
        Thread.report_id == report.id, Thread.id.in_(wanted), visible_to(user)))) if wanted else []
    order = {tid: i for i, tid in enumerate(wanted)}
    found.sort(key=lambda t: order[t.id])
    return Cards(report, version, latest, found, thread_comments([t.id for t in found]),
                 resolvable(found, user, roles, report))


def section_cards(report: Report, user: User, roles: Roles, key: str, filters: Filters, start: int = 0,
                  number: int | None = None) -> Cards:
    """CARDS_PAGE cards of one section's column from ``start``, filtered like the page (a lazy
    column asks for its first cards, then for the next ones as it is scrolled)."""
    latest = latest_version(report)
    version = latest if number is None else get_version(report, number)
    keys = section_keys(report)
    parts_of = participants_of(report, user) if filters.mine else {}
    rows = [t for t in thread_index(report, user, version=version)
            if keys.get(t.section_id) == key and filters.keep(t, user, parts_of)]
    start = max(0, min(start, max(len(rows) - 1, 0)))
    found = full_threads(report, [r.id for r in rows[start:start + CARDS_PAGE]])
    more = start + CARDS_PAGE if start + CARDS_PAGE < len(rows) else None
    return Cards(report, version, latest, found, thread_comments([t.id for t in found]),
                 resolvable(found, user, roles, report), key, more, filters)


@dataclass
class SectionText:
    """One section as its text shows it (highlights of its threads, marks of its findings)."""
    template: Template
    version: Version
    section: SectionView


def section_text(report: Report, user: Viewer, version: Version, key: str) -> SectionText:
    template = load_template(report.template_id)
    content = version_contents(version)[key]
    on = list(db.session.scalars(select(Thread).join(Section, Section.id == Thread.section_id).where(
        Thread.report_id == report.id, Thread.version_id == version.id, Section.key == key, visible_to(user))))
    found = [f for f in findings.findings_for(report, version) if f.section == key]
    return SectionText(template, version, SectionView(template.field(key), content, on, found))


def thread_section_key(report: Report, user: Viewer, thread_id: int) -> str | None:
    """The key of the section a thread the user may see sits on (None otherwise)."""
    return db.session.scalar(select(Section.key).join(Thread, Thread.section_id == Section.id).where(
        Thread.id == thread_id, Thread.report_id == report.id, visible_to(user)))


def section_threads(report: Report, user: Viewer, version: Version, key: str) -> list[Thread]:
    """The threads left (open or addressed) on one section of a version, as the editor shows
    them beside the text."""
    return list(db.session.scalars(select(Thread).options(joinedload(Thread.created_by))
                                   .join(Section, Section.id == Thread.section_id).where(
        Thread.report_id == report.id, Thread.version_id == version.id, Section.key == key,
        Thread.status != "resolved", visible_to(user)).order_by(Thread.start_offset, Thread.id)))
