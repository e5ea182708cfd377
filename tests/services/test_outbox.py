"""Notification e-mails leave only after the transaction that created them commits, and never
when it rolls back (reviewflow.outbox); the view commits, nothing else does."""
import pytest
from sqlalchemy import func, select

from reviewflow import outbox
from reviewflow.extensions import db
from reviewflow.models import Notification, Thread
from reviewflow.services import notify, threads


@pytest.fixture
def sent(app):
    app.extensions["mail_outbox"] = []
    return app.extensions["mail_outbox"]


def _comment(world, body="Justifier ce chiffre"):
    return threads.open_thread(world.report, actor=world.reviewer, roles={"reviewer"},
                               section_key="implementation_status", body=body)


def test_mail_goes_out_only_after_the_commit(world, sent):
    _comment(world)
    assert outbox.pending() and sent == []            # flushed, notified in the inbox, not mailed yet
    db.session.commit()
    assert sorted(m.to for m in sent) == ["drafter2@oim.example", "drafter@oim.example"]
    assert outbox.pending() == []
    db.session.commit()                                # a later commit does not send them again
    assert len(sent) == 2


def test_a_rolled_back_transaction_sends_nothing(world, sent):
    _comment(world)
    db.session.rollback()
    assert outbox.pending() == []
    world.report.outcomes = world.report.outcomes      # any later transaction of the same session
    db.session.commit()
    assert sent == []
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 0


def test_a_savepoint_does_not_send_and_the_outer_commit_does(world, sent):
    with db.session.begin_nested():
        _comment(world)
    assert sent == []                                  # the outer transaction may still roll back
    db.session.commit()
    assert len(sent) == 2


def test_a_savepoint_rolled_back_leaves_the_other_mail_of_the_transaction(world, sent):
    _comment(world, body="Premier")
    try:
        with db.session.begin_nested():
            _comment(world, body="Second")
            raise RuntimeError("refused")
    except RuntimeError:
        pass
    db.session.commit()
    assert len(sent) == 2 and all("Premier" in m.body for m in sent)


def test_dispatch_is_handed_the_committed_ids_once(world, sent, monkeypatch):
    handed = []
    monkeypatch.setattr(outbox, "dispatch", handed.append)     # where a job queue would enqueue
    _comment(world)
    assert handed == []
    db.session.commit()
    ids = set(db.session.scalars(select(Notification.id)))
    assert len(handed) == 1 and set(handed[0]) == ids and len(handed[0]) == len(ids) == 2
    assert sent == []


def test_a_mail_failure_does_not_undo_or_fail_the_commit(world, sent, monkeypatch, caplog):
    def broken(_mails):
        raise OSError("mail server down")
    monkeypatch.setattr("reviewflow.mail.deliver", broken)
    _comment(world)
    db.session.commit()
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Thread)) == 1
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 2
    assert "job reviewflow.mail.send_notifications failed" in caplog.text


def test_a_request_that_fails_after_notifying_sends_nothing_and_stores_nothing(world, h, sent, monkeypatch):
    original = notify.thread_opened

    def notify_then_fail(*args, **kwargs):
        original(*args, **kwargs)
        assert outbox.pending()                        # the e-mails were queued ...
        raise RuntimeError("something broke after the notification")
    monkeypatch.setattr(notify, "thread_opened", notify_then_fail)
    h.login("reviewer@pbf.example")
    r = h.post(f"/reports/{world.report.id}/threads", {"section": "implementation_status", "body": "x"})
    assert r.status_code == 500                        # ... and the 500 handler rolled them back
    assert sent == []
    assert db.session.scalar(select(func.count()).select_from(Thread)) == 0
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 0


def test_a_request_that_commits_sends_the_mail(world, h, sent):
    h.login("reviewer@pbf.example")
    r = h.post(f"/reports/{world.report.id}/threads", {"section": "implementation_status", "body": "Voir"})
    assert r.status_code == 302
    assert sorted(m.to for m in sent) == ["drafter2@oim.example", "drafter@oim.example"]
    assert all(m.subject.startswith("[reviewflow] ") and "Voir" in m.body for m in sent)
