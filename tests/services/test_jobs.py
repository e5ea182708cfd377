"""Jobs off the request path (reviewflow.jobs): run after the commit, never after a rollback;
in-process without Redis, on RQ with Redis (the real server: REVIEWFLOW_TEST_REDIS_URL), retried
with back-off, and a retried mail job never sends a notification's e-mail twice."""
import os
import uuid

import pytest
from sqlalchemy import select

from reviewflow import jobs, mail
from reviewflow.extensions import db
from reviewflow.models import Notification
from reviewflow.services import threads

REDIS_URL = os.environ.get("REVIEWFLOW_TEST_REDIS_URL")


@pytest.fixture
def sent(app):
    app.extensions["mail_outbox"] = []
    return app.extensions["mail_outbox"]


def _comment(world, body="Justifier ce chiffre"):
    return threads.open_thread(world.report, actor=world.reviewer, roles={"reviewer"},
                               section_key="implementation_status", body=body)


def _ids():
    return sorted(db.session.scalars(select(Notification.id)))


def test_a_job_runs_after_the_commit_and_not_after_a_rollback(world, sent):
    _comment(world)
    db.session.commit()                     # the notifications exist; their e-mails went out
    ids = _ids()
    db.session.execute(Notification.__table__.update().values(mail_sent_at=None))
    db.session.commit()
    sent.clear()
    world.report.outcomes = world.report.outcomes
    db.session.get(Notification, ids[0]).read_at = None     # a transaction in progress
    jobs.enqueue("reviewflow.mail.send_notifications", ids)
    assert len(jobs.pending()) == 1 and sent == []
    db.session.rollback()
    assert jobs.pending() == [] and sent == []
    db.session.get(Notification, ids[0]).read_at = None
    jobs.enqueue("reviewflow.mail.send_notifications", ids)
    db.session.commit()
    assert sorted(m.to for m in sent) == ["drafter2@oim.example", "drafter@oim.example"]


def test_only_reviewflow_functions_are_jobs(app):
    with pytest.raises(ValueError):
        jobs.enqueue("os.system", "echo hi")


def test_a_mail_job_retried_after_a_failure_sends_each_e_mail_once(world, sent, monkeypatch):
    calls = {"n": 0}
    real = mail.deliver

    def second_fails_once(mails):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("mail server hung up")
        real(mails)
    monkeypatch.setattr(mail, "deliver", second_fails_once)
    _comment(world)
    db.session.commit()                     # in-process: the first e-mail goes, the second fails
    assert len(sent) == 1
    ids = _ids()
    assert mail.send_notifications(ids) == 1    # the retry sends only the one that failed
    assert mail.send_notifications(ids) == 0    # and a third attempt nothing
    assert sorted(m.to for m in sent) == ["drafter2@oim.example", "drafter@oim.example"]
    db.session.expire_all()
    assert all(n.mail_sent_at is not None for n in db.session.scalars(select(Notification)))


def test_the_message_id_is_the_same_on_every_attempt(world, sent):
    _comment(world)
    db.session.commit()
    n = db.session.get(Notification, _ids()[0])
    first, again = mail.render(n), mail.render(n)
    assert first.message_id == again.message_id == f"<notification-{n.id}@127.0.0.1>"


def test_the_worker_command_says_why_without_redis(runner):
    result = runner.invoke(args=["jobs", "worker", "--burst"])
    assert result.exit_code != 0 and "REVIEWFLOW_REDIS_URL is not set" in result.output
    result = runner.invoke(args=["jobs", "status"])
    assert result.exit_code == 0 and '"in-process"' in result.output


def test_an_unreachable_queue_runs_the_job_in_process_with_one_log_line(app, world, sent, caplog):
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"     # nothing listens there
    app.config["REDIS_TIMEOUT_SECONDS"] = 0.2
    _comment(world)
    db.session.commit()
    assert len(sent) == 2
    lines = [r for r in caplog.records if "job queue unreachable" in r.getMessage()]
    assert len(lines) == 1


# --- against the real Redis ----------------------------------------------------------------------

@pytest.fixture
def rq_queue(app):
    if not REDIS_URL:
        pytest.skip("REVIEWFLOW_TEST_REDIS_URL is not set (e.g. redis://127.0.0.1:6379/4): RQ tests skipped")
    import redis
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        pytest.skip(f"Redis at {REDIS_URL} unreachable: {exc}")
    app.config.update(REDIS_URL=REDIS_URL, JOBS_QUEUE=f"rf-test-{uuid.uuid4().hex[:8]}",
                      JOBS_RETRY_INTERVALS=(0, 0))
    q = jobs.queue(app)
    yield q
    for registry in (q.failed_job_registry, q.finished_job_registry, q.scheduled_job_registry):
        for job_id in registry.get_job_ids():
            registry.remove(job_id, delete_job=True)
    q.delete(delete_jobs=True)


def _work(q):
    from rq import SimpleWorker
    SimpleWorker([q], connection=q.connection).work(burst=True, logging_level="WARNING")


def test_with_redis_the_e_mails_wait_for_the_worker(world, sent, rq_queue):
    _comment(world)
    db.session.commit()
    assert sent == [] and rq_queue.count == 1           # the request did not send them
    _work(rq_queue)
    assert sorted(m.to for m in sent) == ["drafter2@oim.example", "drafter@oim.example"]
    assert rq_queue.count == 0 and rq_queue.failed_job_registry.count == 0


def test_with_redis_a_rolled_back_transaction_enqueues_nothing(world, sent, rq_queue):
    _comment(world)
    db.session.rollback()
    assert rq_queue.count == 0


def test_with_redis_a_failed_job_is_retried_without_duplicate_mail(world, sent, rq_queue, monkeypatch):
    calls = {"n": 0}
    real = mail.deliver

    def second_fails_once(mails):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("mail server hung up")
        real(mails)
    monkeypatch.setattr(mail, "deliver", second_fails_once)
    _comment(world)
    db.session.commit()
    _work(rq_queue)
    assert calls["n"] == 3                              # first, the failed second, the second again
    assert sorted(m.to for m in sent) == ["drafter2@oim.example", "drafter@oim.example"]
    assert rq_queue.failed_job_registry.count == 0


def test_with_redis_a_job_that_keeps_failing_ends_in_the_failed_registry(world, sent, rq_queue, monkeypatch):
    def always(_mails):
        raise OSError("mail server down")
    monkeypatch.setattr(mail, "deliver", always)
    _comment(world)
    db.session.commit()
    _work(rq_queue)
    assert sent == [] and rq_queue.failed_job_registry.count == 1
    job = rq_queue.fetch_job(rq_queue.failed_job_registry.get_job_ids()[0])
    assert job.retries_left == 0


def test_the_jobs_status_command_counts_the_queue(world, sent, rq_queue, runner):
    _comment(world)
    db.session.commit()
    result = runner.invoke(args=["jobs", "status"])
    assert result.exit_code == 0 and '"queued": 1' in result.output
