"""Workflow transitions, template findings, sign-off and the audit trail of a report."""
from __future__ import annotations

import json

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import workflow
from ..csvout import to_csv
from ..errors import int_arg, translated
from ..extensions import db
from ..formatting import label_of, lang
from ..report_templates import load_template
from ..services import findings, signoff, transitions, workspace
from ..services.errors import N_, Conflict, Invalid
from ..services.versions import latest_version

bp = Blueprint("approval", __name__)


@bp.before_request
@login_required
def require_login() -> None:
    return None


@bp.route("/reports/<int:report_id>/workflow/<action>", methods=["POST"])
def transition(report_id: int, action: str) -> ResponseReturnValue:
    report, roles = workspace.load_for(current_user, report_id)
    if action == "approve" or action not in workflow.ACTIONS:
        raise Invalid(N_("Unknown action."))
    transitions.act(report, action, actor=current_user, roles=roles, note=request.form.get("note", ""))
    db.session.commit()
    flash(_("Done: the report is now “%(state)s”.", state=_state(report.state)), "info")
    return redirect(url_for("reports.show", report_id=report.id))


def _state(code: str) -> str:
    return label_of("state", code)


@bp.route("/reports/<int:report_id>/findings/<fingerprint>/explain", methods=["POST"])
def explain(report_id: int, fingerprint: str) -> ResponseReturnValue:
    report, roles = workspace.load_for(current_user, report_id)
    findings.explain(report, latest_version(report), fingerprint[:40], actor=current_user, roles=roles,
                     note=request.form.get("note", ""))
    db.session.commit()
    flash(_("Explanation recorded."), "info")
    return redirect(url_for("reports.show", report_id=report.id) + "#f-" + fingerprint[:40])


@bp.route("/reports/<int:report_id>/findings/<fingerprint>/thread", methods=["POST"])
def finding_thread(report_id: int, fingerprint: str) -> ResponseReturnValue:
    report, roles = workspace.load_for(current_user, report_id)
    thread = findings.to_thread(report, latest_version(report), fingerprint[:40], actor=current_user, roles=roles,
                                lang=lang())
    db.session.commit()
    flash(_("Thread opened from the finding."), "info")
    return redirect(url_for("reports.show", report_id=report.id) + f"#t-{thread.id}")


@bp.route("/reports/<int:report_id>/signoff", methods=["GET", "POST"])
def signoff_page(report_id: int) -> ResponseReturnValue:
    report, roles = workspace.load_for(current_user, report_id)
    latest = latest_version(report)
    status = 200
    if request.method == "POST":
        number = int_arg(request.form.get("version"), "version")
        if number is None:
            raise Invalid(N_("Invalid number in the form (%(name)s)."), name="version")
        try:
            signoff.sign(report, actor=current_user, roles=roles, version_number=number,
                         decision=request.form.get("decision", "approve"), note=request.form.get("note", ""),
                         override=request.form.get("override", ""))
        except (Conflict, Invalid) as exc:
            db.session.rollback()
            flash(translated(exc), "error")
            status = 409 if isinstance(exc, Conflict) else 400
        else:
            db.session.commit()
            flash(_("Your decision on version %(n)s is recorded.", n=number), "info")
            return redirect(url_for("approval.signoff_page", report_id=report.id))
    reqs = signoff.requirements(report, latest)
    visible = {t.id for t in workspace.thread_index(report, current_user)}
    hidden_ids = {t.id for r in reqs if r.code == "blocking_threads" for t in r.items if t.id not in visible}
    people, _latest = signoff.signed_version_state(report)
    mine = next((s for u, s in people if u.id == current_user.id and s is not None), None)
    return render_template("approval/signoff.html", report=report, latest=latest, roles=roles, requirements=reqs,
                           hidden_blocking=len(hidden_ids), hidden_ids=hidden_ids, my_signoff=mine,
                           people=people, history=signoff.history(report), template=load_template(report.template_id),
                           form=request.form), status


@bp.route("/reports/<int:report_id>/audit")
def audit_trail(report_id: int) -> ResponseReturnValue:
    report, roles = workspace.load_for(current_user, report_id)
    events = workspace.visible_events(report, current_user)
    if request.args.get("format") == "csv":
        text = to_csv(["time_utc", "actor", "actor_email", "action", "object", "object_id", "details"], (
            [e.created_at.isoformat(timespec="seconds") + "Z", e.actor.name if e.actor else "",
             e.actor.email if e.actor else "", e.action, e.object_type, e.object_id or "",
             json.dumps(e.details or {}, ensure_ascii=False, sort_keys=True)] for e in events))
        return Response(text, mimetype="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="audit-report-{report.id}.csv"'})
    return render_template("approval/audit.html", report=report, events=events,
                           template=load_template(report.template_id))
