"""Conformance on the real-world corpus in ../shared/corpus (read there, never copied here).

The expectations below were written by reading each file's XML by hand (word/document.xml,
word/comments.xml, commentsExtended.xml, commentsIds.xml, commentsExtensible.xml), not by
running the reader.  Notes on how each was derived are next to the data.
"""
from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pytest

from reviewflow.content import blocks_text
from reviewflow.wordio import document_to_json, read_docx
from tests.helpers.wordio import CORPUS

pytestmark = pytest.mark.corpus



def corpus_file(name: str) -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"real-world corpus not found at {CORPUS} (set REVIEWFLOW_CORPUS)")
    path = CORPUS / name
    if not path.exists():
        pytest.skip(f"corpus file {name} not found under {CORPUS}")
    return path


def all_files() -> list[str]:
    if not CORPUS.is_dir():
        return []
    return sorted(str(p.relative_to(CORPUS)) for p in CORPUS.rglob("*.docx"))


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


# ---- shared quotes --------------------------------------------------------------------------
# docx2python/comments.docx: comments 1,2,3 open before the first run of paragraph 1 and close
# after its last run; comment 4 opens before "tempor".  Paragraph 5 repeats this after "Par5 ".
LOREM = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor "
         "incididunt ut labore et dolore magna aliqua.")
TEMPOR = "tempor incididunt ut labore et dolore magna aliqua."
# generated/threaded_fixture_fr.docx: comments 0 and 1 open in paragraph 1 before "ont été
# établis" and end after paragraph 2's last run; comment 2 covers paragraph 2 after "1.1.2 : ".
FR_RANGE = ("ont été établis dans trois provinces.\n"
            "Indicateur 1.1.2 : nombre de femmes médiatrices formées (cible : 120).")
FR_INNER = "nombre de femmes médiatrices formées (cible : 120)."
FR_BODY0 = "Merci de préciser la source des données.\nVoir le cadre de résultats."
LONG1 = "magna fringilla urna porttitor rhoncus dolor purus non enim praesent"

# (id, quote (full, or a prefix ending with "…"), parent id, resolved, body text (full or prefix…))
EXPECTED = {
    "docx2python/comments.docx": [
        ("1", LOREM, None, False, "COMMENT"),
        ("2", LOREM, "1", False, "RESPONSE"),
        ("3", LOREM, "1", False, "Response from Shay Hill"),
        ("4", TEMPOR, None, False, "Comment on subset starting with tempor"),
        ("5", LOREM, None, False, "COMMENT on par 5"),
        ("6", LOREM, "5", False, "RESPONSE to comment on par 5"),
        ("7", LOREM, "5", False, "Response from Shay Hill on par 5"),
        ("8", TEMPOR, None, False, "Comment on subset starting with tempor on par 5"),
    ],
    # Comment 6 and 8 have two paragraphs; the thread key is the LAST one (75CBD648 has no
    # parent; 3DA6F5BE -> 79A47B99 = comment 7).  Comment 9's row has w15:done="1".
    # Comment 11 spans only a picture: an empty quote.
    "docx2python/test_file_with_comments.docx": [
        ("0", "magna ", None, False, "Comment 1"),
        ("1", "quis ", None, False, "Comment 2"),
        ("2", "Bibendum", None, False, "Comment 3"),
        ("3", "dolor ", None, False, "Comment 4 with hyperlink"),
        ("4", "suspendisse ", None, False, "Comment 5"),
        ("5", "suspendisse ", "4", False, "With a response"),
        ("6", "Amet ", None, False, "Comment 6 with a long comment.\n\n" + LONG1 + "…"),
        ("7", "suspendisse ", None, False, "Comment 7 with a long response"),
        ("8", "suspendisse ", "7", False, "Long response: " + LONG1 + "…"),
        ("9", "Magnis ", None, True, "Comment 8 - marked Resolved"),
        ("10", "R1C1", None, False, "Comment in a table"),
        ("11", "", None, False, "Comment on a picture"),
    ],
    "docxfix/comment-thread.docx": [
        ("0", "dolor sit amet", None, False, "A comment."),
        ("1", "dolor sit amet", "0", False, "A reply comment."),
    ],
    "docxfix/resolved-comment.docx": [
        ("0", "dolor sit amet", None, True, "A comment."),
    ],
    "generated/threaded_fixture_fr.docx": [
        ("0", FR_RANGE, None, False, FR_BODY0),
        ("1", FR_RANGE, "0", False, "Source : rapports trimestriels de l'OIM."),
        ("2", FR_INNER, None, True, "Chiffre vérifié."),
    ],
    # LibreOffice renumbers ids and writes its own paraIds (01000000, 02000000 ...) and a
    # commentsExtended.xml without w15:done except on resolved comments.
    "libreoffice-roundtrip/lo25__docx2python__comments.docx": [
        ("2", LOREM, None, False, "COMMENT"),
        ("1", LOREM, "2", False, "RESPONSE"),
        ("0", LOREM, "2", False, "Response from Shay Hill"),
        ("3", TEMPOR, None, False, "Comment on subset starting with tempor"),
        ("6", LOREM, None, False, "COMMENT on par 5"),
        ("5", LOREM, "6", False, "RESPONSE to comment on par 5"),
        ("4", LOREM, "6", False, "Response from Shay Hill on par 5"),
        ("7", TEMPOR, None, False, "Comment on subset starting with tempor on par 5"),
    ],
    # LibreOffice 7.4 wrote no commentsExtended.xml here: the threads are lost (all roots);
    # it wrote docProps/app.xml, so this is not treated as a Google Docs export.
    "libreoffice-roundtrip/lo74__docx2python__comments.docx": [
        ("2", LOREM, None, False, "COMMENT"),
        ("1", LOREM, None, False, "RESPONSE"),
        ("0", LOREM, None, False, "Response from Shay Hill"),
        ("3", TEMPOR, None, False, "Comment on subset starting with tempor"),
        ("6", LOREM, None, False, "COMMENT on par 5"),
        ("5", LOREM, None, False, "RESPONSE to comment on par 5"),
        ("4", LOREM, None, False, "Response from Shay Hill on par 5"),
        ("7", TEMPOR, None, False, "Comment on subset starting with tempor on par 5"),
    ],
    # Comment 6 body: LibreOffice turned Word's two w:br into empty paragraphs - same text.
    "libreoffice-roundtrip/lo25__docx2python__test_file_with_comments.docx": [
        ("0", "magna ", None, False, "Comment 1"),
        ("1", "quis ", None, False, "Comment 2"),
        ("2", "Bibendum", None, False, "Comment 3"),
        ("3", "dolor ", None, False, "Comment 4 with hyperlink"),
        ("5", "suspendisse ", None, False, "Comment 5"),
        ("4", "suspendisse ", "5", False, "With a response"),
        ("6", "Amet ", None, False, "Comment 6 with a long comment.\n\n" + LONG1 + "…"),
        ("8", "suspendisse ", None, False, "Comment 7 with a long response"),
        ("7", "suspendisse ", "8", False, "Long response: " + LONG1 + "…"),
        ("9", "Magnis ", None, True, "Comment 8 - marked Resolved"),
        ("10", "R1C1", None, False, "Comment in a table"),
        ("11", "", None, False, "Comment on a picture"),
    ],
    "libreoffice-roundtrip/lo74__docx2python__test_file_with_comments.docx": [
        ("0", "magna ", None, False, "Comment 1"),
        ("1", "quis ", None, False, "Comment 2"),
        ("2", "Bibendum", None, False, "Comment 3"),
        ("3", "dolor ", None, False, "Comment 4 with hyperlink"),
        ("5", "suspendisse ", None, False, "Comment 5"),
        ("4", "suspendisse ", None, False, "With a response"),
        ("6", "Amet ", None, False, "Comment 6 with a long comment.\n\n" + LONG1 + "…"),
        ("8", "suspendisse ", None, False, "Comment 7 with a long response"),
        ("7", "suspendisse ", None, False, "Long response: " + LONG1 + "…"),
        ("9", "Magnis ", None, True, "Comment 8 - marked Resolved"),
        ("10", "R1C1", None, False, "Comment in a table"),
        ("11", "", None, False, "Comment on a picture"),
    ],
    "libreoffice-roundtrip/lo25__docxfix__comment-thread.docx": [
        ("1", "dolor sit amet", None, False, "A comment."),
        ("0", "dolor sit amet", "1", False, "A reply comment."),
    ],
    "libreoffice-roundtrip/lo25__generated__threaded_fixture_fr.docx": [
        ("2", FR_INNER, None, True, "Chiffre vérifié."),
        ("1", FR_RANGE, "0", False, "Source : rapports trimestriels de l'OIM."),
        ("0", FR_RANGE, None, False, FR_BODY0),
    ],
    # Ranges over several paragraphs; comment 3 ends with a commentRangeEnd placed between
    # paragraphs (body level), i.e. at the end of "Мы уйдем ...".  No commentsExtended.
    "poi/WordWithAttachments.docx": [
        ("3", "Всех, кто стар и кто молод, что ныне живут,\nВ темноту одного за другим уведут.\n"
              "Жизнь дана не навек. Как до нас уходили,\nМы уйдем; и за нами \u2013  придут и уйдут.",
         None, False, "Первое четверостишье"),
        ("4", "Қурилиш, ишлаб чиқариш технологияси \nҲуқуқшунослик ўзбекистон йўналишларида\n"
              " ўқитиладиган фанлардан ишчи ўқув\n дастурлари тўплами Иктисодий",
         None, False, "иккинчитўғри"),
        ("5", "All, who\u2019s young, or whom old, all who lives in our days\nThey will take in the "
              "darkness,\nLife is short for us all. Like before us they leave,\nWe will leave and the "
              "others will come then thay leaves like we all", None, False, "Third"),
    ],
    # Only a w:commentReference in an empty paragraph: a point comment at 0.
    "poi/comment.docx": [
        ("0", "", None, False, "This is the first line\n\nThis is the second line"),
    ],
    # A point comment (reference only) in the empty first paragraph; its body starts with a
    # PAGE field whose instruction (with a w:br inside it) is dropped.
    "poi/stress010.docx": [
        ("0", "", None, False, "<<ODS JOB NO>>N1028849A<<ODS JOB NO>>\n"
                               "<<ODS DOC SYMBOL1>>CEDAW/C/BGD/6-7<<ODS DOC SYMBOL1>>\n…"),
    ],
    # Second body paragraph holds only a picture: an empty line.
    "poi/testComment.docx": [
        ("0", "comment ", None, False, "comment content\n"),
    ],
    # commentsExtended.xml has a stale row (0DD3EE46) matching no comment; the image in
    # comment 1 leaves two spaces.
    "python-docx/comments-rich-para.docx": [
        ("0", "Some text worthy of note.", None, False, "Text with hyperlink https://google.com embedded."),
        ("1", "Other text worthy of note.", None, False, "Text with inline image  in the middle."),
        ("2", "Paragraph 5", None, False, "Text with character style."),
        ("4", "Paragraph 6", None, False, "Paragraph with Heading 2 paragraph style."),
    ],
    # Comment 2 is a reference after "Ouch." with no range: a point at offset 5.
    "python-mammoth/comments.docx": [
        ("0", "Ouch", None, False, "A tachyon walks into a bar."),
        ("2", "", None, False, "Fin."),
    ],
}

# Facts per file read from the XML: application, canonical text (or its start), comment dates.
TEXTS = {
    "docx2python/comments.docx": LOREM + "\nPar2\nPar3\nPar4\nPar5 " + LOREM + "\n\n ",
    "docxfix/comment-thread.docx": "Lorem ipsum dolor sit amet, consectetuer adipiscing elit. …",
    "generated/threaded_fixture_fr.docx": "Résultat 1.1 : les comités de paix locaux " + FR_RANGE,
    "poi/testComment.docx": "this is a comment paragraph!",
    "python-mammoth/comments.docx": "Ouch.",
    "poi/comment.docx": "",
    # accepted view of docxfix/mixed-insert-delete: "dolor sit amet " inserted, " dolor sit amet" deleted
    "docxfix/mixed-insert-delete.docx": "Lorem dolor sit amet ipsum, consectetuer adipiscing elit. …",
    # Tika-792: both paragraphs are empty once the deletion and the moved-away text are dropped
    "poi/Tika-792.docx": "\n",
}

APPS = {
    "docx2python/comments.docx": "word",
    "docx2python/libreoffice_conversion.docx": "libreoffice",
    "docx2python/test-docx2python-conversion-google_docs.docx": "google_docs",
    "generated/threaded_fixture_fr.docx": "python-docx",
    "libreoffice-roundtrip/lo74__docx2python__comments.docx": "libreoffice",
    "poi/comment.docx": "libreoffice",
}

UTC = UTC
DATES = {
    # commentsExtensible dateUtc (true UTC) vs w:date (local time with a false Z)
    ("docx2python/comments.docx", "1"): (datetime(2024, 3, 28, 21, 22, tzinfo=UTC), "utc"),
    ("docx2python/comments.docx", "4"): (datetime(2024, 3, 29, 17, 28, tzinfo=UTC), "utc"),
    ("poi/testComment.docx", "0"): (datetime(2021, 5, 20, 2, 57, tzinfo=UTC), "utc"),
    ("python-mammoth/comments.docx", "0"): (datetime(2016, 7, 3, 15, 10, tzinfo=UTC), "local"),
    ("libreoffice-roundtrip/lo25__docx2python__comments.docx", "2"):
        (datetime(2024, 3, 28, 17, 22, tzinfo=UTC), "local"),
    # LibreOffice wrote 0-00-00T00:00:00Z
    ("libreoffice-roundtrip/lo25__docxfix__comment-thread.docx", "1"): (None, None),
    # docxfix files carry no w:date at all
    ("docxfix/comment-thread.docx", "0"): (None, None),
}
DURABLE = {
    ("docx2python/comments.docx", "1"): "6D65285B",
    ("docx2python/test_file_with_comments.docx", "6"): "18FB6053",  # via the LAST paraId
    ("poi/testComment.docx", "0"): "2450BF26",
}

# Form fields and tracked changes counted in the XML (grep of w:ffData / w14:checkbox / w:ins...).
FORMS = {
    # 2 legacy checkboxes (default 0 and 1), 2 w14 checkboxes (0, 1), a legacy drop-down with no
    # w:result (first entry) and three sdt drop-downs (placeholder shown, my_item_A, my_item_B).
    "docx2python/check_drop_my.docx": [
        ("checkbox", "legacy", "0"), ("checkbox", "legacy", "1"), ("checkbox", "sdt", "0"),
        ("checkbox", "sdt", "1"), ("dropdown", "legacy", "Piihan B"), ("dropdown", "sdt", ""),
        ("dropdown", "sdt", "my_item_A"), ("dropdown", "sdt", "my_item_B"),
    ],
    # 9 FORMCHECKBOX fields; their w:default values in document order: 0,1,0,1,0,1,1,0,1
    "poi/checkboxes.docx": [("checkbox", "legacy", v) for v in "010101101"],
}
REVISIONS = {
    # w:ins 13 run-level + 13 paragraph-mark, w:del 2 + 2, w:rPrChange 38 in runs + 8 on
    # paragraph marks (6 w:ins inside old w:rPrChange/w:rPr are history, not changes)
    "poi/delins.docx": {"ins": 26, "del": 4, "rPrChange": 46},
    "poi/Tika-792.docx": {"del": 2, "moveTo": 1, "moveFrom": 1, "ins": 1, "rPrChange": 1},
    "docxfix/mixed-insert-delete.docx": {"ins": 1, "del": 1},
}


def matches(actual: str, expected: str) -> bool:
    actual, expected = nfc(actual), nfc(expected)
    if expected.endswith("…"):
        return actual.startswith(expected[:-1])
    return actual == expected


@pytest.mark.parametrize("name", all_files() or ["(corpus missing)"])
def test_every_file_reads(name):
    path = corpus_file(name)
    doc = read_docx(path.read_bytes())
    assert blocks_text(doc.blocks) == doc.text
    assert unicodedata.is_normalized("NFC", doc.text)
    for c in doc.comments:
        assert c.quote == doc.text[c.start:c.end]
    for f in doc.form_fields:
        assert 0 <= f.start <= f.end <= len(doc.text)
    document_to_json(doc)  # JSON-able


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_comments_match_hand_read_expectations(name):
    doc = read_docx(corpus_file(name).read_bytes())
    expected = EXPECTED[name]
    assert len(doc.comments) == len(expected)
    for c, (cid, quote, parent, resolved, body) in zip(doc.comments, expected, strict=False):
        assert c.id == cid
        assert matches(c.quote, quote), (cid, c.quote)
        assert c.parent == parent, cid
        assert c.resolved is resolved, cid
        assert matches(c.text, body), (cid, c.text)


def test_same_quote_at_different_places_is_told_apart():
    doc = read_docx(corpus_file("docx2python/test_file_with_comments.docx").read_bytes())
    c = {x.id: x for x in doc.comments}
    assert c["4"].start < c["7"].start  # the two "suspendisse " are in different paragraphs
    assert doc.text[c["7"].start - 6:c["7"].start] == "ipsum "
    assert c["11"].start == c["11"].end


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_canonical_text(name):
    doc = read_docx(corpus_file(name).read_bytes())
    assert matches(doc.text, TEXTS[name]), doc.text[:120]


@pytest.mark.parametrize("name", sorted(APPS))
def test_application(name):
    assert read_docx(corpus_file(name).read_bytes()).app == APPS[name]


@pytest.mark.parametrize("key", sorted(DATES))
def test_dates(key):
    name, cid = key
    c = read_docx(corpus_file(name).read_bytes()).comment(cid)
    assert (c.date, c.date_source) == DATES[key]


@pytest.mark.parametrize("key", sorted(DURABLE))
def test_durable_ids(key):
    name, cid = key
    assert read_docx(corpus_file(name).read_bytes()).comment(cid).durable_id == DURABLE[key]


def test_stale_comments_extended_row_is_a_warning():
    doc = read_docx(corpus_file("python-docx/comments-rich-para.docx").read_bytes())
    assert any("stale" in w for w in doc.warnings)


def test_libreoffice_invalid_dates_are_a_warning():
    doc = read_docx(corpus_file("libreoffice-roundtrip/lo25__docxfix__comment-thread.docx").read_bytes())
    assert any("invalid date" in w for w in doc.warnings)


@pytest.mark.parametrize("name", sorted(FORMS))
def test_form_fields(name):
    doc = read_docx(corpus_file(name).read_bytes())
    assert [(f.kind, f.source, f.value) for f in doc.form_fields] == FORMS[name]


def test_legacy_form_fields_in_a_large_form():
    # docx2python/checked_boxes.docx: 44 FORMCHECKBOX, 14 FORMDROPDOWN, 46 FORMTEXT instructions
    doc = read_docx(corpus_file("docx2python/checked_boxes.docx").read_bytes())
    kinds = [f.kind for f in doc.form_fields]
    assert (kinds.count("checkbox"), kinds.count("dropdown"), kinds.count("text")) == (44, 14, 46)


@pytest.mark.parametrize("name", sorted(REVISIONS))
def test_revision_counts(name):
    doc = read_docx(corpus_file(name).read_bytes())
    assert doc.revision_summary.by_kind == REVISIONS[name]


def test_text_box_and_alternate_content_read_once():
    # WordWithAttachments has a VML text box ("Словарь / dictionary / Луғат" + an empty line)
    doc = read_docx(corpus_file("poi/WordWithAttachments.docx").read_bytes())
    assert doc.text.count("Словарь") == 1
    assert "Hyperlink Ссылка юбоқриш\nСловарь\ndictionary\nЛуғат\n\n" in doc.text
