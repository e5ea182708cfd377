"""Flask extensions, created unbound and attached in create_app()."""
import hashlib

from flask import request, session
from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData

# Named constraints so that Alembic (batch mode on SQLite) can alter them.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING))
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()


def rate_limit_key() -> str:
    """Whom a rate limit counts: an API token (a digest of the Bearer header), else the logged-in
    account (read from the signed session cookie), else the client address (ProxyFix gives the real
    one behind a proxy); no database read."""
    auth = request.headers.get("Authorization", "")
    if auth:
        return "token:" + hashlib.sha256(auth.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    uid = str(session.get("_user_id") or "").partition(":")[0]
    return f"user:{uid}" if uid.isdigit() else f"ip:{request.remote_addr or '?'}"


# Counters in Redis when REVIEWFLOW_REDIS_URL is set (shared by every worker and host), else in
# the worker's memory (config RATELIMIT_STORAGE_URI).  Every page: RATELIMIT_DEFAULT per account or
# address; the log-in form and the JSON API (reviewflow.api) have limits of their own.  Health
# checks and static files are exempt.
limiter = Limiter(key_func=rate_limit_key, default_limits_exempt_when=lambda: request.endpoint == "static")
