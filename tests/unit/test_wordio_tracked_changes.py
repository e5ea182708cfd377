"""Suggested edits written as Word tracked changes (wordio's writer): w:del / w:ins with author,
date and unique ids at the right words; the file reads back as Word shows it (every change
accepted) and, each change rejected, as the original; overlapping changes are refused;
comments on the same words stay whole; a change across paragraphs removes the paragraph mark."""
from datetime import UTC, datetime

import pytest

from reviewflow import content as C
from reviewflow.wordio import (
    ExportComment,
    ExportRevision,
    ExportThread,
    GenDocument,
    GenPart,
    GenSection,
    annotate_docx,
    generate_docx,
    read_docx,
)
from tests.helpers.docxbuild import make_docx, p
from tests.helpers.tracked import changes, decide, ids_unique, members

TEXT = "Le projet connaît des retards importants.\nLes comités sont installés."
WHEN = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def original():
    return make_docx(p("Le projet connaît ", "des retards importants.")
                     + p('<w:r><w:rPr><w:b/></w:rPr><w:t>Les comités</w:t></w:r>', " sont installés."))


def rev(words, new, author="Claire Fofana", text=TEXT, date=WHEN):
    at = text.index(words) if words else text.index(new[1])
    return ExportRevision(at, at + len(words), new, author, date)


def test_a_replacement_an_insertion_and_a_deletion_read_back_accepted_and_rejected():
    data = original()
    assert read_docx(data).text == TEXT
    at = TEXT.index("sont")
    revs = [rev("des retards importants", "du retard"), ExportRevision(at, at, "déjà ", "Jean K", None),
            rev(" installés", "")]
    out = annotate_docx(data, [], revisions=revs)
    assert read_docx(out).text == "Le projet connaît du retard.\nLes comités déjà sont."
    assert read_docx(decide(out, everything="reject")).text == TEXT
    found = [(c["kind"], c["text"], c["author"], c["date"]) for c in changes(out)]
    assert found == [("del", "des retards importants", "Claire Fofana", "2026-03-02T09:30:00Z"),
                     ("ins", "du retard", "Claire Fofana", "2026-03-02T09:30:00Z"),
                     ("ins", "déjà ", "Jean K", None),
                     ("del", " installés", "Claire Fofana", "2026-03-02T09:30:00Z")]
    assert ids_unique(out)
    summary = read_docx(out).revision_summary
    assert summary.count == 4 and set(summary.authors) == {"Claire Fofana", "Jean K"}


def test_the_inserted_words_take_the_formatting_of_the_words_before_them():
    out = annotate_docx(original(), [], revisions=[rev("Les comités", "Les 6 comités")])
    xml = members(out)["word/document.xml"]
    ins = xml.split(b"<w:ins ", 1)[1].split(b"</w:ins>", 1)[0]
    assert b"<w:b/>" in ins


def test_comments_on_the_same_words_keep_their_reference_and_ids_stay_unique():
    at = TEXT.index("des retards")
    th = ExportThread(at, at + len("des retards importants"),
                      [ExportComment("Claire Fofana", "CF", WHEN, "[Modification proposée]\nTrop long")])
    inner = ExportThread(at + 4, at + 11, [ExportComment("Jean K", "JK", WHEN, "Lesquels ?")])
    out = annotate_docx(original(), [th, inner], revisions=[rev("des retards importants", "du retard")])
    doc = read_docx(out)
    assert doc.text == "Le projet connaît du retard.\nLes comités sont installés."
    assert sorted(c.text for c in doc.comments) == ["Lesquels ?", "[Modification proposée]\nTrop long"]
    assert ids_unique(out)
    back = read_docx(decide(out, everything="reject"))
    assert back.text == TEXT and len(back.comments) == 2


def test_a_deletion_across_paragraphs_removes_the_paragraph_mark():
    words = "importants.\nLes comités"
    out = annotate_docx(original(), [], revisions=[rev(words, "")])
    kinds = [c["kind"] for c in changes(out)]
    assert kinds.count("para-del") == 1 and kinds.count("del") == 2
    assert read_docx(decide(out, everything="reject")).text == TEXT
    assert read_docx(decide(out, everything="accept")).text == "Le projet connaît des retards  sont installés."


def test_an_insertion_with_a_line_break_and_at_a_paragraph_start():
    out = annotate_docx(original(), [], revisions=[ExportRevision(0, 0, "Résumé\t:\n", "Jean K", None)])
    assert read_docx(out).text == "Résumé\t:\n" + TEXT


@pytest.mark.parametrize("revs", [
    [ExportRevision(3, 10, "x", "A"), ExportRevision(5, 12, "y", "B")],      # overlapping words
    [ExportRevision(3, 10, "x", "A"), ExportRevision(10, 10, "y", "B")],     # an insertion at its edge
    [ExportRevision(4, 4, "x", "A"), ExportRevision(4, 4, "y", "B")],        # two at one point
    [ExportRevision(4, 4, "", "A")],                                          # nothing
    [ExportRevision(0, 999, "x", "A")],                                       # outside the text
])
def test_changes_that_cannot_be_written_are_refused(revs):
    with pytest.raises(ValueError):
        annotate_docx(original(), [], revisions=revs)


def test_a_generated_document_carries_the_sections_changes():
    blocks = C.text_blocks(TEXT)
    at = TEXT.index("des retards")
    doc = GenDocument("Rapport", [GenPart("Partie", [GenSection("Section", blocks, revisions=[
        ExportRevision(at, at + len("des retards importants"), "du retard", "Claire Fofana", WHEN)])])])
    out = generate_docx(doc)
    got = read_docx(out)
    assert "Le projet connaît du retard." in got.text
    assert "des retards importants" in read_docx(decide(out, everything="reject")).text
    assert [(c["kind"], c["author"]) for c in changes(out)] == [("del", "Claire Fofana"), ("ins", "Claire Fofana")]
