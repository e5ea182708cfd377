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
    threads: list[Thread] = dataclasses.field(default_factory=list)
    findings: list[Finding] = dataclasses.field(default_factory=list)

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


def load_for(user: User, report_id: int) -> tuple[Report, set[str]]:
    """The report and the user's roles on it; NotFound (404) unless the user may see it."""
    report = get_report(report_id)
    roles = accounts.roles_on(user, report)
    if not P.can_view_report(roles, user.is_admin):
        raise NotFound("This report does not exist or is not shared with you.")
    return report, roles


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


def participants(thread_ids: Collection[int]) -> dict[int, set[int]]:
    out: dict[int, set[int]] = {}
    if thread_ids:
        for tid, uid in db.session.execute(select(Comment.thread_id, Comment.author_id).where(
                Comment.thread_id.in_(thread_ids), Comment.author_id.is_not(None))):
            out.setdefault(tid, set()).add(cast(int, uid))     # authors only (NULL left out)
    return out


def report_page(report: Report, user: User, roles: Roles, number: int | None = None,
                filters: Filters | None = None) -> ReportPage:
    filters = filters or Filters()
    template = load_template(report.template_id)
    latest = latest_version(report)
    version = latest if number is None else get_version(report, number)
    contents = version_contents(version)
    keys = dict(db.session.execute(select(Section.id, Section.key).where(Section.report_id == report.id)).all())
    every = visible_threads(report, user)
    parts_of = participants([t.id for t in every])
    section_open: dict[str, int] = {}
    for t in every:
        if t.version_id == version.id and t.status != "resolved":
            section_open[keys[t.section_id]] = section_open.get(keys[t.section_id], 0) + 1
    chosen = [t for t in every if filters.keep(t, user, parts_of)
              and (not filters.section or keys[t.section_id] == filters.section)]
    threads = [t for t in chosen if t.version_id == version.id]
    elsewhere = [t for t in chosen if t.version_id != version.id]
    by_section: dict[str, list[Thread]] = {}
    for t in threads:
        by_section.setdefault(keys[t.section_id], []).append(t)
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
        current.sections.append(SectionView(f, contents[f.key], by_section.get(f.key, []),
                                            found_by_section.get(f.key, [])))
    counts = {s: sum(1 for t in every if t.status == s) for s in ("open", "addressed", "resolved")}
    counts["blocking"] = sum(1 for t in every if t.severity == "blocking" and t.status != "resolved")
    counts["orphaned"] = sum(1 for t in every if t.anchor_status == "orphaned" and t.status != "resolved")
    counts["suggested_edits"] = sum(1 for t in every if t.kind == SUGGESTED_EDIT and t.status != "resolved")
    counts["needs_confirmation"] = sum(1 for t in every if t.anchor_status == "needs_confirmation"
                                       and t.status != "resolved")
    reviewer_ids = {t.created_by_id for t in every if t.created_by_id}
    reviewers = list(db.session.scalars(select(User).where(User.id.in_(reviewer_ids)).order_by(User.name))) \
        if reviewer_ids else []
    return ReportPage(report, version, latest, roles, template, parts, threads, counts, changed_sections(version),
                      filters, elsewhere, reviewers, section_open, found, found_by_section.get("", []),
                      findings.summary(found), findings.notes(report), findings.required_empty(report, version),
                      workbook_view.panel(report, version, found, every))


def upload_summary(report: Report, upload_id: int) -> tuple[Event, Version | None, dict[str, Any]]:
    """What an upload of a Word file did: its audit event, the version it made (if any) and the
    summary of what was read; NotFound when the upload is not this report's."""
    event = db.session.scalar(select(Event).where(Event.report_id == report.id, Event.object_type == "upload",
                                                  Event.object_id == upload_id))
    if event is None:
        raise NotFound(N_("This page does not exist, or it is not shared with you."))
    version = db.session.scalar(select(Version).where(Version.report_id == report.id,
                                                      Version.upload_id == upload_id))
    summary = dict(event.details or {})
    if version is not None and version.import_summary:
        summary = version.import_summary
    return event, version, summary


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
    thread: Thread
    section_key: str
    since: datetime        # when the last message (or state change) was written
    turn: str              # "drafter" or "reviewer": who is expected to act next
    last_author: str
    first_body: str = ""


def dashboard(report: Report, user: User, *, now: datetime | None = None) -> dict[str, Any]:
    """Open threads per section and per reviewer, and how long each has been waiting for whom."""
    now = now or utcnow()
    template = load_template(report.template_id)
    keys = dict(db.session.execute(select(Section.id, Section.key).where(Section.report_id == report.id)).all())
    drafters = set(db.session.scalars(select(Membership.user_id).where(Membership.report_id == report.id,
                                                                       Membership.role == "drafter")))
    open_threads = [t for t in visible_threads(report, user) if t.status != "resolved"]
    comments = thread_comments([t.id for t in open_threads])
    per_section: dict[str, int] = {}
    per_reviewer: dict[str, int] = {}
    waiting: list[Waiting] = []
    for t in open_threads:
        key = keys[t.section_id]
        per_section[key] = per_section.get(key, 0) + 1
        first = comments.get(t.id)
        name = t.created_by.name if t.created_by else (first[0].author_display if first else "?")
        per_reviewer[name] = per_reviewer.get(name, 0) + 1
        last = comments.get(t.id, [])[-1] if comments.get(t.id) else None
        since = max(filter(None, [last.created_at if last else None, t.addressed_at, t.reopened_at, t.created_at]))
        drafter_spoke = last is not None and last.author_id in drafters
        turn = "reviewer" if (t.status == "addressed" or drafter_spoke) else "drafter"
        msgs = comments.get(t.id, [])
        waiting.append(Waiting(t, key, since, turn, last.author_display if last else "",
                               msgs[0].body if msgs else ""))
    waiting.sort(key=lambda w: w.since)
    sections = [(template.field(k), n) for k, n in sorted(per_section.items(),
                                                           key=lambda kv: _order(template, report, kv[0]))]
    return {"template": template, "sections": sections,
            "reviewers": sorted(per_reviewer.items(), key=lambda kv: -kv[1]),
            "waiting": waiting, "now": now, "total": len(open_threads),
            "drafter_turn": sum(1 for w in waiting if w.turn == "drafter"),
            "reviewer_turn": sum(1 for w in waiting if w.turn == "reviewer")}


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
INLINE_CARDS = 40     # up to this many threads on a page, their cards are in the first answer; else lazy


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
