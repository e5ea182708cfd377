"""The API's reads and writes replay the pages' rules: non-members get 404, drafters cannot
resolve, approvers cannot edit, internal threads stay in their organisation, a quote that is
not the text is refused, a stale If-Match is a 412 with the current state."""
from sqlalchemy import select

from reviewflow.extensions import db
from reviewflow.models import Thread
from tests.helpers.api import as_user
from tests.helpers.db import nothing_stored


def comment(api, w, words="Pas de retard", **extra):
    start = w.text.index(words)
    body = {"section": "implementation_status", "version": 2, "start": start, "end": start + len(words),
            "quote": words, "body": "Justifier", **extra}
    return api.post(f"/reports/{w.report.id}/threads", json=body)


def test_reports_versions_and_sections_read_as_the_pages_show_them(w, client):
    api = as_user(client, w.reviewer)
    r = api.get("/reports")
    assert r.status_code == 200 and [i["id"] for i in r.json["items"]] == [w.report.id]
    assert r.json["items"][0]["roles"] == ["reviewer"] and r.json["next_cursor"] is None
    detail = api.get(f"/reports/{w.report.id}").json
    assert detail["latest_version"] == 2 and {m["role"] for m in detail["members"]} == {"drafter", "reviewer",
                                                                                         "approver"}
    versions = api.get(f"/reports/{w.report.id}/versions").json["items"]
    assert [v["number"] for v in versions] == [2, 1] and versions[0]["changed"] == ["implementation_status"]
    v2 = api.get(f"/reports/{w.report.id}/versions/2").json
    section = next(s for s in v2["sections"] if s["key"] == "implementation_status")
    assert section["text"] == w.text and section["chars"] == len(w.text)
    diff = api.get(f"/reports/{w.report.id}/compare?from=1&to=2").json
    assert diff["sections"][0]["key"] == "implementation_status"
    assert {"op": "insert", "text": w.text} in diff["sections"][0]["ops"] or any(
        o["op"] == "insert" for o in diff["sections"][0]["ops"])


def test_a_non_member_gets_404_for_everything_and_nothing_is_stored(w, client):
    api = as_user(client, w.outsider)
    assert api.get("/reports").json["items"] == []
    with nothing_stored(ignore=("api_token",)):
        for path in (f"/reports/{w.report.id}", f"/reports/{w.report.id}/threads", f"/reports/{w.report.id}/signoff",
                     f"/reports/{w.report.id}/versions/1/findings"):
            r = api.get(path)
            assert r.status_code == 404 and r.mimetype == "application/problem+json", path
        assert comment(api, w).status_code == 404


def test_comment_on_a_range_then_reply_address_resolve_with_the_pages_rules(w, client):
    reviewer, drafter, approver = as_user(client, w.reviewer), as_user(client, w.drafter), as_user(client, w.approver)
    r = comment(reviewer, w, severity="blocking")
    assert r.status_code == 201, r.json
    t = r.json
    assert t["anchor"]["quote"] == "Pas de retard" and t["severity"] == "blocking" and r.headers["ETag"] == t["etag"]
    base = f"/reports/{w.report.id}/threads/{t['id']}"
    assert drafter.post(base + "/replies", json={"body": "C'est fait"}).status_code == 201
    r = drafter.post(base + "/resolve", json={"note": "ok"})
    assert r.status_code == 403 and r.json["code"] == "forbidden"          # drafters cannot resolve
    r = drafter.post(base + "/address", json={"version": 2})
    assert r.status_code == 200 and r.json["status"] == "addressed"
    r = approver.post(base + "/resolve", json={"note": "ok"})
    assert r.status_code == 403                                              # not the reviewer who opened it
    r = reviewer.post(base + "/resolve", json={"note": "Merci"})
    assert r.status_code == 200 and r.json["status"] == "resolved"
    listed = reviewer.get(f"/reports/{w.report.id}/threads").json["items"]
    assert listed == []                                                      # default filter: what is left
    listed = reviewer.get(f"/reports/{w.report.id}/threads?status=resolved").json["items"]
    assert [x["id"] for x in listed] == [t["id"]]
    assert reviewer.post(base + "/reopen", json={"note": "Encore"}).json["status"] == "open"


def test_a_quote_that_is_not_the_text_and_a_range_outside_it_are_refused(w, client):
    api = as_user(client, w.reviewer)
    with nothing_stored(ignore=("api_token",)):
        r = comment(api, w, quote="Pas de retord")
        assert r.status_code in (400, 409) and r.json["detail"]
        r = api.post(f"/reports/{w.report.id}/threads", json={
            "section": "implementation_status", "start": 5, "end": 99999, "quote": "x", "body": "b"})
        assert 400 <= r.status_code < 500
        r = api.post(f"/reports/{w.report.id}/threads", json={"section": "implementation_status", "body": "b",
                                                             "color": "red"})
        assert r.status_code == 422 and "color" in r.json["errors"]["json"]
        r = api.post(f"/reports/{w.report.id}/threads", data="{not json", headers={"Content-Type": "application/json"})
        assert r.status_code == 400 and r.mimetype == "application/problem+json"
        r = api.post(f"/reports/{w.report.id}/threads", json={"section": 3, "body": ["x"]})
        assert r.status_code == 422


def test_internal_threads_never_leave_their_organisation(w, client):
    reviewer, approver = as_user(client, w.reviewer), as_user(client, w.approver)
    t = comment(reviewer, w, internal=True).json
    assert t["internal"] is True
    assert [x["id"] for x in as_user(client, w.reviewer2).get(f"/reports/{w.report.id}/threads").json["items"]] == [
        t["id"]]                                                             # same organisation
    assert approver.get(f"/reports/{w.report.id}/threads").json["items"] == []
    assert approver.get(f"/reports/{w.report.id}/threads/{t['id']}").status_code == 404
    assert approver.post(f"/reports/{w.report.id}/threads/{t['id']}/replies", json={"body": "x"}).status_code == 404
    matrix = approver.get(f"/reports/{w.report.id}/matrix").json
    assert matrix["rows"] == []


def test_if_match_on_a_thread_state_change(w, client):
    reviewer, drafter = as_user(client, w.reviewer), as_user(client, w.drafter)
    t = comment(reviewer, w).json
    base = f"/reports/{w.report.id}/threads/{t['id']}"
    assert drafter.post(base + "/address", json={}, headers={"If-Match": t["etag"]}).status_code == 200
    with nothing_stored(ignore=("api_token",)):
        r = reviewer.post(base + "/resolve", json={"note": "ok"}, headers={"If-Match": t["etag"]})
    assert r.status_code == 412 and r.json["current"]["status"] == "addressed"


def test_section_edit_needs_if_match_and_a_stale_one_gets_412_with_the_current_text(w, client):
    a, b = as_user(client, w.drafter), as_user(client, w.drafter2)
    path = f"/reports/{w.report.id}/sections/implementation_status"
    read = a.get(path)
    etag = read.headers["ETag"]
    with nothing_stored(ignore=("api_token",)):
        r = a.put(path, json={"text": "Nouveau texte."})
        assert r.status_code == 428 and r.json["current"]["etag"] == etag
    r = b.put(path, json={"text": "Texte de Paul."}, headers={"If-Match": etag})
    assert r.status_code == 200 and r.json["created"] and r.json["version"] == 3
    with nothing_stored(ignore=("api_token",)):
        r = a.put(path, json={"text": "Texte d'Awa."}, headers={"If-Match": etag})
    assert r.status_code == 412 and r.json["current"]["text"] == "Texte de Paul."
    approver = as_user(client, w.approver)
    r = approver.put(path, json={"text": "x"}, headers={"If-Match": r.json["current"]["etag"]})
    assert r.status_code == 403                                              # approvers cannot edit


def test_workflow_signoff_suggestions_findings_and_exports(w, client):
    drafter, reviewer, approver = as_user(client, w.drafter), as_user(client, w.reviewer), as_user(client, w.approver)
    rid = w.report.id
    start = w.text.index("retards")
    r = reviewer.post(f"/reports/{rid}/suggestions", json={
        "section": "implementation_status", "start": start, "end": start + 7, "quote": "retards",
        "replacement": "délais", "note": "Mot plus juste"})
    assert r.status_code == 201, r.json
    sid = r.json["id"]
    assert [s["id"] for s in reviewer.get(f"/reports/{rid}/suggestions").json["items"]] == [sid]
    r = reviewer.post(f"/reports/{rid}/suggestions/decide", json={"decision": "accept", "ids": [sid]})
    assert r.status_code == 403                                              # only drafters decide
    r = drafter.post(f"/reports/{rid}/suggestions/decide", json={"decision": "accept", "ids": [sid]})
    assert r.status_code == 200 and r.json["version"] == 3 and r.json["decided"] == [sid]
    assert "délais" in drafter.get(f"/reports/{rid}/sections/implementation_status").json["text"]
    found = drafter.get(f"/reports/{rid}/versions/3/findings").json
    assert found["version"] == 3 and isinstance(found["items"], list)
    assert drafter.post(f"/reports/{rid}/workflow", json={"action": "submit"}).json["state"] == "submitted"
    r = drafter.post(f"/reports/{rid}/workflow", json={"action": "submit"})
    assert r.status_code == 409
    status = approver.get(f"/reports/{rid}/signoff").json
    assert status["version"] == 3 and status["signatures"][0]["decision"] is None
    r = approver.post(f"/reports/{rid}/signoff", json={"version": 3, "override": "Urgence"})
    assert r.status_code in (201, 409), r.json
    r = approver.get(f"/reports/{rid}/export.docx")
    assert r.status_code == 200 and r.data[:2] == b"PK"
    r = approver.get(f"/reports/{rid}/matrix.csv")
    assert r.status_code == 200 and r.mimetype == "text/csv"


def test_cursor_pagination_walks_every_thread_once(w, client):
    api = as_user(client, w.reviewer)
    for _ in range(5):
        comment(api, w)
    seen, cursor = [], None
    while True:
        r = api.get(f"/reports/{w.report.id}/threads?limit=2" + (f"&cursor={cursor}" if cursor else ""))
        seen += [t["id"] for t in r.json["items"]]
        cursor = r.json["next_cursor"]
        if not cursor:
            break
    assert seen == sorted(db.session.scalars(select(Thread.id)))
    r = api.get(f"/reports/{w.report.id}/threads?cursor=%%%")
    assert r.status_code in (400, 422)
