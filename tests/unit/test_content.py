import unicodedata

import pytest

from reviewflow import content as C


@pytest.mark.parametrize("text, with_spaces, without", [
    ("Bangui", 6, 6),
    ("Le projet", 9, 8),
    ("Réunion à Bouar", 15, 13),                       # accents are one character each
    (unicodedata.normalize("NFD", "Réunion à Bouar"), 15, 13),  # combining marks count once after NFC
    ("12\u00a0000 personnes", 16, 14),                # a non-breaking space counts as a space
    ("4\u202f500", 5, 4),                              # narrow no-break space too
    ("Ligne un\nLigne deux", 18, 16),                  # the paragraph break is not counted
    ("a\tb", 3, 2),                                    # a tab counts like a space
    ("", 0, 0),
    ("Œuvre « clé »", 13, 10),
])
def test_count_follows_word_characters_with_and_without_spaces(text, with_spaces, without):
    c = C.count(text)
    assert (c.with_spaces, c.without_spaces) == (with_spaces, without)


def test_normalize_nfc_and_line_endings():
    assert C.normalize("e\u0301\r\nb\rc") == "é\nb\nc"


def test_editor_text_round_trip_keeps_lists_and_styles():
    blocks = [C.paragraph("Titre", style="Heading 2", heading=2), C.paragraph("Intro"),
              C.paragraph("point un", list=0), C.paragraph("sous-point", list=1)]
    text = C.editor_text(blocks)
    assert text == "Titre\nIntro\n- point un\n  - sous-point"
    again = C.text_blocks(text, previous=blocks)
    assert again == blocks
    # the list marker is not part of the canonical text
    assert C.blocks_text(again) == "Titre\nIntro\npoint un\nsous-point"


def test_trailing_empty_lines_are_dropped_but_inner_ones_kept():
    blocks = C.text_blocks("a\n\nb\n\n\n")
    assert [b["text"] for b in blocks] == ["a", "", "b"]


def test_table_text_is_cells_row_by_row_and_offsets_match():
    block = C.table_block(["x", "y"], [["a1", "b1\nb1bis"], ["", "b2"]])
    blocks = [C.paragraph("avant"), block, C.paragraph("après")]
    text = C.blocks_text(blocks)
    assert text == "avant\na1\nb1\nb1bis\n\nb2\naprès"
    offsets = C.paragraph_offsets(blocks)
    assert [text[a:b] for a, b in offsets] == ["avant", "a1", "b1", "b1bis", "", "b2", "après"]
    assert C.table_cells(block) == [["a1", "b1\nb1bis"], ["", "b2"]]


def test_content_hash_changes_with_text_only():
    a = [C.paragraph("même texte")]
    assert C.content_hash(a) == C.content_hash([C.paragraph("même texte")])
    assert C.content_hash(a) != C.content_hash([C.paragraph("autre texte")])
