"""In-app notifications (the inbox) and the e-mails that go with them.

Services call these functions inside their transaction; the rows land with the rest of the
change.  Their e-mails are queued on the transaction (reviewflow.outbox) and go out only after
the commit, so a rolled-back action never sends mail.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from .. import outbox
from .. import permissions as P
from ..extensions import db
from ..models import Comment, Membership, Notification, Report, Thread, User, Version
from ..timeutil import utcnow
from . import webhooks
from .errors import N_, NotFound

KINDS = ("new_thread", "reply", "mention", "new_version", "addressed", "resolved", "reopened", "severity",
         "signoff_requested", "state_changed", "suggested_edit", "suggested_edits_decided")


def _members(report_id: int, roles: Iterable[str] | None = None) -> list[User]:
    q = select(User, Membership.role).join(Membership, Membership.user_id == User.id).where(
        Membership.report_id == report_id, User.active.is_(True))
    if roles:
        q = q.where(Membership.role.in_(roles))
    return [u for u, _role in db.session.execute(q)]


def mentioned_users(report_id: int, body: str) -> list[User]:
    """Members named in the body as "@Full Name" or "@email" (case-insensitive)."""
    text = (body or "").casefold()
    if "@" not in text:
        return []
    found = {}
    for user in _members(report_id):
        for handle in (user.name, user.email):
            needle = "@" + handle.casefold()
            for m in re.finditer(re.escape(needle), text):
                after = text[m.end():m.end() + 1]
                if not after or not (after.isalnum() or after in "_-"):
                    found[user.id] = user
    return list(found.values())


def _push(users: Iterable[User | None], *, kind: str, report: Report, actor: User | None,
          thread: Thread | None = None, details: dict[str, Any] | None = None, now: datetime | None = None,
          visible_org: int | None = None, skip: Iterable[int] = ()) -> list[Notification]:
    now = now or utcnow()
    out = []
    seen = set(skip)
    for user in users:
        if user is None or user.id in seen or (actor is not None and user.id == actor.id):
            continue
        if thread is not None and not P.can_see_thread(user.organisation_id, visible_org, user.is_admin):
            continue
        seen.add(user.id)
        n = Notification(user_id=user.id, report_id=report.id, thread_id=thread.id if thread else None, kind=kind,
                         actor_id=actor.id if actor else None, details=details or {}, created_at=now)
        db.session.add(n)
        out.append(n)
    if out:
        db.session.flush()
        outbox.queue(n.id for n in out)
    return out


def _participants(thread: Thread) -> list[User]:
    ids = set(db.session.scalars(select(Comment.author_id).where(Comment.thread_id == thread.id,
                                                                Comment.author_id.is_not(None))))
    if thread.created_by_id:
        ids.add(thread.created_by_id)
    return list(db.session.scalars(select(User).where(User.id.in_(ids), User.active.is_(True)))) if ids else []


def thread_opened(report: Report, thread: Thread, body: str, *, actor: User,
                  now: datetime | None = None) -> None:
    webhooks.thread_event(report, thread, "thread.opened", now=now)
    mentioned = mentioned_users(report.id, body)
    details = {"quote": thread.quote[:120], "excerpt": body[:200]}
    sent = _push(mentioned, kind="mention", report=report, actor=actor, thread=thread, details=details, now=now,
                 visible_org=thread.visibility_org_id)
    _push(_members(report.id, ["drafter"]), kind="new_thread", report=report, actor=actor, thread=thread,
          details=details, now=now, visible_org=thread.visibility_org_id, skip={n.user_id for n in sent})


def replied(report: Report, thread: Thread, body: str, *, actor: User, now: datetime | None = None) -> None:
    mentioned = mentioned_users(report.id, body)
    details = {"quote": thread.quote[:120], "excerpt": body[:200]}
    sent = _push(mentioned, kind="mention", report=report, actor=actor, thread=thread, details=details, now=now,
                 visible_org=thread.visibility_org_id)
    _push(_participants(thread), kind="reply", report=report, actor=actor, thread=thread, details=details, now=now,
          visible_org=thread.visibility_org_id, skip={n.user_id for n in sent})


def mentions(report: Report, thread: Thread, body: str, *, actor: User,
             now: datetime | None = None) -> list[Notification]:
    details = {"quote": thread.quote[:120], "excerpt": body[:200]}
    return _push(mentioned_users(report.id, body), kind="mention", report=report, actor=actor, thread=thread,
                 details=details, now=now, visible_org=thread.visibility_org_id)


def thread_event(report: Report, thread: Thread, kind: str, *, actor: User,
                 details: dict[str, Any] | None = None, now: datetime | None = None) -> None:
    """addressed, severity -> the thread's opener; resolved/reopened -> its participants."""
    if kind == "resolved":
        webhooks.thread_event(report, thread, "thread.resolved", now=now)
    if kind in ("addressed", "severity"):
        users = [thread.created_by] if thread.created_by else []
    else:
        users = _participants(thread)
    _push(users, kind=kind, report=report, actor=actor, thread=thread, details=details or {}, now=now,
          visible_org=thread.visibility_org_id)


def suggested_edit(report: Report, thread: Thread, note: str, *, actor: User,
                   now: datetime | None = None) -> None:
    """A new suggested edit: the drafters (who decide) hear of it; people mentioned in its note too."""
    details = {"quote": thread.quote[:120], "replacement": (thread.replacement or "")[:120], "excerpt": note[:200]}
    sent = _push(mentioned_users(report.id, note), kind="mention", report=report, actor=actor, thread=thread,
                 details=details, now=now, visible_org=thread.visibility_org_id) if note else []
    _push(_members(report.id, ["drafter"]), kind="suggested_edit", report=report, actor=actor, thread=thread,
          details=details, now=now, visible_org=thread.visibility_org_id, skip={n.user_id for n in sent})


def suggested_edits_decided(report: Report, decided: Iterable[tuple[Thread, str]], *, actor: User | None,
                            version_number: int | None, now: datetime | None = None) -> None:
    """Each author hears once per decision (a batch of 200 is one notification): how many of
    their suggested edits were accepted, rejected or outdated, and in which version."""
    decided = list(decided)
    webhooks.suggestions_decided(report, decided, version_number=version_number, now=now)
    by_author: dict[int, list[tuple[Thread, str]]] = {}
    for thread, decision in decided:
        if thread.created_by_id:
            by_author.setdefault(thread.created_by_id, []).append((thread, decision))
    for author_id, items in by_author.items():
        author = db.session.get(User, author_id)
        if author is None or not author.active:
            continue
        counts: dict[str, int] = {}
        for _t, decision in items:
            counts[decision] = counts.get(decision, 0) + 1
        single = items[0][0] if len(items) == 1 else None
        _push([author], kind="suggested_edits_decided", report=report, actor=actor, thread=single,
              details={"counts": counts, "number": version_number,
                       "quote": single.quote[:120] if single is not None else ""},
              now=now, visible_org=single.visibility_org_id if single is not None else None)


def new_version(report: Report, version: Version, *, actor: User | None, now: datetime | None = None) -> None:
    """Reviewers and approvers hear of new versions once the report is with them (not drafts)."""
    webhooks.version_created(report, version, now=now)
    if report.state in ("draft", "withdrawn"):
        return
    _push(_members(report.id, ["reviewer", "approver"]), kind="new_version", report=report, actor=actor,
          details={"number": version.number}, now=now)


def import_summary(report: Report, *, actor: User, excerpt: str, now: datetime | None = None) -> None:
    """The drafters hear once of the comments a reviewer imported from a Word file."""
    _push(_members(report.id, ["drafter"]), kind="new_thread", report=report, actor=actor,
          details={"excerpt": excerpt}, now=now)


def report_state_changed(report: Report, action: str, *, actor: User | None, note: str = "",
                         now: datetime | None = None) -> None:
    kind = "signoff_requested" if action in ("submit", "resubmit") else "state_changed"
    roles = {"submit": ["reviewer", "approver"], "resubmit": ["reviewer", "approver"],
             "request_changes": ["drafter"], "start_review": ["drafter"]
             }.get(action, ["drafter", "reviewer", "approver"])
    _push(_members(report.id, roles), kind=kind, report=report, actor=actor,
          details={"action": action, "state": report.state, "note": note[:200]}, now=now)


def inbox(user: User, *, limit: int = 100) -> list[Notification]:
    """The user's latest notifications, with who acted (the page names them: no query per line)."""
    return list(db.session.scalars(select(Notification).options(joinedload(Notification.actor))
                                   .where(Notification.user_id == user.id)
                                   .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(limit)))


def get_notification(user: User, notification_id: int) -> Notification:
    """One of the user's notifications; NotFound (404) for anyone else's."""
    n = db.session.get(Notification, notification_id)
    if n is None or n.user_id != user.id:
        raise NotFound(N_("This page does not exist, or it is not shared with you."))
    return n


def unread_count(user: User) -> int:
    return db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))) or 0


def mark_read(user: User, notification_id: int | None = None, *, now: datetime | None = None) -> None:
    now = now or utcnow()
    q = select(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if notification_id is not None:
        q = q.where(Notification.id == notification_id)
    for n in db.session.scalars(q):
        n.read_at = now
    db.session.flush()
