"""API test builders: a token for a user, requests with its Bearer header."""
from __future__ import annotations

from reviewflow.extensions import db
from reviewflow.services import tokens


def token_for(user, scope="write", days=30, name="tests") -> str:
    new = tokens.create_token(user, actor=user, name=name, scope=scope, days=days)
    db.session.commit()
    return new.secret


class Api:
    """``api.get(path)``/``post``/``put`` with ``Authorization: Bearer`` and JSON bodies."""

    def __init__(self, client, secret: str | None):
        self.client, self.secret = client, secret

    def headers(self, extra=None):
        h = {"Authorization": f"Bearer {self.secret}"} if self.secret else {}
        return {**h, **(extra or {})}

    def get(self, path, headers=None, **kw):
        return self.client.get("/api/v1" + path, headers=self.headers(headers), **kw)

    def post(self, path, json=None, headers=None, **kw):
        return self.client.post("/api/v1" + path, json=json, headers=self.headers(headers), **kw)

    def put(self, path, json=None, headers=None, **kw):
        return self.client.put("/api/v1" + path, json=json, headers=self.headers(headers), **kw)


def as_user(client, user, scope="write") -> Api:
    return Api(client, token_for(user, scope=scope))
