"""annotate_docx: threads written into small hand-built packages and read back with read_docx."""
from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from datetime import datetime, timedelta, timezone

import pytest
from lxml import etree

from reviewflow.wordio import ExportThread, WordFileError, annotate_docx, read_docx
from tests.helpers.docxbuild import (
    DECL,
    NSDECL,
    comment,
    comments_xml,
    cre,
    cref,
    crs,
    dele,
    extended_xml,
    extensible_xml,
    ids_xml,
    ins,
    make_docx,
    p,
    styles_xml,
    t,
    tbl,
)
from tests.helpers.wordio import (
    DATE,
    NS,
    UTC,
    W,
    body_of,
    c,
    check_package_consistency,
    check_roundtrip,
    members,
    thread_on,
    xml_of,
)

PARAS = (p("Les comités locaux ont été établis dans trois provinces.")
         + p("Indicateur 1.1.2 : nombre de femmes médiatrices formées (cible : 120).")
         + p("Le projet a atteint 85 % de sa cible."))
TEXT = ("Les comités locaux ont été établis dans trois provinces.\n"
        "Indicateur 1.1.2 : nombre de femmes médiatrices formées (cible : 120).\n"
        "Le projet a atteint 85 % de sa cible.")


def test_simple_range_splits_runs_keeping_their_properties():
    data = make_docx(PARAS)
    th = thread_on(TEXT, "ont été établis", c(text="Source ?"))
    _before, after, out = check_roundtrip(data, [th])
    assert after.comments[0].quote == "ont été établis"
    body = body_of(out)
    # the run was cut in three; every piece keeps the run's properties
    assert ('<w:t xml:space="preserve">Les comités locaux </w:t></w:r><w:commentRangeStart w:id="0"/>'
            '<w:r><w:rPr><w:lang w:val="fr-FR"/></w:rPr><w:t xml:space="preserve">ont été établis</w:t>'
            '</w:r><w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r><w:r><w:rPr>'
            '<w:lang w:val="fr-FR"/></w:rPr><w:t xml:space="preserve"> dans trois') in body


def test_thread_with_replies_resolved_and_multi_paragraph_bodies():
    data = make_docx(PARAS)
    th = thread_on(TEXT, "nombre de femmes médiatrices formées",
                   c(text="Ventiler par âge.\nVoir le cadre de résultats.\tPage 4"),
                   c("Awa Rédactrice", "Fait : tableau ajouté.", date=DATE + timedelta(days=1)),
                   c("Claire Relectrice", "  Merci.  ", date=None), resolved=True)
    _before, after, out = check_roundtrip(data, [th])
    root, r1, r2 = after.comments
    assert r1.parent == root.id and r2.parent == root.id
    assert root.text == "Ventiler par âge.\nVoir le cadre de résultats.\tPage 4"
    assert r2.text == "  Merci.  "
    # Word's shapes: every reply has its own range on the root's span, and a reference
    body = body_of(out)
    for wc in after.comments:
        assert body.count(f'<w:commentRangeStart w:id="{wc.id}"/>') == 1
        assert body.count(f'<w:commentRangeEnd w:id="{wc.id}"/>') == 1
        assert body.count(f'<w:commentReference w:id="{wc.id}"/>') == 1
    ext = xml_of(out, "word/commentsExtended.xml")
    rows = ext.findall("w15:commentEx", NS)
    assert [r.get(f"{{{NS['w15']}}}done") for r in rows] == ["1", "1", "1"]
    assert rows[1].get(f"{{{NS['w15']}}}paraIdParent") == rows[0].get(f"{{{NS['w15']}}}paraId")
    assert rows[2].get(f"{{{NS['w15']}}}paraIdParent") == rows[0].get(f"{{{NS['w15']}}}paraId")
    assert rows[0].get(f"{{{NS['w15']}}}paraIdParent") is None
    # the key is the LAST paragraph's paraId; the first paragraph holds the annotationRef
    comments = xml_of(out, "word/comments.xml")
    first = comments.find("w:comment", NS)
    paras = first.findall("w:p", NS)
    assert len(paras) == 2
    assert paras[-1].get(f"{{{NS['w14']}}}paraId") == rows[0].get(f"{{{NS['w15']}}}paraId")
    assert paras[0].find(".//w:annotationRef", NS) is not None
    assert paras[1].find(".//w:annotationRef", NS) is None
    assert paras[1].find(".//w:tab", NS) is not None
    # a comment without a date has no w:date and no dateUtc
    third = comments.findall("w:comment", NS)[2]
    assert third.get(f"{{{W}}}date") is None
    cex = xml_of(out, "word/commentsExtensible.xml").findall("w16cex:commentExtensible", NS)
    assert cex[2].get(f"{{{NS['w16cex']}}}dateUtc") is None
    assert cex[0].get(f"{{{NS['w16cex']}}}dateUtc") == "2026-03-14T15:09:26Z"


def test_dates_are_written_in_utc_in_both_places():
    paris = timezone(timedelta(hours=1))
    local = datetime(2026, 3, 14, 16, 9, 26, 500000, tzinfo=paris)
    naive = datetime(2026, 3, 15, 8, 0)
    data = make_docx(PARAS)
    threads = [thread_on(TEXT, "comités", c(text="a", date=local)),
               thread_on(TEXT, "provinces", c(text="b", date=naive))]
    _before, after, out = check_roundtrip(data, threads)
    by = {wc.text: wc for wc in after.comments}
    assert by["a"].date == datetime(2026, 3, 14, 15, 9, 26, tzinfo=UTC)
    assert by["b"].date == datetime(2026, 3, 15, 8, 0, tzinfo=UTC)  # naive is taken as UTC
    comments = members(out)["word/comments.xml"].decode()
    assert 'w:date="2026-03-14T15:09:26Z"' in comments
    cex = members(out)["word/commentsExtensible.xml"].decode()
    assert 'w16cex:dateUtc="2026-03-14T15:09:26Z"' in cex


def test_ranges_across_paragraphs_and_table_cells():
    body = (p("Avant le tableau : début") + tbl(["c1", [p("c2a"), p("c2b")], "c3"], ["x", "", "y z"])
            + p("fin du texte"))
    data = make_docx(body)
    text = read_docx(data).text
    assert text == "Avant le tableau : début\nc1\nc2a\nc2b\nc3\nx\n\ny z\nfin du texte"
    threads = [
        thread_on(text, "début\nc1\nc2", c(text="t1")),          # paragraph into a cell
        thread_on(text, "c2b\nc3\nx", c(text="t2")),             # across cells and rows
        thread_on(text, "\n\ny", c(text="t3")),                  # around an empty cell
        thread_on(text, "y z\nfin", c(text="t4")),               # out of the table
        ExportThread(0, len(text), [c(text="t5")]),              # everything
    ]
    check_roundtrip(data, threads)


def test_ranges_inside_insertions_and_around_deletions():
    body = p("Le ", ins("nouveau comité", rid=11), " a ", dele("rapidement ", rid=12),
             "été établi", ins(" en 2025", rid=13), ".")
    data = make_docx(body)
    text = read_docx(data).text
    assert text == "Le nouveau comité a été établi en 2025."
    threads = [
        thread_on(text, "nouveau", c(text="inside an insertion")),
        thread_on(text, "comité a été", c(text="starts in an insertion, crosses a deletion")),
        thread_on(text, "a été établi en", c(text="ends in an insertion")),
        thread_on(text, "nouveau comité", c(text="the whole insertion")),
        thread_on(text, " en 2025", c(text="the whole insertion, at the end")),
        thread_on(text, "a été", c(text="ends before, starts after a deletion")),
    ]
    _before, after, out = check_roundtrip(data, threads)
    tree = xml_of(out, "word/document.xml")
    # never a marker inside deleted text; deletions and insertions untouched
    for d in tree.iter(f"{{{W}}}del"):
        assert not d.xpath(".//w:commentRangeStart|.//w:commentRangeEnd|.//w:commentReference",
                           namespaces=NS)
        assert "".join(d.itertext()) == "rapidement "
    assert [i.get(f"{{{W}}}id") for i in tree.iter(f"{{{W}}}ins")] == ["11", "13"]
    assert after.revision_summary.by_kind == read_docx(data).revision_summary.by_kind
    # a range on the whole insertion is moved out of it, to paragraph level
    whole = _cid(after, "the whole insertion")
    (start,) = tree.xpath(f'//w:commentRangeStart[@w:id="{whole}"]', namespaces=NS)
    (end,) = tree.xpath(f'//w:commentRangeEnd[@w:id="{whole}"]', namespaces=NS)
    assert start.getparent().tag == end.getparent().tag == f"{{{W}}}p"
    assert start.xpath("following-sibling::w:ins[1]/@w:id", namespaces=NS) == ["11"]
    assert end.xpath("preceding-sibling::w:ins[1]/@w:id", namespaces=NS) == ["11"]


def _cid(doc, text):
    return next(wc.id for wc in doc.comments if wc.text == text)


def test_move_to_is_annotated_move_from_is_not():
    body = p("Avant ", '<w:moveFrom w:id="1" w:author="A"><w:r><w:t>déplacé</w:t></w:r></w:moveFrom>',
             " milieu ", '<w:moveTo w:id="2" w:author="A"><w:r><w:t>déplacé ici</w:t></w:r></w:moveTo>', " fin")
    data = make_docx(body)
    text = read_docx(data).text
    assert text == "Avant  milieu déplacé ici fin"
    _b, _a, out = check_roundtrip(data, [thread_on(text, "milieu déplacé", c(text="m")),
                                         thread_on(text, "ici fin", c(text="n"))])
    tree = xml_of(out, "word/document.xml")
    for d in tree.iter(f"{{{W}}}moveFrom"):
        assert not d.xpath(".//w:commentRangeStart|.//w:commentRangeEnd", namespaces=NS)


def test_hyperlinks_content_controls_and_field_results():
    link = '<w:hyperlink r:id="rId99">' + t("le site du PBF") + "</w:hyperlink>"
    sdt = ('<w:sdt><w:sdtPr><w:alias w:val="Pays"/></w:sdtPr><w:sdtContent>' + t("Tchad et Cameroun")
           + "</w:sdtContent></w:sdt>")
    field = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve">'
             ' MERGEFIELD budget </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
             + t("1 250 000 USD") + '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
    simple = '<w:fldSimple w:instr=" DOCPROPERTY x ">' + t("valeur simple") + "</w:fldSimple>"
    data = make_docx(p("Voir ", link, " pour les pays : ", sdt, ".") + p("Budget : ", field, " et ", simple))
    text = read_docx(data).text
    assert text == "Voir le site du PBF pour les pays : Tchad et Cameroun.\nBudget : 1 250 000 USD et valeur simple"
    threads = [thread_on(text, "site", c(text="in a link")),
               thread_on(text, "le site du PBF", c(text="the whole link")),
               thread_on(text, "PBF pour les pays : Tchad", c(text="from a link into a control")),
               thread_on(text, "Cameroun", c(text="end of a control")),
               thread_on(text, "250 000", c(text="in a field result")),
               thread_on(text, "USD et valeur", c(text="field result to simple field"))]
    _b, _a, out = check_roundtrip(data, threads)
    tree = xml_of(out, "word/document.xml")
    # no marker in the field instruction: the instruction is intact
    assert "".join(tree.xpath("//w:instrText/text()", namespaces=NS)) == " MERGEFIELD budget "


def test_nested_and_overlapping_ranges_and_many_on_the_same_words():
    data = make_docx(PARAS)
    text = TEXT
    threads = [
        thread_on(text, "comités locaux ont été établis", c(text="outer")),
        thread_on(text, "locaux ont", c(text="inner")),
        thread_on(text, "été établis dans trois", c(text="overlap")),
        thread_on(text, "locaux ont", c(text="same range again")),
        thread_on(text, "provinces.\nIndicateur", c(text="across the paragraph mark")),
        thread_on(text, "L", c(text="one character")),
        thread_on(text, ".", c(text="last character"), occurrence=2),
    ]
    check_roundtrip(data, threads)


def test_point_comments():
    data = make_docx(PARAS + p() + p("Dernier."))
    text = read_docx(data).text
    empty = text.index("\n\n") + 1
    threads = [
        ExportThread(4, 4, [c(text="point in a word")]),
        ExportThread(0, 0, [c(text="point at the start")]),
        ExportThread(len(text), len(text), [c(text="point at the end")]),
        ExportThread(empty, empty, [c(text="point in an empty paragraph"), c("Awa B", "reply")]),
        ExportThread(text.index("Indicateur"), text.index("Indicateur"), [c(text="at a paragraph start")]),
        ExportThread(text.index("Le projet"), text.index("Le projet") + 9, [c(text="point=True")], point=True),
    ]
    _b, after, out = check_roundtrip(data, threads)
    body = body_of(out)
    for wc in after.comments:  # a point is a zero-length range and its reference
        assert (f'<w:commentRangeStart w:id="{wc.id}"/><w:commentRangeEnd w:id="{wc.id}"/>' in body
                or wc.text == "reply")
        assert wc.quote == "" and wc.start == wc.end


def test_existing_comments_are_removed_and_new_ones_written_once():
    body = (p("Les comités ", crs(0), "ont été établis", cre(0), " en 2025.", crs(1))
            + p("Deuxième", cre(1), " paragraphe", cref(2)))
    pids = ["1A2B3C4D", "2A2B3C4D", "3A2B3C4D"]
    parts = {
        "word/comments.xml": comments_xml(comment(0, "ancien commentaire", para_ids=[pids[0]]),
                                          comment(1, "ancienne réponse", para_ids=[pids[1]]),
                                          comment(2, "ancien point", para_ids=[pids[2]])),
        "word/commentsExtended.xml": extended_xml((pids[0], None, True), (pids[1], pids[0], True),
                                                  (pids[2], None, False)),
        "word/commentsIds.xml": ids_xml((pids[0], "11111111"), (pids[1], "22222222"), (pids[2], "33333333")),
        "word/commentsExtensible.xml": extensible_xml(("11111111", "2026-01-01T00:00:00Z")),
        "word/styles.xml": styles_xml(("Normal", "Normal", "")),
    }
    data = make_docx(body, parts=parts)
    old = read_docx(data)
    assert len(old.comments) == 3
    text = old.text
    threads = [thread_on(text, "comités", c(text="nouveau"), c("Awa B", "réponse")),
               thread_on(text, "Deuxième paragraphe", c(text="autre"))]
    _b, after, out = check_roundtrip(data, threads)
    assert sorted(wc.text for wc in after.comments) == ["autre", "nouveau", "réponse"]
    m = members(out)
    for name in m:
        assert b"ancien" not in m[name], name
    assert m["word/styles.xml"] == members(data)["word/styles.xml"]
    check_package_consistency(out)
    # each of the new comments once in each part
    for part, tag in (("word/commentsExtended.xml", "w15:commentEx"), ("word/commentsIds.xml", "w16cid:commentId"),
                      ("word/commentsExtensible.xml", "w16cex:commentExtensible"),
                      ("word/comments.xml", "w:comment")):
        assert len(xml_of(out, part).findall(tag, NS)) == 3, part


def test_no_threads_removes_every_comment_part():
    body = p("Texte ", crs(0), "commenté", cre(0))
    parts = {"word/comments.xml": comments_xml(comment(0, "x", para_ids=["0F0F0F0F"])),
             "word/commentsExtended.xml": extended_xml(("0F0F0F0F", None, False))}
    data = make_docx(body, parts=parts)
    out = annotate_docx(data, [])
    doc = read_docx(out)
    assert doc.text == "Texte commenté" and doc.comments == [] and doc.warnings == []
    m = members(out)
    assert not any("comments" in n.lower() for n in m)
    assert b"comment" not in m["[Content_Types].xml"].lower()
    assert b"comment" not in m["word/_rels/document.xml.rels"].lower()
    assert b"<w:comment" not in m["word/document.xml"]
    check_package_consistency(out)


def test_comment_markers_in_footnotes_are_removed_too():
    notes = (f'{DECL}<w:footnotes {NSDECL}><w:footnote w:id="1"><w:p>{crs(5)}<w:r><w:t>note</w:t></w:r>'
             f'{cre(5)}</w:p></w:footnote></w:footnotes>')
    body = p("Texte", '<w:r><w:footnoteReference w:id="1"/></w:r>', " suite")
    data = make_docx(body, parts={"word/footnotes.xml": notes,
                                  "word/comments.xml": comments_xml(comment(5, "dans la note"))})
    assert read_docx(data).comments[0].in_part == "footnotes"
    _b, _a, out = check_roundtrip(data, [thread_on("Texte suite", "suite", c(text="x"))])
    assert b"comment" not in members(out)["word/footnotes.xml"]
    assert b"<w:t>note</w:t>" in members(out)["word/footnotes.xml"]


def test_ids_are_31_bit_unique_and_avoid_the_documents_ids():
    taken = ["0000000A", "7FFFFFFE"]
    body = (p("Un paragraphe avec un signet", attrs=f'w14:paraId="{taken[0]}" w14:textId="{taken[1]}"')
            .replace("<w:r>", '<w:bookmarkStart w:id="0" w:name="b0"/><w:r>', 1)
            .replace("</w:p>", '<w:bookmarkEnd w:id="0"/></w:p>')
            + p("Deuxième paragraphe", attrs='w14:paraId="12345678"'))
    data = make_docx(body)
    text = read_docx(data).text
    threads = [ExportThread(i % 20, i % 20 + 5, [c(text=f"t{i}\nsecond"), c("B b", f"r{i}")],
                            resolved=bool(i % 2)) for i in range(60)]
    _b, after, out = check_roundtrip(data, threads)
    para_ids = [pid for pid in re.findall(rb'w14:paraId="([0-9A-F]{8})"', members(out)["word/comments.xml"])]
    durable = re.findall(rb'w16cid:durableId="([0-9A-F]{8})"', members(out)["word/commentsIds.xml"])
    assert len(para_ids) == 180 and len(durable) == 120  # 60 x (2 + 1) paragraphs, 120 comments
    values = [int(v, 16) for v in para_ids + durable]
    assert len(set(values)) == len(values)
    assert all(0 < v < 0x7FFFFFFF for v in values)
    assert not {0x0A, 0x7FFFFFFE, 0x12345678} & set(values)
    wids = [wc.id for wc in after.comments]
    assert len(set(wids)) == 120 and "0" not in wids  # the bookmark has w:id 0
    assert text  # (used above)


def test_same_input_gives_the_same_bytes_and_untouched_parts_are_copied_byte_for_byte():
    parts = {"word/styles.xml": styles_xml(("Titre1", "heading 1", "")),
             "word/media/logo.png": "not really a png"}
    data = make_docx(p("Texte du rapport avec un logo."), parts=parts)
    threads = [ExportThread(0, 5, [c(text="x")])]
    a = annotate_docx(data, threads)
    assert annotate_docx(data, threads) == a
    src, dst = zipfile.ZipFile(io.BytesIO(data)), zipfile.ZipFile(io.BytesIO(a))
    for info in src.infolist():
        if info.filename in ("word/document.xml", "[Content_Types].xml", "word/_rels/document.xml.rels"):
            continue
        out = dst.getinfo(info.filename)
        assert (out.CRC, out.compress_size, out.compress_type, out.date_time) == (
            info.CRC, info.compress_size, info.compress_type, info.date_time)
        assert dst.read(info.filename) == src.read(info.filename)
    assert dst.testzip() is None


def test_comment_styles_are_used_when_the_document_defines_them():
    styles = (f'{DECL}<w:styles {NSDECL}><w:style w:type="paragraph" w:styleId="CommentText">'
              '<w:name w:val="annotation text"/></w:style><w:style w:type="character" '
              'w:styleId="CommentReference"><w:name w:val="annotation reference"/></w:style></w:styles>')
    data = make_docx(PARAS, parts={"word/styles.xml": styles})
    _b, _a, out = check_roundtrip(data, [thread_on(TEXT, "comités", c(text="x"))])
    assert '<w:rStyle w:val="CommentReference"/></w:rPr><w:commentReference' in body_of(out)
    comments = members(out)["word/comments.xml"].decode()
    assert '<w:pStyle w:val="CommentText"/>' in comments
    # without them, no dangling style references
    _b, _a, out = check_roundtrip(make_docx(PARAS), [thread_on(TEXT, "comités", c(text="x"))])
    assert "CommentReference" not in body_of(out)
    assert "CommentText" not in members(out)["word/comments.xml"].decode()


def test_comment_parts_declare_their_namespaces_as_word_does():
    _b, _a, out = check_roundtrip(make_docx(PARAS), [thread_on(TEXT, "comités", c(text="x"))])
    for name in ("comments", "commentsExtended", "commentsIds", "commentsExtensible"):
        raw = members(out)[f"word/{name}.xml"]
        assert raw.startswith(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>')
        root = etree.fromstring(raw)
        ignorable = root.get(f"{{{NS['mc']}}}Ignorable").split()
        for prefix in ("w14", "w15", "w16cid", "w16cex"):
            assert prefix in ignorable and root.nsmap[prefix] == NS[prefix]
    ct = members(out)["[Content_Types].xml"].decode()
    for name in ("comments", "commentsExtended", "commentsIds", "commentsExtensible"):
        assert (f'<Override PartName="/word/{name}.xml" ContentType="application/vnd.openxmlformats-'
                f'officedocument.wordprocessingml.{name}+xml"/>') in ct
    rels = members(out)["word/_rels/document.xml.rels"].decode()
    for rtype in ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments",
                  "http://schemas.microsoft.com/office/2011/relationships/commentsExtended",
                  "http://schemas.microsoft.com/office/2016/09/relationships/commentsIds",
                  "http://schemas.microsoft.com/office/2018/08/relationships/commentsExtensible"):
        assert rtype in rels
    assert "people" not in "".join(members(out))


def test_people_part_on_request():
    threads = [thread_on(TEXT, "comités", c("Claire Relectrice", "x"), c("Awa Rédactrice", "y")),
               thread_on(TEXT, "provinces", c("Claire Relectrice", "z"))]
    _b, _a, out = check_roundtrip(make_docx(PARAS), threads, people=True)
    people = xml_of(out, "word/people.xml")
    persons = people.findall("w15:person", NS)
    assert [p_.get(f"{{{NS['w15']}}}author") for p_ in persons] == ["Claire Relectrice", "Awa Rédactrice"]
    for p_ in persons:
        info = p_.find("w15:presenceInfo", NS)
        assert info.get(f"{{{NS['w15']}}}providerId") == "None"
        assert info.get(f"{{{NS['w15']}}}userId") == p_.get(f"{{{NS['w15']}}}author")
    assert b"@" not in members(out)["word/people.xml"]
    check_package_consistency(out)


def test_bodies_and_names_are_kept_exactly():
    decomposed = unicodedata.normalize("NFD", "Rédactrice Éloïse")
    threads = [
        thread_on(TEXT, "comités", c(decomposed, "Chiffres « 2024 » & <sources> ?\n\n  indentée\n")),
        thread_on(TEXT, "provinces", c("O'Brien \"Jr\"", "")),
        thread_on(TEXT, "cible", c("Zoé", "tab\tmilieu\tfin\t")),
    ]
    _b, after, _out = check_roundtrip(make_docx(PARAS), threads)
    by = {wc.author: wc for wc in after.comments}
    assert by["Rédactrice Éloïse"].text == "Chiffres « 2024 » & <sources> ?\n\n  indentée\n"
    assert by["O'Brien \"Jr\""].text == ""
    assert by["Zoé"].text == "tab\tmilieu\tfin\t"


def test_decomposed_text_in_the_document():
    nfd = unicodedata.normalize("NFD", "Les comités été établis là.")
    data = make_docx(p(nfd))
    text = read_docx(data).text
    assert text == "Les comités été établis là."
    check_roundtrip(data, [thread_on(text, "été", c(text="x")), thread_on(text, "és é", c(text="y")),
                           thread_on(text, "là", c(text="z"))])


def test_text_boxes_and_merged_paragraphs():
    box = ('<w:r><w:drawing><wp:anchor><a:graphic><a:graphicData><wps:wsp><wps:txbx><w:txbxContent>'
           + p("Encadré : texte") + "</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic>"
           "</wp:anchor></w:drawing></w:r>")
    merged = ('<w:p><w:pPr><w:rPr><w:del w:id="7" w:author="A"/></w:rPr></w:pPr>' + t("Première moitié")
              + "</w:p>" + p(" et suite."))
    data = make_docx(p("Hôte ", box, "du cadre.") + merged)
    text = read_docx(data).text
    assert text == "Hôte du cadre.\nEncadré : texte\nPremière moitié et suite."
    check_roundtrip(data, [thread_on(text, "texte", c(text="in the box")),
                           thread_on(text, "du cadre.\nEncadré", c(text="host into box")),
                           thread_on(text, "moitié et", c(text="across the merge")),
                           thread_on(text, "suite", c(text="second half"))])


def test_math_keeps_markers_out_of_equations():
    math = ('<m:oMath><m:r><m:t>x+1</m:t></m:r></m:oMath>')
    data = make_docx(p("Formule ", math, " ici."))
    text = read_docx(data).text
    assert text == "Formule x+1 ici."
    out = annotate_docx(data, [ExportThread(text.index("+"), text.index("ici"), [c(text="m")])])
    tree = xml_of(out, "word/document.xml")
    math_el = tree.find(".//m:oMath", {"m": "http://schemas.openxmlformats.org/officeDocument/2006/math"})
    assert not math_el.xpath(".//w:commentRangeStart|.//w:commentRangeEnd|.//w:r", namespaces=NS)
    doc = read_docx(out)
    assert doc.text == text and doc.comments[0].quote == "x+1 "


def test_strict_documents():
    strict = {"http://schemas.openxmlformats.org/wordprocessingml/2006/main":
              "http://purl.oclc.org/ooxml/wordprocessingml/main",
              "http://schemas.openxmlformats.org/officeDocument/2006/relationships":
              "http://purl.oclc.org/ooxml/officeDocument/relationships"}
    document = DECL + f"<w:document {NSDECL}><w:body>{PARAS}<w:sectPr/></w:body></w:document>"
    for a, b in strict.items():
        document = document.replace(a, b)
    data = make_docx(None, document=document)
    assert read_docx(data).text == TEXT
    _b, _a, out = check_roundtrip(data, [thread_on(TEXT, "comités", c(text="x"), c("B", "y"))])
    m = members(out)
    assert b"purl.oclc.org/ooxml/wordprocessingml/main" in m["word/comments.xml"]
    assert b"http://purl.oclc.org/ooxml/officeDocument/relationships/comments" in m["word/_rels/document.xml.rels"]


def test_invalid_input():
    data = make_docx(PARAS)
    with pytest.raises(ValueError):
        annotate_docx(data, [ExportThread(0, len(TEXT) + 1, [c()])])
    with pytest.raises(ValueError):
        annotate_docx(data, [ExportThread(5, 2, [c()])])
    with pytest.raises(ValueError):
        annotate_docx(data, [ExportThread(0, 2, [])])
    with pytest.raises(TypeError):
        annotate_docx(data, [(0, 2)])
    empty = make_docx("")
    assert annotate_docx(empty, []) and read_docx(annotate_docx(empty, [])).text == ""
    with pytest.raises(ValueError, match="no paragraph"):
        annotate_docx(empty, [ExportThread(0, 0, [c()])])
    with pytest.raises(WordFileError) as exc:
        annotate_docx(b"not a zip at all", [])
    assert exc.value.code == "not_zip"
