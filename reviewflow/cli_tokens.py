"""flask tokens create / list / revoke: personal access tokens of the JSON API from the command
line (an administrator's way to give a service account its token).

Like every command: one commit at the end, JSON out, exit 1 with a one-line reason and nothing
stored when the request is refused.  The token itself is printed once, by ``create``.
"""
from __future__ import annotations

import click
from flask.cli import AppGroup

from .clitools import emit
from .extensions import db
from .models import TOKEN_SCOPES
from .services import accounts, tokens
from .services.errors import ServiceError
from .timeutil import utcnow

tokens_cli = AppGroup("tokens", help="Personal access tokens of the JSON API (/api/v1).")


class _Admin:
    """The command line acts as an administrator (it runs on the server)."""
    id = None
    is_admin = True


def _fail(message: str) -> None:
    db.session.rollback()
    raise click.ClickException(message)


def token_json(token) -> dict:
    return {"id": token.id, "user": token.user.email, "name": token.name, "scope": token.scope,
            "prefix": token.prefix, "state": token.state(utcnow()), "created_at": token.created_at.isoformat(),
            "expires_at": token.expires_at.isoformat() if token.expires_at else None,
            "last_used_at": token.last_used_at.isoformat() if token.last_used_at else None,
            "revoked_at": token.revoked_at.isoformat() if token.revoked_at else None}


@tokens_cli.command("create")
@click.argument("email")
@click.option("--name", required=True, help="What the token is for (shown in the list).")
@click.option("--scope", type=click.Choice(TOKEN_SCOPES), default="read", show_default=True)
@click.option("--days", type=int, default=90, show_default=True, help="Days until it expires (0: never).")
def create_cmd(email, name, scope, days):
    """Create a token for EMAIL; prints it once (only its hash is kept)."""
    try:
        user = accounts.user_by_email(email)
        new = tokens.create_token(user, actor=_Admin(), name=name, scope=scope, days=days or None)  # type: ignore[arg-type]
    except ServiceError as exc:
        _fail(str(exc))
    db.session.commit()
    emit({**token_json(new.token), "token": new.secret})


@tokens_cli.command("list")
@click.argument("email")
def list_cmd(email):
    """The tokens of EMAIL (never the tokens themselves)."""
    try:
        user = accounts.user_by_email(email)
    except ServiceError as exc:
        _fail(str(exc))
    emit([token_json(t) for t in tokens.tokens_of(user)])


@tokens_cli.command("revoke")
@click.argument("token_id", type=int)
def revoke_cmd(token_id):
    """Revoke token TOKEN_ID (it stops working at once)."""
    try:
        token = tokens.revoke(tokens.get_token(token_id, actor=_Admin()), actor=_Admin())  # type: ignore[arg-type]
    except ServiceError as exc:
        _fail(str(exc))
    db.session.commit()
    emit(token_json(token))
