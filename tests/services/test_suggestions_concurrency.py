"""Two drafters deciding the same suggested edit at the same moment (PostgreSQL: real
concurrent transactions): it is decided once -- applied once in one version, or rejected --
and the other request is refused."""
import threading

import pytest
from sqlalchemy import func, select

from reviewflow import content as C
from reviewflow.extensions import db
from reviewflow.models import Report, Thread, User, Version
from reviewflow.services import editing, suggestions, versions
from reviewflow.services.errors import Conflict

TEXT = "Le projet connaît des retards dans la mise en place des comités."


@pytest.mark.parametrize("second", ["accept", "reject"])
def test_simultaneous_decisions_decide_once(app, world, second):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises writers by itself; this race needs PostgreSQL (REVIEWFLOW_TEST_DATABASE_URL)")
    editing.save_sections(world.report, {"implementation_status": C.text_blocks(TEXT)}, actor=world.drafter,
                          roles={"drafter"}, base_number=1)
    at = TEXT.index("des retards")
    s = suggestions.suggest(world.report, actor=world.reviewer, roles={"reviewer"},
                            section_key="implementation_status", start=at, end=at + 11, replacement="de longs retards")
    db.session.commit()
    barrier, errors, done = threading.Barrier(2), [], []

    def decide(user_id, how):
        with app.app_context():
            try:
                user = db.session.get(User, user_id)
                report = db.session.get(Report, world.report.id)
                item = db.session.get(Thread, s.id)
                assert item.decision is None
                barrier.wait()
                act = suggestions.accept if how == "accept" else suggestions.reject
                done.append((how, act(report, [item], actor=user, roles={"drafter"}).number))
                db.session.commit()
            except Exception as exc:  # noqa: BLE001
                db.session.rollback()
                errors.append(exc)
            finally:
                db.session.remove()
    workers = [threading.Thread(target=decide, args=(world.drafter.id, "accept")),
               threading.Thread(target=decide, args=(world.drafter2.id, second))]
    for t in workers:
        t.start()
    for t in workers:
        t.join(30)
    assert len(done) == 1 and len(errors) == 1 and isinstance(errors[0], Conflict), (done, errors)
    db.session.expire_all()
    decision = db.session.get(Thread, s.id).decision
    text = versions.version_contents(versions.latest_version(world.report))["implementation_status"].text
    if done[0][0] == "accept":
        assert decision == "accepted" and done[0][1] == 3 and text.count("de longs retards") == 1
        assert db.session.scalar(select(func.count()).select_from(Version)) == 3
    else:
        assert decision == "rejected" and text == TEXT
        assert db.session.scalar(select(func.count()).select_from(Version)) == 2
