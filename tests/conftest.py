"""Shared fixtures.

The schema is built once per test session by running the Alembic migrations (never
``create_all``) on SQLite (a temporary file) or, when REVIEWFLOW_TEST_DATABASE_URL is set, on
that database (PostgreSQL in CI).  Every test starts from empty tables.
"""
import os

import pytest
from flask.testing import FlaskClient
from sqlalchemy import text

import config
from reviewflow import create_app
from reviewflow.extensions import db
from tests.helpers.paths import REPO
from tests.helpers.web import Helpers


def _database_url(tmp_path_factory):
    url = os.environ.get("REVIEWFLOW_TEST_DATABASE_URL")
    if url:
        return url
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.db")


@pytest.fixture(scope="session")
def _schema(tmp_path_factory):
    url = _database_url(tmp_path_factory)

    class Cfg(config.TestingConfig):
        SQLALCHEMY_DATABASE_URI = config._database_url(url)

    app = create_app(Cfg)
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        import flask_migrate
        flask_migrate.upgrade(directory=str(REPO / "migrations"))
        db.session.remove()
        db.engine.dispose()
    return Cfg


def _empty_tables():
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
    else:
        for t in tables:
            db.session.execute(text(f'DELETE FROM "{t}"'))
    db.session.commit()


@pytest.fixture
def app(_schema):
    app = create_app(_schema)
    with app.app_context():
        _empty_tables()
        yield app
        db.session.remove()
        _empty_tables()
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()


class IsolatedClient(FlaskClient):
    """Each request runs in its own application context, as in production: its own ``g`` and
    its own database session.  The test's session is expired afterwards so that it re-reads
    what the request committed."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.expire_all()
        return response


@pytest.fixture
def client(app):
    app.test_client_class = IsolatedClient
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def h(client):
    return Helpers(client)


@pytest.fixture
def world(app):
    """Two agencies and the secretariat, their people, and one report with its members."""
    from reviewflow.money import parse_money
    from reviewflow.services import accounts, reports
    pw = "password123"
    admin = accounts.create_user("admin@example.org", name="Admin", password=pw, org_name="Secrétariat PBF RCA",
                                 is_admin=True)
    drafter = accounts.create_user("drafter@oim.example", name="Awa Drafter", password=pw, org_name="OIM RCA")
    drafter2 = accounts.create_user("drafter2@oim.example", name="Paul Drafter", password=pw, org_name="OIM RCA")
    reviewer = accounts.create_user("reviewer@pbf.example", name="Claire Reviewer", password=pw,
                                    org_name="Secrétariat PBF RCA")
    reviewer2 = accounts.create_user("reviewer2@pbf.example", name="Jean Reviewer", password=pw,
                                     org_name="Secrétariat PBF RCA")
    approver = accounts.create_user("approver@onudc.example", name="Marie Approver", password=pw,
                                    org_name="ONUDC ROSEN")
    outsider = accounts.create_user("outsider@other.example", name="Otto Outsider", password=pw,
                                    org_name="OIM Cameroun")
    project = reports.create_project(actor=admin, title="Projet transfrontalier de test",
                                     gateway_numbers="00125232", countries="RCA",
                                     recipients=[reports.RecipientInput("OIM RCA", parse_money("1000"))])
    report = reports.create_report(project, actor=admin, report_type="annual", year=2024, outcomes=2)
    for user, role in ((drafter, "drafter"), (drafter2, "drafter"), (reviewer, "reviewer"),
                       (reviewer2, "reviewer"), (approver, "approver")):
        accounts.add_member(report, user, role, actor=admin)
    db.session.commit()

    class W:
        pass
    w = W()
    w.admin, w.drafter, w.drafter2, w.reviewer, w.reviewer2 = admin, drafter, drafter2, reviewer, reviewer2
    w.approver, w.outsider, w.project, w.report, w.password = approver, outsider, project, report, pw
    return w
