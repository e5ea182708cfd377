"""The bottom of the services: a report's versions (immutable) and their section contents.

Reading: the report, its latest version, one version, what a version holds, which sections
changed.  Writing: ``write_version`` stores the next version (content rows are shared by
hash, nothing is copied) and ``lock`` serialises the changes to one report.  Everything above
(editing, threads, sign-off, imports, the pages) builds on this module; it imports no other
use case.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from .. import content as C
from ..extensions import db
from ..models import Report, Section, SectionContent, Upload, User, Version, VersionSection, WorkbookFile
from ..report_templates import load_template
from .errors import N_, Invalid, NotFound, StaleVersion
from .types import Blocks

# ---------------------------------------------------------------------------------------- reading

def get_report(report_id: int) -> Report:
    report = db.session.get(Report, report_id) if isinstance(report_id, int) else None
    if report is None:
        raise NotFound(N_("This report does not exist or is not shared with you."))
    return report


def latest_version(report: Report) -> Version:
    """The report's newest version (every report has its version 1 from the start)."""
    return db.session.scalars(select(Version).where(Version.report_id == report.id)
                              .order_by(Version.number.desc()).limit(1)).one()


def get_version(report: Report, number: int) -> Version:
    v = db.session.scalar(select(Version).where(Version.report_id == report.id, Version.number == number))
    if v is None:
        raise NotFound(N_("Version %(n)s of this report does not exist."), n=number)
    return v


def version_contents(version: Version) -> dict[str, SectionContent]:
    """Section key -> SectionContent of one version (one query)."""
    rows = db.session.execute(
        select(Section.key, SectionContent)
        .join(VersionSection, VersionSection.section_id == Section.id)
        .join(SectionContent, SectionContent.id == VersionSection.content_id)
        .where(VersionSection.version_id == version.id).order_by(Section.position))
    return {key: content for key, content in rows}


def changed_sections(version: Version) -> list[str]:
    """Keys of the sections whose content differs from the previous version."""
    prev = db.session.scalar(select(Version).where(Version.report_id == version.report_id,
                                                   Version.number == version.number - 1))
    if prev is None:
        return []
    return changed_between(version.report, prev, version)


def changed_between(report: Report, a: Version, b: Version) -> list[str]:
    """Keys of the sections whose content differs between two versions (template order)."""
    def pointers(v: Version) -> dict[int, int]:
        return dict(db.session.execute(select(VersionSection.section_id, VersionSection.content_id)
                                       .where(VersionSection.version_id == v.id)).all())
    pa, pb = pointers(a), pointers(b)
    sections = db.session.execute(select(Section.id, Section.key).where(Section.report_id == report.id)
                                  .order_by(Section.position)).all()
    attachment = _attachment_field(report) if a.workbook_id != b.workbook_id else None
    return [key for sid, key in sections if pa.get(sid) != pb.get(sid) or key == attachment]


def _attachment_field(report: Report) -> str | None:
    """The template's field that holds the budget workbook (a new workbook changes it)."""
    block = load_template(report.template_id).budget_workbook or {}
    return block.get("field") if block else None


# ---------------------------------------------------------------------------------------- writing

def _content_for(blocks: Blocks) -> SectionContent:
    digest = C.content_hash(blocks)
    existing = db.session.scalar(select(SectionContent).where(SectionContent.sha256 == digest))
    if existing is not None:
        return existing
    text = C.blocks_text(blocks)
    counted = C.count(text)
    row = SectionContent(sha256=digest, text=text, blocks=blocks, chars=counted.with_spaces,
                         chars_no_spaces=counted.without_spaces)
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:  # written concurrently by another request: use theirs
        row = db.session.scalars(select(SectionContent).where(SectionContent.sha256 == digest)).one()
    return row


def _version_hash(pairs: Iterable[tuple[str, str]], workbook_sha256: str | None = None) -> str:
    """sha256 over (section key, content sha256) pairs: the same text gives the same hash; a
    version carrying a budget workbook hashes its sha256 too (a new workbook is new content)."""
    listed = sorted(pairs)
    if workbook_sha256:
        listed.append(("\x00workbook", workbook_sha256))
    payload = json.dumps(listed, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()


def write_version(report: Report, contents: dict[str, Blocks], *, actor: User | None, source: str,
                  base_number: int | None, note: str, now: datetime, upload: Upload | None = None,
                  previous: Version | None = None, workbook: WorkbookFile | None = None) -> Version:
    """A new version: ``contents`` (key -> blocks) replaces those sections; the rest point at the
    previous version's content rows (nothing is copied).  It carries ``workbook`` when given,
    else the previous version's workbook (a pointer too)."""
    sections = {s.key: s for s in db.session.scalars(select(Section).where(Section.report_id == report.id))}
    unknown = set(contents) - set(sections)
    if unknown:
        raise Invalid(N_("This report has no section named %(keys)s."), keys=", ".join(sorted(unknown)))
    pointers = {}   # section id -> (content id, content sha256)
    if previous is not None:
        pointers = {sid: (cid, sha) for sid, cid, sha in db.session.execute(
            select(VersionSection.section_id, VersionSection.content_id, SectionContent.sha256)
            .join(SectionContent, SectionContent.id == VersionSection.content_id)
            .where(VersionSection.version_id == previous.id))}
    for key, blocks in contents.items():
        row = _content_for(blocks)
        pointers[sections[key].id] = (row.id, row.sha256)
    for section in sections.values():
        if section.id not in pointers:
            row = _content_for([C.paragraph("")])
            pointers[section.id] = (row.id, row.sha256)
    number = (previous.number + 1) if previous is not None else 1
    if workbook is None and previous is not None and previous.workbook_id is not None:
        workbook = db.session.get(WorkbookFile, previous.workbook_id)
    version = Version(report_id=report.id, number=number, source=source, base_number=base_number,
                      note=(note or "")[:500], content_hash=_version_hash(
                          [(k, pointers[s.id][1]) for k, s in sections.items()],
                          workbook.sha256 if workbook is not None else None),
                      created_by_id=actor.id if actor else None, created_at=now,
                      upload_id=upload.id if upload else None,
                      workbook_id=workbook.id if workbook is not None else None)
    db.session.add(version)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise StaleVersion(N_("Another version was saved at the same moment. Reload and try again.")) from None
    db.session.add_all(VersionSection(version_id=version.id, section_id=sid, content_id=cid)
                       for sid, (cid, _sha) in pointers.items())
    db.session.flush()
    return version


def lock(report: Report) -> None:
    """Serialise changes to one report: its row is locked until the transaction ends (PostgreSQL
    SELECT ... FOR NO KEY UPDATE; SQLite serialises writers on its own).  Called first by every use
    case that changes the report's state, its versions or its signatures.  NO KEY UPDATE, not
    UPDATE: lockers still wait for each other, but rows that merely reference the report (a reply's
    audit event, a comment) are not blocked by it, so a reply holding its thread's row and a save
    holding the report's row cannot deadlock (found by bench/bench_load.py)."""
    db.session.execute(select(Report.id).where(Report.id == report.id).with_for_update(key_share=True))
    db.session.refresh(report)
