"""Webhooks: registered by an administrator, queued with the change, POSTed signed
(HMAC-SHA256 over timestamp + body) to a receiver on the loopback that verifies the signature,
retried with back-off and logged; internal threads only to hooks of their organisation."""
import json
from datetime import timedelta

from sqlalchemy import select

from reviewflow.extensions import db
from reviewflow.models import WebhookDelivery
from reviewflow.services import webhooks
from reviewflow.timeutil import utcnow
from tests.helpers.api import as_user
from tests.helpers.db import nothing_stored
from tests.helpers.receiver import Receiver


def open_thread(api, w, **extra):
    words = "Pas de retard"
    start = w.text.index(words)
    return api.post(f"/reports/{w.report.id}/threads", json={
        "section": "implementation_status", "start": start, "end": start + len(words), "quote": words,
        "body": "Justifier", **extra})


def hook(w, url, **kw):
    h = webhooks.register(actor=w.admin, url=url, **kw)
    db.session.commit()
    return h


def test_a_delivery_is_signed_and_the_receiver_verifies_it(w, client):
    with Receiver() as rx:
        h = hook(w, rx.url, report=w.report, events=["thread.opened"])
        assert open_thread(as_user(client, w.reviewer), w).status_code == 201
        # sent as a job once the request committed (in-process here: no Redis configured)
        assert len(rx.received) == 1
        assert webhooks.deliver_due() == {"delivered": 0, "failed": 0, "retrying": 0}     # nothing left
    headers, body = rx.received[0]
    assert webhooks.verify(h.secret, headers["X-Reviewflow-Signature"], body)
    assert not webhooks.verify("whsec_other", headers["X-Reviewflow-Signature"], body)
    assert not webhooks.verify(h.secret, headers["X-Reviewflow-Signature"], body + b" ")
    event = json.loads(body)
    assert event["event"] == "thread.opened" and event["data"]["quote"] == "Pas de retard"
    assert headers["X-Reviewflow-Event"] == "thread.opened"
    d = db.session.scalar(select(WebhookDelivery))
    assert (d.status, d.attempts, d.response_status) == ("delivered", 1, 200)


def test_failures_are_retried_with_back_off_and_counted(w, client):
    with Receiver(statuses=[500, 503]) as rx:
        hook(w, rx.url, report=w.report)
        open_thread(as_user(client, w.reviewer), w)          # the job's attempt: 500
        d = db.session.scalar(select(WebhookDelivery))
        assert (d.status, d.attempts, d.error) == ("pending", 1, "HTTP 500")
        now = d.last_attempt_at
        assert d.next_attempt_at == now + timedelta(seconds=webhooks.BACKOFF[0])
        assert webhooks.deliver_due(now=now) == {"delivered": 0, "failed": 0, "retrying": 0}   # not due yet
        later = now + timedelta(seconds=webhooks.BACKOFF[0])
        assert webhooks.deliver_due(now=later)["retrying"] == 1                               # 503
        assert d.attempts == 2 and d.next_attempt_at == later + timedelta(seconds=webhooks.BACKOFF[1])
        assert webhooks.deliver_due(now=later + timedelta(days=1))["delivered"] == 1
        db.session.commit()
    assert (d.status, d.attempts, d.response_status) == ("delivered", 3, 200) and len(rx.received) == 3
    assert len({h["X-Reviewflow-Delivery"] for h, _b in rx.received}) == 1      # the same delivery each time


def test_an_unreachable_hook_fails_after_the_last_attempt(w, client):
    with Receiver() as rx:
        url = rx.url
    hook(w, url, report=w.report)               # the receiver is gone: connection refused
    open_thread(as_user(client, w.reviewer), w)
    at = utcnow() + timedelta(days=1)
    for _ in range(webhooks.MAX_ATTEMPTS - 1):              # the job made the first attempt
        webhooks.deliver_due(now=at)
        at += timedelta(days=1)
    d = db.session.scalar(select(WebhookDelivery))
    assert d.status == "failed" and d.attempts == webhooks.MAX_ATTEMPTS and d.response_status is None and d.error


def test_internal_threads_only_reach_hooks_of_their_organisation(w, client):
    with Receiver() as shared, Receiver() as secretariat, Receiver() as onudc:
        hook(w, shared.url, report=w.report)
        hook(w, secretariat.url, organisation=w.reviewer.organisation)
        hook(w, onudc.url, organisation=w.approver.organisation)
        open_thread(as_user(client, w.reviewer), w, internal=True)
        webhooks.deliver_due()
        db.session.commit()
        assert (len(shared.received), len(secretariat.received), len(onudc.received)) == (0, 1, 0)
        open_thread(as_user(client, w.reviewer), w)
        webhooks.deliver_due()
        db.session.commit()
        assert (len(shared.received), len(secretariat.received), len(onudc.received)) == (1, 2, 1)


def test_events_of_the_review_and_nothing_queued_by_a_refused_request(w, client):
    with Receiver() as rx:
        hook(w, rx.url, report=w.report)
        reviewer, drafter = as_user(client, w.reviewer), as_user(client, w.drafter)
        tid = open_thread(reviewer, w).json["id"]
        with nothing_stored(ignore=("api_token",)):
            assert drafter.post(f"/reports/{w.report.id}/threads/{tid}/resolve", json={}).status_code == 403
        reviewer.post(f"/reports/{w.report.id}/threads/{tid}/resolve", json={"note": "ok"})
        path = f"/reports/{w.report.id}/sections/implementation_status"
        drafter.put(path, json={"text": "Autre texte."}, headers={"If-Match": drafter.get(path).headers["ETag"]})
        webhooks.deliver_due()
        db.session.commit()
    events = [json.loads(b)["event"] for _h, b in rx.received]
    assert events == ["thread.opened", "thread.resolved", "version.created"]


def test_registering_refuses_bad_input(w, runner):
    with nothing_stored():
        r = runner.invoke(args=["webhooks", "add", "--url", "ftp://x.example/h", "--report", str(w.report.id)])
        assert r.exit_code != 0 and "http" in r.output
        r = runner.invoke(args=["webhooks", "add", "--url", "https://x.example/h"])
        assert r.exit_code != 0
    r = runner.invoke(args=["webhooks", "add", "--url", "https://x.example/h", "--org", "ONUDC ROSEN",
                            "--event", "signoff"])
    assert r.exit_code == 0, r.output
    made = json.loads(r.output)
    assert made["secret"].startswith("whsec_") and made["events"] == ["signoff"]
    listed = json.loads(runner.invoke(args=["webhooks", "list"]).output)
    assert "secret" not in listed[0]


def test_deliveries_are_handed_to_the_job_queue_after_the_commit(w):
    from reviewflow import jobs
    from reviewflow.services import threads
    hook(w, "http://127.0.0.1:9/never", report=w.report)
    start = w.text.index("Pas de retard")
    threads.open_thread(w.report, actor=w.reviewer, roles={"reviewer"}, section_key="implementation_status",
                        body="x", version_number=2, start=start, end=start + 13, quote="Pas de retard")
    d = db.session.scalar(select(WebhookDelivery))
    assert [(j.func_path, j.args) for j in jobs.pending()] == [("reviewflow.services.webhooks.deliver", (d.id,))]
    db.session.rollback()                                  # the change rolls back: nothing is sent, nothing kept
    assert jobs.pending() == [] and db.session.scalar(select(WebhookDelivery)) is None


def test_administrators_register_webhooks_through_the_api_and_read_the_log(w, client):
    admin, reviewer = as_user(client, w.admin), as_user(client, w.reviewer)
    with Receiver() as rx:
        with nothing_stored(ignore=("api_token",)):
            r = reviewer.post("/webhooks", json={"url": rx.url, "report": w.report.id})
            assert r.status_code == 403 and r.mimetype == "application/problem+json"
            assert admin.post("/webhooks", json={"url": "gopher://x", "report": w.report.id}).status_code == 400
            assert admin.post("/webhooks", json={"url": rx.url, "events": ["nope"]}).status_code == 422
            assert admin.post("/webhooks", json={"url": rx.url, "organisation": 99999}).status_code == 404
        r = admin.post("/webhooks", json={"url": rx.url, "report": w.report.id, "events": ["thread.opened"]})
        assert r.status_code == 201 and r.json["secret"].startswith("whsec_")
        hid = r.json["id"]
        assert "secret" not in admin.get("/webhooks").json["items"][0]
        open_thread(reviewer, w)
        log = admin.get(f"/webhooks/{hid}/deliveries").json["items"]
        assert [(d["event"], d["status"], d["attempts"]) for d in log] == [("thread.opened", "delivered", 1)]
        assert admin.post(f"/webhooks/{hid}/disable").json["active"] is False
        open_thread(reviewer, w)
        assert len(rx.received) == 1                                    # a disabled hook gets nothing
