"""Preferences > API tokens: a user creates (the token shown once), lists and revokes their
personal access tokens of the JSON API (routes on auth's blueprint)."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..errors import int_arg
from ..extensions import db
from ..services import tokens
from ..timeutil import utcnow
from .views import bp

DAYS = (7, 30, 90, 365)


def _page(status: int = 200, secret: str | None = None, name: str = "") -> ResponseReturnValue:
    return render_template("auth/tokens.html", tokens=tokens.tokens_of(current_user), now=utcnow(), days=DAYS,
                           secret=secret, name=name), status


@bp.route("/account/tokens", methods=["GET"])
@login_required
def api_tokens() -> ResponseReturnValue:
    return _page()


@bp.route("/account/tokens", methods=["POST"])
@login_required
def create_api_token() -> ResponseReturnValue:
    f = request.form
    new = tokens.create_token(current_user, actor=current_user, name=f.get("name", ""),
                              scope=f.get("scope", "read"), days=int_arg(f.get("days"), "days", 90))
    db.session.commit()
    return _page(201, secret=new.secret, name=new.token.name)


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_api_token(token_id: int) -> ResponseReturnValue:
    tokens.revoke(tokens.get_token(token_id, actor=current_user), actor=current_user)
    db.session.commit()
    flash(_("Token revoked: it no longer opens the API."), "info")
    return redirect(url_for("auth.api_tokens"))
