"""flask reports suggest / suggestions / suggestion-decide / suggestions-decide: the JSON other
tools read, the version number printed, and refusals that exit 1 and store nothing."""
import json

import pytest
from sqlalchemy import delete

from reviewflow import content as C
from reviewflow.extensions import db
from reviewflow.models import Notification
from reviewflow.services import editing, versions
from tests.helpers.db import nothing_stored

KEY = "implementation_status"
TEXT = "Le projet connaît des retards dans la mise en place des comités. Pas de retard ailleurs."


@pytest.fixture
def w(world):
    editing.save_sections(world.report, {KEY: C.text_blocks(TEXT)}, actor=world.drafter, roles={"drafter"},
                          base_number=1)
    db.session.execute(delete(Notification))
    db.session.commit()
    return world


def run(runner, *args):
    return runner.invoke(args=["reports", *map(str, args)])


def suggest(runner, w, quote, new, who="reviewer@pbf.example"):
    at = TEXT.index(quote)
    r = run(runner, "suggest", w.report.id, "--section", KEY, "--start", at, "--end", at + len(quote),
            "--text", new, "--as", who, "--quote", quote)
    assert r.exit_code == 0, r.output
    return json.loads(r.output)


def test_suggest_list_and_decide(runner, w):
    a = suggest(runner, w, "des retards", "du retard")
    b = suggest(runner, w, "Pas de", "Aucun", who="reviewer2@pbf.example")
    assert (a["section"], a["quote"], a["replacement"], a["author"], a["status"]) == (
        KEY, "des retards", "du retard", "Claire Reviewer", "open")
    r = run(runner, "suggestions", w.report.id)
    listed = json.loads(r.output)
    assert [s["id"] for s in listed] == [a["id"], b["id"]]
    assert set(listed[0]) >= {"id", "section", "start", "end", "quote", "replacement", "author", "status"}
    r = run(runner, "suggestion-decide", a["id"], "accept", "--as", "drafter@oim.example", "--reason", "OK")
    assert r.exit_code == 0, r.output
    assert r.output.strip() == "3"
    db.session.expire_all()
    assert versions.version_contents(versions.latest_version(w.report))[KEY].text.startswith(
        "Le projet connaît du retard")
    r = run(runner, "suggestion-decide", b["id"], "reject", "--as", "drafter@oim.example", "--json")
    assert json.loads(r.output)["decided"] == [b["id"]] and json.loads(r.output)["version"] is None
    r = run(runner, "suggestions", w.report.id, "--status", "accepted")
    (done,) = json.loads(r.output)
    assert (done["id"], done["decided_by"], done["reason"], done["decided_in"]) == (a["id"], "Awa Drafter", "OK", 3)
    assert [s["id"] for s in json.loads(run(runner, "suggestions", w.report.id, "--status", "rejected").output)] \
        == [b["id"]]


def test_status_counts_suggested_edits(runner, w):
    suggest(runner, w, "des retards", "du retard")
    out = json.loads(run(runner, "status", w.report.id).output)
    assert out["suggested_edits"] == {"open": 1}
    req = next(r for r in out["signoff"]["requirements"] if r["code"] == "open_suggested_edits")
    assert req == {"code": "open_suggested_edits", "met": True, "count": 1, "blocks": False}


def test_batch_decide_of_a_reviewer(runner, w):
    a = suggest(runner, w, "des retards", "du retard")
    suggest(runner, w, "Pas de", "Aucun", who="reviewer2@pbf.example")
    r = run(runner, "suggestions-decide", w.report.id, "accept", "--as", "drafter@oim.example",
            "--by", "reviewer@pbf.example")
    out = json.loads(r.output)
    assert out["decided"] == [a["id"]] and out["version"] == 3


def test_refusals_exit_1_and_store_nothing(runner, w):
    a = suggest(runner, w, "des retards", "du retard")
    with nothing_stored():
        r = run(runner, "suggest", w.report.id, "--section", KEY, "--start", 0, "--end", 9, "--text", "Ce projet",
                "--as", "drafter@oim.example")
        assert r.exit_code == 1 and "Only the report's reviewers" in r.output and "Traceback" not in r.output
        r = run(runner, "suggest", w.report.id, "--section", KEY, "--start", 0, "--end", 9, "--text", "Le projet",
                "--as", "reviewer@pbf.example")
        assert r.exit_code == 1 and "same as the words" in r.output
        r = run(runner, "suggest", w.report.id, "--section", KEY, "--start", 0, "--end", 9, "--text", "X",
                "--quote", "Autre", "--as", "reviewer@pbf.example")
        assert r.exit_code == 1 and "Le projet" in r.output          # the current words are shown
        r = run(runner, "suggestion-decide", a["id"], "accept", "--as", "approver@onudc.example")
        assert r.exit_code == 1 and "drafters" in r.output
        r = run(runner, "suggestion-decide", a["id"], "accept", "--as", "reviewer@pbf.example")
        assert r.exit_code == 1
        r = run(runner, "suggestion-decide", 424242, "reject", "--as", "drafter@oim.example")
        assert r.exit_code == 1 and "does not exist" in r.output
        r = run(runner, "suggestions", w.report.id, "--status", "resolved")
        assert r.exit_code != 0


def test_a_changed_suggestion_is_refused_with_its_current_words(runner, w):
    a = suggest(runner, w, "des retards", "du retard")
    editing.save_sections(w.report, {KEY: C.text_blocks(TEXT.replace("des retards", "de longs retards"))},
                          actor=w.drafter, roles={"drafter"}, base_number=2)
    db.session.commit()
    with nothing_stored():
        r = run(runner, "suggestion-decide", a["id"], "accept", "--as", "drafter@oim.example")
    assert r.exit_code == 1 and "now read" in r.output
