"""Configuration classes: the only place the environment is read."""
import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def _bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def _secret_key():
    """SECRET_KEY from the environment, else a random key kept in instance/secret_key."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    path = INSTANCE_DIR / "secret_key"
    try:
        return path.read_text().strip()
    except FileNotFoundError:
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        key = os.urandom(32).hex()
        path.write_text(key)
        path.chmod(0o600)
        return key


def _database_url(default):
    url = os.environ.get("DATABASE_URL", default)
    # Heroku-style URLs name the driver "postgres://"; SQLAlchemy wants an explicit driver.
    if url.startswith("postgres://"):
        url = "postgresql+psycopg://" + url[len("postgres://"):]
    elif url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


class Config:
    SECRET_KEY = None  # set in create_app from _secret_key() unless given
    SQLALCHEMY_DATABASE_URI = _database_url(f"sqlite:///{INSTANCE_DIR / 'reviewflow.db'}")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SQLALCHEMY_RECORD_QUERIES = False

    # Uploads: Word files are refused above this size (HTTP 413).
    MAX_CONTENT_LENGTH = int(os.environ.get("REVIEWFLOW_MAX_UPLOAD_MB", "25")) * 1024 * 1024
    MAX_FORM_MEMORY_SIZE = 2 * 1024 * 1024

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("REVIEWFLOW_SECURE_COOKIES")
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = _bool("REVIEWFLOW_SECURE_COOKIES")
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)

    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None  # tied to the session instead of a clock

    BABEL_DEFAULT_LOCALE = "fr"
    BABEL_DEFAULT_TIMEZONE = os.environ.get("REVIEWFLOW_TIMEZONE", "UTC")
    LANGUAGES = ("fr", "en")

    # Login throttling: at most LOGIN_MAX_FAILURES failed attempts per account (and
    # LOGIN_MAX_FAILURES_PER_IP per address) within LOGIN_WINDOW_SECONDS.
    LOGIN_MAX_FAILURES = int(os.environ.get("REVIEWFLOW_LOGIN_MAX_FAILURES", "5"))
    LOGIN_MAX_FAILURES_PER_IP = int(os.environ.get("REVIEWFLOW_LOGIN_MAX_FAILURES_PER_IP", "30"))
    LOGIN_WINDOW_SECONDS = int(os.environ.get("REVIEWFLOW_LOGIN_WINDOW_SECONDS", "900"))

    # Mail: off unless MAIL_SERVER is set; "console" prints messages to the log.
    MAIL_BACKEND = os.environ.get("REVIEWFLOW_MAIL_BACKEND", "smtp" if os.environ.get("MAIL_SERVER") else "none")
    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "587"))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", True)
    MAIL_FROM = os.environ.get("MAIL_FROM", "reviewflow@localhost")

    # Address of the service as users reach it: links in e-mails are built from it (never from
    # the request's Host header).  TRUSTED_HOSTS (comma-separated) refuses other Host headers.
    BASE_URL = os.environ.get("REVIEWFLOW_BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    TRUSTED_HOSTS = [h.strip() for h in os.environ.get("REVIEWFLOW_TRUSTED_HOSTS", "").split(",") if h.strip()] or None
    # Behind a reverse proxy: how many proxies set X-Forwarded-For/-Proto (0 = none).
    PROXY_COUNT = int(os.environ.get("REVIEWFLOW_PROXY_COUNT", "0"))
    REMEMBER_COOKIE_DURATION = timedelta(days=14)

    # Redis: the job queue (RQ) and the shared rate-limit counters.  Unset: jobs run in-process
    # after each commit and limits are counted in the database / in memory.
    REDIS_URL = os.environ.get("REVIEWFLOW_REDIS_URL") or None
    REDIS_TIMEOUT_SECONDS = float(os.environ.get("REVIEWFLOW_REDIS_TIMEOUT_SECONDS", "2"))
    JOBS_QUEUE = os.environ.get("REVIEWFLOW_JOBS_QUEUE", "reviewflow")
    # A failed job is retried after these many seconds (then kept in RQ's failed registry).
    JOBS_RETRY_INTERVALS = tuple(int(s) for s in os.environ.get("REVIEWFLOW_JOBS_RETRY", "10,60,300").split(",")
                                 if s.strip())
    # Rate limits (flask-limiter): per account, or per address before log-in; the counters live in
    # Redis when it is configured, so every worker and host gives the same answer.  429 answers
    # carry Retry-After.  (Failed log-ins are also throttled in the database: LOGIN_* above.)
    RATELIMIT_STORAGE_URI = REDIS_URL or "memory://"
    RATELIMIT_DEFAULT = os.environ.get("REVIEWFLOW_RATE_LIMIT", "600 per minute")
    RATELIMIT_LOGIN = os.environ.get("REVIEWFLOW_RATE_LIMIT_LOGIN", "30 per minute")
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_KEY_PREFIX = "reviewflow-limits"
    RATELIMIT_STORAGE_OPTIONS = {"socket_timeout": 2, "socket_connect_timeout": 2} if REDIS_URL else {}
    JOBS_TIMEOUT_SECONDS = int(os.environ.get("REVIEWFLOW_JOBS_TIMEOUT_SECONDS", "120"))

    # Logs: "json" (one object per line, the default in production), "text", or Flask's default.
    LOG_FORMAT = os.environ.get("REVIEWFLOW_LOG_FORMAT", "")
    LOG_LEVEL = os.environ.get("REVIEWFLOW_LOG_LEVEL", "INFO")

    SHARED_DIR = os.environ.get("REVIEWFLOW_SHARED", str(BASE_DIR.parent / "shared"))

    # JSON API (/api/v1): its OpenAPI 3.1 document is generated by flask-smorest from the code.
    API_TITLE = "reviewflow API"
    API_VERSION = "1.0"
    OPENAPI_VERSION = "3.1.0"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"
    API_MAX_JSON_BYTES = int(os.environ.get("REVIEWFLOW_API_MAX_JSON_KB", "512")) * 1024
    # Rate limits per token (flask-limiter), kept in Redis when REVIEWFLOW_REDIS_URL is set (shared by
    # every worker), else in the process's memory.
    API_RATE_LIMIT = os.environ.get("REVIEWFLOW_API_RATE_LIMIT", "300/minute")


class DevelopmentConfig(Config):
    DEBUG = False
    MAIL_BACKEND = os.environ.get("REVIEWFLOW_MAIL_BACKEND", "console")


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key"
    SQLALCHEMY_DATABASE_URI = _database_url(os.environ.get("REVIEWFLOW_TEST_DATABASE_URL", "sqlite://"))
    MAIL_BACKEND = "memory"
    REDIS_URL = None          # tests that use Redis set it (REVIEWFLOW_TEST_REDIS_URL)
    # Limits on, but out of reach, except where a test lowers them (tests/views/test_rate_limits.py).
    RATELIMIT_DEFAULT = "100000 per minute"
    RATELIMIT_LOGIN = "100000 per minute"
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_STORAGE_OPTIONS = {}
    # Password hashing is deliberately slow in production; tests use a cheaper setting.
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    API_RATE_LIMIT = "10000/minute"


class ProductionConfig(Config):
    LOG_FORMAT = os.environ.get("REVIEWFLOW_LOG_FORMAT", "json")
    SESSION_COOKIE_SECURE = _bool("REVIEWFLOW_SECURE_COOKIES", True)
    REMEMBER_COOKIE_SECURE = _bool("REVIEWFLOW_SECURE_COOKIES", True)


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def get_config(name=None):
    return CONFIGS[name or os.environ.get("REVIEWFLOW_ENV", "development")]


def secret_key():
    return _secret_key()
