"""Personal access tokens: created and shown once, stored hashed, scoped, expiring, revocable;
the only way into /api/v1 (a session cookie is not)."""
from datetime import timedelta

from sqlalchemy import select

from reviewflow.extensions import db
from reviewflow.models import ApiToken
from reviewflow.services import tokens
from reviewflow.timeutil import utcnow
from tests.helpers.api import Api, token_for
from tests.helpers.db import nothing_stored


def test_a_token_is_stored_hashed_and_acts_as_its_user(world, client):
    secret = token_for(world.reviewer, scope="read")
    row = db.session.scalar(select(ApiToken))
    assert secret.startswith("rf_") and secret not in (row.token_hash, row.prefix) and len(row.token_hash) == 64
    r = Api(client, secret).get("/me")
    assert r.status_code == 200, r.json
    assert r.json["email"] == "reviewer@pbf.example" and r.json["token"]["scope"] == "read"
    db.session.refresh(row)
    assert row.last_used_at is not None


def test_no_token_an_unknown_one_and_a_session_cookie_are_401_problems(world, client, h):
    r = client.get("/api/v1/reports")
    assert r.status_code == 401 and r.mimetype == "application/problem+json"
    assert r.json["code"] == "unauthenticated" and "Bearer" in r.headers["WWW-Authenticate"]
    assert r.headers["X-Request-Id"] == r.json["request_id"]
    assert Api(client, "rf_nope").get("/reports").status_code == 401
    h.login("reviewer@pbf.example")          # logged in on the site: the API still wants a token
    r = client.get("/api/v1/reports")
    assert r.status_code == 401
    r = client.post("/api/v1/reports/1/threads", json={"section": "x", "body": "y"})
    assert r.status_code == 401


def test_expired_and_revoked_tokens_say_why(world, client):
    secret = token_for(world.reviewer)
    token = db.session.scalar(select(ApiToken))
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    r = Api(client, secret).get("/reports", headers={"Accept-Language": "en"})
    assert r.status_code == 401 and r.json["detail"] == "This token has expired."
    token.expires_at = None
    tokens.revoke(token, actor=world.reviewer)
    db.session.commit()
    r = Api(client, secret).get("/reports")
    assert r.status_code == 401 and r.json["detail"] == "Ce jeton a été révoqué."


def test_a_read_token_cannot_write_and_nothing_is_stored(w, client):
    api = Api(client, token_for(w.reviewer, scope="read"))
    with nothing_stored(ignore=("api_token",)):
        r = api.post(f"/reports/{w.report.id}/threads", json={"section": "implementation_status", "body": "Non"})
    assert r.status_code == 403 and r.json["code"] == "read_only_token"


def test_request_id_is_echoed_when_sane(world, client):
    api = Api(client, token_for(world.reviewer))
    assert api.get("/me", headers={"X-Request-Id": "abc-123-def"}).headers["X-Request-Id"] == "abc-123-def"
    assert api.get("/me", headers={"X-Request-Id": "<script>"}).headers["X-Request-Id"] != "<script>"


def test_cli_creates_lists_and_revokes(world, runner, client):
    import json
    r = runner.invoke(args=["tokens", "create", "approver@onudc.example", "--name", "gateway", "--scope", "read",
                            "--days", "10"])
    assert r.exit_code == 0, r.output
    made = json.loads(r.output)
    assert made["token"].startswith("rf_") and made["scope"] == "read"
    assert Api(client, made["token"]).get("/me").status_code == 200
    listed = json.loads(runner.invoke(args=["tokens", "list", "approver@onudc.example"]).output)
    assert [t["name"] for t in listed] == ["gateway"] and "token" not in listed[0]
    r = runner.invoke(args=["tokens", "revoke", str(made["id"])])
    assert r.exit_code == 0 and json.loads(r.output)["state"] == "revoked"
    assert Api(client, made["token"]).get("/me").status_code == 401


def test_cli_refuses_bad_input_and_stores_nothing(world, runner):
    with nothing_stored():
        r = runner.invoke(args=["tokens", "create", "approver@onudc.example", "--name", "x", "--days", "9999"])
        assert r.exit_code != 0 and "days" in r.output
        r = runner.invoke(args=["tokens", "create", "nobody@x.example", "--name", "x"])
        assert r.exit_code != 0


def test_rate_limit_per_token_answers_429_with_retry_after(world, client, app):
    app.config["API_RATE_LIMIT"] = "3/minute"
    a, b = Api(client, token_for(world.reviewer)), Api(client, token_for(world.approver))
    codes = [a.get("/me").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    r = a.get("/me")
    assert r.status_code == 429 and r.mimetype == "application/problem+json" and int(r.headers["Retry-After"]) > 0
    assert b.get("/me").status_code == 200       # another token has its own budget


def test_the_tokens_page_shows_a_new_token_once_and_revokes_it(world, h, client):
    import re
    h.login("reviewer@pbf.example")
    r = h.post("/account/tokens", {"name": "Tableau de bord", "scope": "read", "days": "30"}, token_from="/account/tokens")
    page = r.get_data(as_text=True)
    assert r.status_code == 201 and "Tableau de bord" in page
    secret = re.search(r'<code id="new-token">(rf_[^<]+)</code>', page).group(1)
    assert Api(client, secret).get("/me").status_code == 200
    again = client.get("/account/tokens").get_data(as_text=True)
    assert secret not in again and "Lecture seule" in again
    token = db.session.scalar(select(ApiToken))
    r = h.post(f"/account/tokens/{token.id}/revoke", {}, token_from="/account/tokens")
    assert r.status_code == 302
    assert Api(client, secret).get("/me").status_code == 401


def test_the_tokens_page_refuses_a_bad_request_and_stores_nothing(world, h):
    h.login("reviewer@pbf.example")
    with nothing_stored(ignore=("login_attempt",)):
        r = h.post("/account/tokens", {"name": "", "scope": "read", "days": "30"}, token_from="/account/tokens")
        assert r.status_code == 400
        r = h.post("/account/tokens", {"name": "x", "scope": "admin", "days": "30"}, token_from="/account/tokens")
        assert r.status_code == 400


def test_another_users_token_cannot_be_revoked(world, h):
    token_for(world.approver)
    token = db.session.scalar(select(ApiToken))
    h.login("reviewer@pbf.example")
    with nothing_stored(ignore=("login_attempt",)):
        assert h.post(f"/account/tokens/{token.id}/revoke", {}, token_from="/account/tokens").status_code == 404
