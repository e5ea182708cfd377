"""Review: threads and comments, the report dashboard, the inbox."""
from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from .. import permissions as P
from ..errors import int_arg, translated
from ..extensions import db
from ..models import Report, Thread
from ..rendering import section_html
from ..safeurl import safe_next
from ..services import notify, threads, workspace
from ..services.threads import ReopenQuestion

bp = Blueprint("review", __name__)


@bp.before_request
@login_required
def require_login() -> None:
    return None


@bp.app_context_processor
def inbox_badge() -> dict[str, int]:
    """The unread count every page shows in its header: one query per request (kept on ``g``)."""
    if not current_user or not current_user.is_authenticated:
        return {"unread": 0}
    if "unread" not in g:
        g.unread = notify.unread_count(current_user)
    return {"unread": g.unread}


def _back(report: Report, thread: Thread | None = None) -> WerkzeugResponse:
    """Back to the page the form was on (this report's page, with its filters), never elsewhere."""
    anchor = f"#t-{thread.id}" if thread is not None else ""
    target = safe_next(request.form.get("back") or "")
    if target and target.startswith(f"/reports/{report.id}"):
        return redirect(target.split("#")[0] + anchor)
    return redirect(url_for("reports.show", report_id=report.id) + anchor)


def _htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def _answer(report: Report, roles: set[str], thread: Thread, message: str, *, created: bool = False,
            just_resolved: bool = False, extra: dict | None = None) -> ResponseReturnValue:
    """Without JavaScript: the message and back to the page.  With htmx: the fragments the
    action changed (the thread's card, its line in the review pane, the counts, the section's
    count in the table of contents and its text with the highlights), nothing else."""
    if not _htmx():
        flash(message, "info")
        return _back(report, thread)
    cards = workspace.thread_cards(report, current_user, roles, [thread.id])
    t = cards.threads[0]
    counts, section_open = workspace.review_counts(report, current_user, cards.latest)
    text = workspace.section_text(report, current_user, cards.latest, t.section.key)
    item = workspace.pane_items([t], {t.section_id: t.section.key})[0]
    return render_template("reports/_changed.html", cards=cards, item=item, counts=counts,
                           section_open=section_open, section=text.section, text_page=text,
                           sid=t.section.key.replace(".", "-"), created=created, just_resolved=just_resolved,
                           message=message, section_html=section_html, can_comment=P.can_comment(roles),
                           is_reviewer=bool(roles & {"reviewer", "approver"}), is_drafter="drafter" in roles,
                           back=_back_path(report), **(extra or {}))


def _back_path(report: Report) -> str:
    target = safe_next(request.form.get("back") or "")
    if target and target.startswith(f"/reports/{report.id}"):
        return target.split("#")[0]
    return url_for("reports.show", report_id=report.id)


def _load(report_id: int, thread_id: int) -> tuple[Report, set[str], Thread]:
    report, roles = workspace.load_for(current_user, report_id)
    return report, roles, threads.get_thread(report, thread_id, viewer=current_user)


@bp.route("/reports/<int:report_id>/threads", methods=["POST"])
def open_thread(report_id: int) -> ResponseReturnValue:
    report, roles = workspace.load_for(current_user, report_id)
    f = request.form
    start, end = int_arg(f.get("start"), "start"), int_arg(f.get("end"), "end")
    thread = threads.open_thread(
        report, actor=current_user, roles=roles, section_key=f.get("section", ""), body=f.get("body", ""),
        version_number=int_arg(f.get("version"), "version"), start=start, end=end,
        quote=f.get("quote") if start is not None else None, severity=f.get("severity") or "normal",
        internal_org_id=current_user.organisation_id if f.get("internal") else None)
    db.session.commit()
    return _answer(report, roles, thread, _("Comment added."), created=True)


@bp.route("/reports/<int:report_id>/threads/<int:thread_id>/reply", methods=["POST"])
def reply(report_id: int, thread_id: int) -> ResponseReturnValue:
    report, roles, thread = _load(report_id, thread_id)
    choice = request.form.get("reopen")
    reopen = None if choice is None else choice == "1"
    try:
        threads.reply(thread, actor=current_user, roles=roles, body=request.form.get("body", ""), reopen=reopen)
    except ReopenQuestion as exc:
        db.session.rollback()
        return render_template("review/reopen_question.html", report=report, thread=thread,
                               body=request.form.get("body", ""), message=translated(exc)), 409
    db.session.commit()
    return _answer(report, roles, thread, _("Reply added."))


@bp.route("/reports/<int:report_id>/comments/<int:comment_id>/edit", methods=["POST"])
def edit_comment(report_id: int, comment_id: int) -> ResponseReturnValue:
    report, roles = workspace.load_for(current_user, report_id)
    comment, thread = threads.get_comment(report, comment_id, viewer=current_user)
    threads.edit_comment(comment, actor=current_user, body=request.form.get("body", ""))
    db.session.commit()
    return _answer(report, roles, thread, _("Comment updated; the earlier text is kept in its history."))


@bp.route("/reports/<int:report_id>/threads/<int:thread_id>/<action>", methods=["POST"])
def act(report_id: int, thread_id: int, action: str) -> ResponseReturnValue:
    report, roles, thread = _load(report_id, thread_id)
    f = request.form
    if action == "address":
        threads.mark_addressed(thread, actor=current_user, roles=roles,
                               version_number=int_arg(f.get("version"), "version"), body=f.get("body", ""))
        message = _("Marked as addressed. The reviewer is notified.")
    elif action == "resolve":
        threads.resolve(thread, actor=current_user, roles=roles, note=f.get("note", ""))
        message = _("Thread resolved.")
    elif action == "undo":
        threads.undo_resolve(thread, actor=current_user, roles=roles)
        message = _("Resolution undone.")
    elif action == "reopen":
        threads.reopen(thread, actor=current_user, roles=roles, note=f.get("note", ""))
        message = _("Thread reopened.")
    elif action == "severity":
        threads.set_severity(thread, actor=current_user, roles=roles, severity=f.get("severity", ""))
        message = _("Saved.")
    elif action == "reattach":
        threads.reattach(thread, actor=current_user, roles=roles, start=int_arg(f.get("start"), "start"),
                         end=int_arg(f.get("end"), "end"), quote=f.get("quote"),
                         version_number=int_arg(f.get("version"), "version"))
        message = _("Thread re-attached to the selected text.")
    elif action == "confirm":
        threads.confirm(thread, actor=current_user, roles=roles)
        message = _("Place confirmed.")
    else:
        abort(404)
    db.session.commit()
    return _answer(report, roles, thread, message, just_resolved=action == "resolve")


@bp.route("/reports/<int:report_id>/dashboard")
def dashboard(report_id: int) -> ResponseReturnValue:
    report, roles = workspace.load_for(current_user, report_id)
    return render_template("review/dashboard.html", report=report, board=workspace.dashboard(report, current_user))


@bp.route("/inbox")
def inbox() -> ResponseReturnValue:
    return render_template("review/inbox.html", items=notify.inbox(current_user))


@bp.route("/inbox/read", methods=["POST"])
def read_all() -> ResponseReturnValue:
    notify.mark_read(current_user)
    db.session.commit()
    return redirect(url_for("review.inbox"))


@bp.route("/notifications/<int:notification_id>")
def notification(notification_id: int) -> ResponseReturnValue:
    n = notify.get_notification(current_user, notification_id)
    notify.mark_read(current_user, n.id)
    db.session.commit()
    if n.report_id is None:
        return redirect(url_for("review.inbox"))
    anchor = f"#t-{n.thread_id}" if n.thread_id else ""
    return redirect(url_for("reports.show", report_id=n.report_id) + anchor)
