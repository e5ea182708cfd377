"""Word uploads through the API: post the .docx, read its plan, confirm (the version lands with
the choices for its conflicts) or cancel; garbage and other people's plans are refused with
nothing stored."""
from reviewflow.extensions import db
from reviewflow.models import Version
from reviewflow.services.versions import latest_version, version_contents
from tests.helpers.api import as_user
from tests.helpers.db import nothing_stored
from tests.helpers.word_copies import stale_copy

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _post(api, w, data, **query):
    q = "&".join(f"{k}={v}" for k, v in {"filename": "copie.docx", **query}.items())
    return api.client.post(f"/api/v1/reports/{w.report.id}/uploads?{q}", data=data,
                           headers=api.headers({"Content-Type": DOCX}))


def test_upload_plan_then_confirm_with_a_choice_for_the_conflict(w, client):
    api = as_user(client, w.drafter)
    copy = stale_copy(w)
    versions = db.session.query(Version).count()
    r = _post(api, w, copy)
    assert r.status_code == 201, r.json
    plan = r.json
    assert plan["conflicts"] == ["outcome_1.statement"] and "outcome_2.statement" in plan["sections_changed"]
    assert db.session.query(Version).count() == versions                  # nothing landed yet
    assert api.get(f"/reports/{w.report.id}/uploads/{plan['plan']}").json["state"] == "planned"
    r = api.post(f"/reports/{w.report.id}/uploads/{plan['plan']}/confirm", json={})
    assert r.status_code == 409 and r.mimetype == "application/problem+json"   # a conflict left unsettled
    assert db.session.query(Version).count() == versions
    r = api.post(f"/reports/{w.report.id}/uploads/{plan['plan']}/confirm",
                 json={"sections": {"outcome_1.statement": "keep"}})
    assert r.status_code == 200 and r.json["landed"] is True, r.json
    texts = {k: c.text for k, c in version_contents(latest_version(w.report)).items()}
    assert texts["outcome_1.statement"] == "Texte A du navigateur."        # later work never reverted
    assert texts["outcome_2.statement"] == "Texte B du fichier."
    assert r.json["version"] == latest_version(w.report).number
    again = api.post(f"/reports/{w.report.id}/uploads/{plan['plan']}/confirm", json={})
    assert again.status_code == 409                                         # a plan lands once


def test_garbage_wrong_type_and_other_peoples_plans_are_refused_with_nothing_stored(w, client):
    drafter, reviewer, outsider = as_user(client, w.drafter), as_user(client, w.reviewer), as_user(client, w.outsider)
    with nothing_stored(ignore=("api_token",)):     # (a token's last use is noted)
        r = _post(drafter, w, b"PK\x03\x04 not really a zip")
        assert r.status_code == 400 and r.mimetype == "application/problem+json" and r.json["detail"]
        r = drafter.client.post(f"/api/v1/reports/{w.report.id}/uploads", data=b"{}",
                                headers=drafter.headers({"Content-Type": "application/json"}))
        assert r.status_code == 400 and "docx" in r.json["detail"]
    plan = _post(drafter, w, stale_copy(w)).json
    with nothing_stored(ignore=("api_token",)):     # (a token's last use is noted)
        r = reviewer.post(f"/reports/{w.report.id}/uploads/{plan['plan']}/confirm", json={"resolve": "file"})
        assert r.status_code == 403
        r = reviewer.post(f"/reports/{w.report.id}/uploads/{plan['plan']}/cancel")
        assert r.status_code == 403
        r = outsider.get(f"/reports/{w.report.id}/uploads/{plan['plan']}")
        assert r.status_code == 404
    r = drafter.post(f"/reports/{w.report.id}/uploads/{plan['plan']}/cancel")
    assert r.status_code == 200 and r.json["state"] == "cancelled"
