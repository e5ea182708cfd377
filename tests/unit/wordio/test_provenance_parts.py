"""Custom document properties and reviewflow's answer bookmarks, read and written by wordio."""
from reviewflow import content as C
from reviewflow.wordio import GenDocument, GenPart, GenSection, generate_docx, read_docx
from tests.helpers.docxbuild import make_docx, p, t


def test_custom_properties_are_written_and_read_back_and_others_kept():
    doc = GenDocument(title="T", parts=[GenPart("P", [GenSection("S", [C.paragraph("x")])])])
    data = generate_docx(doc, properties={"reviewflow.report": "7", "reviewflow.version": "3"})
    assert read_docx(data).properties == {"reviewflow.report": "7", "reviewflow.version": "3"}


def test_a_file_without_custom_properties_has_none():
    assert read_docx(make_docx(p(t("Bonjour")))).properties == {}


def test_bookmarks_around_answers_give_their_ranges():
    tbl = {"t": "table", "rows": [[[C.paragraph("a")], [C.paragraph("b")]]]}
    doc = GenDocument(title="T", parts=[GenPart("P", [
        GenSection("S1", [C.paragraph("un"), C.paragraph("deux")], bookmark="rf_s1"),
        GenSection("S2", [tbl], bookmark="rf_s2"), GenSection("S3", [], bookmark="rf_s3")])])
    d = read_docx(generate_docx(doc))
    got = {k: d.text[s:e] for k, (s, e) in d.bookmarks.items()}
    assert got == {"rf_s1": "un\ndeux", "rf_s2": "a\nb", "rf_s3": ""}


def test_a_bookmark_split_by_libreoffice_is_read_as_their_union():
    # LibreOffice 25 re-saves a bookmark over a table as a collapsed pair at its start and a
    # start left open plus a pair at its end
    body = (p('<w:bookmarkStart w:id="1" w:name="rf_x"/><w:bookmarkEnd w:id="1"/>' + t("début"))
            + p(t("milieu"))
            + p('<w:bookmarkStart w:id="2" w:name="rf_x"/><w:bookmarkStart w:id="3" w:name="rf_x"/>' + t("fin")
                + '<w:bookmarkEnd w:id="3"/>')
            + p('<w:bookmarkStart w:id="4" w:name="autre"/>' + t("hors") + '<w:bookmarkEnd w:id="4"/>'))
    d = read_docx(make_docx(body))
    s, e = d.bookmarks["rf_x"]
    assert d.text[s:e] == "début\nmilieu\nfin" and "autre" not in d.bookmarks


def test_a_superdoc_file_is_not_taken_for_google_docs():
    app = ('<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
           '<Application>SuperDoc</Application></Properties>')
    assert read_docx(make_docx(p(t("x")), app=app)).app == "superdoc"
    assert read_docx(make_docx(p(t("x")), app=None)).app == "google_docs"
