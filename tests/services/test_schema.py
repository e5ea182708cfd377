"""Migrations are the only source of the schema; they agree with the models."""
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from reviewflow.extensions import db

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def test_one_alembic_head():
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    heads = ScriptDirectory.from_config(cfg).get_heads()
    assert len(heads) == 1, heads


def test_models_and_migrations_agree(app):
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, db.metadata)
    assert diff == []


def test_the_app_never_calls_create_all():
    pkg = Path(__file__).resolve().parents[2] / "reviewflow"
    for path in pkg.rglob("*.py"):
        assert "create_all(" not in path.read_text(encoding="utf-8"), path
