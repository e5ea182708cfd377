"""Production serving: /healthz and /readyz, a request id on every answer and log line, JSON logs,
and a 503 with Retry-After (never a 500, never a database query from the error page) when the
database or the queue cannot be reached, for anonymous and logged-in users alike."""
import json
import logging
import re

import pytest

import config
from reviewflow import create_app
from reviewflow.extensions import db
from reviewflow.logs import JsonFormatter, RequestContextFilter
from reviewflow.services import health

DEAD_DB = "postgresql+psycopg://postgres@127.0.0.1:1/nothing"     # nothing listens on port 1


def test_healthz_answers_without_the_database(client):
    r = client.get("/healthz")
    assert r.status_code == 200 and r.get_json() == {"status": "ok"}


def test_readyz_checks_the_database_and_the_migrations(client):
    r = client.get("/readyz")
    assert r.status_code == 200
    assert r.get_json()["checks"] == {"database": "ok", "migrations": "ok"}


def test_readyz_is_503_when_the_migrations_are_behind(client, monkeypatch):
    monkeypatch.setattr(health, "migration_heads", lambda: frozenset({"0099_future"}))
    r = client.get("/readyz")
    assert r.status_code == 503 and r.headers["Retry-After"]
    assert "0099_future" in r.get_json()["checks"]["migrations"]


def test_readyz_is_503_when_the_queue_is_unreachable(app, client):
    app.config.update(REDIS_URL="redis://127.0.0.1:1/0", REDIS_TIMEOUT_SECONDS=0.2)
    r = client.get("/readyz")
    assert r.status_code == 503 and r.get_json()["checks"]["queue"].startswith("unreachable")


def test_every_answer_carries_a_request_id(client):
    r = client.get("/healthz")
    assert len(r.headers["X-Request-ID"]) == 32
    assert client.get("/healthz", headers={"X-Request-ID": "proxy-abc.123"}).headers["X-Request-ID"] == "proxy-abc.123"
    forged = client.get("/healthz", headers={"X-Request-ID": "bad id;<x>"}).headers["X-Request-ID"]
    assert forged != "bad id;<x>" and len(forged) == 32


def test_json_log_lines_carry_the_request_id(app):
    with app.test_request_context("/reports/1", headers={"X-Request-ID": "req-42"}):
        app.preprocess_request()
        record = logging.LogRecord("reviewflow", logging.ERROR, __file__, 1, "database unreachable: %s", ("x",), None)
        RequestContextFilter().filter(record)
        line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "req-42" and line["path"] == "/reports/1"
    assert line["message"] == "database unreachable: x" and line["level"] == "ERROR"


def test_production_logs_are_json_by_default():
    assert config.ProductionConfig.LOG_FORMAT == "json"


@pytest.fixture
def dead_db_app(_schema):
    class Dead(_schema):
        SQLALCHEMY_DATABASE_URI = DEAD_DB
        SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "connect_args": {"connect_timeout": 2}}
    app = create_app(Dead)
    yield app
    with app.app_context():
        db.engine.dispose()


def _unavailable_lines(caplog):
    return [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_database_down_anonymous_gets_a_503_page(dead_db_app, caplog):
    client = dead_db_app.test_client()
    token_page = client.get("/login")
    assert token_page.status_code == 200                      # the log-in page needs no database
    token = re.search(r'name="csrf-token" content="([^"]+)"', token_page.get_data(as_text=True)).group(1)
    caplog.clear()
    r = client.post("/login", data={"email": "a@b.c", "password": "x", "csrf_token": token},
                    headers={"Accept-Language": "fr"})
    assert r.status_code == 503 and int(r.headers["Retry-After"]) >= 30
    body = r.get_data(as_text=True)
    assert "Service momentanément indisponible" in body and "Nothing was saved" not in body
    lines = _unavailable_lines(caplog)
    assert len(lines) == 1 and lines[0].getMessage().startswith("database unreachable: OperationalError")


def test_database_down_logged_in_user_gets_a_503_page_not_a_500(world, client, h, dead_db_app, caplog):
    h.login("drafter@oim.example")
    cookie = client.get_cookie("session")
    dead = dead_db_app.test_client()
    dead.set_cookie("session", cookie.value)
    caplog.clear()
    r = dead.get(f"/reports/{world.report.id}")
    assert r.status_code == 503 and int(r.headers["Retry-After"]) >= 30
    body = r.get_data(as_text=True)
    assert "Service momentanément indisponible" in body
    assert "Awa Drafter" not in body                           # the page did not ask for the user
    assert len(_unavailable_lines(caplog)) == 1


def test_database_down_readyz_and_json_clients_get_a_json_503(world, client, h, dead_db_app):
    r = dead_db_app.test_client().get("/readyz")
    assert r.status_code == 503 and r.get_json()["checks"]["database"].startswith("unreachable")
    h.login("drafter@oim.example")
    dead = dead_db_app.test_client()
    dead.set_cookie("session", client.get_cookie("session").value)
    r = dead.get("/", headers={"Accept": "application/json"})
    assert r.status_code == 503 and r.get_json()["error"] == "unavailable" and int(r.headers["Retry-After"]) >= 30
