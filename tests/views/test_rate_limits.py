"""Rate limits give the same answer whichever worker serves the request (counters in Redis when
configured), 429 answers carry Retry-After, and HSTS is sent when cookies are Secure."""
import os
import uuid

import pytest

from reviewflow import create_app
from reviewflow.extensions import db
from tests.helpers.web import Helpers

REDIS_URL = os.environ.get("REVIEWFLOW_TEST_REDIS_URL")


MADE: list = []


def _app(base, **settings):
    """An app of its own (another worker, other settings); its connections are closed after the test."""
    app = create_app(type("Cfg", (base,), dict(settings)))
    MADE.append(app)
    return app


@pytest.fixture(autouse=True)
def _close_made_apps(_schema):
    yield
    while MADE:
        made = MADE.pop()
        with made.app_context():
            for engine in db.engines.values():
                engine.dispose()
    create_app(_schema)     # the limiter is one object: bind it back to settings with limits off


def _post_login(client, email="nobody@example.org", password="wrong-password"):
    return Helpers(client).login(email, password)


@pytest.fixture
def limited(_schema, app):
    """The test app with a log-in rate limit of 3 a minute (memory storage)."""
    limited = _app(_schema, RATELIMIT_ENABLED=True, RATELIMIT_LOGIN="3 per minute",
                   RATELIMIT_KEY_PREFIX=f"rf-test-{uuid.uuid4().hex[:8]}")
    return limited


def test_the_login_rate_limit_answers_429_with_retry_after(world, limited):
    client = limited.test_client()
    codes = [_post_login(client).status_code for _ in range(3)]
    assert codes == [401, 401, 401]
    r = _post_login(client)
    assert r.status_code == 429
    assert 1 <= int(r.headers["Retry-After"]) <= 60
    assert "Trop de demandes" in r.get_data(as_text=True)
    assert client.get("/healthz").status_code == 200          # health checks are never limited


def test_the_database_login_throttle_answers_429_with_retry_after(world, h):
    for _ in range(5):
        assert h.login("drafter@oim.example", "bad-password").status_code == 401
    r = h.login("drafter@oim.example")
    assert r.status_code == 429 and 1 <= int(r.headers["Retry-After"]) <= 900


def test_hsts_is_sent_only_when_cookies_are_secure(_schema, client):
    assert "Strict-Transport-Security" not in client.get("/login").headers
    secure = _app(_schema, SESSION_COOKIE_SECURE=True)
    r = secure.test_client().get("/login")
    assert r.headers["Strict-Transport-Security"].startswith("max-age=31536000")


@pytest.fixture
def redis_limits(_schema, app):
    if not REDIS_URL:
        pytest.skip("REVIEWFLOW_TEST_REDIS_URL is not set (e.g. redis://127.0.0.1:6379/4): shared limits untested")
    import redis
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        pytest.skip(f"Redis at {REDIS_URL} unreachable: {exc}")
    prefix = f"rf-test-{uuid.uuid4().hex[:8]}"
    settings = dict(RATELIMIT_ENABLED=True, RATELIMIT_LOGIN="3 per minute", RATELIMIT_STORAGE_URI=REDIS_URL,
                    RATELIMIT_KEY_PREFIX=prefix)
    yield lambda: _app(_schema, **settings)
    conn = redis.Redis.from_url(REDIS_URL)
    for key in conn.scan_iter(f"{prefix}*"):
        conn.delete(key)
    conn.close()


def test_with_redis_every_worker_counts_the_same_attempts(world, redis_limits):
    first = redis_limits().test_client()     # one worker ...
    assert [_post_login(first).status_code for _ in range(2)] == [401, 401]
    second = redis_limits().test_client()    # ... and another, with counters of its own in memory
    assert _post_login(second).status_code == 401
    r = _post_login(second)
    assert r.status_code == 429 and int(r.headers["Retry-After"]) >= 1


def test_with_redis_down_the_limited_pages_answer_503(_schema, app, world):
    down = _app(_schema, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0",
                RATELIMIT_STORAGE_OPTIONS={"socket_connect_timeout": 0.2, "socket_timeout": 0.2})
    r = down.test_client().get("/login")
    assert r.status_code == 503 and int(r.headers["Retry-After"]) >= 30
    assert "file de tâches" in r.get_data(as_text=True)
    assert down.test_client().get("/healthz").status_code == 200
