"""Report builders for service tests: another report to import into, the set of a report's
threads as a reader sees them, a viewer who may see every thread."""
from __future__ import annotations

from sqlalchemy import select

from reviewflow.extensions import db
from reviewflow.models import Thread
from reviewflow.services import accounts, exports, reports


class Everyone:
    id = None
    organisation_id = None
    is_admin = True


def thread_set(report):
    out = set()
    for t in db.session.scalars(select(Thread).where(Thread.report_id == report.id)):
        out.add((t.section.key, t.quote, t.status == "resolved",
                 tuple((c.author_display.replace(" (Word)", ""), exports.strip_orphan_note(c.body)) for c in t.comments)))
    return out


def fresh_report(world, title="Copie"):
    project = reports.create_project(actor=world.admin, title=title)
    r = reports.create_report(project, actor=world.admin, report_type="annual", year=2024, outcomes=2)
    accounts.add_member(r, world.drafter, "drafter", actor=world.admin)
    return r
