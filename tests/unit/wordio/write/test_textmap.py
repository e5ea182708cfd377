"""textmap: offsets of the canonical text mapped back onto the runs and paragraphs of the XML.

Each test builds a small body, maps it, and checks where a marker for an offset would go:
inside/around the text element that holds the character (so the writer splits that run), or
at a paragraph's start/end; and that the text is exactly the reader's.
"""
from __future__ import annotations

import unicodedata

import pytest
from lxml import etree

from reviewflow.wordio import read_docx
from reviewflow.wordio.oxml import BODY, DELTEXT, TAB, P, T, qn
from reviewflow.wordio.write import textmap
from reviewflow.wordio.write.textmap import END, START
from tests.helpers.docxbuild import dele, document_xml, ins, make_docx, p, t, tbl

FIELD = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
         '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
         '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
         + t("12")
         + '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
DELETED_MARK = '<w:rPr><w:del w:id="7" w:author="Ben" w:date="2026-03-01T11:00:00Z"/></w:rPr>'


def body_of(body_xml: str):
    return etree.fromstring(document_xml(body_xml).encode("utf-8")).find(BODY)


def mapped(body_xml: str):
    """(the body element, its text map), after checking the text is the reader's."""
    body = body_of(body_xml)
    tm = textmap.build(body)
    assert tm.text == read_docx(make_docx(body_xml)).text
    return body, tm


def text_at(spot) -> str:
    """The text of the element a spot of kind "item" is in."""
    assert spot.kind == "item"
    return spot.item.el.text if spot.item.el.tag == T else spot.item.text


def test_text_is_the_readers_on_tracked_changes_fields_tables_and_merged_paragraphs():
    body = (p("Les comités ", ins("locaux "), "ont été ", dele("rapidement "), "établis.")
            + p("Page ", FIELD, ".")
            + p("Fusion ", ppr=DELETED_MARK) + p("faite.")
            + tbl(["A", "B"], ["C", ""])
            + p("Fin\u00a0!", '<w:r><w:tab/><w:t>x</w:t><w:br/></w:r>'))
    _body, tm = mapped(body)
    assert tm.text == ("Les comités locaux ont été établis.\nPage 12.\nFusion faite.\nA\nB\nC\n\n"
                       "Fin\u00a0!\tx\n")


def test_an_offset_inside_a_run_maps_to_its_text_element_and_local_index():
    _body, tm = mapped(p("Les comités ", "locaux ont été établis."))
    k = tm.text.index("ont")
    for side in (START, END):
        spot = tm.spot(k + 1, side)  # between "o" and "nt": strictly inside the element
        assert text_at(spot) == "locaux ont été établis."
        assert spot.item.start + spot.local == k + 1
        assert spot.item.start == len("Les comités ")


def test_at_a_run_boundary_start_takes_the_next_element_and_end_the_previous():
    _body, tm = mapped(p("Les comités ", "locaux."))
    k = len("Les comités ")
    start, end = tm.spot(k, START), tm.spot(k, END)
    assert (text_at(start), start.local) == ("locaux.", 0)
    assert (text_at(end), end.local) == ("Les comités ", len("Les comités "))


def test_paragraph_edges_and_empty_paragraphs():
    body, tm = mapped(p("Un.") + p() + p("Trois."))
    paras = body.findall(P)
    assert tm.text == "Un.\n\nTrois."
    # the end of a paragraph for a start marker: nothing follows in it
    spot = tm.spot(len("Un."), START)
    assert (spot.kind, spot.p) == ("pend", paras[0])
    # an empty paragraph: its start (end marker side) and its end (start marker side)
    k = len("Un.\n")
    assert (tm.spot(k, END).kind, tm.spot(k, END).p) == ("pstart", paras[1])
    assert (tm.spot(k, START).kind, tm.spot(k, START).p) == ("pend", paras[1])
    # the start of a paragraph for an end marker: nothing precedes it
    k = len("Un.\n\n")
    assert (tm.spot(k, END).kind, tm.spot(k, END).p) == ("pstart", paras[2])


def test_deleted_text_and_field_instructions_are_never_a_place():
    body, tm = mapped(p("Avant ", dele("supprimé "), "après ", FIELD))
    kept = {it.el for para in tm.paras for it in tm.items(para)}
    assert not any(el.tag == DELTEXT for el in kept)
    assert all("PAGE" not in (el.text or "") for el in kept)
    # the offset where the deletion stood maps onto kept text on both sides
    k = len("Avant ")
    assert text_at(tm.spot(k, START)) == "après "
    assert text_at(tm.spot(k, END)) == "Avant "
    # the field result is a place like any text
    k = tm.text.index("12")
    assert text_at(tm.spot(k, START)) == "12"


def test_items_cover_each_paragraph_text_in_order():
    _body, tm = mapped(p("Un ", ins("deux "), '<w:r><w:t>trois</w:t><w:tab/><w:t>quatre</w:t></w:r>'))
    (para,) = tm.paras
    items = tm.items(para)
    assert [it.text for it in items] == ["Un ", "deux ", "trois", "\t", "quatre"]
    assert "".join(tm.text[it.start:it.end] for it in items) == tm.text
    assert [it.start for it in items] == [0, 3, 8, 13, 14]
    assert items[3].el.tag == TAB


def test_a_merged_paragraph_spans_both_w_p_elements():
    body, tm = mapped(p("Fusion ", ppr=DELETED_MARK) + p("faite."))
    first, second = body.findall(P)
    assert tm.text == "Fusion faite."
    assert tm.spot(0, END).p is first                    # its start is the first w:p
    assert tm.spot(len(tm.text), START).p is second      # its end is the second


def test_decomposed_accents_map_to_raw_indices_that_read_back_at_the_same_offset():
    raw = "e\u0301te\u0301 chaud"   # "été" written decomposed: 5 code points, 3 characters
    _body, tm = mapped(p(raw))
    assert tm.text == "été chaud"
    (item,) = tm.items(tm.paras[0])
    assert (item.start, item.end, item.el.text) == (0, len("été chaud"), raw)
    for k in range(len(tm.text) + 1):
        i = tm.raw_index(item, k)
        # a marker at raw index i is read back at canonical offset k
        assert len(unicodedata.normalize("NFC", raw[:i])) == k
    assert tm.raw_index(item, len("été ")) == len("e\u0301te\u0301 ")


def test_text_boxes_follow_their_host_paragraph():
    box = ('<w:r><w:drawing><wp:anchor><a:graphic><a:graphicData><wps:wsp><wps:txbx>'
           f'<w:txbxContent>{p("Encadré")}</w:txbxContent>'
           '</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>')
    _body, tm = mapped(p("Avant ", box, "après.") + p("Suite."))
    assert tm.text == "Avant après.\nEncadré\nSuite."
    assert text_at(tm.spot(tm.text.index("Encadré"), START)) == "Encadré"


def test_the_tree_is_left_as_it_was():
    chars = ('<w:r><w:tab/><w:sym w:char="F0B7" w:font="Symbol"/><w:br/><w:cr/><w:noBreakHyphen/>'
             "<w:ptab/></w:r>")
    body = body_of(p("Les ", ins("comités"), dele(" x"), chars, "<m:oMath><m:r><m:t>x</m:t></m:r></m:oMath>"))
    before = etree.tostring(body)
    tm = textmap.build(body)
    assert etree.tostring(body) == before
    assert tm.text == "Les comités\t•\n\n\u2011\tx"
    # every text element of the tree is its own tag again (no probe tag left behind)
    assert not [el for el in body.iter() if isinstance(el.tag, str) and "probe" in el.tag]
    assert body.find(".//" + qn("w:sym")) is not None


def test_offsets_outside_the_text_are_refused():
    _body, tm = mapped(p("Court."))
    with pytest.raises(ValueError):
        tm.spot(len(tm.text) + 1, START)
    with pytest.raises(ValueError):
        tm.spot(-1, END)
    _body, empty = mapped("")
    with pytest.raises(ValueError):
        empty.spot(0, START)
