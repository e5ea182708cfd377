"""Read models for the report pages (what a user sees of a report and one of its versions)."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from .. import content as C
from .. import permissions as P
from ..extensions import db
from ..models import Comment, Membership, Section, Thread, User, Version
from ..report_templates import load_template
from . import accounts
from .errors import NotFound
from .reports import changed_sections, get_version, latest_version, version_contents


@dataclass
class SectionView:
    field: object
    content: object
    threads: list = field(default_factory=list)

    @property
    def count(self):
        return C.CharCount(self.content.chars, self.content.chars_no_spaces)

    @property
    def over(self):
        return self.field.limit is not None and self.content.chars > self.field.limit

    @property
    def ranges(self):
        """(start, end, thread id) of the unresolved threads placed on words of this section."""
        return [(t.start_offset, t.end_offset, t.id) for t in self.threads
                if t.status != "resolved" and t.anchor_status not in ("orphaned", "section")]

    @property
    def empty(self):
        return not self.content.text.strip()


@dataclass
class PartView:
    part: object
    outcome: int | None
    sections: list


@dataclass
class ReportPage:
    report: object
    version: object
    latest: object
    roles: set
    template: object
    parts: list
    threads: list
    counts: dict
    changed: list


def load_for(user, report_id):
    """The report and the user's roles on it; NotFound (404) unless the user may see it."""
    from .reports import get_report
    report = get_report(report_id)
    roles = accounts.roles_on(user, report)
    if not P.can_view_report(roles, user.is_admin):
        raise NotFound("This report does not exist or is not shared with you.")
    return report, roles


def visible_threads(report, user, *, version=None):
    q = select(Thread).where(Thread.report_id == report.id)
    if version is not None:
        q = q.where(Thread.version_id == version.id)
    threads = [t for t in db.session.scalars(q.order_by(Thread.id))
               if P.can_see_thread(user.organisation_id, t.visibility_org_id, user.is_admin)]
    return threads


def report_page(report, user, roles, number=None) -> ReportPage:
    template = load_template(report.template_id)
    latest = latest_version(report)
    version = latest if number is None else get_version(report, number)
    contents = version_contents(version)
    threads = visible_threads(report, user, version=version)
    by_section = {}
    keys = dict(db.session.execute(select(Section.id, Section.key).where(Section.report_id == report.id)).all())
    for t in threads:
        by_section.setdefault(keys[t.section_id], []).append(t)
    parts, current = [], None
    for f in template.fields(report.outcomes):
        if f.key not in contents:
            continue
        if current is None or current.part.id != f.part_id or current.outcome != f.outcome:
            current = PartView(template.part(f.part_id), f.outcome, [])
            parts.append(current)
        current.sections.append(SectionView(f, contents[f.key], by_section.get(f.key, [])))
    counts = {s: sum(1 for t in threads if t.status == s) for s in ("open", "addressed", "resolved")}
    counts["blocking"] = sum(1 for t in threads if t.severity == "blocking" and t.status != "resolved")
    return ReportPage(report, version, latest, roles, template, parts, threads, counts, changed_sections(version))


def history(report):
    """Versions newest first, each with its author and the sections it changed."""
    versions = list(db.session.scalars(select(Version).where(Version.report_id == report.id)
                                       .order_by(Version.number.desc())))
    return [(v, changed_sections(v)) for v in versions]


def members(report):
    return list(db.session.scalars(select(Membership).where(Membership.report_id == report.id)
                                   .join(User).order_by(Membership.role, User.name)))


def open_thread_counts(report_ids):
    if not report_ids:
        return {}
    rows = db.session.execute(select(Thread.report_id, func.count()).where(
        Thread.report_id.in_(report_ids), Thread.status != "resolved").group_by(Thread.report_id))
    return dict(rows.all())


def section_for_edit(report, key):
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


def thread_comments(thread_ids):
    rows = db.session.scalars(select(Comment).where(Comment.thread_id.in_(thread_ids))
                              .order_by(Comment.created_at, Comment.id))
    out = {}
    for c in rows:
        out.setdefault(c.thread_id, []).append(c)
    return out
