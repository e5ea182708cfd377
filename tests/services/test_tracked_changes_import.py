"""Word tracked changes in a reviewer's upload become suggested edits (services/tracked_changes):
the seed's 24 changes give 24 suggested edits on the right words, with the Word author and date;
uploading the copy again, or a reviewer's copy of our own export, duplicates none; formatting-only
changes are listed, not suggested; a drafter's changes in a reviewer's copy are the reviewer's
upload too (suggested, never accepted)."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from reviewflow import content as C
from reviewflow.extensions import db
from reviewflow.models import Thread
from reviewflow.services import editing, exports, imports, versions
from tests.helpers import seed_tracked as S
from tests.helpers.pbf_docx import build
from tests.helpers.reports import Everyone
from tests.helpers.tracked import changes, decide

KEY = "implementation_status"


def edits():
    return list(db.session.scalars(select(Thread).where(Thread.kind == "suggested_edit").order_by(Thread.id)))


def review_upload(world, data, name="relecture.docx"):
    return imports.import_docx(world.report, data, name, actor=world.reviewer, roles={"reviewer"}, mode="review")


@pytest.mark.skipif(S.missing_reason() is not None, reason=S.missing_reason() or "")
def test_the_seeds_24_tracked_changes_become_24_suggested_edits_on_the_right_words(world):
    copy = S.build_docx()
    imports.import_docx(world.report, decide(copy, everything="reject"), "rapport.docx", actor=world.drafter,
                        roles={"drafter"}, mode="version")
    version = versions.latest_version(world.report)
    contents = versions.version_contents(version)
    summary = review_upload(world, copy)
    assert summary.suggestions["created"] == 24 and summary.suggestions["orphaned"] == 0
    assert summary.suggestions["by_author"] == {S.AUTHOR: 24} and not summary.suggestions["listed"]
    found = edits()
    assert len(found) == 24
    expected = {(S.section_key(c.field), c.deleted, c.inserted): c for c in S.CHANGES}
    for t in found:
        key = t.section.key
        c = expected.pop((key, t.quote, t.replacement))
        text = contents[key].text
        assert t.version_id == version.id and t.anchor_status == "exact"
        assert text[t.start_offset:t.end_offset] == c.deleted
        assert text[:t.start_offset].endswith(c.before) and text[t.end_offset:].startswith(c.after)
        assert t.comments[0].author_name == f"{S.AUTHOR} (Word)" and t.created_by_id is None
        assert t.created_at.strftime("%Y-%m-%dT%H:%M:%SZ") == S.DATE
        assert t.suggestion_status == "open"
    assert not expected
    # the same copy again: nothing new
    again = review_upload(world, copy)
    assert again.suggestions["created"] == 0 and again.suggestions["already_known"] == 24
    assert len(edits()) == 24


def _report_with_text(world, text):
    editing.save_sections(world.report, {KEY: C.text_blocks(text)}, actor=world.drafter, roles={"drafter"},
                          base_number=1)
    db.session.flush()


def test_a_copy_of_our_export_comes_back_without_duplicates(world):
    text = "Le projet connaît des retards. Les comités sont installés."
    imports.import_docx(world.report, build({KEY: text}), "rapport.docx", actor=world.drafter, roles={"drafter"},
                        mode="version")
    at = text.index("des retards")
    from reviewflow.services import suggestions
    suggestions.suggest(world.report, actor=world.reviewer, roles={"reviewer"}, section_key=KEY, start=at,
                        end=at + 11, quote="des retards", replacement="du retard", note="Singulier")
    db.session.flush()
    data, name, _ = exports.export_docx(world.report, viewer=Everyone())
    summary = review_upload(world, data, name)
    assert summary.suggestions["created"] == 0 and summary.suggestions["already_known"] == 1
    assert summary.threads_created == 0
    assert db.session.scalar(select(func.count()).select_from(Thread)) == 1


def test_formatting_only_changes_are_listed_not_suggested(world):
    text = "Le projet avance bien."
    _report_with_text(world, text)
    answers = {KEY: text}
    plain = build(answers)
    # the reviewer bolded a word (w:rPrChange) and inserted one (w:ins)
    from tests.helpers.tracked import members, rezip
    parts = members(plain)
    xml = parts["word/document.xml"].decode()
    run = '<w:t xml:space="preserve">Le projet avance bien.</w:t>'
    assert run in xml, "the builder writes the answer in one run"
    xml = xml.replace(run, '<w:t xml:space="preserve">Le projet avance</w:t></w:r>'
                      '<w:ins w:id="901" w:author="Jean Reviewer" w:date="2026-03-01T10:00:00Z"><w:r>'
                      '<w:t xml:space="preserve"> très</w:t></w:r></w:ins>'
                      '<w:r><w:rPr><w:b/><w:rPrChange w:id="902" w:author="Jean Reviewer" '
                      'w:date="2026-03-01T10:00:00Z"><w:rPr/></w:rPrChange></w:rPr>'
                      '<w:t xml:space="preserve"> bien.</w:t>', 1)
    parts["word/document.xml"] = xml.encode()
    summary = review_upload(world, rezip(parts))
    assert summary.suggestions["created"] == 1
    assert [(x["kind"], x["author"], x["why"]) for x in summary.suggestions["listed"]] == [
        ("rPrChange", "Jean Reviewer", "formatting")]
    (t,) = edits()
    assert (t.quote, t.replacement, t.start_offset) == ("", " très", len("Le projet avance"))
    assert t.comments[0].author_name == "Jean Reviewer (Word)"


def test_approvers_tracked_changes_are_listed_only(world):
    text = "Le projet avance."
    _report_with_text(world, text)
    s = imports.import_docx(world.report, S_copy(text), "a.docx", actor=world.approver, roles={"approver"},
                            mode="review")
    assert s.suggestions["created"] == 0 and s.suggestions["by_author"] == {"Marie": 1}
    assert any("reviewers" in w for w in s.suggestions["warnings"])
    assert edits() == []


def S_copy(text):
    from tests.helpers.tracked import members, rezip
    parts = members(build({KEY: text}))
    xml = parts["word/document.xml"].decode()
    run = f'<w:t xml:space="preserve">{text}</w:t>'
    xml = xml.replace(run, run + '</w:r><w:ins w:id="903" w:author="Marie" w:date="2026-03-01T10:00:00Z"><w:r>'
                      '<w:t xml:space="preserve"> Vite.</w:t></w:r></w:ins><w:r>', 1)
    parts["word/document.xml"] = xml.encode()
    return rezip(parts)



def test_a_drafters_copy_of_the_export_brings_the_decisions_taken_in_word(world):
    """LibreOffice (or Word) accepted one change and rejected another; the third is untouched."""
    text = "Le projet connaît des retards. Les comités sont installés. Tout avance."
    imports.import_docx(world.report, build({KEY: text}), "rapport.docx", actor=world.drafter, roles={"drafter"},
                        mode="version")
    from reviewflow.services import suggestions

    def suggest(words, new):
        at = text.index(words)
        s = suggestions.suggest(world.report, actor=world.reviewer, roles={"reviewer"}, section_key=KEY, start=at,
                                end=at + len(words), quote=words, replacement=new)
        db.session.flush()
        return s
    a = suggest("des retards", "du retard")
    r = suggest(" sont installés", " fonctionnent")
    u = suggest("Tout avance", "Le reste avance")
    data, name, _ = exports.export_docx(world.report, viewer=Everyone())
    ids = {(c["kind"], c["text"]): c["id"] for c in changes(data)}
    copy = decide(data, accept=[ids[("del", "des retards")], ids[("ins", "du retard")]],
                  reject=[ids[("del", " sont installés")], ids[("ins", " fonctionnent")]])
    summary = imports.import_docx(world.report, copy, name, actor=world.drafter, roles={"drafter"}, mode="version")
    assert summary.suggestions["accepted_in_word"] == 1 and summary.suggestions["rejected_in_word"] == 1
    assert summary.suggestions["still_open"] == 1
    for s in (a, r, u):
        db.session.refresh(s)
    latest = versions.latest_version(world.report)
    assert (a.decision, a.decided_by, a.decided_in) == ("accepted", world.drafter, latest.number)
    assert (r.decision, r.decided_by) == ("rejected", world.drafter)
    assert u.decision is None and u.suggestion_status == "open"
    assert "du retard" in versions.version_contents(latest)[KEY].text
    assert " sont installés" in versions.version_contents(latest)[KEY].text
    assert len(edits()) == 3                                            # nothing duplicated


def test_two_identical_changes_in_one_copy_are_two_suggested_edits(world):
    text = "Le projet avance. Le projet avance."
    _report_with_text(world, text)
    from tests.helpers.tracked import members, rezip
    parts = members(build({KEY: text}))
    xml = parts["word/document.xml"].decode()
    run = f'<w:t xml:space="preserve">{text}</w:t>'
    ins = ('</w:t></w:r><w:ins w:id="{}" w:author="Jean Reviewer" w:date="2026-03-01T10:00:00Z"><w:r>'
           '<w:t xml:space="preserve"> vite</w:t></w:r></w:ins><w:r><w:t xml:space="preserve">')
    xml = xml.replace(run, '<w:t xml:space="preserve">Le projet avance' + ins.format(911) + '. Le projet avance'
                      + ins.format(912) + '.</w:t>', 1)
    parts["word/document.xml"] = xml.encode()
    s = review_upload(world, rezip(parts))
    assert s.suggestions["created"] == 2 and s.suggestions["already_known"] == 0
    assert [(t.start_offset, t.replacement) for t in edits()] == [(16, " vite"), (34, " vite")]
