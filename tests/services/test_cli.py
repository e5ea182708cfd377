import json

from sqlalchemy import func, select

from reviewflow.extensions import db
from reviewflow.models import Project, Report, Thread, User
from tests.helpers.db import nothing_stored


def test_users_reports_members_commands(runner, app):
    r = runner.invoke(args=["users", "create", "relecteur@pbf.example", "--name", "Relecteur", "--org",
                            "Secrétariat PBF RCA", "--password", "password123"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["organisation"] == "Secrétariat PBF RCA"
    r = runner.invoke(args=["reports", "create", "--project", "Projet CLI", "--template", "pbf", "--type",
                            "annual", "--year", "2024"])
    assert r.exit_code == 0, r.output
    report = json.loads(r.output)
    assert report["version"] == 1 and "implementation_status" in report["sections"]
    r = runner.invoke(args=["members", "add", str(report["id"]), "relecteur@pbf.example", "--role", "reviewer"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["role"] == "reviewer"


def test_cli_errors_are_one_line_without_traceback(runner, app):
    with nothing_stored():
        r = runner.invoke(args=["users", "create", "bad", "--name", "X", "--password", "password123"])
        assert r.exit_code != 0 and "Traceback" not in r.output and "Invalid e-mail" in r.output
        r = runner.invoke(args=["members", "add", "424242", "x@example.org", "--role", "reviewer"])
        assert r.exit_code != 0 and "does not exist" in r.output
        r = runner.invoke(args=["reports", "create", "--project", "P", "--type", "annual", "--year", "1800"])
        assert r.exit_code != 0 and "year" in r.output
    assert db.session.scalar(select(func.count()).select_from(Report)) == 0


def test_demo_load_is_idempotent(runner, app):
    r = runner.invoke(args=["demo", "load"])
    assert r.exit_code == 0, r.output
    assert "claire.fofana@pbf-rca.demo" in r.output and "demo-reviewflow" in r.output
    counts = [db.session.scalar(select(func.count()).select_from(m)) for m in (User, Project, Report, Thread)]
    assert counts[2] == 1 and counts[3] >= 4
    r = runner.invoke(args=["demo", "load"])
    assert r.exit_code == 0 and "already present" in r.output
    assert [db.session.scalar(select(func.count()).select_from(m)) for m in (User, Project, Report, Thread)] == counts
