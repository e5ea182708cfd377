"""Jobs off the request path: ``enqueue(func_path, *args, **kwargs)`` runs a function once the
current transaction has committed (and never when it rolls back).

Where it runs depends on the configuration (``REDIS_URL``, from ``REVIEWFLOW_REDIS_URL``):

- **RQ on Redis** when it is set: the job is put on the ``JOBS_QUEUE`` queue and a worker
  (``flask --app wsgi jobs worker``, ``make worker``) runs it, retrying a failed job with
  back-off (``JOBS_RETRY_INTERVALS`` seconds, then it stays in RQ's failed registry).  RQ was
  chosen over procrastinate because Redis is already the shared store of the rate limits, and
  its worker needs no schema of its own; idempotency is ours (see ``mail.send_notifications``).
- **In-process** otherwise (``make run`` needs nothing else): right after the commit, in an
  application context of its own (its own database session), once; a failure is logged.

If Redis cannot be reached when a job is handed over, the job runs in-process instead (one log
line): the transaction is committed, so its work must not be lost, and nothing after the commit
may fail the request.

A job is named by its dotted path (``"reviewflow.mail.send_notifications"``), never by a
function object, so that what is stored in Redis is plain data; only ``reviewflow.`` functions
run.  Arguments must be picklable plain values (ids, strings), never ORM objects.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field

from flask import Flask, current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from .extensions import db

KEY = "jobs"        # session.info[KEY]: jobs due once the current transaction commits


@dataclass(frozen=True)
class Job:
    func_path: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)


def enqueue(func_path: str, *args, **kwargs) -> None:
    """Run ``func_path(*args, **kwargs)`` after the current transaction commits (dropped if it
    rolls back).  With no transaction in progress, it is handed over at once."""
    _check(func_path)
    job = Job(func_path, args, kwargs)
    session = db.session()
    if not session.in_transaction():
        submit(job)
        return
    session.info.setdefault(KEY, []).append(job)


def pending(session: Session | None = None) -> list[Job]:
    """Jobs queued in the current transaction and not handed over yet."""
    return list((session or db.session).info.get(KEY, ()))


def _check(func_path: str) -> None:
    if not func_path.startswith("reviewflow.") or "." not in func_path[len("reviewflow."):]:
        raise ValueError(f"a job is a function of reviewflow named by its dotted path, not {func_path!r}")


def _resolve(func_path: str):
    _check(func_path)
    module, _, name = func_path.rpartition(".")
    return getattr(importlib.import_module(module), name)


# --- handing over -----------------------------------------------------------------------------

def redis_connection(app: Flask | None = None):
    """The Redis connection of the job queue (None when no REDIS_URL is configured)."""
    app = app or current_app
    url = app.config.get("REDIS_URL")
    if not url:
        return None
    conn = app.extensions.get("jobs_redis")
    if conn is None or conn[0] != url:
        import redis
        timeout = app.config.get("REDIS_TIMEOUT_SECONDS", 2)
        conn = (url, redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout))
        app.extensions["jobs_redis"] = conn
    return conn[1]


def queue(app: Flask | None = None):
    """The RQ queue jobs go to (None without Redis)."""
    app = app or current_app
    conn = redis_connection(app)
    if conn is None:
        return None
    from rq import Queue
    return Queue(app.config.get("JOBS_QUEUE", "reviewflow"), connection=conn)


def submit(job: Job) -> None:
    """Hand one job over now: to RQ when configured, else run it in-process."""
    app = current_app._get_current_object()
    q = queue(app)
    if q is not None:
        from redis.exceptions import RedisError
        from rq import Retry
        intervals = list(app.config.get("JOBS_RETRY_INTERVALS", (10, 60, 300)))
        try:
            q.enqueue("reviewflow.jobs.perform", job.func_path, job.args, job.kwargs,
                      retry=Retry(max=len(intervals), interval=intervals) if intervals else None,
                      job_timeout=app.config.get("JOBS_TIMEOUT_SECONDS", 120),
                      description=job.func_path)
            return
        except RedisError as exc:
            app.logger.error("job queue unreachable (%s): running %s in-process", exc.__class__.__name__,
                             job.func_path)
    try:
        perform(job.func_path, job.args, job.kwargs)
    except Exception:  # noqa: BLE001 - the commit is done; nothing after it may fail the request
        app.logger.exception("job %s failed (in-process, not retried)", job.func_path)


# --- running ----------------------------------------------------------------------------------

def _app() -> Flask:
    if not has_app_context():
        raise RuntimeError("jobs run inside the application: start the worker with `flask --app wsgi jobs worker`")
    return current_app._get_current_object()


def perform(func_path: str, args=(), kwargs=None):
    """Run one job in an application context of its own (its own database session): the entry
    point RQ calls in the worker, and the in-process path after a commit."""
    func = _resolve(func_path)
    app = _app()
    with app.app_context():
        try:
            return func(*args, **(kwargs or {}))
        finally:
            db.session.remove()


# --- the transaction hooks --------------------------------------------------------------------

def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():       # a savepoint: the outer transaction may still roll back
        return
    jobs = session.info.pop(KEY, None)
    if not jobs or not has_app_context():
        return
    for job in jobs:
        submit(job)


def _after_soft_rollback(session: Session, previous_transaction: SessionTransaction) -> None:
    if not previous_transaction.nested and previous_transaction.parent is None:
        session.info.pop(KEY, None)


def init_app(app: Flask) -> None:
    for name, hook in (("after_commit", _after_commit), ("after_soft_rollback", _after_soft_rollback)):
        if not event.contains(db.session, name, hook):
            event.listen(db.session, name, hook)


# --- the worker -------------------------------------------------------------------------------

def run_worker(app: Flask, *, burst: bool = False) -> None:
    """Process jobs until stopped (``burst``: until the queue is empty)."""
    from rq import Worker
    q = queue(app)
    if q is None:
        raise RuntimeError("no REVIEWFLOW_REDIS_URL")
    with app.app_context():
        for engine in db.engines.values():   # RQ forks a process per job: none inherits a connection
            engine.dispose()
    worker = Worker([q], connection=q.connection)
    worker.work(burst=burst, with_scheduler=True, logging_level=app.config.get("JOBS_LOG_LEVEL", "INFO"))
