"""Threads and comments: open, reply, resolve, and re-anchor on every new version."""
from __future__ import annotations

from sqlalchemy import select

from .. import permissions as P
from ..anchoring import Anchor, Reanchorer, make_anchor
from ..extensions import db
from ..models import Comment, Section, Thread, ThreadAnchor, Version
from ..models.thread import SEVERITIES
from ..timeutil import utcnow
from . import audit
from .errors import N_, Conflict, Forbidden, Invalid, NotFound
from .reports import latest_version, version_contents

BODY_MAX = 10_000


def _clean_body(body: str) -> str:
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise Invalid(N_("A comment cannot be empty."))
    if len(body) > BODY_MAX:
        raise Invalid(N_("A comment takes at most %(n)s characters."), n=BODY_MAX)
    return body


def _section(report, key) -> Section:
    section = db.session.scalar(select(Section).where(Section.report_id == report.id, Section.key == key))
    if section is None:
        raise NotFound(N_("This report has no section %(key)s."), key=key)
    return section


def open_thread(report, *, actor, roles, section_key, body, version_number=None, start=None, end=None,
                quote=None, severity="normal", internal_org_id=None, author_name=None, origin="web",
                word_key=None, now=None) -> Thread:
    """Open a thread on words [start, end) of a section of the latest version, or on the whole
    section when no range is given.  The quote sent by the browser must match the server's text."""
    now = now or utcnow()
    if actor is not None and not P.can_comment(roles):
        raise Forbidden(N_("Only members of this report can comment on it."))
    if severity not in SEVERITIES:
        raise Invalid(N_("Severity must be one of %(values)s."), values=", ".join(SEVERITIES))
    if severity == "blocking" and actor is not None and not P.can_mark_blocking(roles):
        raise Forbidden(N_("Only reviewers and approvers can mark a thread as blocking."))
    body = _clean_body(body)
    version = latest_version(report)
    if version_number is not None and version_number != version.number:
        raise Conflict(N_("Version %(latest)s is now the latest: reload the page and select the text again."),
                       latest=version.number)
    section = _section(report, section_key)
    text = version_contents(version)[section_key].text
    if start is None and end is None:
        anchor, status = Anchor(0, 0, "", "", ""), "section"
    else:
        try:
            anchor = make_anchor(text, int(start), int(end))
        except (TypeError, ValueError):
            raise Invalid(N_("The selected range is not inside this section's text.")) from None
        if quote is not None and quote != anchor.quote:
            raise Conflict(N_("The selected text does not match this version of the section. Reload and select again."))
        status = "exact"
    thread = Thread(report_id=report.id, section_id=section.id, version_id=version.id,
                    start_offset=anchor.start, end_offset=anchor.end, quote=anchor.quote, prefix=anchor.prefix,
                    suffix=anchor.suffix, anchor_status=status, anchor_score=1.0, status="open", severity=severity,
                    visibility_org_id=internal_org_id, created_by_id=actor.id if actor else None, created_at=now,
                    origin=origin, updated_at=now)
    db.session.add(thread)
    db.session.flush()
    db.session.add(ThreadAnchor(thread_id=thread.id, version_id=version.id, section_id=section.id,
                                start_offset=anchor.start, end_offset=anchor.end, quote=anchor.quote,
                                status=status, score=1.0, created_at=now))
    db.session.add(Comment(thread_id=thread.id, author_id=actor.id if actor else None,
                           author_name=author_name or "", body=body, created_at=now, word_key=word_key))
    db.session.flush()
    audit.record("thread.opened", actor=actor, report=report, obj=thread,
                 details={"section": section_key, "quote": anchor.quote[:200], "severity": severity}, now=now)
    return thread


def reply(thread, *, actor, roles, body, author_name=None, word_key=None, now=None) -> Comment:
    now = now or utcnow()
    if actor is not None and not P.can_comment(roles):
        raise Forbidden(N_("Only members of this report can reply."))
    comment = Comment(thread_id=thread.id, author_id=actor.id if actor else None, author_name=author_name or "",
                      body=_clean_body(body), created_at=now, word_key=word_key)
    db.session.add(comment)
    thread.updated_at = now
    db.session.flush()
    audit.record("comment.added", actor=actor, report=thread_report(thread), obj=comment,
                 details={"thread": thread.id}, now=now)
    return comment


def resolve(thread, *, actor, roles, note="", is_lead=False, same_org=False, now=None):
    now = now or utcnow()
    if thread.status == "resolved":
        raise Conflict(N_("This thread is already resolved."))
    if not P.can_resolve(actor.id, roles, thread.created_by_id, is_lead=is_lead, same_org_as_creator=same_org):
        raise Forbidden(N_("Only the reviewer who opened this thread, or a reviewer lead of the same "
                           "organisation, can resolve it."))
    thread.status, thread.resolved_by_id, thread.resolved_at = "resolved", actor.id, now
    thread.resolution_note = (note or "").strip()[:2000]
    thread.updated_at = now
    db.session.flush()
    audit.record("thread.resolved", actor=actor, report=thread_report(thread), obj=thread,
                 details={"note": thread.resolution_note}, now=now)


def thread_report(thread):
    from ..models import Report
    return db.session.get(Report, thread.report_id)


def get_thread(report, thread_id) -> Thread:
    thread = db.session.get(Thread, thread_id) if isinstance(thread_id, int) else None
    if thread is None or thread.report_id != report.id:
        raise NotFound(N_("This thread does not exist."))
    return thread


# ------------------------------------------------------------------------------------ re-anchoring

def reanchor_threads(report, old_version: Version, new_version: Version, *, now=None) -> dict:
    """Carry every thread that is not resolved onto ``new_version``, recording the outcome.

    Resolved threads keep pointing at the version they were resolved on.  Nothing is deleted:
    a thread whose words are gone is kept as ``orphaned`` with its last quote.
    Returns counts per status.
    """
    now = now or utcnow()
    threads = list(db.session.scalars(select(Thread).where(Thread.report_id == report.id,
                                                           Thread.status != "resolved")))
    if not threads:
        return {}
    new_contents = version_contents(new_version)
    old_cache: dict[int, dict] = {}
    keys = dict(db.session.execute(select(Section.id, Section.key).where(Section.report_id == report.id)).all())
    reanchorers: dict[tuple, Reanchorer] = {}
    counts: dict[str, int] = {}
    for thread in threads:
        if thread.version_id == new_version.id:
            continue
        key = keys[thread.section_id]
        new_text = new_contents[key].text
        if thread.anchor_status in ("section", "orphaned"):
            status, anchor, score = thread.anchor_status, None, thread.anchor_score
        else:
            if thread.version_id not in old_cache:
                old_cache[thread.version_id] = version_contents(db.session.get(Version, thread.version_id))
            old_text = old_cache[thread.version_id][key].text
            r = reanchorers.get((thread.version_id, key))
            if r is None:
                r = reanchorers[(thread.version_id, key)] = Reanchorer(old_text, new_text)
            result = r.reanchor(Anchor(thread.start_offset, thread.end_offset, thread.quote, thread.prefix,
                                       thread.suffix))
            status, anchor, score = result.status, result.anchor, result.score
        if anchor is not None:
            thread.start_offset, thread.end_offset = anchor.start, anchor.end
            thread.quote, thread.prefix, thread.suffix = anchor.quote, anchor.prefix, anchor.suffix
        elif status == "orphaned":
            thread.start_offset = thread.end_offset = 0
        thread.anchor_status, thread.anchor_score = status, score
        thread.version_id = new_version.id
        db.session.add(ThreadAnchor(thread_id=thread.id, version_id=new_version.id, section_id=thread.section_id,
                                    start_offset=thread.start_offset, end_offset=thread.end_offset,
                                    quote=thread.quote, status=status, score=score, created_at=now))
        counts[status] = counts.get(status, 0) + 1
    db.session.flush()
    if counts:
        audit.record("threads.reanchored", report=report, obj=new_version,
                     details={"version": new_version.number, "counts": counts}, now=now)
    return counts
