"""Read models the JSON API needs beyond the pages' (batched so that a list stays a few queries)."""
from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import func, select

from ..extensions import db
from ..models import Membership, Report, Section, Thread, User, Version
from .types import Viewer
from .versions import get_version
from .workspace import Filters, participants_of, visible_threads


def latest_numbers(report_ids: Collection[int]) -> dict[int, int]:
    if not report_ids:
        return {}
    rows = db.session.execute(select(Version.report_id, func.max(Version.number))
                              .where(Version.report_id.in_(report_ids)).group_by(Version.report_id))
    return dict(rows.all())


def roles_by_report(user: User, report_ids: Collection[int]) -> dict[int, set[str]]:
    out: dict[int, set[str]] = {}
    if report_ids:
        for rid, role in db.session.execute(select(Membership.report_id, Membership.role).where(
                Membership.user_id == user.id, Membership.report_id.in_(report_ids))):
            out.setdefault(rid, set()).add(role)
    return out


def filtered_threads(report: Report, user: Viewer, filters: Filters, *,
                     version_number: int | None = None) -> list[Thread]:
    """The threads the user may see, kept by the report page's filters, in id order."""
    version = get_version(report, version_number) if version_number is not None else None
    every = visible_threads(report, user, version=version)
    parts = participants_of(report, user) if filters.mine else {}
    keys = dict(db.session.execute(select(Section.id, Section.key).where(Section.report_id == report.id)).all())
    return [t for t in every if filters.keep(t, user, parts)
            and (not filters.section or keys.get(t.section_id) == filters.section)]
