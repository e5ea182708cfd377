"""Administrators' endpoints: webhooks (register, list, their delivery log, disable)."""
from __future__ import annotations

from ..extensions import db
from ..services import versions, webhooks
from . import schemas as S
from . import serialize as J
from .blueprint import bp, user
from .reads import doc, ok


def hook(h, *, secret: bool = False) -> dict:
    out = {"id": h.id, "url": h.url, "report": h.report_id, "organisation": h.organisation_id,
           "events": list(h.events or []), "active": bool(h.active)}
    return {**out, "secret": h.secret} if secret else out


def delivery(d) -> dict:
    return {"id": d.id, "event": d.event, "status": d.status, "attempts": d.attempts,
            "response_status": d.response_status, "error": d.error or "", "created_at": J.iso(d.created_at),
            "next_attempt_at": J.iso(d.next_attempt_at), "delivered_at": J.iso(d.delivered_at)}


@bp.route("/webhooks")
@bp.response(200, S.WebhookList)
@bp.doc(**doc(403))
def list_webhooks():
    """Every webhook (administrators)."""
    webhooks.require_admin(user())
    return ok({"items": [hook(h) for h in webhooks.hooks()]})


@bp.route("/webhooks", methods=["POST"])
@bp.arguments(S.NewWebhook)
@bp.response(201, S.WebhookCreated)
@bp.doc(**doc(400, 403, 404, 413, 415, 422))
def create_webhook(data):
    """Register a webhook for a report or an organisation (administrators); its signing secret
    is in the answer, once."""
    u = user()
    webhooks.require_admin(u)
    report = versions.get_report(data["report"]) if data.get("report") else None
    org = webhooks.get_organisation(data["organisation"]) if data.get("organisation") else None
    h = webhooks.register(actor=u, url=data["url"], events=data.get("events") or None, report=report,
                          organisation=org)
    db.session.commit()
    return ok(hook(h, secret=True), status=201)


@bp.route("/webhooks/<int:hook_id>/deliveries")
@bp.response(200, S.DeliveryList)
@bp.doc(**doc(403, 404))
def webhook_deliveries(hook_id: int):
    """A webhook's delivery log, newest first (status, attempts, last answer)."""
    u = user()
    webhooks.require_admin(u)
    return ok({"items": [delivery(d) for d in webhooks.deliveries(webhooks.get_hook(hook_id, actor=u))]})


@bp.route("/webhooks/<int:hook_id>/disable", methods=["POST"])
@bp.response(200, S.WebhookOut)
@bp.doc(**doc(403, 404))
def disable_webhook(hook_id: int):
    """Stop a webhook (its log is kept)."""
    u = user()
    webhooks.require_admin(u)
    h = webhooks.deactivate(webhooks.get_hook(hook_id, actor=u), actor=u)
    db.session.commit()
    return ok(hook(h))
