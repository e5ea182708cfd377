"""Outgoing e-mail of a transaction: queued by the services, handed over after the commit.

Services call ``queue(notification_ids)`` inside the request's (or command's) one transaction.
The view or CLI command commits with ``db.session.commit()``, nothing more: an ``after_commit``
hook on the session then hands the queued ids to ``dispatch``.  A rollback of the whole
transaction discards them, so a refused or failed request never sends mail; a savepoint
(``begin_nested``) that commits or rolls back changes nothing until the outer transaction ends.

``dispatch`` is the one place that says what "send" means: it hands ``mail.send_notifications``
with the ids to the job queue (``reviewflow.jobs``: RQ on Redis when configured, in-process
otherwise).  Nothing that happens after the commit can fail the request: errors are logged (the
in-app inbox already has the news).
"""
from __future__ import annotations

from collections.abc import Iterable

from flask import Flask, current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from . import jobs
from .extensions import db

KEY = "outbox"      # session.info[KEY]: ids of the notifications whose e-mails are due


def queue(notification_ids: Iterable[int], *, session: Session | None = None) -> None:
    """E-mail these notifications once the current transaction commits."""
    (session or db.session).info.setdefault(KEY, []).extend(notification_ids)


def pending(session: Session | None = None) -> list[int]:
    """Ids queued in the current transaction and not handed over yet."""
    return list((session or db.session).info.get(KEY, ()))


def dispatch(notification_ids: list[int]) -> None:
    """Hand the e-mails of committed notifications over to the job queue."""
    jobs.submit(jobs.Job("reviewflow.mail.send_notifications", (list(notification_ids),)))


def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():       # a savepoint: the outer transaction may still roll back
        return
    ids = session.info.pop(KEY, None)
    if not ids or not has_app_context():
        return
    try:
        dispatch(list(dict.fromkeys(ids)))
    except Exception:  # noqa: BLE001 - the commit is done; nothing after it may fail the request
        current_app.logger.exception("could not hand over %d notification e-mail(s)", len(ids))


def _after_soft_rollback(session: Session, previous_transaction: SessionTransaction) -> None:
    """The whole transaction was rolled back: its e-mails must not go out.  (A savepoint rolled
    back inside it changes nothing: its notifications were never committed, and none is found
    when the e-mails are rendered.)"""
    if not previous_transaction.nested and previous_transaction.parent is None:
        session.info.pop(KEY, None)


def init_app(app: Flask) -> None:
    for name, hook in (("after_commit", _after_commit), ("after_soft_rollback", _after_soft_rollback)):
        if not event.contains(db.session, name, hook):
            event.listen(db.session, name, hook)
