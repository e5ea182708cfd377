"""Template checks on a version: findings (computed, not stored) and the drafters' notes on them."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import select

from .. import permissions as P
from ..checks import Finding, VersionInput, run_checks
from ..extensions import db
from ..models import FindingNote, Report, SectionContent, Thread, User, Version
from ..report_templates import load_template
from ..timeutil import utcnow
from ..workbook import BudgetWorkbook, split_locator
from . import audit
from .errors import N_, Forbidden, Invalid, NotFound
from .threads import open_thread
from .types import Roles
from .versions import version_contents
from .workbook_files import budget_of, cell_anchor, workbook_of

NOTE_MAX = 2000


def _input(report: Report, contents: dict[str, SectionContent], *, workbook: BudgetWorkbook | None = None,
           workbook_attached: bool = False) -> VersionInput:
    """What the checks see of a version: its sections, the report's metadata, and the budget
    workbook it carries (``workbook_attached`` False: none, so ``workbook_missing`` when the
    template requires one; True with ``workbook`` None: attached but it cannot be read)."""
    project = report.project
    return VersionInput(sections={k: c.blocks for k, c in contents.items()}, report_type=report.report_type,
                        year=report.year, first_transfer_date=project.first_transfer_date,
                        end_date=project.end_date, lang="fr", workbook=workbook,
                        workbook_attached=workbook_attached)


def findings_for(report: Report, version: Version) -> list[Finding]:
    """The findings of one version (cached on the version's content, its workbook's sha256, the
    report's metadata and the agencies the workbook's columns are matched with)."""
    project = report.project
    row = workbook_of(version)
    key = (version.content_hash, row.sha256 if row is not None else None, report.report_type, report.year,
           project.first_transfer_date, project.end_date,
           tuple(r.name for r in project.recipients) if row is not None else ())
    contents = None

    def factory() -> VersionInput:
        nonlocal contents
        contents = contents or version_contents(version)
        wb_row, budget = budget_of(report, version)
        return _input(report, contents, workbook=budget, workbook_attached=wb_row is not None)
    return list(_cached_run(report.template_id, key, factory))


# (template, (version content hash, report metadata)) -> findings; the checks are pure
_CACHE: dict[tuple[str, tuple[Any, ...]], tuple[Finding, ...]] = {}


def _cached_run(template_id: str, key: tuple[Any, ...],
                factory: Callable[[], VersionInput]) -> tuple[Finding, ...]:
    k = (template_id, key)
    hit = _CACHE.get(k)
    if hit is None:
        if len(_CACHE) > 256:
            _CACHE.clear()
        hit = _CACHE[k] = tuple(run_checks(load_template(template_id), factory()))
    return hit


def summary(findings: Iterable[Finding]) -> dict[str, int]:
    out = {"error": 0, "warning": 0, "info": 0}
    for f in findings:
        out[f.severity] = out.get(f.severity, 0) + 1
    return out


def notes(report: Report) -> dict[str, FindingNote]:
    return {n.fingerprint: n for n in db.session.scalars(select(FindingNote).where(FindingNote.report_id == report.id))}


def find(report: Report, version: Version, fingerprint: str) -> Finding:
    for f in findings_for(report, version):
        if f.fingerprint == fingerprint:
            return f
    raise NotFound(N_("This finding is no longer present in the latest version."))


def explain(report: Report, version: Version, fingerprint: str, *, actor: User, roles: Roles, note: str,
            now: datetime | None = None) -> FindingNote:
    """A drafter explains a finding (e.g. why a warning is not a problem); recorded and shown."""
    now = now or utcnow()
    if "drafter" not in set(roles):
        raise Forbidden(N_("Only the report's drafters can explain a finding."))
    note = (note or "").strip()
    if not note:
        raise Invalid(N_("Write the explanation."))
    if len(note) > NOTE_MAX:
        raise Invalid(N_("An explanation takes at most %(n)s characters."), n=NOTE_MAX)
    finding = find(report, version, fingerprint)
    row = db.session.scalar(select(FindingNote).where(FindingNote.report_id == report.id,
                                                      FindingNote.fingerprint == fingerprint))
    if row is None:
        row = FindingNote(report_id=report.id, fingerprint=fingerprint, code=finding.code, section=finding.section)
        db.session.add(row)
    row.note, row.author_id, row.version_number, row.created_at = note, actor.id, version.number, now
    db.session.flush()
    audit.record("finding.explained", actor=actor, report=report, obj=row,
                 details={"code": finding.code, "section": finding.section, "note": note}, now=now)
    return row


def to_thread(report: Report, version: Version, fingerprint: str, *, actor: User, roles: Roles,
              lang: str = "fr", now: datetime | None = None) -> Thread:
    """Turn a finding into a review thread on its words (or, for a finding about a cell of the
    budget workbook that has no words, on that cell; else on its section), in one click."""
    if not P.can_mark_blocking(roles):
        raise Forbidden(N_("Only reviewers and approvers can turn a finding into a thread."))
    f = find(report, version, fingerprint)
    if not f.section:
        raise Invalid(N_("This finding is about the whole report; comment on a section instead."))
    start = end = None
    if f.start is not None and f.end is not None and f.end > f.start:
        start, end = f.start, f.end
    cell = split_locator(f.locator or "") if start is None and version.workbook_id is not None else None
    if cell is not None:
        try:
            cell_anchor(report, version, *cell)
        except Invalid:
            cell = None     # a cell the workbook does not have: on the section, as any other finding
    return open_thread(report, actor=actor, roles=roles, section_key=f.section, body=f.message_in(lang),
                       version_number=version.number, start=start, end=end,
                       severity="blocking" if f.severity == "error" else "normal", cell=cell, now=now)


def required_empty(report: Report, version: Version) -> list[str]:
    """Keys of sections the template always requires that are empty in this version.

    The one emptiness rule: the template checks' (``checks.completeness.field_empty``: blanks,
    placeholders and form prompts are empty; a table's cells count, and so does its text when an
    import turned the table into paragraphs).  The report page, the checks and the sign-off page
    all read it from here."""
    template = load_template(report.template_id)
    always = {f.key for f in template.fields(report.outcomes) if f.required == "always"}
    seen: list[str] = []
    for f in findings_for(report, version):
        if f.code == "required_empty" and f.section in always and f.section not in seen:
            seen.append(f.section)
    order = {f.key: i for i, f in enumerate(template.fields(report.outcomes))}
    return sorted(seen, key=lambda k: order.get(k, len(order)))
