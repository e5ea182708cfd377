"""Tracked changes through the upload a user makes (upload -> preview -> confirm): a reviewer's
pending changes become suggested edits, a drafter's copy of an export brings the decisions taken
in Word.  The services' own tests (tests/services/test_tracked_changes_import.py) cover the rules;
these prove the web flow reaches them."""
from __future__ import annotations

from sqlalchemy import select

from reviewflow import content as C
from reviewflow.extensions import db
from reviewflow.models import Notification, Thread
from reviewflow.services import editing, exports, suggestions
from tests.helpers.pbf_docx import build
from tests.helpers.reports import Everyone
from tests.helpers.tracked import decide, members, rezip
from tests.helpers.web import upload

KEY = "implementation_status"
TEXT = "Le projet avance."


def _edits():
    return list(db.session.scalars(select(Thread).where(Thread.kind == "suggested_edit").order_by(Thread.id)))


def _with_insertion(text: str, author: str) -> bytes:
    parts = members(build({KEY: text}))
    xml = parts["word/document.xml"].decode()
    run = f'<w:t xml:space="preserve">{text}</w:t>'
    assert run in xml, "the builder writes the answer in one run"
    xml = xml.replace(run, run + f'</w:r><w:ins w:id="903" w:author="{author}" w:date="2026-03-01T10:00:00Z">'
                      '<w:r><w:t xml:space="preserve"> Vite.</w:t></w:r></w:ins><w:r>', 1)
    parts["word/document.xml"] = xml.encode()
    return rezip(parts)


def test_a_reviewers_upload_through_the_preview_turns_tracked_changes_into_suggested_edits(world, h):
    editing.save_sections(world.report, {KEY: C.text_blocks(TEXT)}, actor=world.drafter, roles={"drafter"},
                          base_number=1)
    db.session.commit()
    h.login("reviewer@pbf.example")
    before = db.session.query(Notification).count()
    r = upload(h, world, _with_insertion(TEXT, "Jean Reviewer"), mode="review")
    assert r.status_code in (200, 302), r.get_data(as_text=True)[:500]
    (t,) = _edits()
    assert (t.quote, t.replacement, t.start_offset) == ("", " Vite.", len(TEXT))
    assert t.section.key == KEY and t.suggestion_status == "open"
    # the drafters hear of it even though the file held no comment
    assert db.session.query(Notification).count() > before
    # the same copy again: nothing new
    upload(h, world, _with_insertion(TEXT, "Jean Reviewer"), mode="review")
    assert len(_edits()) == 1


def test_a_drafters_copy_of_the_export_brings_the_decisions_taken_in_word_through_the_preview(world, h):
    text = "Le projet connaît des retards. Tout avance."
    editing.save_sections(world.report, {KEY: C.text_blocks(text)}, actor=world.drafter, roles={"drafter"},
                          base_number=1)
    at = text.index("des retards")
    made = suggestions.suggest(world.report, actor=world.reviewer, roles={"reviewer"}, section_key=KEY, start=at,
                               end=at + 11, quote="des retards", replacement="du retard", note="Singulier")
    db.session.commit()
    data, _name, _ = exports.export_docx(world.report, viewer=Everyone(),
                                         options=exports.ExportOptions(kind="generated"))
    db.session.commit()
    h.login("drafter@oim.example")
    r = upload(h, world, decide(data, everything="accept"))
    assert r.status_code in (200, 302), r.get_data(as_text=True)[:500]
    db.session.expire_all()
    t = db.session.get(Thread, made.id)
    assert t.suggestion_status == "accepted" and t.resolved_by_id == world.drafter.id
