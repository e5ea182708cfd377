"""The /api/v1 blueprint (flask-smorest: its routes, arguments and responses make the OpenAPI
document), its authentication (Bearer tokens only: a session cookie is ignored), request ids,
the JSON body limit and the rate limit per token."""
from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from flask import current_app, g, request
from flask_smorest import Blueprint
from werkzeug.exceptions import RequestEntityTooLarge

from ..errors import request_id
from ..extensions import csrf, db, limiter
from ..services import tokens
from ..services.errors import N_, Invalid

bp = Blueprint("api", __name__, url_prefix="/api/v1",
               description="reviewflow's JSON API: reports, versions, threads, findings, sign-off.")
csrf.exempt(bp)     # no cookie authenticates it: there is no CSRF surface
limiter.limit(lambda: current_app.config["API_RATE_LIMIT"])(bp)

SAFE = {"GET", "HEAD", "OPTIONS"}
BEARER = [{"bearerAuth": []}]


@bp.before_request
def authenticate() -> None:
    request_id()
    limit = current_app.config["API_MAX_JSON_BYTES"]
    if request.content_length and request.content_length > limit and request.mimetype == "application/json":
        raise RequestEntityTooLarge()
    token = tokens.authenticate(request.headers.get("Authorization"))
    if db.session.dirty:            # the last use, noted at most once a minute
        db.session.commit()
    g.api_token = token
    g.api_user = token.user
    if request.method not in SAFE:
        tokens.require_write(token)


@bp.after_request
def stamp(response):
    response.headers["X-Request-Id"] = request_id()
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def user():
    return g.api_user


T = TypeVar("T")


def encode_cursor(value: int) -> str:
    return base64.urlsafe_b64encode(f"id:{value}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int | None:
    if not cursor:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    kind, _, number = text.partition(":")
    if kind != "id" or not number.isdigit() or len(number) > 10:
        raise Invalid(N_("This cursor is not valid: use the next_cursor of the previous page."))
    return int(number)


def paginate(items: Sequence[T], args: dict[str, Any], key: Callable[[T], int],
             dump: Callable[[T], dict[str, Any]], *, descending: bool = False) -> dict[str, Any]:
    """One page of ``items`` (sorted by ``key``) after the cursor, and the cursor of the next."""
    after = decode_cursor(args.get("cursor"))
    limit = args.get("limit") or 50
    rest = [i for i in items if after is None or (key(i) < after if descending else key(i) > after)]
    page = rest[:limit]
    more = len(rest) > limit
    return {"items": [dump(i) for i in page], "next_cursor": encode_cursor(key(page[-1])) if more and page else None}
