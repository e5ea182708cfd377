"""Two approvers signing at the same moment (PostgreSQL: real concurrent transactions)."""
import threading

import pytest
from sqlalchemy import select

from reviewflow.extensions import db
from reviewflow.models import Report, SignOff
from reviewflow.services import accounts, signoff, transitions


def test_simultaneous_signatures_both_count_and_approve_the_report(app, world):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises writers by itself; this race needs PostgreSQL (REVIEWFLOW_TEST_DATABASE_URL)")
    second = accounts.create_user("approver2@oim.example", name="Second", password="password123", org_name="OIM RCA")
    accounts.add_member(world.report, second, "approver", actor=world.admin)
    transitions.act(world.report, "submit", actor=world.drafter, roles={"drafter"})
    db.session.commit()
    ids = [world.approver.id, second.id]
    barrier, errors = threading.Barrier(2), []

    def sign(user_id):
        with app.app_context():
            try:
                from reviewflow.models import User
                user = db.session.get(User, user_id)
                report = db.session.get(Report, world.report.id)
                barrier.wait()
                signoff.sign(report, actor=user, roles={"approver"}, version_number=1, override="accepté")
                db.session.commit()
            except Exception as exc:  # noqa: BLE001
                errors.append(exc)
            finally:
                db.session.remove()
    workers = [threading.Thread(target=sign, args=(uid,)) for uid in ids]
    for t in workers:
        t.start()
    for t in workers:
        t.join(30)
    assert errors == []
    db.session.expire_all()
    assert len(db.session.scalars(select(SignOff).where(SignOff.invalidated_at.is_(None))).all()) == 2
    assert db.session.get(Report, world.report.id).state == "approved"
