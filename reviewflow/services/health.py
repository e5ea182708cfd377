"""Readiness: is the database reachable, are its migrations at the head, is the queue reachable.

Read-only and cheap (one ``SELECT`` of ``alembic_version``, one Redis ``PING``): the load
balancer asks every few seconds.  The migration head is read once per process from the scripts.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db
from ..jobs import redis_connection

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


@cache
def migration_heads() -> frozenset[str]:
    from alembic.config import Config
    from alembic.script import ScriptDirectory
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return frozenset(ScriptDirectory.from_config(cfg).get_heads())


@dataclass
class Readiness:
    checks: dict = field(default_factory=dict)

    @property
    def ready(self) -> bool:
        return all(v == "ok" for v in self.checks.values())


def readiness() -> Readiness:
    out = Readiness()
    try:
        with db.engine.connect() as conn:
            current = {row[0] for row in conn.execute(text("SELECT version_num FROM alembic_version"))}
        heads = migration_heads()
        out.checks["database"] = "ok"
        out.checks["migrations"] = "ok" if current == set(heads) else (
            "at {} , head is {}".format(",".join(sorted(current)) or "none", ",".join(sorted(heads))))
    except SQLAlchemyError as exc:
        out.checks["database"] = f"unreachable ({exc.__class__.__name__})"
        out.checks["migrations"] = "unknown"
    conn = redis_connection()
    if conn is not None:
        from redis.exceptions import RedisError
        try:
            conn.ping()
            out.checks["queue"] = "ok"
        except RedisError as exc:
            out.checks["queue"] = f"unreachable ({exc.__class__.__name__})"
    return out
