"""Domain exceptions -> HTTP statuses in ONE table; answers HTML or JSON by Accept."""
import json
import uuid

from flask import current_app, g, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from werkzeug.exceptions import HTTPException
from werkzeug.http import HTTP_STATUS_CODES

from .extensions import db, login_manager
from .services import errors as E
from .workflow import WorkflowError

STATUS = {
    E.NotFound: 404,
    E.Forbidden: 403,
    E.Invalid: 400,
    E.Unauthenticated: 401,
    E.PreconditionFailed: 412,
    E.PreconditionRequired: 428,
    E.StaleVersion: 409,
    E.Conflict: 409,
    E.TooManyAttempts: 429,
    WorkflowError: 409,
}


MAX_INT = 2**31 - 1


def int_arg(value, name, default=None):
    """An integer from a form or query string, or Invalid (400) with the field's name."""
    if value in (None, ""):
        return default
    text = str(value).strip()
    if not (text.isascii() and text.lstrip("-").isdigit()) or not -MAX_INT <= int(text) <= MAX_INT:
        raise E.Invalid(E.N_("Invalid number in the form (%(name)s)."), name=name)
    return int(text)


def wants_json() -> bool:
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def status_for(exc) -> int:
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 500


TYPED_FIELDS = ("body", "note", "override", "text")


def is_api() -> bool:
    return request.path.startswith("/api/v1")


def request_id() -> str:
    """This request's id (X-Request-Id, echoed when the client sent a sane one), kept on ``g``."""
    rid = g.get("request_id")
    if rid is None:
        given = request.headers.get("X-Request-Id", "")
        rid = given if 8 <= len(given) <= 64 and all(c.isalnum() or c in "-_." for c in given) else uuid.uuid4().hex
        g.request_id = rid
    return rid


def problem(status: int, message: str, code: str = "error", **extra):
    """An RFC 9457 problem document (application/problem+json) with the translated reason."""
    body = {"type": f"/api/v1/problems/{code}", "title": HTTP_STATUS_CODES.get(status, "Error"), "status": status,
            "detail": message, "code": code, "request_id": request_id(), **extra}
    response = current_app.response_class(json.dumps(body, ensure_ascii=False), status=status,
                                          mimetype="application/problem+json")
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="reviewflow"'
    return response


def error_response(status: int, message: str, code: str = "error", **extra):
    if is_api():
        return problem(status, message, code, **extra)
    if wants_json():
        return jsonify(error=code, message=message, **extra), status
    if request.headers.get("HX-Request") == "true":   # an in-place action: the page shows it by the form
        return render_template("_refusal.html", status=status, message=message, code=code), status
    typed = ""
    if request.method == "POST" and status != 413:
        try:
            typed = next((request.form.get(k) for k in TYPED_FIELDS if (request.form.get(k) or "").strip()), "")
        except HTTPException:   # the form itself could not be read
            typed = ""
    return render_template("error.html", status=status, message=message, code=code, typed=typed[:20000]), status


def translated(exc) -> str:
    """A domain error's message in the user's language (services and workflow raise English
    templates marked for translation, with their values in ``details``)."""
    template = getattr(exc, "message", None)
    if not isinstance(template, str):
        return str(exc)
    details = {k: v for k, v in getattr(exc, "details", {}).items() if isinstance(v, (str, int, float))}
    if "state" in details or "action" in details:   # codes are shown as names in the user's language
        from .formatting import label_of
        if "state" in details:
            details["state"] = str(label_of("state", str(details["state"]).replace(" ", "_")))
        if "action" in details:
            details["action"] = str(label_of("action", str(details["action"])))
    try:
        return _(template, **details) if details else _(template)
    except (KeyError, ValueError, TypeError):
        return str(exc)


RETRY_AFTER_SECONDS = 30
UNAVAILABLE = {OperationalError: "database", InterfaceError: "database", PoolTimeoutError: "database",
               RedisConnectionError: "queue", RedisTimeoutError: "queue"}


def unavailable_response(what: str):
    """503 with Retry-After, for anonymous and logged-in users alike.  Nothing here may touch the
    database: the page is standalone (no header with the user's name or inbox count) and the
    language comes from the session or the browser (``g.service_unavailable``)."""
    g.service_unavailable = True
    g._login_user = login_manager.anonymous_user()   # Flask-Login: no more attempts to load the user
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    message = (_("The service is briefly unavailable (its database cannot be reached). Nothing was saved; "
                 "try again in a minute.") if what == "database" else
               _("The service is briefly unavailable (its job queue cannot be reached). Nothing was saved; "
                 "try again in a minute."))
    if wants_json():
        return jsonify(error="unavailable", message=message, retry_after=RETRY_AFTER_SECONDS), 503, headers
    if request.headers.get("HX-Request") == "true":
        return render_template("_refusal.html", status=503, message=message, code="unavailable"), 503, headers
    return render_template("unavailable.html", message=message), 503, headers


def _with_retry_after(response, seconds: str):
    """The answer (a response or a (body, status) pair) with Retry-After set unless already there."""
    response = make_response(response)
    response.headers.setdefault("Retry-After", seconds)
    return response


def _retry_after(exc) -> str:
    """Seconds until a rate limit's window resets (flask-limiter's RateLimitExceeded), else 60."""
    limit = getattr(exc, "limit", None)
    try:
        return str(max(1, int(limit.limit.get_expiry())))
    except (AttributeError, TypeError, ValueError):
        return "60"


def register(app):
    def service_unavailable(exc):
        what = next((w for cls, w in UNAVAILABLE.items() if isinstance(exc, cls)), "database")
        try:
            db.session.rollback()
        except Exception:  # noqa: BLE001 - the connection is gone; the session is discarded at teardown
            pass
        detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()
        app.logger.error("%s unreachable: %s: %s", what, type(exc).__name__, (detail[0] if detail else "")[:300])
        return unavailable_response(what)

    for cls in UNAVAILABLE:
        app.register_error_handler(cls, service_unavailable)

    @app.errorhandler(E.ServiceError)
    @app.errorhandler(WorkflowError)
    def domain_error(exc):
        db.session.rollback()
        current = (getattr(exc, "details", None) or {}).get("current")
        extra = {"current": current} if is_api() and isinstance(current, dict) else {}
        status = status_for(exc)
        response = error_response(status, translated(exc), getattr(exc, "code", "error"), **extra)
        if status == 429:
            retry = getattr(exc, "details", {}).get("retry_after") or 60
            return _with_retry_after(response, str(int(retry)))
        return response

    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        db.session.rollback()
        return error_response(400, _("Your form expired or was sent from elsewhere (missing security token). "
                                     "Reload the page and try again."), "csrf")

    @app.errorhandler(413)
    def too_large(exc):
        db.session.rollback()
        limit = app.config.get("MAX_CONTENT_LENGTH") or 0
        return error_response(413, _("The file is too large: the limit is %(mb)s MB.", mb=limit // (1024 * 1024)),
                              "too_large")

    @app.errorhandler(HTTPException)
    def http_error(exc):
        db.session.rollback()
        messages = {
            400: _("The request could not be understood."),
            403: _("You are not allowed to do this."),
            404: _("This page does not exist, or it is not shared with you."),
            405: _("This action is not available here."),
            415: _("Send the request's data as JSON (Content-Type: application/json)."),
            422: _("The request's data is not valid: see the errors of each field."),
            429: _("Too many requests. Wait a moment and try again."),
        }
        extra = {}
        if is_api():
            data = getattr(exc, "data", None) or {}
            if isinstance(data.get("messages"), dict):   # webargs: the fields' errors
                extra["errors"] = data["messages"]
        response = error_response(exc.code or 500, messages.get(exc.code, exc.description or ""), "http", **extra)
        if exc.code == 429:     # flask-limiter adds the exact Retry-After; this is the floor
            return _with_retry_after(response, _retry_after(exc))
        return response

    @app.errorhandler(Exception)
    def server_error(exc):
        db.session.rollback()
        app.logger.exception("Unhandled error")
        return error_response(500, _("Something went wrong on our side. Nothing was saved; please try again."),
                              "server")
