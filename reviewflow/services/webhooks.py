"""Webhooks: an administrator registers a URL per report or per organisation; the events of
the review (a version created, a thread opened or resolved, suggested edits decided, a
sign-off) are queued as deliveries in the same transaction as the change (a rollback sends
nothing), then POSTed signed:

    X-Reviewflow-Signature: t=<unix time>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>

Each delivery is handed to the job queue (``reviewflow.jobs``) once the change is committed: a
worker (RQ) sends it and retries a failure with the queue's back-off; without Redis it is sent
in-process right after the commit.  Every attempt is recorded on the delivery's row, and a
failed one is due again after ``BACKOFF`` seconds (``flask webhooks deliver`` sends what is due:
the retries of the in-process mode), up to ``MAX_ATTEMPTS``.  Delivery is at least once:
receivers deduplicate on ``X-Reviewflow-Delivery``.  Threads
internal to an organisation are only sent to hooks of that organisation.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import time
import urllib.error
import urllib.request
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select

from .. import jobs
from ..extensions import db
from ..models import WEBHOOK_EVENTS, Membership, Organisation, Report, Thread, User, Version, Webhook, WebhookDelivery
from ..timeutil import utcnow
from . import audit
from .errors import N_, Forbidden, Invalid, NotFound

BACKOFF = (10, 60, 300, 1800, 7200)        # seconds before attempt 2, 3, ...
MAX_ATTEMPTS = len(BACKOFF) + 1
TIMEOUT = 5
SIGNATURE = "X-Reviewflow-Signature"


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify(secret: str, header: str, body: bytes, *, tolerance: int = 300, now: float | None = None) -> bool:
    """What a receiver does: the signature matches and the timestamp is recent (no replay)."""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    try:
        timestamp = int(parts.get("t", ""))
    except ValueError:
        return False
    if abs((now or time.time()) - timestamp) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), f"t={timestamp},v1={parts.get('v1', '')}")


# ------------------------------------------------------------------------------- registering

def register(*, actor: User, url: str, events: Iterable[str] | None = None, report: Report | None = None,
             organisation: Organisation | None = None, now: datetime | None = None) -> Webhook:
    if not actor.is_admin:
        raise Forbidden(N_("Only administrators register webhooks."))
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(url) > 500:
        raise Invalid(N_("The webhook URL must be an http or https address."))
    chosen = list(dict.fromkeys(events or WEBHOOK_EVENTS))
    unknown = [e for e in chosen if e not in WEBHOOK_EVENTS]
    if unknown:
        raise Invalid(N_("Unknown webhook event: %(event)s."), event=unknown[0][:40])
    if report is None and organisation is None:
        raise Invalid(N_("A webhook is for a report or an organisation."))
    hook = Webhook(url=url, secret="whsec_" + secrets.token_urlsafe(24), report_id=report.id if report else None,
                   organisation_id=organisation.id if organisation else None, events=chosen,
                   created_by_id=actor.id, created_at=now or utcnow())
    db.session.add(hook)
    db.session.flush()
    audit.record("webhook.registered", actor=actor, report=report, obj=hook, details={"url": url, "events": chosen},
                 now=now)
    return hook


def require_admin(actor: User) -> None:
    if not actor.is_admin:
        raise Forbidden(N_("Only administrators register webhooks."))


def get_organisation(org_id: int) -> Organisation:
    org = db.session.get(Organisation, org_id)
    if org is None:
        raise NotFound(N_("No organisation has this number."))
    return org


def organisation_named(name: str) -> Organisation:
    org = db.session.scalar(select(Organisation).where(Organisation.name == (name or "").strip()))
    if org is None:
        raise NotFound(N_("No organisation is called %(name)s."), name=(name or "")[:120])
    return org


def hooks(*, report: Report | None = None) -> list[Webhook]:
    q = select(Webhook).order_by(Webhook.id)
    if report is not None:
        q = q.where(Webhook.report_id == report.id)
    return list(db.session.scalars(q))


def get_hook(hook_id: int, *, actor: User) -> Webhook:
    hook = db.session.get(Webhook, hook_id)
    if hook is None or not actor.is_admin:
        raise NotFound(N_("This webhook does not exist."))
    return hook


def deactivate(hook: Webhook, *, actor: User, now: datetime | None = None) -> Webhook:
    if not actor.is_admin:
        raise Forbidden(N_("Only administrators register webhooks."))
    hook.active = False
    audit.record("webhook.deactivated", actor=actor, obj=hook, details={"url": hook.url}, now=now)
    db.session.flush()
    return hook


def deliveries(hook: Webhook, *, limit: int = 100) -> list[WebhookDelivery]:
    return list(db.session.scalars(select(WebhookDelivery).where(WebhookDelivery.webhook_id == hook.id)
                                   .order_by(WebhookDelivery.id.desc()).limit(limit)))


# ------------------------------------------------------------------------------- emitting

def _targets(report: Report, event: str, visible_org: int | None) -> list[Webhook]:
    """Active hooks wanting ``event`` for this report: the report's own, and those of the
    organisations taking part in it.  An internal thread: only hooks of its organisation."""
    orgs = set(db.session.scalars(select(User.organisation_id).join(Membership, Membership.user_id == User.id)
                                  .where(Membership.report_id == report.id, User.organisation_id.is_not(None))))
    q = select(Webhook).where(Webhook.active.is_(True),
                              (Webhook.report_id == report.id)
                              | (Webhook.report_id.is_(None) & Webhook.organisation_id.in_(orgs or {-1})))
    out = []
    for hook in db.session.scalars(q.order_by(Webhook.id)):
        if event not in (hook.events or ()):
            continue
        if visible_org is not None and hook.organisation_id != visible_org:
            continue
        out.append(hook)
    return out


def emit(report: Report, event: str, data: dict[str, Any], *, visible_org: int | None = None,
         now: datetime | None = None) -> list[WebhookDelivery]:
    """Queue ``event`` for every hook it concerns, in the current transaction."""
    now = now or utcnow()
    targets = _targets(report, event, visible_org)
    out = []
    for hook in targets:
        body = json.dumps({"event": event, "report": report.id, "at": now.isoformat() + "Z", "data": data},
                          ensure_ascii=False, sort_keys=True, default=str)
        d = WebhookDelivery(webhook_id=hook.id, event=event, body=body, status="pending", attempts=0,
                            created_at=now, next_attempt_at=now)
        db.session.add(d)
        out.append(d)
    if out:
        db.session.flush()
        for d in out:            # sent once the change is committed (never when it rolls back)
            jobs.enqueue("reviewflow.services.webhooks.deliver", d.id)
    return out


def thread_data(thread: Thread) -> dict[str, Any]:
    return {"thread": thread.id, "kind": thread.kind, "section": thread.section.key if thread.section else None,
            "status": thread.status, "severity": thread.severity, "quote": (thread.quote or "")[:500],
            "internal": thread.visibility_org_id is not None}


def thread_event(report: Report, thread: Thread, event: str, *, now: datetime | None = None) -> None:
    emit(report, event, thread_data(thread), visible_org=thread.visibility_org_id, now=now)


def version_created(report: Report, version: Version, *, now: datetime | None = None) -> None:
    emit(report, "version.created", {"version": version.number, "source": version.source}, now=now)


def suggestions_decided(report: Report, decided: Iterable[tuple[Thread, str]], *, version_number: int | None,
                        now: datetime | None = None) -> None:
    """One delivery per organisation scope: shared suggested edits together, internal ones only
    to their organisation's hooks."""
    groups: dict[int | None, list[tuple[Thread, str]]] = {}
    for thread, decision in decided:
        groups.setdefault(thread.visibility_org_id, []).append((thread, decision))
    for org, items in groups.items():
        emit(report, "suggestion.decided", {"version": version_number, "suggestions": [
            {"thread": t.id, "decision": d, "section": t.section.key if t.section else None} for t, d in items]},
            visible_org=org, now=now)


def signed(report: Report, decision: str, version_number: int, approver: User, *,
           now: datetime | None = None) -> None:
    emit(report, "signoff", {"decision": decision, "version": version_number, "approver": approver.name,
                             "state": report.state}, now=now)


# ------------------------------------------------------------------------------- delivering

def _post(url: str, body: bytes, headers: dict[str, str]) -> int:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    opener = urllib.request.build_opener(_NoRedirect)
    with opener.open(request, timeout=TIMEOUT) as response:
        return response.status


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):     # a redirect is an answer, not followed
        return None


def attempt(delivery: WebhookDelivery, *, now: datetime | None = None) -> bool:
    """One attempt: POST the signed body; record the answer; schedule the next try on failure
    (``failed`` after MAX_ATTEMPTS).  True when delivered."""
    now = now or utcnow()
    if delivery.status == "delivered":
        return True
    hook = delivery.webhook
    body = delivery.body.encode()
    timestamp = int(time.time())
    headers = {"Content-Type": "application/json", "User-Agent": "reviewflow-webhooks",
               "X-Reviewflow-Event": delivery.event, "X-Reviewflow-Delivery": str(delivery.id),
               SIGNATURE: sign(hook.secret, timestamp, body)}
    delivery.attempts += 1
    delivery.last_attempt_at = now
    try:
        status = _post(hook.url, body, headers)
        error = "" if 200 <= status < 300 else f"HTTP {status}"
    except urllib.error.HTTPError as exc:
        status, error = exc.code, f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        status, error = None, (type(exc).__name__ + ": " + str(getattr(exc, "reason", exc)))[:500]
    delivery.response_status = status
    delivery.error = error
    if not error:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = "delivered", now, None
    elif delivery.attempts >= MAX_ATTEMPTS or not hook.active:
        delivery.status, delivery.next_attempt_at = "failed", None
    else:
        delivery.next_attempt_at = now + timedelta(seconds=BACKOFF[delivery.attempts - 1])
    db.session.flush()
    return not error


class DeliveryFailed(Exception):
    """Raised by the job after a failed attempt that will be tried again, so that the job queue
    (RQ) retries it with its back-off; the attempt is already recorded."""


def deliver(delivery_id: int) -> bool:
    """The job: one attempt at one delivery, committed (it runs in its own session).  A failure
    with attempts left raises DeliveryFailed (the queue retries; in-process, the next
    ``flask webhooks deliver`` does when the delivery is due)."""
    delivery = db.session.get(WebhookDelivery, delivery_id)
    if delivery is None or delivery.status != "pending":
        return delivery is not None and delivery.status == "delivered"
    ok = attempt(delivery)
    db.session.commit()
    if not ok and delivery.status == "pending":
        raise DeliveryFailed(f"webhook delivery {delivery_id}: {delivery.error} (attempt {delivery.attempts})")
    return ok


def due(*, now: datetime | None = None, limit: int = 100) -> list[WebhookDelivery]:
    now = now or utcnow()
    return list(db.session.scalars(select(WebhookDelivery).where(
        WebhookDelivery.status == "pending", WebhookDelivery.next_attempt_at <= now)
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id).limit(limit)))


def deliver_due(*, now: datetime | None = None, limit: int = 100) -> dict[str, int]:
    """Every pending delivery whose time has come, one attempt each (``flask webhooks deliver``)."""
    counts = {"delivered": 0, "failed": 0, "retrying": 0}
    for d in due(now=now, limit=limit):
        if attempt(d, now=now):
            counts["delivered"] += 1
        elif d.status == "failed":
            counts["failed"] += 1
        else:
            counts["retrying"] += 1
    return counts
