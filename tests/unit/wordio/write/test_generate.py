"""generate_docx: a clean document built from plain data, its sections' threads anchored in it."""
from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

import pytest
from lxml import etree

from reviewflow import content as C
from reviewflow.wordio import (
    ExportComment,
    ExportThread,
    GenDocument,
    GenPart,
    GenSection,
    generate_docx,
    read_docx,
)
from tests.helpers.wordio import NS, check_package_consistency, members

UTC = UTC
D = datetime(2026, 2, 3, 10, 30, tzinfo=UTC)


def cm(text, author="Claire Relectrice", date=D):
    return ExportComment(author, "".join(w[0] for w in author.split()), date, text)


def on(blocks, quote, *comments, occurrence=0, resolved=False):
    text = C.blocks_text(blocks)
    at = -1
    for _ in range(occurrence + 1):
        at = text.index(quote, at + 1)
    return ExportThread(at, at + len(quote), list(comments), resolved=resolved)


SUMMARY = [C.paragraph("Les comités locaux de paix ont été établis dans trois provinces."),
           C.paragraph("Renforcer les capacités des médiatrices", list=0),
           C.paragraph("former 120 femmes", list=1),
           C.paragraph("organiser 12 dialogues", list=1),
           C.paragraph("Suivi des résultats", heading=3),
           C.paragraph("Le projet a atteint 85 % de sa cible.", style="Quote")]
FRAMEWORK = [C.paragraph("Tableau 1 : cadre de résultats"),
             C.table_block(["indicator", "target"], [["Indicateur", "Cible"],
                                                    ["1.1 Nombre de comités", "12\n(dont 4 mixtes)"],
                                                    ["1.2 Femmes formées", ""]]),
             C.paragraph("Source : rapports trimestriels.")]
NESTED = [{"t": "table", "rows": [[[C.paragraph("avant"),
                                    {"t": "table", "rows": [[[C.paragraph("n1")], [C.paragraph("n2")]]]}],
                                   []],
                                  [[C.paragraph("ligne courte")]]]},
          C.paragraph("Après le tableau.")]


def document(**sections_threads) -> GenDocument:
    s = sections_threads
    return GenDocument(
        title="Projet transfrontalier de consolidation de la paix",
        subtitle=["00125232", "Rapport annuel 2024 — version 3"],
        language="fr-FR",
        parts=[GenPart("Partie I : Résumé", [GenSection("Résumé exécutif", SUMMARY, s.get("summary", []))]),
               GenPart("Partie II : Résultats", [GenSection("Cadre de résultats", FRAMEWORK, s.get("framework", [])),
                                                 GenSection("Tableaux imbriqués", NESTED, s.get("nested", []),
                                                            heading_level=3)]),
               GenPart(None, [GenSection("Section vide", [], s.get("empty", []))])])


def section_offsets(doc_text: str, gen: GenDocument) -> dict[str, int]:
    """Where each section's canonical text starts in the document (after its heading)."""
    out = {}
    pos = 0
    for part in gen.parts:
        for section in part.sections:
            at = doc_text.index("\n" + section.heading + "\n", pos) + len(section.heading) + 2
            out[section.heading] = at
            pos = at
    return out


def test_layout_styles_lists_and_tables_read_back():
    gen = document()
    data = generate_docx(gen)
    doc = read_docx(data)
    assert doc.warnings == []
    assert doc.comments == []
    blocks = doc.blocks
    assert blocks[0] == {"t": "p", "text": gen.title, "style": "Title"}
    assert [b["text"] for b in blocks[1:3]] == gen.subtitle and blocks[1]["style"] == "Subtitle"
    assert {"t": "p", "text": "Partie I : Résumé", "style": "Heading 1", "heading": 1} in blocks
    assert {"t": "p", "text": "Résumé exécutif", "style": "Heading 2", "heading": 2} in blocks
    assert {"t": "p", "text": "Tableaux imbriqués", "style": "Heading 3", "heading": 3} in blocks
    by_text = {b["text"]: b for b in blocks if b["t"] == "p"}
    assert by_text["Renforcer les capacités des médiatrices"]["list"] == 0
    assert by_text["former 120 femmes"]["list"] == 1
    assert by_text["Suivi des résultats"]["heading"] == 3
    assert by_text["Le projet a atteint 85 % de sa cible."]["style"] == "Quote"
    # every section's text is in the document exactly, after its heading
    offsets = section_offsets(doc.text, gen)
    for heading, blocks_ in (("Résumé exécutif", SUMMARY), ("Cadre de résultats", FRAMEWORK)):
        text = C.blocks_text(blocks_)
        assert doc.text[offsets[heading]:offsets[heading] + len(text)] == text
    table = next(b for b in blocks if b["t"] == "table")
    assert C.table_cells(table) == [["Indicateur", "Cible"], ["1.1 Nombre de comités", "12\n(dont 4 mixtes)"],
                                    ["1.2 Femmes formées", ""]]
    # real bullets: the list paragraphs point at a bullet list of numbering.xml
    m = members(data)
    numbering = etree.fromstring(m["word/numbering.xml"])
    document_xml = etree.fromstring(m["word/document.xml"])
    num_ids = set(document_xml.xpath("//w:numPr/w:numId/@w:val", namespaces=NS))
    assert len(num_ids) == 1
    (num,) = numbering.xpath(f"//w:num[@w:numId='{num_ids.pop()}']", namespaces=NS)
    aid = num.find("w:abstractNumId", NS).get(f"{{{NS['w']}}}val")
    (abstract,) = numbering.xpath(f"//w:abstractNum[@w:abstractNumId='{aid}']", namespaces=NS)
    assert abstract.xpath("w:lvl[@w:ilvl='1']/w:numFmt/@w:val", namespaces=NS) == ["bullet"]
    styles = m["word/styles.xml"]
    assert b'w:styleId="CommentText"' in styles and b'w:styleId="CommentReference"' in styles
    assert b'<w:lang w:val="fr-FR"/>' in styles
    assert "docProps/thumbnail.jpeg" not in m  # python-docx's sample thumbnail is not ours
    assert b"thumbnail" not in m["_rels/.rels"]
    core = m["docProps/core.xml"].decode()
    assert "Projet transfrontalier" in core and "python-docx" not in core.split("<dc:creator>")[-1][:40]


def test_threads_round_trip_with_section_offsets():
    summary_threads = [on(SUMMARY, "comités locaux", cm("Combien ?"), cm("Douze.", "Awa Rédactrice"),
                          resolved=True),
                       on(SUMMARY, "provinces.\nRenforcer", cm("Across a list item")),
                       ExportThread(0, len(C.blocks_text(SUMMARY)), [cm("Whole section")]),
                       ExportThread(5, 5, [cm("A point")])]
    framework_threads = [on(FRAMEWORK, "Cible\n1.1 Nombre", cm("Across cells")),
                         on(FRAMEWORK, "(dont 4 mixtes)", cm("Second paragraph of a cell")),
                         on(FRAMEWORK, "Femmes formées\n\nSource", cm("Over the empty cell"))]
    nested_threads = [on(NESTED, "n1\nn2", cm("Nested table")),
                      on(NESTED, "courte", cm("Short row"))]
    empty = [ExportThread(0, 0, [cm("Empty section")])]
    gen = document(summary=summary_threads, framework=framework_threads, nested=nested_threads, empty=empty)
    data = generate_docx(gen)
    doc = read_docx(data)
    assert doc.warnings == []
    offsets = section_offsets(doc.text, gen)
    by_text = {th[0].text: th for th in doc.threads()}
    for heading, blocks, threads in (("Résumé exécutif", SUMMARY, summary_threads),
                                     ("Cadre de résultats", FRAMEWORK, framework_threads),
                                     ("Tableaux imbriqués", NESTED, nested_threads),
                                     ("Section vide", [], empty)):
        text = C.blocks_text(blocks)
        for th in threads:
            found = by_text[th.comments[0].text]
            root = found[0]
            assert root.quote == text[th.start:th.end], (heading, root.text)
            # Word needs a paragraph after a table that ends a cell: the nested table's cell
            # gets one (not in the section's text); offsets after it move by one
            shift = 1 if heading == "Tableaux imbriqués" and th.start > text.index("n2") else 0
            assert root.start == offsets[heading] + th.start + shift
            assert root.resolved == th.resolved
            assert [c.text for c in found] == [c.text for c in th.comments]
            assert all(c.parent == root.id and c.quote == root.quote for c in found[1:])
            assert all(c.date == D for c in found)
    check_package_consistency(data)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.testzip() is None


def test_people_and_errors():
    gen = document(summary=[on(SUMMARY, "comités", cm("x"))])
    data = generate_docx(gen, people=True)
    assert b"Claire Relectrice" in members(data)["word/people.xml"]
    with pytest.raises(ValueError):
        generate_docx(document(summary=[ExportThread(0, 10_000, [cm("x")])]))


def test_control_characters_and_decomposed_text():
    blocks = [C.paragraph("Texte\x07avec une cloche"), {"t": "p", "text": "é" + "\u0301"}]
    text = C.blocks_text(blocks)
    gen = GenDocument("T", [GenPart(None, [GenSection("S", blocks, [ExportThread(0, 5, [cm("x\x01y")])])])])
    doc = read_docx(generate_docx(gen))
    assert "Texte\ufffdavec une cloche" in doc.text  # same length: offsets still hold
    assert doc.comments[0].quote == text[:5]
    assert doc.comments[0].text == "x\ufffdy"
