"""E-mail for notifications: rendered in the reader's language and delivered, once the
transaction that created them has committed (reviewflow.outbox hands them over as a job,
reviewflow.jobs; ``send_notifications`` is the job and never sends one notification twice).

Backends (config MAIL_BACKEND): "none" (default without MAIL_SERVER), "console" (development:
written to the log), "memory" (tests: kept in app.extensions["mail_outbox"]), "smtp".
"""
from __future__ import annotations

import smtplib
from collections.abc import Iterable
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import urlsplit

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from .extensions import db
from .formatting import decision_counts, label_of
from .models import Notification, Report, User
from .timeutil import utcnow


@dataclass
class Mail:
    to: str
    subject: str
    body: str
    message_id: str | None = None     # the same for every attempt at one notification's e-mail


def _subject_body(n: Notification, session: Session) -> tuple[str, str]:
    report = session.get(Report, n.report_id) if n.report_id else None
    actor = session.get(User, n.actor_id) if n.actor_id else None
    who = actor.name if actor else _("Someone")
    title = report.project.title if report else ""
    d = n.details or {}
    subjects = {
        "new_thread": _("%(who)s commented on %(title)s", who=who, title=title),
        "reply": _("%(who)s replied in a thread on %(title)s", who=who, title=title),
        "mention": _("%(who)s mentioned you on %(title)s", who=who, title=title),
        "new_version": _("Version %(n)s of %(title)s is available", n=d.get("number", "?"), title=title),
        "addressed": _("%(who)s marked your comment as addressed on %(title)s", who=who, title=title),
        "resolved": _("%(who)s resolved a thread on %(title)s", who=who, title=title),
        "reopened": _("%(who)s reopened a thread on %(title)s", who=who, title=title),
        "severity": _("%(who)s made your blocking thread on %(title)s non-blocking", who=who, title=title),
        "signoff_requested": _("%(title)s was submitted for review and sign-off", title=title),
        "state_changed": _("%(title)s: %(state)s", title=title, state=label_of("state", d.get("state", ""))),
        "suggested_edit": _("%(who)s suggested an edit on %(title)s", who=who, title=title),
        "suggested_edits_decided": _("%(who)s decided on your suggested edits on %(title)s", who=who, title=title),
    }
    subject = subjects.get(n.kind, title)
    lines = [subject, ""]
    if d.get("quote"):
        lines.append("« {} »".format(d["quote"]))
    if n.kind == "suggested_edit":
        lines.append("→ « {} »".format(d.get("replacement", "")))
    if n.kind == "suggested_edits_decided":
        counts = d.get("counts") or {}
        lines.append(_("%(decisions)s (version %(n)s)", decisions=decision_counts(counts),
                       n=d.get("number") or "?"))
    if d.get("excerpt"):
        lines.append(d["excerpt"])
    if d.get("note"):
        lines.append(d["note"])
    base = current_app.config.get("BASE_URL", "").rstrip("/")
    with current_app.test_request_context("/"):
        path = url_for("review.notification", notification_id=n.id)
    lines += ["", base + path]
    return subject, "\n".join(lines)


def render(notification: Notification, session: Session | None = None) -> Mail | None:
    """The e-mail of one notification (None when its reader's account is gone or inactive)."""
    session = session or db.session
    user = session.get(User, notification.user_id)
    if user is None or not user.active:
        return None
    with force_locale(user.language or "fr"):
        subject, body = _subject_body(notification, session)
    host = urlsplit(current_app.config.get("BASE_URL") or "").hostname or "localhost"
    return Mail(user.email, "[reviewflow] " + subject, body, f"<notification-{notification.id}@{host}>")


def deliver(mails: list[Mail]) -> None:
    """Deliver these e-mails; raises when the mail server refuses or cannot be reached (the job
    is then retried: the e-mails already delivered are not sent again)."""
    cfg = current_app.config
    backend = cfg.get("MAIL_BACKEND", "none")
    if backend == "none" or not mails:
        return
    if backend == "memory":
        current_app.extensions.setdefault("mail_outbox", []).extend(mails)
        return
    if backend == "console":
        for m in mails:
            current_app.logger.info("mail to %s: %s\n%s", m.to, m.subject, m.body)
        return
    with smtplib.SMTP(cfg["MAIL_SERVER"], cfg["MAIL_PORT"], timeout=cfg.get("MAIL_TIMEOUT_SECONDS", 10)) as smtp:
        if cfg.get("MAIL_USE_TLS"):
            smtp.starttls()
        if cfg.get("MAIL_USERNAME"):
            smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"] or "")
        for m in mails:
            msg = EmailMessage()
            msg["From"], msg["To"] = cfg["MAIL_FROM"], m.to
            msg["Subject"] = " ".join(m.subject.split())   # no line breaks in a header
            if m.message_id:
                msg["Message-ID"] = m.message_id
            msg.set_content(m.body)
            smtp.send_message(msg)


def send_notifications(notification_ids: Iterable[int]) -> int:
    """The job: render and deliver the e-mails of these (committed) notifications, in a session
    of its own.  Each notification's e-mail is its own step: its row is locked, skipped when
    ``mail_sent_at`` says it already went (the idempotency key of a retried job), delivered,
    then marked and committed.  A failure raises after the e-mails already delivered are marked,
    so a retry sends only the rest.  Returns how many were delivered."""
    ids = sorted(set(notification_ids))
    sent = 0
    with Session(db.engine) as session:
        for nid in ids:
            n = session.scalars(select(Notification).where(Notification.id == nid,
                                                           Notification.mail_sent_at.is_(None))
                                .with_for_update()).first()
            if n is None:                      # gone, or already mailed by an earlier attempt
                session.rollback()
                continue
            m = render(n, session)
            if m is not None:
                deliver([m])
                sent += 1
            n.mail_sent_at = utcnow()
            session.commit()
    return sent
