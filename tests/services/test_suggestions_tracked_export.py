"""Open suggested edits exported as Word tracked changes, in the annotated original and in the
generated document: one w:del / w:ins per change at its words with the reviewer's name and the
time it was made; decided ones are not exported as changes; one that overlaps an older one goes
as its comment only; a clean copy has none."""
from sqlalchemy import select

from reviewflow import content as C
from reviewflow.extensions import db
from reviewflow.models import Thread
from reviewflow.services import editing, exports, imports, suggestions, versions
from reviewflow.wordio import read_docx
from tests.helpers.pbf_docx import build
from tests.helpers.pbf_sample import ANSWERS
from tests.helpers.reports import Everyone
from tests.helpers.tracked import changes, decide, ids_unique

KEY = "implementation_status"
TEXT = "Le projet connaît des retards dans la mise en place des comités. Tout le reste avance."


def suggest(world, words, new, who=None, text=TEXT):
    at = text.index(words) if words else len(text)
    s = suggestions.suggest(world.report, actor=who or world.reviewer, roles={"reviewer"}, section_key=KEY,
                            start=at, end=at + len(words), quote=words, replacement=new)
    db.session.flush()
    return s


def test_the_generated_document_carries_each_open_suggested_edit_as_a_tracked_change(world):
    editing.save_sections(world.report, {KEY: C.text_blocks(TEXT)}, actor=world.drafter, roles={"drafter"},
                          base_number=1)
    a = suggest(world, "des retards", "du retard")
    suggest(world, " dans la mise en place des comités", "")
    suggest(world, "", " Les rapports suivront.", who=world.reviewer2)
    suggest(world, "retards dans", "lenteurs dans")               # overlaps the first: its comment only
    rejected = suggest(world, "Tout le reste", "Le reste")
    suggestions.decide(world.report, "reject", actor=world.drafter, roles={"drafter"}, viewer=world.drafter,
                       ids=[rejected.id])
    data, _name, kind = exports.export_docx(world.report, viewer=Everyone())
    assert kind == "generated"
    found = [(c["kind"], c["text"], c["author"]) for c in changes(data)]
    assert found == [("del", "des retards", "Claire Reviewer"), ("ins", "du retard", "Claire Reviewer"),
                     ("del", " dans la mise en place des comités", "Claire Reviewer"),
                     ("ins", " Les rapports suivront.", world.reviewer2.name)]
    assert changes(data)[0]["date"] == a.created_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert ids_unique(data)
    shown = read_docx(data).text
    assert "Le projet connaît du retard. Tout le reste avance. Les rapports suivront." in shown
    assert TEXT in read_docx(decide(data, everything="reject")).text
    # every suggested edit still has its comment (the overlapping one too, and the rejected one)
    notes = [c.text for c in read_docx(data).comments]
    assert sum("lenteurs dans" in n for n in notes) == 1
    clean, _n, _k = exports.export_docx(world.report, viewer=Everyone(), options=exports.ExportOptions(clean=True))
    assert changes(clean) == []


def test_the_annotated_original_carries_them_on_its_own_words(world):
    imports.import_docx(world.report, build(ANSWERS), "rapport.docx", actor=world.drafter, roles={"drafter"},
                        mode="version")
    text = versions.version_contents(versions.latest_version(world.report))[KEY].text
    words = text.split()[2]
    at = text.index(words)
    suggestions.suggest(world.report, actor=world.reviewer, roles={"reviewer"}, section_key=KEY, start=at,
                        end=at + len(words), quote=words, replacement=words.upper() + "!")
    db.session.flush()
    data, _name, kind = exports.export_docx(world.report, viewer=Everyone())
    assert kind == "original"
    assert [(c["kind"], c["text"]) for c in changes(data)] == [("del", words), ("ins", words.upper() + "!")]
    rejected = read_docx(decide(data, everything="reject")).text
    assert text in rejected
    assert text.replace(words, words.upper() + "!", 1) in read_docx(data).text
    assert db.session.scalar(select(Thread).where(Thread.kind == "suggested_edit")).suggestion_status == "open"
