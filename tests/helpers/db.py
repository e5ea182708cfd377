"""Proof that a refused request stored nothing: every committed row of every table, before and after."""
from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import func, select

from reviewflow.extensions import db


def stored(*, ignore: tuple[str, ...] = ()) -> dict[str, list]:
    """Every committed row of every table (read on a connection of its own, so what the test's
    session holds unflushed does not count), table by table, in a stable order."""
    out = {}
    with db.engine.connect() as conn:
        for table in db.metadata.sorted_tables:
            if table.name in ignore:
                continue
            rows = conn.execute(select(table)).all()
            out[table.name] = sorted(repr(tuple(row)) for row in rows)
    return out


@contextmanager
def nothing_stored(*, ignore: tuple[str, ...] = ()):
    """Assert that the block commits no change to any table (``ignore``: tables a refusal may
    write by design, e.g. ``login_attempt`` for a wrong password)."""
    before = stored(ignore=ignore)
    yield
    after = stored(ignore=ignore)
    changed = {name: (len(before[name]), len(after[name])) for name in before if before[name] != after[name]}
    assert not changed, f"the refused request changed these tables (rows before, after): {changed}"


def rows(model) -> int:
    """How many rows of ``model`` the test's session sees, what it has not flushed yet included
    (for service tests: a refused call must not even have added anything to the session)."""
    db.session.flush()
    return db.session.scalar(select(func.count()).select_from(model))
