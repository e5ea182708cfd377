"""Suggested edits on the review blueprint: a reviewer suggests, a drafter accepts (one, a
reviewer's, a section's: one new version), rejects, or edits the proposal first.

Plain POST forms that work without JavaScript; each view parses, loads, calls one service of
``services.suggestions``, commits and goes back to the page it came from.
"""
from __future__ import annotations

from flask import abort, flash, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..errors import int_arg
from ..extensions import db
from ..services import suggestions, workspace
from ..services.suggestions import Decision
from .views import _answer, _back, _htmx, bp


@bp.route("/reports/<int:report_id>/suggestions", methods=["POST"])
def suggest(report_id: int) -> ResponseReturnValue:
    report, roles = workspace.load_for(current_user, report_id)
    f = request.form
    start, end = int_arg(f.get("start"), "start"), int_arg(f.get("end"), "end")
    located = start is None and end is None and not f.get("thread")      # the form without JavaScript
    replacement = "" if f.get("delete") else f.get("replacement", "")
    thread = suggestions.suggest(
        report, actor=current_user, roles=roles, section_key=f.get("section", ""), start=start, end=end,
        quote=f.get("quote") if start is not None or located else None, replacement=replacement,
        version_number=int_arg(f.get("version"), "version"), note=f.get("body", ""),
        in_thread=int_arg(f.get("thread"), "thread"), insert_after=located and f.get("at") == "after")
    db.session.commit()
    message = _("Suggested edit saved. The drafters are notified.")
    if not _htmx():
        flash(message, "info")
        return _back(report, thread)
    return _answer(report, roles, thread, message, created=True, extra={
        "can_suggest": True, "can_decide": False, "suggestion_effects": suggestions.effects([thread])})


def _said(result: Decision) -> str:
    if result.decision == "rejected":
        message = ngettext("%(num)s suggested edit rejected.", "%(num)s suggested edits rejected.",
                           len(result.decided))
    elif result.version is not None:
        message = ngettext("%(num)s suggested edit accepted: version %(n)s created.",
                           "%(num)s suggested edits accepted: version %(n)s created.",
                           len(result.decided), n=result.version.number)
    else:
        message = ngettext("%(num)s suggested edit accepted.", "%(num)s suggested edits accepted.",
                           len(result.decided))
    if result.outdated:
        message += " " + ngettext("%(num)s overlapping suggested edit is now outdated.",
                                  "%(num)s overlapping suggested edits are now outdated.", len(result.outdated))
    if result.skipped:
        message += " " + ngettext("%(num)s could not be accepted and stays open.",
                                  "%(num)s could not be accepted and stay open.", len(result.skipped))
    return message


@bp.route("/reports/<int:report_id>/suggestions/<int:suggestion_id>/<action>", methods=["POST"])
def decide_one(report_id: int, suggestion_id: int, action: str) -> ResponseReturnValue:
    report, roles = workspace.load_for(current_user, report_id)
    s = suggestions.get_suggestion(report, suggestion_id, viewer=current_user)
    f = request.form
    if action == "edit":
        suggestions.edit_proposal(s, actor=current_user, roles=roles, replacement=f.get("replacement", ""))
        db.session.commit()
        flash(_("Proposal edited; the reviewer's proposal is kept beside it."), "info")
        return _back(report, s)
    if action not in ("accept", "reject"):
        abort(404)
    edited = f.get("replacement") if action == "accept" and "replacement" in f else None
    result = suggestions.decide(report, action, actor=current_user, roles=roles, viewer=current_user,
                                ids=[s.id], reason=f.get("note", ""), replacement=edited)
    db.session.commit()
    flash(_said(result), "info")
    return _back(report, s)


@bp.route("/reports/<int:report_id>/suggestions/decide", methods=["POST"])
def decide_many(report_id: int) -> ResponseReturnValue:
    """All open suggested edits of one reviewer (``author``) and/or one section (``section``)."""
    report, roles = workspace.load_for(current_user, report_id)
    f = request.form
    result = suggestions.decide(report, f.get("decision", ""), actor=current_user, roles=roles, viewer=current_user,
                                author_id=int_arg(f.get("author"), "author"), section_key=f.get("section") or None,
                                reason=f.get("note", ""))
    db.session.commit()
    flash(_said(result), "info")
    return _back(report)
