"""flask webhooks add / list / deliveries / deliver / disable: webhooks from the command line
(an administrator's).  ``deliver`` sends the pending deliveries whose time has come (one
attempt each; a failure is tried again later with back-off): run it from cron, or let the job
queue do it.  One commit at the end, JSON out, exit 1 with a one-line reason otherwise."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from .clitools import emit
from .extensions import db
from .models import WEBHOOK_EVENTS
from .services import versions, webhooks
from .services.errors import ServiceError

webhooks_cli = AppGroup("webhooks", help="Webhooks: signed POSTs of the review's events.")


class _Admin:
    id = None
    is_admin = True
    organisation_id = None


def _fail(message: str) -> None:
    db.session.rollback()
    raise click.ClickException(message)


def hook_json(h, *, secret: bool = False) -> dict:
    out = {"id": h.id, "url": h.url, "report": h.report_id,
           "organisation": h.organisation.name if h.organisation else None, "events": list(h.events or []),
           "active": h.active}
    if secret:
        out["secret"] = h.secret
    return out


def delivery_json(d) -> dict:
    return {"id": d.id, "webhook": d.webhook_id, "event": d.event, "status": d.status, "attempts": d.attempts,
            "response_status": d.response_status, "error": d.error, "created_at": d.created_at.isoformat(),
            "next_attempt_at": d.next_attempt_at.isoformat() if d.next_attempt_at else None,
            "delivered_at": d.delivered_at.isoformat() if d.delivered_at else None}


@webhooks_cli.command("add")
@click.option("--url", required=True)
@click.option("--report", "report_id", type=int, default=None, help="The report's events.")
@click.option("--org", "org_name", default=None, help="An organisation: the events of every report it takes part "
                                                       "in, and its internal threads.")
@click.option("--event", "events", multiple=True, type=click.Choice(WEBHOOK_EVENTS), help="Default: every event.")
def add_cmd(url, report_id, org_name, events):
    """Register a webhook; prints it with its signing secret (once)."""
    try:
        report = versions.get_report(report_id) if report_id is not None else None
        org = webhooks.organisation_named(org_name) if org_name else None
        hook = webhooks.register(actor=_Admin(), url=url, events=events or None, report=report,  # type: ignore[arg-type]
                                 organisation=org)
    except ServiceError as exc:
        _fail(str(exc))
    db.session.commit()
    emit(hook_json(hook, secret=True))


@webhooks_cli.command("list")
def list_cmd():
    """Every webhook (never their secrets)."""
    emit([hook_json(h) for h in webhooks.hooks()])


@webhooks_cli.command("deliveries")
@click.argument("hook_id", type=int)
def deliveries_cmd(hook_id):
    """The delivery log of a webhook, newest first."""
    try:
        hook = webhooks.get_hook(hook_id, actor=_Admin())  # type: ignore[arg-type]
    except ServiceError as exc:
        _fail(str(exc))
    emit([delivery_json(d) for d in webhooks.deliveries(hook)])


@webhooks_cli.command("deliver")
def deliver_cmd():
    """Send the pending deliveries that are due (one attempt each)."""
    counts = webhooks.deliver_due()
    db.session.commit()
    emit(counts)


@webhooks_cli.command("disable")
@click.argument("hook_id", type=int)
def disable_cmd(hook_id):
    """Stop a webhook (its log is kept)."""
    try:
        hook = webhooks.deactivate(webhooks.get_hook(hook_id, actor=_Admin()), actor=_Admin())  # type: ignore[arg-type]
    except ServiceError as exc:
        _fail(str(exc))
    db.session.commit()
    emit(hook_json(hook))
