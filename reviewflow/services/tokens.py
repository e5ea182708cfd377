"""Personal access tokens of the JSON API: create (shown once), list, revoke, authenticate.

A token is ``rf_`` + 43 URL-safe random characters; only its SHA-256 is stored (the token is
random enough that a slow hash adds nothing), with its first characters to tell tokens apart.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from ..extensions import db
from ..models import TOKEN_SCOPES, ApiToken, User
from ..timeutil import utcnow
from . import audit
from .errors import N_, Forbidden, Invalid, NotFound, Unauthenticated

PREFIX = "rf_"
MAX_DAYS = 366
LAST_USED_EVERY = timedelta(minutes=1)   # last use is written at most once a minute per token


class ReadOnlyToken(Forbidden):
    code = "read_only_token"


@dataclass
class NewToken:
    token: ApiToken
    secret: str          # shown once


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def create_token(user: User, *, actor: User, name: str, scope: str = "read", days: int | None = 90,
                 now: datetime | None = None) -> NewToken:
    """A new token for ``user``; only the user themself or an administrator (e.g. for a service
    account) may create one.  ``days`` None: no expiry."""
    now = now or utcnow()
    if actor.id != user.id and not actor.is_admin:
        raise NotFound(N_("This user does not exist."))
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise Invalid(N_("Give the token a name (at most 100 characters)."))
    if scope not in TOKEN_SCOPES:
        raise Invalid(N_("The scope must be read or write."))
    if days is not None and not 1 <= days <= MAX_DAYS:
        raise Invalid(N_("A token lasts from 1 to %(max)s days."), max=MAX_DAYS)
    if not user.active:
        raise Invalid(N_("This account is deactivated."))
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, scope=scope, token_hash=digest(secret), prefix=secret[:10],
                     created_at=now, created_by_id=actor.id,
                     expires_at=now + timedelta(days=days) if days is not None else None)
    db.session.add(token)
    db.session.flush()
    audit.record("token.created", actor=actor, obj=token, details={"user": user.id, "name": name, "scope": scope},
                 now=now)
    return NewToken(token, secret)


def tokens_of(user: User) -> list[ApiToken]:
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)
                                   .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def get_token(token_id: int, *, actor: User) -> ApiToken:
    token = db.session.get(ApiToken, token_id)
    if token is None or (token.user_id != actor.id and not actor.is_admin):
        raise NotFound(N_("This token does not exist."))
    return token


def revoke(token: ApiToken, *, actor: User, now: datetime | None = None) -> ApiToken:
    now = now or utcnow()
    if token.user_id != actor.id and not actor.is_admin:
        raise NotFound(N_("This token does not exist."))
    if token.revoked_at is None:
        token.revoked_at = now
        audit.record("token.revoked", actor=actor, obj=token, details={"user": token.user_id, "name": token.name},
                     now=now)
        db.session.flush()
    return token


def authenticate(header: str | None, *, now: datetime | None = None) -> ApiToken:
    """The token of an ``Authorization: Bearer ...`` header, its last use noted (at most once a
    minute); Unauthenticated (401) with the reason otherwise."""
    now = now or utcnow()
    scheme, _, secret = (header or "").partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not secret:
        raise Unauthenticated(N_("Send a personal access token: Authorization: Bearer <token>."))
    if not secret.startswith(PREFIX) or len(secret) > 200:
        raise Unauthenticated(N_("This token is not valid."))
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(secret)))
    if token is None:
        raise Unauthenticated(N_("This token is not valid."))
    state = token.state(now)
    if state == "revoked":
        raise Unauthenticated(N_("This token was revoked."))
    if state == "expired":
        raise Unauthenticated(N_("This token has expired."))
    if not token.user.active:
        raise Unauthenticated(N_("This account is deactivated."))
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        token.last_used_at = now      # the caller commits it (a read has nothing else to commit)
    return token


def require_write(token: ApiToken) -> None:
    if token.scope != "write":
        raise ReadOnlyToken(N_("This token may only read; create a read-write token to make changes."))
