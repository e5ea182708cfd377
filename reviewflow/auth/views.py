from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import AnyOf, DataRequired, Length

from ..errors import translated
from ..extensions import db, limiter
from ..safeurl import safe_next
from ..services import accounts
from ..services.errors import Invalid, TooManyAttempts

bp = Blueprint("auth", __name__)


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])
    remember = BooleanField("Remember me")


class PreferencesForm(FlaskForm):
    language = StringField("Language", validators=[AnyOf(("fr", "en"))])


def _throttle() -> accounts.Throttle:
    cfg = current_app.config
    return accounts.Throttle(cfg["LOGIN_MAX_FAILURES"], cfg["LOGIN_MAX_FAILURES_PER_IP"], cfg["LOGIN_WINDOW_SECONDS"])


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATELIMIT_LOGIN"], methods=["POST"])
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("reports.index"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        throttle = _throttle()
        try:
            # The attempt is committed before the password is checked, so parallel guesses all count.
            attempt = accounts.begin_login(form.email.data, ip=request.remote_addr or "?", throttle=throttle)
            db.session.commit()
            user = accounts.finish_login(attempt, form.password.data, throttle=throttle)
        except TooManyAttempts as exc:
            db.session.rollback()
            flash(_("Too many failed log-in attempts. Wait a few minutes and try again."), "error")
            retry = int(exc.details.get("retry_after") or throttle.window_seconds)
            return render_template("auth/login.html", form=form), 429, {"Retry-After": str(retry)}
        db.session.commit()
        if user is not None:
            session.clear()  # no session fixation
            login_user(user, remember=form.remember.data)
            return redirect(safe_next(request.args.get("next")) or url_for("reports.index"))
        flash(_("Wrong e-mail or password."), "error")
        status = 401
    elif request.method == "POST":
        status = 400
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout() -> ResponseReturnValue:
    logout_user()
    session.clear()
    flash(_("You are logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/lang/<code>", methods=["POST"])
def set_language(code: str) -> ResponseReturnValue:
    if code not in current_app.config["LANGUAGES"]:
        return redirect(url_for("reports.index"))
    session["lang"] = code
    if current_user.is_authenticated:
        accounts.update_user(current_user, actor=current_user, language=code)
        db.session.commit()
    return redirect(safe_next(request.form.get("next")) or url_for("reports.index"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account() -> ResponseReturnValue:
    form = PreferencesForm(language=current_user.language)
    if form.validate_on_submit():
        accounts.update_user(current_user, actor=current_user, language=form.language.data)
        db.session.commit()
        flash(_("Preferences saved."), "info")
        return redirect(url_for("auth.account"))
    return render_template("auth/account.html", form=form)


@bp.route("/account/password", methods=["POST"])
@login_required
def change_password() -> ResponseReturnValue:
    f = request.form
    try:   # the current password is checked like a log-in: throttled, attempts recorded
        ok = accounts.authenticate(current_user.email, f.get("current", ""), ip=request.remote_addr or "?",
                                   throttle=_throttle())
    except TooManyAttempts:
        db.session.rollback()
        flash(_("Too many failed log-in attempts. Wait a few minutes and try again."), "error")
        return render_template("auth/account.html", form=PreferencesForm(language=current_user.language)), 429
    if ok is None:
        db.session.commit()    # keep the failed attempt
        flash(_("Your current password is not right."), "error")
        return render_template("auth/account.html", form=PreferencesForm(language=current_user.language)), 400
    if f.get("new", "") != f.get("confirm", ""):
        flash(_("The two new passwords differ."), "error")
        return render_template("auth/account.html", form=PreferencesForm(language=current_user.language)), 400
    try:
        accounts.update_user(current_user, actor=current_user, password=f.get("new", ""))
    except Invalid as exc:
        db.session.rollback()
        flash(translated(exc), "error")
        return render_template("auth/account.html", form=PreferencesForm(language=current_user.language)), 400
    db.session.commit()
    login_user(current_user._get_current_object(), fresh=True)   # this session keeps working; others end
    flash(_("Password changed."), "info")
    return redirect(url_for("auth.account"))
