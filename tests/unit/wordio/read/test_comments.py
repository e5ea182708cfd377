"""Comment anchors, threads and dates on small hand-written packages."""
from __future__ import annotations

from datetime import UTC, datetime

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
    p,
    read,
    tbl,
)
from tests.helpers.wordio import check

UTC = UTC


def by_id(doc):
    return {c.id: c for c in doc.comments}


def with_comments(body, *comments, **parts):
    all_parts = {"word/comments.xml": comments_xml(*comments)}
    all_parts.update({f"word/{k}.xml": v for k, v in parts.items()})
    return check(read(body, parts=all_parts))


def test_simple_range_and_comment_fields():
    doc = with_comments(p("Les comités ", crs(0), "ont été établis", cre(0), " en 2025."),
                        comment(0, "Source ?", author="Relecteur PBF", initials="RP"))
    (c,) = doc.comments
    assert (c.id, c.author, c.initials, c.text) == ("0", "Relecteur PBF", "RP", "Source ?")
    assert c.quote == "ont été établis" and (c.start, c.end) == (12, 27)
    assert c.parent is None and not c.resolved and not c.done
    assert c.anchor == "range" and c.in_part == "document"
    # only w:date: Word's local time with a false "Z", kept as if UTC and flagged
    assert c.date == datetime(2026, 3, 2, 9, 0, tzinfo=UTC) and c.date_source == "local"
    assert c.date_raw == "2026-03-02T09:00:00Z"


def test_range_across_paragraphs_and_table_cells():
    body = (p("Avant ", crs(1), "début")
            + tbl(["c1", [p("c2", cre(1))], "c3"], [[p(crs(2), "r2")], "x", [p("y", cre(2))]])
            + p("fin"))
    doc = with_comments(body, comment(1, "A"), comment(2, "B"))
    c = by_id(doc)
    assert c["1"].quote == "début\nc1\nc2"
    assert c["2"].quote == "r2\nx\ny"


def test_overlapping_and_nested_ranges_in_any_order():
    body = p(crs(1), "un ", crs(2), "deux ", crs(3), "trois", cre(3), " quatre", cre(1), " cinq", cre(2))
    doc = with_comments(body, comment(1, "A"), comment(2, "B"), comment(3, "C"))
    c = by_id(doc)
    assert c["1"].quote == "un deux trois quatre"
    assert c["2"].quote == "deux trois quatre cinq"
    assert c["3"].quote == "trois"


def test_range_starting_in_insertion_ending_outside_and_crossing_deletion():
    body = p("Le ", '<w:ins w:id="5" w:author="Ana">', crs(7), "<w:r><w:t>nouveau </w:t></w:r>",
             "</w:ins>", "texte ", dele("ancien "), "ici", cre(7), ".")
    doc = with_comments(body, comment(7, "Vérifier"))
    assert doc.text == "Le nouveau texte ici."
    assert doc.comments[0].quote == "nouveau texte ici"


def test_range_markers_inside_deleted_text_collapse_to_the_deletion_point():
    body = p("garde ", dele("x"), '<w:del w:id="3" w:author="B">', crs(4),
             "<w:r><w:delText>supprimé</w:delText></w:r></w:del>", "suite", cre(4))
    doc = with_comments(body, comment(4, "?"))
    assert doc.comments[0].quote == "suite"


def test_point_comment_at_reference_without_range():
    doc = with_comments(p("Ouch", cref(0), ". Fin", cref(2)), comment(0, "A"), comment(2, "B"))
    c = by_id(doc)
    assert (c["0"].start, c["0"].end, c["0"].quote, c["0"].anchor) == (4, 4, "", "point")
    assert c["2"].start == len("Ouch. Fin")
    assert doc.warnings == []


def test_range_start_without_end_runs_to_end_of_paragraph():
    doc = with_comments(p("Un ", crs(3), "deux trois") + p("quatre"), comment(3, "?"))
    assert doc.comments[0].quote == "deux trois"
    assert any("no end of range" in w for w in doc.warnings)


def test_comment_without_any_anchor_is_kept_at_zero():
    doc = with_comments(p("Texte"), comment(9, "Perdu"))
    c = doc.comments[0]
    assert (c.start, c.end, c.anchor, c.in_part) == (0, 0, "missing", "unknown")
    assert c.text == "Perdu"
    assert any("no anchor" in w for w in doc.warnings)


def test_anchor_for_unknown_comment_is_ignored():
    doc = with_comments(p(crs(5), "x", cre(5)), comment(1, "seul"))
    assert [c.id for c in doc.comments] == ["1"]
    assert any("do not exist" in w for w in doc.warnings)


def test_body_level_markers_between_paragraphs():
    body = p("a") + crs(1) + p("b") + cre(1, ref=False) + p("c", cref(1))
    doc = with_comments(body, comment(1, "x"))
    assert doc.comments[0].quote == "b"


def test_comment_inside_footnote_anchors_at_footnote_reference():
    foot = (f'{DECL}<w:footnotes {NSDECL}><w:footnote w:id="1"><w:p>{crs(4)}<w:r><w:t>Source : OIM'
            f'</w:t></w:r>{cre(4)}</w:p></w:footnote></w:footnotes>')
    body = p("Chiffre clé", '<w:r><w:footnoteReference w:id="1"/></w:r>', " suite.")
    doc = with_comments(body, comment(4, "Dans la note"), footnotes=foot)
    c = doc.comments[0]
    assert (c.in_part, c.anchor, c.start, c.end) == ("footnotes", "point", 11, 11)
    assert any("footnote 1" in w for w in doc.warnings)


def test_multi_paragraph_body_and_thread_keyed_on_last_paragraph():
    body = p(crs(0), crs(1), "cible", cre(0), cre(1))
    doc = with_comments(
        body,
        comment(0, "Premier paragraphe", "Second paragraphe", para_ids=["0A000001", "0A000002"]),
        comment(1, "Réponse", para_ids=["0B000001"]),
        commentsExtended=extended_xml(("0A000002", None, True), ("0B000001", "0A000002", False)),
    )
    c = by_id(doc)
    assert c["0"].text == "Premier paragraphe\nSecond paragraphe"
    assert c["0"].para_id == "0A000002"
    assert c["1"].parent == "0" and c["1"].resolved and not c["1"].done
    assert c["0"].resolved and c["0"].done


def test_reply_chain_of_three_points_to_root():
    body = p(crs(1), crs(2), crs(3), "x", cre(1), cre(2), cre(3))
    doc = with_comments(
        body,
        comment(1, "racine", para_ids=["00000011"]), comment(2, "r1", para_ids=["00000012"]),
        comment(3, "r2", para_ids=["00000013"]),
        commentsExtended=extended_xml(("00000011", None, False), ("00000012", "00000011", False),
                                      ("00000013", "00000012", False)))
    assert [(c.id, c.parent) for c in doc.comments] == [("1", None), ("2", "1"), ("3", "1")]
    assert [len(t) for t in doc.threads()] == [3]


def test_reply_whose_parent_is_gone_becomes_a_root():
    doc = with_comments(
        p(crs(2), "x", cre(2)), comment(2, "orpheline", para_ids=["00000022"]),
        commentsExtended=extended_xml(("00000022", "0000DEAD", False)))
    assert doc.comments[0].parent is None
    assert any("no longer exists" in w for w in doc.warnings)


def test_stale_rows_ignored_and_cycles_guarded():
    doc = with_comments(
        p(crs(1), crs(2), "x", cre(1), cre(2)),
        comment(1, "a", para_ids=["00000031"]), comment(2, "b", para_ids=["00000032"]),
        commentsExtended=extended_xml(("00000031", "00000032", False), ("00000032", "00000031", True),
                                      ("7FFFFFFF", None, True)))
    assert {c.id for c in doc.comments} == {"1", "2"}
    roots = [c for c in doc.comments if c.parent is None]
    assert roots  # the cycle is broken, nothing lost
    assert any("stale" in w for w in doc.warnings)
    assert any("loops" in w for w in doc.warnings)


def test_para_ids_match_case_insensitively():
    doc = with_comments(
        p(crs(1), crs(2), "x", cre(1), cre(2)),
        comment(1, "a", para_ids=["0000abcd"]), comment(2, "b", para_ids=["00000ABE"]),
        commentsExtended=extended_xml(("0000ABCD", None, False), ("00000abe", "0000ABCD", False)))
    assert by_id(doc)["2"].parent == "1"


def test_google_docs_replies_grouped_by_identical_range_in_date_order():
    body = p("A ", crs(0), crs(1), crs(2), "même plage", cre(0), cre(1), cre(2), " ", crs(3), "autre", cre(3))
    parts = {"word/comments.xml": comments_xml(
        comment(0, "réponse tardive", date="2026-03-03T10:00:00Z"),
        comment(1, "première", date="2026-03-01T10:00:00Z"),
        comment(2, "réponse", date="2026-03-02T10:00:00Z"),
        comment(3, "seule", date="2026-03-01T09:00:00Z"))}
    doc = check(read(body, parts=parts, app=None))
    assert doc.app == "google_docs"
    assert [(c.id, c.parent) for c in doc.comments] == [("0", "1"), ("1", None), ("2", "1"), ("3", None)]


def test_no_grouping_when_the_file_has_app_properties():
    body = p(crs(0), crs(1), "x", cre(0), cre(1))
    doc = with_comments(body, comment(0, "a"), comment(1, "b"))
    assert [c.parent for c in doc.comments] == [None, None]


def test_dates_prefer_true_utc_from_comments_extensible():
    doc = with_comments(
        p(crs(1), "x", cre(1)), comment(1, "a", date="2024-03-28T17:22:00Z", para_ids=["00000041"]),
        commentsIds=ids_xml(("00000041", "6D65285B")),
        commentsExtensible=extensible_xml(("6D65285B", "2024-03-28T21:22:00Z")))
    c = doc.comments[0]
    assert c.durable_id == "6D65285B"
    assert c.date == datetime(2024, 3, 28, 21, 22, tzinfo=UTC) and c.date_source == "utc"
    assert c.date_raw == "2024-03-28T17:22:00Z"


def test_invalid_and_missing_dates_are_none_never_a_crash():
    doc = with_comments(
        p(crs(1), crs(2), crs(3), "x", cre(1), cre(2), cre(3)),
        comment(1, "lo", date="0-00-00T00:00:00Z"), comment(2, "absent", date=None),
        comment(3, "bad utc", date="2024-01-01T10:00:00Z", para_ids=["00000051"]),
        commentsIds=ids_xml(("00000051", "11111111")),
        commentsExtensible=extensible_xml(("11111111", "not-a-date")))
    c = by_id(doc)
    assert c["1"].date is None and c["1"].date_raw == "0-00-00T00:00:00Z"
    assert c["2"].date is None and c["2"].date_raw is None
    assert c["3"].date == datetime(2024, 1, 1, 10, 0, tzinfo=UTC) and c["3"].date_source == "local"
    assert any("invalid date" in w for w in doc.warnings)


def test_comment_body_with_fields_tracked_changes_and_breaks():
    rich = ('<w:p><w:r><w:annotationRef/></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            '<w:r><w:instrText>PAGE</w:instrText></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
            "<w:r><w:t>Voir</w:t><w:tab/><w:t>ci</w:t><w:br/><w:t>dessous</w:t></w:r>"
            + ins(" ajouté") + dele(" retiré") + "</w:p>")
    doc = with_comments(p(crs(1), "x", cre(1)), comment(1, rich, "suite"))
    assert doc.comments[0].text == "Voir\tci\ndessous ajouté\nsuite"


def test_duplicate_comment_ids_keep_the_first():
    doc = with_comments(p(crs(1), "x", cre(1)), comment(1, "premier"), comment(1, "second"))
    assert [c.text for c in doc.comments] == ["premier"]
    assert any("appears twice" in w for w in doc.warnings)


def test_comments_part_missing_but_anchors_present():
    doc = check(read(p(crs(1), "x", cre(1))))
    assert doc.comments == []
    assert any("no comments part" in w for w in doc.warnings)
