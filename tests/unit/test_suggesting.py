"""Suggested edits, the pure part: overlap, applying several edits each at its own words, the
section's structure kept, exact offsets after an accepted edit, and Word tracked changes read
as proposals on the text the reviewer was given."""
from __future__ import annotations

import random

import pytest

from reviewflow import content as C
from reviewflow.anchoring import Reanchorer, make_anchor
from reviewflow.mapping import MappedSection, Mapping, Segment
from reviewflow.models import Thread
from reviewflow.suggesting import (
    Edit,
    SpanError,
    apply_text,
    apply_to_blocks,
    choose,
    count_after,
    map_span,
    overlaps,
    span_in_one_container,
    tracked_changes,
)
from tests.helpers.docxbuild import dele, ins, p, read, t, tbl

TEXT = "Le projet connaît des retards dans la mise en place des comités. Pas de retard ailleurs."


def edit(quote: str, new: str, text: str = TEXT, occurrence: int = 0) -> Edit:
    at = -1
    for _ in range(occurrence + 1):
        at = text.index(quote, at + 1)
    return Edit(at, at + len(quote), new)


# ----------------------------------------------------------------------------------- the model

def test_edit_refuses_impossible_spans():
    with pytest.raises(ValueError):
        Edit(5, 2, "x")
    with pytest.raises(ValueError):
        Edit(-1, 2, "x")
    with pytest.raises(ValueError):
        Edit(True, 2, "x")
    assert Edit(3, 3, "x").is_point and Edit(3, 5, "").delta == -2


def test_a_thread_knows_whether_it_is_a_suggested_edit_and_its_status():
    comment = Thread(kind="comment", severity="suggestion", status="open")
    assert comment.suggestion_status is None and not comment.is_suggested_edit   # the severity is not a kind
    edit_ = Thread(kind="suggested_edit", status="open", replacement="x")
    assert edit_.is_suggested_edit and edit_.suggestion_status == "open" and edit_.decided_by is None
    edit_.decision, edit_.status, edit_.resolution_note = "rejected", "resolved", "Hors sujet"
    assert edit_.suggestion_status == "rejected" and edit_.decision_reason == "Hors sujet"


@pytest.mark.parametrize("a, b, expected", [
    ((0, 5), (5, 9), False),       # ranges that touch
    ((0, 5), (4, 9), True),        # one shared character
    ((2, 2), (0, 5), True),        # an insertion inside words being replaced
    ((0, 0), (0, 5), False),       # an insertion before them
    ((5, 5), (0, 5), False),       # an insertion after them
    ((3, 3), (3, 3), True),        # two insertions at one point: their order would be a guess
    ((3, 3), (4, 4), False),
    ((0, 9), (2, 4), True),        # one inside the other
])
def test_overlap(a, b, expected):
    assert overlaps(*a, *b) is expected and overlaps(*b, *a) is expected


def test_choose_keeps_the_first_of_overlapping_edits():
    kept, outdated = choose([("old", 0, 10), ("inside", 2, 4), ("after", 10, 12), ("point", 5, 5), ("far", 20, 30)])
    assert kept == ["old", "after", "far"] and outdated == ["inside", "point"]


# ------------------------------------------------------------------------------- applying edits

def test_several_edits_in_one_sentence_each_at_its_own_words():
    edits = [edit("des retards", "du retard"), edit("comités", "comités locaux"), edit("Pas de", "Aucun"),
             Edit(len(TEXT), len(TEXT), " Voir annexe."), edit("Le projet ", "")]
    assert apply_text(TEXT, edits) == ("connaît du retard dans la mise en place des comités locaux. "
                                       "Aucun retard ailleurs. Voir annexe.")
    # the order they are given in does not matter
    assert apply_text(TEXT, list(reversed(edits))) == apply_text(TEXT, edits)


def test_an_insertion_next_to_replaced_words_goes_before_or_after_them():
    at = TEXT.index("retards")
    assert apply_text(TEXT, [Edit(at, at + 7, "délais"), Edit(at, at, "longs ")]).startswith(
        "Le projet connaît des longs délais")
    assert apply_text(TEXT, [Edit(at, at + 7, "délais"), Edit(at + 7, at + 7, " importants")]).startswith(
        "Le projet connaît des délais importants")


def test_overlapping_edits_are_refused_never_applied_on_top():
    with pytest.raises(ValueError):
        apply_text(TEXT, [edit("des retards", "du retard"), edit("retards dans", "délais dans")])
    with pytest.raises(SpanError):
        apply_text(TEXT, [Edit(0, len(TEXT) + 1, "")])


def test_count_after_is_what_the_limit_counts():
    counted = count_after(TEXT + "\nSecond.", [edit("des retards", "du retard")])
    assert counted.with_spaces == len(TEXT) - 2 + len("Second.")   # the paragraph break does not count


def test_map_span_gives_exact_offsets_after_accepted_edits():
    edits = [edit("des retards", "du retard"), edit("place", "œuvre effective")]
    new = apply_text(TEXT, edits)
    for quote in ("Le projet", "connaît", "comités", "Pas de retard ailleurs."):
        s = TEXT.index(quote)
        ns, ne = map_span(edits, s, s + len(quote))
        assert new[ns:ne] == quote
    point = TEXT.index(" ailleurs")
    ns, ne = map_span(edits, point, point)
    assert ns == ne and new[:ns].endswith("Pas de retard")


def test_reanchoring_finds_the_other_suggested_edits_where_the_offsets_say():
    """Accepting one edit moves the words of the others: the diff-based re-anchoring and the
    exact mapping agree (the services use the mapping and keep the re-anchoring's statuses)."""
    accepted = [edit("des retards", "d'importants retards")]
    new = apply_text(TEXT, accepted)
    r = Reanchorer(TEXT, new)
    for quote in ("mise en place", "Pas de retard"):
        s = TEXT.index(quote)
        result = r.reanchor(make_anchor(TEXT, s, s + len(quote)))
        assert result.status == "exact" and (result.anchor.start, result.anchor.end) == map_span(
            accepted, s, s + len(quote))
    point = TEXT.index(" ailleurs")
    result = r.reanchor(make_anchor(TEXT, point, point))
    assert result.status == "exact" and result.anchor.start == map_span(accepted, point, point)[0]


def test_random_batches_apply_like_one_string_edit_and_keep_the_blocks():
    rng = random.Random(12)
    blocks = C.text_blocks("Premier paragraphe du rapport.\n- Une puce ici\nDernier paragraphe, plus long que "
                           "les autres.") + [C.table_block(None, [["cellule un", "cellule deux"]])]
    blocks[0]["style"] = "Heading 2"
    text = C.blocks_text(blocks)
    for _ in range(200):
        spans = sorted(rng.sample(range(len(text) + 1), 6))
        edits = []
        for a, b in zip(spans[::2], spans[1::2], strict=False):
            if span_in_one_container(blocks, a, b):
                edits.append(Edit(a, b, rng.choice(["", "X", "nouveau mot", "deux\nlignes"])))
        edits = [e for e in edits if not (e.is_point and not e.text)]
        new_blocks = apply_to_blocks(blocks, edits)
        assert C.blocks_text(new_blocks) == apply_text(text, edits)
    assert C.blocks_text(blocks) == text    # the input is never modified


def test_blocks_keep_their_style_split_and_merge():
    blocks = [C.paragraph("Titre du rapport", style="Heading 2", heading=2), C.paragraph("Un. Deux.", list=0),
              C.paragraph("Fin.")]
    text = C.blocks_text(blocks)
    out = apply_to_blocks(blocks, [Edit(text.index("Deux"), text.index("Deux"), "\n")])
    assert [b["text"] for b in out] == ["Titre du rapport", "Un. ", "Deux.", "Fin."]
    assert out[1].get("list") == 0 and out[2].get("list") == 0 and out[0]["style"] == "Heading 2"
    merged = apply_to_blocks(blocks, [Edit(text.index("Deux."), text.index("Fin."), "")])
    assert [b["text"] for b in merged] == ["Titre du rapport", "Un. Fin."]


def test_an_edit_may_not_cross_a_table_cell():
    blocks = [C.table_block(None, [["cellule un", "cellule deux"], ["", "bas"]])]
    text = C.blocks_text(blocks)
    assert not span_in_one_container(blocks, text.index("un"), text.index("deux"))
    with pytest.raises(SpanError):
        apply_to_blocks(blocks, [Edit(text.index("un"), text.index("deux"), "")])
    out = apply_to_blocks(blocks, [Edit(text.index("deux"), text.index("deux") + 4, "2"),
                                   Edit(text.index("\n\n") + 1, text.index("\n\n") + 1, "vide")])
    assert C.table_cells(out[0]) == [["cellule un", "cellule 2"], ["vide", "bas"]]


# ------------------------------------------------------------------------- Word tracked changes

DELMARK = '<w:rPr><w:del w:id="90" w:author="Ben" w:date="2026-03-01T11:00:00Z"/></w:rPr>'
INSMARK = '<w:rPr><w:ins w:id="91" w:author="Ana" w:date="2026-03-01T11:00:00Z"/></w:rPr>'


def one_section(doc) -> Mapping:
    """The whole document as one section "s" (offsets equal), for the reader's own cases."""
    segs = [Segment(s, e, s) for s, e in C.paragraph_offsets(doc.blocks)]
    return Mapping({"s": MappedSection("s", blocks=doc.blocks, segments=segs)}, [], [], 0, [])


def proposals_of(body: str, **kw):
    doc = read(body)
    changes = tracked_changes(doc, one_section(doc), **kw)
    sec = changes.sections["s"]
    assert apply_text(sec.base_text, [pr.edit for pr in sec.proposals]) == sec.accepted_text
    return sec, changes


def test_a_replaced_word_is_one_proposal_on_the_text_the_reviewer_was_given():
    sec, _ = proposals_of(p("L'équipe du projet est ", dele("au complet", author="Ana"), ins("complète"), "."))
    assert sec.base_text == "L'équipe du projet est au complet."
    (pr,) = sec.proposals
    assert (pr.quote, pr.replacement, pr.author, pr.kinds) == ("au complet", "complète", "Ana", ("del", "ins"))
    assert sec.base_text[pr.start:pr.end] == "au complet" and pr.date is not None


def test_a_deletion_and_an_insertion_by_two_people_are_two_proposals():
    sec, _ = proposals_of(p("Le ", dele("soutien", author="Ben"), ins("appui", author="Ana"), " financier."))
    assert [(x.quote, x.replacement, x.author) for x in sec.proposals] == [("soutien", "", "Ben"),
                                                                            ("", "appui", "Ana")]


def test_paragraph_marks_are_proposals_too():
    merged, _ = proposals_of(p("Premier.", ppr=DELMARK) + p("Second."))
    assert merged.base_text == "Premier.\nSecond." and [(x.quote, x.replacement) for x in merged.proposals] == [
        ("\n", "")] and merged.proposals[0].paragraph_mark
    split, _ = proposals_of(p("Premier.", ppr=INSMARK) + p("Second."))
    assert split.base_text == "Premier.Second." and [(x.quote, x.replacement) for x in split.proposals] == [
        ("", "\n")]
    assert [b["text"] for b in split.base_blocks] == ["Premier.Second."]


def test_a_whole_paragraph_cut_or_added():
    cut, _ = proposals_of(p("Avant.") + p(dele("Paragraphe coupé pour cadrer avec 1500."), ppr=DELMARK)
                          + p("Après."))
    assert cut.base_text == "Avant.\nParagraphe coupé pour cadrer avec 1500.\nAprès."
    assert [(x.quote, x.replacement) for x in cut.proposals] == [("Paragraphe coupé pour cadrer avec 1500.\n", "")]
    added, _ = proposals_of(p("Avant.") + p(ins("Paragraphe ajouté."), ppr=INSMARK) + p("Après."))
    assert added.base_text == "Avant.\nAprès."
    assert [(x.quote, x.replacement) for x in added.proposals] == [("", "Paragraphe ajouté.\n")]


def test_a_move_is_its_two_halves():
    sec, _ = proposals_of(p("Un. ", '<w:moveFrom w:id="5" w:author="Ana" w:date="2026-03-01T10:00:00Z">'
                            '<w:r><w:t>Deux. </w:t></w:r></w:moveFrom>', "Trois. ",
                            '<w:moveTo w:id="6" w:author="Ana" w:date="2026-03-01T10:00:00Z">' + t("Deux. ")
                            + "</w:moveTo>"))
    assert sec.base_text == "Un. Deux. Trois. "
    assert [(x.kinds, x.quote, x.replacement) for x in sec.proposals] == [(("moveFrom",), "Deux. ", ""),
                                                                          (("moveTo",), "", "Deux. ")]


def test_a_deletion_inside_someone_elses_insertion_is_folded_in_with_a_warning():
    sec, changes = proposals_of(p("A ", '<w:ins w:id="3" w:author="Ana" w:date="2026-03-01T10:00:00Z">'
                                  + t("nouveau ") + dele("mot ", author="Ben") + t("texte") + "</w:ins>", " fin."))
    (pr,) = sec.proposals
    assert (pr.quote, pr.replacement, pr.author) == ("", "nouveau texte", "Ana") and pr.warnings
    assert changes.warnings and "Ben" in changes.warnings[0]


def test_changes_taken_on_upload_stay_in_the_base_text():
    body = p("Le ", dele("soutien", author="Awa"), ins("appui", author="Awa"), " financier ",
             ins("régulier", author="Ben", rid=7), ".")
    sec, _ = proposals_of(body, accept=lambda rev: rev.author == "Awa")
    assert sec.base_text == "Le appui financier ." and [x.replacement for x in sec.proposals] == ["régulier"]
    assert len(sec.accepted) == 2


def test_changes_in_a_table_cell_stay_in_their_cell():
    sec, _ = proposals_of(tbl(["a", [p("b ", dele("x"), ins("y"))]]))
    assert C.table_cells(sec.base_blocks[0]) == [["a", "b x"]]
    assert [(x.quote, x.replacement) for x in sec.proposals] == [("x", ""), ("", "y")]


def test_formatting_changes_are_listed_not_proposed():
    rpr_change = ('<w:r><w:rPr><w:b/><w:rPrChange w:id="8" w:author="Ana" w:date="2026-03-01T10:00:00Z">'
                  '<w:rPr/></w:rPrChange></w:rPr><w:t>gras</w:t></w:r>')
    doc = read(p("Du texte ", rpr_change, "."))
    changes = tracked_changes(doc, one_section(doc))
    assert not changes.proposals and [(x.kind, x.why) for x in changes.listed] == [("rPrChange", "formatting")]


def test_a_change_on_the_template_text_is_listed():
    doc = read(p("Question du modèle ", ins("modifiée"), ".") + p("Réponse."))
    offsets = C.paragraph_offsets(doc.blocks)
    s, e = offsets[1]
    mapping = Mapping({"s": MappedSection("s", blocks=[doc.blocks[1]], segments=[Segment(s, e, 0)])}, [], [], 0, [])
    changes = tracked_changes(doc, mapping)
    assert not changes.proposals and [x.why for x in changes.listed] == ["template_text"]


# ------------------------------------------------------------------------------ who may do what

@pytest.mark.parametrize("roles, suggest, decide", [
    ({"reviewer"}, True, False),
    ({"drafter"}, False, True),
    ({"approver"}, False, False),
    ({"reviewer", "approver"}, True, False),
    (set(), False, False),
])
def test_reviewers_suggest_drafters_decide_approvers_neither(roles, suggest, decide):
    from reviewflow import permissions as P
    assert P.can_suggest_edit(roles, "in_review") is suggest
    assert P.can_decide_suggested_edit(roles, "in_review") is decide
    assert not P.can_suggest_edit(roles, "approved") and not P.can_decide_suggested_edit(roles, "withdrawn")
