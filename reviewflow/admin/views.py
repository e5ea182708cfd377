"""Administration: users, organisations and report memberships (admins only)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from .. import permissions as P
from ..errors import int_arg, translated
from ..extensions import db
from ..permissions import ROLES
from ..services import accounts, versions, workspace
from ..services.errors import Conflict, Invalid, NotFound

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def require_admin() -> None:
    if not P.can_manage(current_user.is_admin):
        abort(404)


@bp.route("/users")
def users() -> ResponseReturnValue:
    return render_template("admin/users.html", users=accounts.users(), orgs=accounts.organisations())


@bp.route("/users", methods=["POST"])
def create_user() -> ResponseReturnValue:
    f = request.form
    try:
        user = accounts.create_user(f.get("email", ""), name=f.get("name", ""), password=f.get("password", ""),
                                    org_name=f.get("organisation", "").strip() or None,
                                    is_admin=bool(f.get("is_admin")), language=f.get("language", "fr"),
                                    actor=current_user)
    except (Invalid, Conflict) as exc:
        db.session.rollback()
        flash(translated(exc), "error")
        return render_template("admin/users.html", users=accounts.users(), orgs=accounts.organisations(),
                               form=f), 400
    db.session.commit()
    flash(_("User %(email)s created.", email=user.email), "info")
    return redirect(url_for("admin.users"))


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def edit_user(user_id: int) -> ResponseReturnValue:
    user = accounts.get_user(user_id)
    if request.method == "POST":
        f = request.form
        try:
            accounts.update_user(user, actor=current_user, name=f.get("name"), org_name=f.get("organisation", ""),
                                 language=f.get("language"), active=bool(f.get("active")),
                                 is_admin=bool(f.get("is_admin")), password=f.get("password") or None)
        except Invalid as exc:
            db.session.rollback()
            flash(translated(exc), "error")
            return render_template("admin/user.html", user=user), 400
        db.session.commit()
        flash(_("Saved."), "info")
        return redirect(url_for("admin.edit_user", user_id=user.id))
    return render_template("admin/user.html", user=user)


@bp.route("/reports/<int:report_id>/members", methods=["GET", "POST"])
def members(report_id: int) -> ResponseReturnValue:
    report = versions.get_report(report_id)
    if request.method == "POST":
        f = request.form
        if f.get("remove"):
            m = accounts.get_membership(report, int_arg(f["remove"], "remove"))
            accounts.remove_member(m, actor=current_user)
        else:
            try:
                user = accounts.user_by_email(f.get("email", ""))
                accounts.add_member(report, user, f.get("role", ""), actor=current_user, is_lead=bool(f.get("lead")))
            except (Invalid, NotFound) as exc:
                db.session.rollback()
                flash(translated(exc), "error")
                return render_template("admin/members.html", report=report, members=workspace.members(report),
                                       roles=ROLES, users=accounts.active_users()), 400
        db.session.commit()
        flash(_("Members updated."), "info")
        return redirect(url_for("admin.members", report_id=report.id))
    return render_template("admin/members.html", report=report, members=workspace.members(report), roles=ROLES,
                           users=accounts.active_users())
