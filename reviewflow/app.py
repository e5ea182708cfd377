"""The application factory: configuration, extensions, blueprints, error handlers, CLI."""
import gzip

from flask import Flask, g, request, session
from flask_login import current_user
from werkzeug.routing import IntegerConverter

from .extensions import babel, csrf, db, limiter, login_manager, migrate

COMPRESSIBLE = {"text/html", "application/json", "text/csv", "text/css", "application/javascript", "text/javascript"}


def select_locale():
    """The user's preference, then the session's choice, then the browser's, then French."""
    langs = ("fr", "en")
    if g.get("service_unavailable"):     # the 503 page: no database, so no user preference
        return session.get("lang") if session.get("lang") in langs else (request.accept_languages.best_match(langs)
                                                                         or "fr")
    if request.path.startswith("/api/"):     # the API: no session; Accept-Language, then the token's user
        api_user = g.get("api_user")
        if request.headers.get("Accept-Language"):
            return request.accept_languages.best_match(langs) or "fr"
        return api_user.language if api_user is not None and api_user.language in langs else "fr"
    if current_user and current_user.is_authenticated and current_user.language in langs:
        return current_user.language
    if session.get("lang") in langs:
        return session["lang"]
    return request.accept_languages.best_match(langs) or "fr"


class BoundedInt(IntegerConverter):
    """<int:...> URL parts that fit a database integer; a larger number is a 404, not a 500."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


class ReviewflowApp(Flask):
    def get_send_file_max_age(self, filename):
        """Static files asked for with their content hash (?v=, see formatting.static_url) are
        cached for a year; a changed file gets a new URL."""
        if request and request.args.get("v"):
            return 365 * 24 * 3600
        return super().get_send_file_max_age(filename)


def create_app(config=None):
    import config as config_module

    app = ReviewflowApp(__name__, instance_path=str(config_module.INSTANCE_DIR))
    app.url_map.converters["int"] = BoundedInt
    cfg = config if isinstance(config, type) else config_module.get_config(config)
    app.config.from_object(cfg)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = config_module.secret_key()
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        config_module.INSTANCE_DIR.mkdir(parents=True, exist_ok=True)

    if app.config.get("PROXY_COUNT"):
        from werkzeug.middleware.proxy_fix import ProxyFix
        n = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(config_module.BASE_DIR / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)

    from . import models  # noqa: F401  (register the tables)
    from .models import User
    from .models.user import PASSWORD_METHOD
    PASSWORD_METHOD["method"] = app.config.get("PASSWORD_HASH_METHOD", "scrypt")

    @login_manager.user_loader
    def load_user(session_id):
        """``User.get_id()`` is "<id>:<token>"; a stale token (password changed) logs out."""
        uid, _, token = str(session_id).partition(":")
        if not (uid.isascii() and uid.isdigit()) or len(uid) > 10:
            return None
        user = db.session.get(User, int(uid))
        if user is None or not user.active or token != user.session_token:
            return None
        return user

    _sqlite_pragmas(app)

    from .admin.views import bp as admin_bp
    from .approval.views import bp as approval_bp
    from .auth import tokens as auth_tokens  # noqa: F401  (its routes are on auth_bp)
    from .auth.views import bp as auth_bp
    from .budget.views import bp as budget_bp
    from .health.views import bp as health_bp
    from .reports.views import bp as reports_bp
    from .review import suggested_edits  # noqa: F401  (its routes are on review_bp)
    from .review.views import bp as review_bp
    app.register_blueprint(auth_bp)
    app.register_blueprint(approval_bp)
    app.register_blueprint(review_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(budget_bp)
    app.register_blueprint(health_bp)
    from .api import init_app as init_api
    init_api(app)

    from . import errors, formatting, jobs, logs, outbox
    logs.init_app(app)
    errors.register(app)
    formatting.register(app)
    outbox.init_app(app)
    jobs.init_app(app)

    from .cli import register as register_cli
    register_cli(app)

    @app.route("/favicon.ico")
    def favicon():
        return app.send_static_file("favicon.svg"), {"Content-Type": "image/svg+xml",
                                                     "Cache-Control": "public, max-age=604800"}

    @app.after_request
    def compress(response):
        """gzip HTML, JSON, CSV, CSS and JS for slow links (a report page shrinks about 8 times);
        static CSS and JS too (compressed once per file version, kept in memory)."""
        if (request.endpoint == "static" and response.status_code == 200 and response.direct_passthrough
                and response.mimetype in COMPRESSIBLE and "gzip" in request.headers.get("Accept-Encoding", "")):
            return _gzip_static(response)
        if (response.status_code < 200 or response.status_code >= 300 or response.direct_passthrough
                or "gzip" not in request.headers.get("Accept-Encoding", "")
                or "Content-Encoding" in response.headers
                or response.mimetype not in COMPRESSIBLE):
            return response
        data = response.get_data()
        if len(data) < 1024:
            return response
        response.set_data(gzip.compress(data, compresslevel=6))
        response.headers["Content-Encoding"] = "gzip"
        response.headers["Content-Length"] = str(len(response.get_data()))
        response.vary.add("Accept-Encoding")
        return response

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if app.config.get("SESSION_COOKIE_SECURE"):      # served over HTTPS only: say so to browsers
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
        return response

    return app


_STATIC_GZ: dict = {}


def _gzip_static(response):
    """A static file's response, gzipped (the compressed bytes cached per ETag)."""
    key = (request.path, response.get_etag()[0])
    data = _STATIC_GZ.get(key)
    if data is None:
        response.direct_passthrough = False
        data = gzip.compress(response.get_data(), compresslevel=9)
        if len(_STATIC_GZ) > 64:
            _STATIC_GZ.clear()
        _STATIC_GZ[key] = data
    else:
        if hasattr(response.response, "close"):
            response.response.close()     # the file is not read: its compressed bytes are cached
        response.direct_passthrough = False
    response.set_data(data)
    response.headers["Content-Encoding"] = "gzip"
    response.headers["Content-Length"] = str(len(data))
    response.vary.add("Accept-Encoding")
    return response


def _sqlite_pragmas(app):
    """SQLite: enforce foreign keys (PostgreSQL always does)."""
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return
    from sqlalchemy import event

    with app.app_context():
        engine = db.engine

        @event.listens_for(engine, "connect")
        def _fk(dbapi_conn, _record):
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()
