"""Canonical accepted text and blocks, on small hand-written packages."""
from __future__ import annotations

import unicodedata

import pytest

from reviewflow.content import blocks_text, paragraph_offsets
from reviewflow.wordio import read_docx
from tests.helpers.docxbuild import dele, ins, make_docx, p, read, styles_xml, t, tbl


def check(doc):
    """Invariants every read must satisfy."""
    assert blocks_text(doc.blocks) == doc.text
    assert unicodedata.is_normalized("NFC", doc.text)
    for c in doc.comments:
        assert 0 <= c.start <= c.end <= len(doc.text)
        assert c.quote == doc.text[c.start:c.end]
    for r in doc.revisions:
        assert 0 <= r.start <= r.end <= len(doc.text)
    return doc


def test_paragraphs_joined_by_newline():
    doc = check(read(p("Premier paragraphe.") + p("Deuxième ", "paragraphe.") + p()))
    assert doc.text == "Premier paragraphe.\nDeuxième paragraphe.\n"
    assert [b["text"] for b in doc.blocks] == ["Premier paragraphe.", "Deuxième paragraphe.", ""]
    assert all(b["t"] == "p" for b in doc.blocks)
    assert doc.app == "word"
    assert doc.warnings == []


def test_tracked_insert_kept_and_delete_dropped():
    doc = check(read(p("Les comités ", ins("locaux "), "ont été ", dele("rapidement "), "établis.")))
    assert doc.text == "Les comités locaux ont été établis."
    kinds = [(r.kind, r.text, r.author) for r in doc.revisions]
    assert kinds == [("ins", "locaux ", "Ana"), ("del", "rapidement ", "Ben")]
    ins_rev, del_rev = doc.revisions
    assert doc.text[ins_rev.start:ins_rev.end] == "locaux "
    assert del_rev.start == del_rev.end == len("Les comités locaux ont été ")
    assert str(doc.revision_summary) == "2 unaccepted changes by 2 authors"


def test_move_from_dropped_move_to_kept():
    body = (p('<w:moveFrom w:id="1" w:author="Ana" w:date="2026-03-01T10:00:00Z">'
              + t("déplacé ") + "</w:moveFrom>", "reste.")
            + p("Ici ", '<w:moveTo w:id="2" w:author="Ana" w:date="2026-03-01T10:00:00Z">'
                + t("déplacé ") + "</w:moveTo>", "fin."))
    doc = check(read(body))
    assert doc.text == "reste.\nIci déplacé fin."
    assert [(r.kind, r.text) for r in doc.revisions] == [("moveFrom", "déplacé "), ("moveTo", "déplacé ")]


def test_deleted_text_inside_insertion():
    body = p("A", '<w:ins w:id="1" w:author="Ana"><w:r><w:t>B</w:t></w:r>'
                  '<w:del w:id="2" w:author="Ben"><w:r><w:delText>X</w:delText></w:r></w:del></w:ins>', "C")
    doc = check(read(body))
    assert doc.text == "ABC"


def test_fields_instructions_dropped_results_kept():
    body = p("Voir page ",
             '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
             '<w:r><w:instrText xml:space="preserve"> PAGEREF _Toc1 \\h </w:instrText></w:r>'
             '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
             '<w:r><w:t>12</w:t></w:r>'
             '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
             " et ",
             '<w:fldSimple w:instr=" SEQ Tableau "><w:r><w:t>3</w:t></w:r></w:fldSimple>', ".")
    assert check(read(body)).text == "Voir page 12 et 3."


def test_nested_field_in_instruction_and_field_without_separate():
    body = p('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
             '<w:r><w:instrText>IF </w:instrText></w:r>'
             '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
             '<w:r><w:instrText>MERGEFIELD x</w:instrText></w:r>'
             '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>inner</w:t></w:r>'
             '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
             '<w:r><w:instrText> = 1 "oui" "non"</w:instrText></w:r>'
             '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>oui</w:t></w:r>'
             '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
             " puis ",
             '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r>'
             '<w:r><w:fldChar w:fldCharType="end"/></w:r>', "fin")
    assert check(read(body)).text == "oui puis fin"


def test_field_result_spanning_paragraphs():
    body = (p('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>TOC \\o</w:instrText></w:r>'
              '<w:r><w:fldChar w:fldCharType="separate"/></w:r>', "1. Introduction")
            + p("2. Résultats", '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
            + p("Texte."))
    assert check(read(body)).text == "1. Introduction\n2. Résultats\nTexte."


def test_unterminated_field_warns():
    body = p('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r>')
    doc = check(read(body))
    assert any("not terminated" in w for w in doc.warnings)


def test_tabs_breaks_and_special_characters():
    body = p("Indicateur", "<w:r><w:tab/><w:t>1.2</w:t><w:br/><w:t>ligne</w:t>"
             '<w:br w:type="page"/><w:t>page</w:t><w:cr/><w:t>x</w:t></w:r>',
             '<w:r><w:t>anti</w:t><w:noBreakHyphen/><w:t>corruption</w:t><w:softHyphen/>'
             '<w:t>s</w:t><w:ptab w:relativeTo="margin" w:alignment="right" w:leader="none"/>'
             '<w:sym w:font="Symbol" w:char="F0B3"/><w:sym w:font="Wingdings" w:char="F0FC"/>'
             '<w:sym w:font="Arial" w:char="00E9"/></w:r>')
    doc = check(read(body))
    assert doc.text == "Indicateur\t1.2\nligne\npage\nxanti\u2011corruptions\t≥\uf0fcé"
    assert len(doc.blocks) == 1


def test_undecodable_symbol_is_skipped_with_warning():
    doc = check(read(p("a", '<w:r><w:sym w:font="Symbol" w:char="zz"/></w:r>', "b")))
    assert doc.text == "ab"
    assert any("w:sym" in w for w in doc.warnings)


def test_content_controls_smart_tags_custom_xml_hyperlinks_unwrapped():
    body = (p("Pays : ",
              '<w:sdt><w:sdtPr><w:alias w:val="Pays"/></w:sdtPr><w:sdtContent>'
              + t("Niger") + "</w:sdtContent></w:sdt>",
              '<w:smartTag w:uri="urn:x" w:element="place">' + t(" Niamey") + "</w:smartTag>",
              '<w:customXml w:element="ville">' + t(",") + "</w:customXml>",
              '<w:hyperlink r:id="rId9">' + t(" lien") + "</w:hyperlink>")
            + '<w:sdt><w:sdtPr/><w:sdtContent>' + p("Bloc contrôlé") + "</w:sdtContent></w:sdt>"
            + '<w:customXml w:element="bloc">' + p("Bloc XML") + "</w:customXml>")
    doc = check(read(body))
    assert doc.text == "Pays : Niger Niamey, lien\nBloc contrôlé\nBloc XML"
    assert len(doc.blocks) == 3


def _textbox(text: str) -> str:
    return f"<w:txbxContent>{p(text)}</w:txbxContent>"


def test_alternate_content_read_once_choice_preferred():
    ac = ('<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor>'
          '<a:graphic><a:graphicData><wps:wsp><wps:txbx>' + _textbox("Encadré")
          + '</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>'
          '<mc:Fallback><w:pict><v:shape><v:textbox>' + _textbox("Encadré (VML)")
          + "</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>")
    doc = check(read(p("Avant ", ac, "après.") + p("Suite.")))
    # text box paragraphs come right after the paragraph that anchors them
    assert doc.text == "Avant après.\nEncadré\nSuite."


def test_alternate_content_without_choice_reads_fallback():
    ac = ('<w:r><mc:AlternateContent><mc:Fallback><w:t>repli</w:t></mc:Fallback>'
          "</mc:AlternateContent></w:r>")
    assert check(read(p("x ", ac))).text == "x repli"


def test_vml_text_box_without_alternate_content():
    pict = '<w:r><w:pict><v:shape><v:textbox>' + _textbox("Boîte") + "</v:textbox></v:shape></w:pict></w:r>"
    assert check(read(p("Hôte", pict))).text == "Hôte\nBoîte"


def test_deleted_paragraph_mark_merges_with_next():
    ppr_del = '<w:rPr><w:del w:id="7" w:author="Ana" w:date="2026-03-01T10:00:00Z"/></w:rPr>'
    body = (p("Première partie", ppr=ppr_del)
            + p(" et suite.", ppr='<w:pStyle w:val="Titre2"/>')
            + p("Autre."))
    doc = check(read(body, parts={"word/styles.xml": styles_xml(("Titre2", "heading 2", ""))}))
    assert doc.text == "Première partie et suite.\nAutre."
    assert doc.blocks[0] == {"t": "p", "text": "Première partie et suite.", "style": "Heading 2",
                             "heading": 2}
    marks = [r for r in doc.revisions if r.paragraph_mark]
    assert [(r.kind, r.text) for r in marks] == [("del", "\n")]


def test_wholly_deleted_paragraph_disappears():
    ppr_del = '<w:rPr><w:del w:id="7" w:author="Ana"/></w:rPr>'
    body = p("Avant.") + p(dele("Paragraphe supprimé."), ppr=ppr_del) + p("Après.")
    assert check(read(body)).text == "Avant.\nAprès."


def test_deleted_paragraph_mark_before_table_is_kept():
    ppr_del = '<w:rPr><w:del w:id="7" w:author="Ana"/></w:rPr>'
    doc = check(read(p("Avant", ppr=ppr_del) + tbl(["a", "b"]) + p("Après")))
    assert doc.text == "Avant\na\nb\nAprès"


def test_table_cells_row_by_row_and_nested_tables():
    inner = tbl(["n1", "n2"])
    body = (p("Cadre de résultats")
            + tbl(["Indicateur", "Cible"], ["1.1", [p("120"), p("femmes")]], ["1.2", [inner]])
            + p("Fin"))
    doc = check(read(body))
    assert doc.text == "Cadre de résultats\nIndicateur\nCible\n1.1\n120\nfemmes\n1.2\nn1\nn2\nFin"
    table = doc.blocks[1]
    assert table["t"] == "table"
    assert [[len(cell) for cell in row] for row in table["rows"]] == [[1, 1], [1, 2], [1, 1]]
    assert table["rows"][2][1][0]["t"] == "table"
    assert len(paragraph_offsets(doc.blocks)) == doc.text.count("\n") + 1


def test_deleted_table_row_dropped_inserted_row_kept():
    body = ('<w:tbl><w:tr><w:tc>' + p("garde") + '</w:tc></w:tr>'
            '<w:tr><w:trPr><w:del w:id="1" w:author="Ana"/></w:trPr><w:tc>'
            + p(dele("supprimée")) + '</w:tc></w:tr>'
            '<w:tr><w:trPr><w:ins w:id="2" w:author="Ana"/></w:trPr><w:tc>' + p(ins("ajoutée"))
            + '</w:tc></w:tr></w:tbl>')
    doc = check(read(body))
    assert doc.text == "garde\najoutée"
    assert [r.kind for r in doc.revisions] == ["rowDel", "del", "rowIns", "ins"]
    assert len(doc.blocks[0]["rows"]) == 2


def test_empty_cell_gets_an_empty_paragraph():
    body = "<w:tbl><w:tr><w:tc><w:tcPr/></w:tc><w:tc>" + p("b") + "</w:tc></w:tr></w:tbl>"
    doc = check(read(body))
    assert doc.text == "\nb"


def test_styles_headings_and_lists():
    styles = styles_xml(("Titre1", "heading 1", '<w:outlineLvl w:val="0"/>'),
                        ("Titre2", "heading 2", ""),
                        ("Puce", "Liste à puces", '<w:numPr><w:numId w:val="4"/></w:numPr>'),
                        ("Corps", "Corps de texte", ""))
    body = (p("Résumé", ppr='<w:pStyle w:val="Titre1"/>')
            + p("Contexte", ppr='<w:pStyle w:val="Titre2"/>')
            + p("Niveau 3 direct", ppr='<w:outlineLvl w:val="2"/>')
            + p("Élément", ppr='<w:numPr><w:ilvl w:val="1"/><w:numId w:val="3"/></w:numPr>')
            + p("Puce de style", ppr='<w:pStyle w:val="Puce"/>')
            + p("Sans numéro", ppr='<w:pStyle w:val="Puce"/><w:numPr><w:numId w:val="0"/></w:numPr>')
            + p("Texte", ppr='<w:pStyle w:val="Corps"/>')
            + p("Style inconnu", ppr='<w:pStyle w:val="Inconnu"/>'))
    doc = check(read(body, parts={"word/styles.xml": styles}))
    assert doc.blocks == [
        {"t": "p", "text": "Résumé", "style": "Heading 1", "heading": 1},
        {"t": "p", "text": "Contexte", "style": "Heading 2", "heading": 2},
        {"t": "p", "text": "Niveau 3 direct", "heading": 3},
        {"t": "p", "text": "Élément", "list": 1},
        {"t": "p", "text": "Puce de style", "style": "Liste à puces", "list": 0},
        {"t": "p", "text": "Sans numéro", "style": "Liste à puces"},
        {"t": "p", "text": "Texte", "style": "Corps de texte"},
        {"t": "p", "text": "Style inconnu", "style": "Inconnu"},
    ]


def test_nfc_normalisation_keeps_anchor_offsets():
    decomposed = "e\u0301"  # é as e + combining acute
    body = p("Caf" + decomposed + " ", "<w:commentRangeStart w:id=\"0\"/>", "cre\u0300me",
             '<w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r>')
    from tests.helpers.docxbuild import comment, comments_xml
    doc = check(read(body, parts={"word/comments.xml": comments_xml(comment(0, "Accent"))}))
    assert doc.text == "Café crème"
    assert doc.comments[0].quote == "crème"


def test_math_text_kept():
    body = p("x ", "<m:oMath><m:r><m:t>a+b</m:t></m:r></m:oMath>", " y")
    assert check(read(body)).text == "x a+b y"


def test_ruby_base_only():
    body = p("<w:r><w:ruby><w:rubyPr/><w:rt><w:r><w:t>かん</w:t></w:r></w:rt>"
             "<w:rubyBase><w:r><w:t>漢</w:t></w:r></w:rubyBase></w:ruby></w:r>")
    assert check(read(body)).text == "漢"


def test_text_outside_paragraph_is_skipped_with_warning():
    doc = check(read(t("égaré") + p("ok")))
    assert doc.text == "ok"
    assert any("outside any paragraph" in w for w in doc.warnings)


def test_alt_chunk_warns():
    doc = check(read(p("a") + '<w:altChunk r:id="rId5"/>'))
    assert any("altChunk" in w for w in doc.warnings)


def test_empty_body_and_missing_body():
    assert check(read("")).text == ""
    from tests.helpers.docxbuild import DECL, NSDECL
    doc = read_docx(make_docx(document=f"{DECL}<w:document {NSDECL}/>"))
    assert doc.text == "" and doc.blocks == []
    assert any("no body" in w for w in doc.warnings)


def test_strict_ooxml_namespaces_are_read():
    strict = ('<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://purl.oclc.org/'
              'ooxml/wordprocessingml/main"><w:body><w:p><w:r><w:t>strict</w:t></w:r></w:p>'
              "</w:body></w:document>")
    assert read_docx(make_docx(document=strict)).text == "strict"


@pytest.mark.parametrize("text", ["\r\nligne", "a\u2028b"])
def test_line_separators_normalised(text):
    doc = check(read(p(text)))
    assert "\r" not in doc.text and "\u2028" not in doc.text


def test_utf16_part_is_read():
    xml = ('<?xml version="1.0" encoding="UTF-16"?><w:document xmlns:w="http://schemas.'
           'openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>seize</w:t>'
           "</w:r></w:p></w:body></w:document>").encode("utf-16")
    assert read_docx(make_docx(document=xml)).text == "seize"


def test_python_docx_built_document_reads_inserted_runs():
    docx = pytest.importorskip("docx")
    import io

    d = docx.Document()
    d.add_heading("Rapport", level=1)
    para = d.add_paragraph("Texte ")
    para.add_run("gras").bold = True
    table = d.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "A"
    table.rows[0].cells[1].text = "B"
    # add a tracked insertion by hand: python-docx's Paragraph.text would drop it
    from lxml import etree
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    ins_el = etree.SubElement(para._p, f"{{{w}}}ins", {f"{{{w}}}id": "9", f"{{{w}}}author": "X"})
    run = etree.SubElement(ins_el, f"{{{w}}}r")
    etree.SubElement(run, f"{{{w}}}t").text = " inséré"
    assert para.text == "Texte gras"
    buf = io.BytesIO()
    d.save(buf)
    doc = check(read_docx(buf.getvalue()))
    assert doc.text == "Rapport\nTexte gras inséré\nA\nB"
    assert doc.blocks[0]["heading"] == 1 and doc.blocks[0]["style"] == "Heading 1"
    assert doc.app == "python-docx"
