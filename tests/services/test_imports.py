"""Importing Word files: sections, comments as threads, re-import without duplicates, bad files."""
import io
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from reviewflow.extensions import db
from reviewflow.models import Comment, Thread, Upload, Version
from reviewflow.services import imports, versions
from reviewflow.services.errors import Invalid
from tests.helpers.paths import SHARED
from tests.helpers.pbf_docx import Tracked, WComment, build
from tests.helpers.pbf_sample import ANSWERS, COMMENTS, RF, STATUS


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def imp(w, data, who=None, mode="version", roles=None, name="rapport.docx"):
    who = who or w.drafter
    roles = roles if roles is not None else ({"drafter"} if mode == "version" else {"reviewer"})
    return imports.import_docx(w.report, data, name, actor=who, roles=roles, mode=mode)


def test_import_fills_sections_and_places_comments_on_their_words(world):
    data = build(ANSWERS, comments=COMMENTS, rf_rows=RF,
                 tracked=[Tracked("human_impact", "la hache", "la machette", "finissait à ")])
    s = imp(world, data)
    assert s.version == 2 and s.on_version == 2
    c = versions.version_contents(versions.latest_version(world.report))
    assert c["implementation_status"].text == STATUS
    assert c["human_impact"].text == ANSWERS["human_impact"]            # tracked change accepted, not "hachemachette"
    assert "hache" not in c["human_impact"].text
    assert "Indicateur 1.1" in c["results_framework"].text and "TBD" in c["results_framework"].text
    assert c["outcome_2.statement"].text == "Les autorités coopèrent."
    assert s.threads_created == 3 and s.replies_added == 1 and s.revisions == 2
    by_quote = {t.quote: t for t in db.session.scalars(select(Thread))}
    t = by_quote["Le projet connaît des retards"]
    assert t.section.key == "implementation_status" and t.start_offset == 0 and t.anchor_status == "exact"
    assert [x.body for x in t.comments] == ["Justifier : quels retards ?", "Fin novembre."]
    assert t.comments[0].author_name == "Malika Groga Bada (Word)" and t.comments[1].author_name == "UNODC/IOM PBF (Word)"
    assert by_quote["Pas de retard"].status == "resolved"
    # a name in the file never becomes another user's account (only the uploader's own comments are)
    assert by_quote["la machette"].comments[0].author_id is None
    assert count(Upload) == 1 and versions.latest_version(world.report).upload.filename == "rapport.docx"


def test_reimport_adds_only_what_is_new(world):
    imp(world, build(ANSWERS, comments=COMMENTS))
    again = imp(world, build(ANSWERS, comments=COMMENTS))
    assert again.version is None and again.threads_created == 0 and again.replies_added == 0
    assert again.already_known == 4
    more = [COMMENTS[0].__class__(**{**COMMENTS[0].__dict__, "replies": COMMENTS[0].replies +
                                      [("Malika Groga Bada", "Merci, à préciser dans le texte.")]})] + COMMENTS[1:]
    third = imp(world, build(ANSWERS, comments=more))
    assert third.threads_created == 0 and third.replies_added == 1
    assert count(Thread) == 3 and count(Comment) == 5


def test_a_comment_whose_quotes_word_curled_is_recognised_on_reimport(world):
    """Word's autocorrect turns ' into ‘ or ’: the comment is the same one, not a new thread."""
    straight = [WComment("human_impact", "la machette", "Citation : 'machette' ?", author="Anatole")]
    curled = [WComment("human_impact", "la machette", "Citation : ‘machette’ ?", author="Anatole")]
    imp(world, build(ANSWERS, comments=straight))
    again = imp(world, build(ANSWERS, comments=curled))
    assert again.threads_created == 0 and again.already_known == 1
    assert count(Thread) == 1


def test_two_reviewers_copies_become_one_set_of_threads(world):
    imp(world, build(ANSWERS))
    copy_a = build(ANSWERS, comments=[COMMENTS[0]])
    copy_b = build(ANSWERS, comments=[COMMENTS[0], WComment("upcoming_events", "Foire", "Quelle date ?",
                                                            author="Anatole N'Doma")])
    a = imp(world, copy_a, who=world.reviewer, mode="review")
    b = imp(world, copy_b, who=world.reviewer2, mode="review")
    assert (a.threads_created, b.threads_created, b.already_known) == (1, 1, 2)
    assert count(Thread) == 2 and count(Version) == 2                   # review imports create no version


def test_clean_upload_never_closes_threads_and_carries_them(world):
    imp(world, build(ANSWERS, comments=COMMENTS))
    edited = dict(ANSWERS, implementation_status="Introduction.\n" + STATUS.replace("62 membres", "64 membres"),
                  human_impact="Autre exemple sans citation.")
    s = imp(world, build(edited))                                      # no comments in the drafter's copy
    assert s.version == 3 and s.threads_not_in_file == 2               # the resolved one is not counted
    threads = {t.quote: t for t in db.session.scalars(select(Thread))}
    moved = threads["Le projet connaît des retards"]
    assert moved.status == "open" and moved.version.number == 3
    assert moved.start_offset == len("Introduction.\n") and moved.anchor_status in ("exact", "moved")
    gone = next(t for t in db.session.scalars(select(Thread)) if t.comments[0].body == "Citation à sourcer.")
    assert gone.anchor_status == "orphaned" and gone.status == "open" and gone.quote == "la machette"
    assert threads["Pas de retard"].version.number == 2                 # resolved: stays where it was resolved


def test_review_copy_with_edits_puts_comments_on_the_versions_words(world):
    imp(world, build(ANSWERS))
    reviewer_copy = dict(ANSWERS, implementation_status="Remarque ajoutée par la relectrice. " + STATUS)
    s = imp(world, build(reviewer_copy, comments=[COMMENTS[0]]), who=world.reviewer, mode="review")
    t = db.session.scalar(select(Thread))
    assert s.on_version == 2 and t.quote == "Le projet connaît des retards" and t.start_offset == 0


def test_comment_on_a_question_becomes_a_section_comment(world):
    data = build(dict(ANSWERS, report_approved_by=""),
                 comments=[WComment("report_approved_by", "Rapport approuvé par", "A préciser.")])
    s = imp(world, data)
    t = db.session.scalar(select(Thread))
    assert t.section.key == "report_approved_by" and t.anchor_status == "section"
    assert s.unplaced and s.unplaced[0]["why"].startswith("on the question")


def test_more_outcomes_in_the_file_extend_part_two(world):
    answers = dict(ANSWERS, **{"outcome_3.statement": "Un troisième résultat.",
                               "outcome_3.progress_summary": "Avancées du troisième."})
    s = imp(world, build(answers, outcomes=3))
    assert s.outcomes_added == 1 and world.report.outcomes == 3
    c = versions.version_contents(versions.latest_version(world.report))
    assert c["outcome_3.progress_summary"].text == "Avancées du troisième."


def test_a_file_without_template_questions_is_kept_as_unmapped_content(world):
    data = build({}, outcomes=0, preamble=["Note de synthèse", "Quelques lignes sans rapport avec le modèle."])
    s = imp(world, data)
    assert s.unmapped_chars > 0 and "Note de synthèse" in s.unmapped_preview
    v = versions.latest_version(world.report)
    assert v.unmapped and v.unmapped[0]["text"] == "Note de synthèse"


def _zip(members):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


BAD = {
    "not_zip": b"Bonjour, ceci n'est pas un document Word.",
    "truncated": build(ANSWERS)[:2000],
    "ole_encrypted": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
    "zip_bomb": _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document>" + " " * 300_000_000}),
}


@pytest.mark.parametrize("code", sorted(BAD))
def test_bad_files_are_refused_with_a_reason_and_nothing_stored(world, code):
    before = count(Version)
    with pytest.raises(Invalid) as err:
        imp(world, BAD[code])
    assert err.value.details["code"] in (code, "legacy_doc") and err.value.message
    db.session.rollback()
    assert count(Version) == before and count(Upload) == 0


@pytest.mark.parametrize("name", ["xxe.docx", "bomb.docx"])
def test_hostile_files_are_refused(world, name):
    path = SHARED / "hostile" / name
    if not path.exists():
        pytest.skip(f"{path} is not present (set REVIEWFLOW_SHARED)")
    with pytest.raises(Invalid) as err:
        imp(world, path.read_bytes())
    assert err.value.details["code"] == "doctype"
    assert count(Upload) == 0 and count(Version) == 1


def test_macro_documents_are_refused(world):
    data = build(ANSWERS)
    buf = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buf, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr("word/vbaProject.bin", b"\0" * 100)
    with pytest.raises(Invalid) as err:
        imp(world, buf.getvalue())
    assert err.value.details["code"] == "macro"
    assert count(Upload) == 0 and count(Version) == 1


def test_reviewers_cannot_upload_versions_and_outsiders_nothing(world):
    from reviewflow.services.errors import Forbidden
    with pytest.raises(Forbidden):
        imp(world, build(ANSWERS), who=world.reviewer, mode="version", roles={"reviewer"})
    with pytest.raises(Forbidden):
        imp(world, build(ANSWERS), who=world.outsider, mode="review", roles=set())
    assert count(Upload) == 0 and count(Version) == 1 and count(Thread) == 0


def test_the_path_of_a_filename_is_dropped():
    assert imports.safe_filename("C:\\Users\\awa\\..\\rapport final.docx") == "rapport final.docx"
    assert imports.safe_filename("../../etc/passwd") == "passwd"
    assert Path(imports.safe_filename("a\x00b<c>.docx")).name == "a_b_c_.docx"


def test_a_comment_deleted_in_word_is_reported_and_kept(world):
    imp(world, build(ANSWERS, comments=COMMENTS))
    data = build(ANSWERS, comments=COMMENTS[:1] + COMMENTS[2:])     # the reviewer deleted one comment in Word
    s = imp(world, data, who=world.reviewer, mode="review")
    assert s.deleted_in_word == 0            # the deleted one was resolved: nothing open is missing
    data = build(ANSWERS, comments=COMMENTS[1:])                     # now an open thread is missing
    s = imp(world, data, who=world.reviewer, mode="review")
    assert s.deleted_in_word == 1 and count(Thread) == 3
