"""The web permission matrix replayed through the API: for each member (and a non-member) and
each action, the page and the API give the same answer -- done, refused (403, 409) or not
found (404) -- because both call the same services and predicates."""
import pytest

from reviewflow.extensions import db
from reviewflow.services import threads, transitions
from tests.helpers.api import as_user

WORDS = "Pas de retard"
WHO = ("drafter", "reviewer", "approver", "outsider")

# action -> expected outcome per person: "ok", 403, 404 or 409
EXPECTED = {
    "view":    {"drafter": "ok", "reviewer": "ok", "approver": "ok", "outsider": 404},
    "comment": {"drafter": "ok", "reviewer": "ok", "approver": "ok", "outsider": 404},
    "address": {"drafter": "ok", "reviewer": 403, "approver": 403, "outsider": 404},
    "resolve": {"drafter": 403, "reviewer": "ok", "approver": 403, "outsider": 404},
    "edit":    {"drafter": "ok", "reviewer": 403, "approver": 403, "outsider": 404},
    "sign":    {"drafter": 403, "reviewer": 403, "approver": "ok", "outsider": 404},
    "submit":  {"drafter": 409, "reviewer": 409, "approver": 409, "outsider": 404},
    "start_review": {"drafter": 409, "reviewer": "ok", "approver": "ok", "outsider": 404},
}
CELLS = [(action, who) for action in EXPECTED for who in WHO]


@pytest.fixture
def m(w):
    """The report submitted, with one thread the reviewer opened on version 2."""
    transitions.act(w.report, "submit", actor=w.drafter, roles={"drafter"})
    start = w.text.index(WORDS)
    w.thread = threads.open_thread(w.report, actor=w.reviewer, roles={"reviewer"}, section_key="implementation_status",
                                   body="Justifier", version_number=2, start=start, end=start + len(WORDS),
                                   quote=WORDS)
    db.session.commit()
    w.start = start
    return w


def outcome(status: int) -> object:
    return "ok" if status < 400 else status


def page_call(h, m, action):
    rid, tid = m.report.id, m.thread.id
    if action == "view":
        return h.client.get(f"/reports/{rid}")
    form = {
        "comment": (f"/reports/{rid}/threads", {"section": "implementation_status", "version": "2",
                                                "start": str(m.start), "end": str(m.start + len(WORDS)),
                                                "quote": WORDS, "body": "Vu"}),
        "address": (f"/reports/{rid}/threads/{tid}/address", {"version": "2"}),
        "resolve": (f"/reports/{rid}/threads/{tid}/resolve", {"note": "ok"}),
        "edit": (f"/reports/{rid}/sections/implementation_status/edit", {"base_version": "2", "text": "Neuf."}),
        "sign": (f"/reports/{rid}/signoff", {"version": "2", "decision": "approve", "override": "Urgence"}),
        "submit": (f"/reports/{rid}/workflow/submit", {}),
        "start_review": (f"/reports/{rid}/workflow/start_review", {}),
    }[action]
    return h.post(form[0], form[1])


def api_call(api, m, action):
    rid, tid = m.report.id, m.thread.id
    if action == "view":
        return api.get(f"/reports/{rid}")
    if action == "edit":
        etag = api.get(f"/reports/{rid}/sections/implementation_status").headers.get("ETag", '"x"')
        return api.put(f"/reports/{rid}/sections/implementation_status", json={"text": "Neuf."},
                       headers={"If-Match": etag})
    path, body = {
        "comment": (f"/reports/{rid}/threads", {"section": "implementation_status", "version": 2, "start": m.start,
                                                "end": m.start + len(WORDS), "quote": WORDS, "body": "Vu"}),
        "address": (f"/reports/{rid}/threads/{tid}/address", {"version": 2}),
        "resolve": (f"/reports/{rid}/threads/{tid}/resolve", {"note": "ok"}),
        "sign": (f"/reports/{rid}/signoff", {"version": 2, "decision": "approve", "override": "Urgence"}),
        "submit": (f"/reports/{rid}/workflow", {"action": "submit"}),
        "start_review": (f"/reports/{rid}/workflow", {"action": "start_review"}),
    }[action]
    return api.post(path, json=body)


@pytest.mark.parametrize("action, who", CELLS)
def test_the_page(m, h, action, who):
    h.login(getattr(m, who).email)
    assert outcome(page_call(h, m, action).status_code) == EXPECTED[action][who]


@pytest.mark.parametrize("action, who", CELLS)
def test_the_api(m, client, action, who):
    r = api_call(as_user(client, getattr(m, who)), m, action)
    assert outcome(r.status_code) == EXPECTED[action][who], r.get_json()
    if r.status_code >= 400:
        assert r.mimetype == "application/problem+json" and r.json["detail"]
