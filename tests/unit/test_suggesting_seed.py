"""The seed's own case: a reviewer's copy with the 24 tracked changes of
../shared/pbf/seed_tracked_change_artefacts.tsv (built with python-docx + lxml) yields 24
proposals, each on its section and on the right words."""
from __future__ import annotations

import pytest

from reviewflow.mapping import map_document
from reviewflow.report_templates import load_template
from reviewflow.suggesting import apply_text, tracked_changes
from reviewflow.wordio import read_docx
from tests.helpers import seed_tracked as S

pytestmark = pytest.mark.skipif(S.missing_reason() is not None, reason=S.missing_reason() or "")


@pytest.fixture(scope="module")
def changes():
    doc = read_docx(S.build_docx())
    return doc, tracked_changes(doc, map_document(doc, load_template("pbf"), outcomes=2))


def test_the_built_copy_is_the_seeds_24_changes_on_their_fields():
    rows = S.seed_rows()
    assert [r["id"] for r in rows] == [c.id for c in S.CHANGES]
    assert [r["field_id"] for r in rows] == [c.field for c in S.CHANGES]
    for row, c in zip(rows, S.CHANGES, strict=True):
        if c.check_accepted:      # the accepted text reads as the seed says it should
            for piece in S.accepted_pieces(row):
                assert piece in c.accepted, (c.id, piece)


def test_24_proposals_on_the_right_words(changes):
    doc, found = changes
    assert not found.listed and not found.warnings
    proposals = found.proposals
    assert len(proposals) == 24
    by_section: dict[str, list] = {}
    for c in S.CHANGES:
        by_section.setdefault(S.section_key(c.field), []).append(c)
    for key, expected in by_section.items():
        sec = found.sections[key]
        got = sorted(sec.proposals, key=lambda pr: pr.start)
        expected.sort(key=lambda c: sec.base_text.index(c.original))
        assert [(pr.quote, pr.replacement) for pr in got] == [(c.deleted, c.inserted) for c in expected], key
        for pr, c in zip(got, expected, strict=True):
            assert sec.base_text[pr.start:pr.end] == c.deleted
            # the words around it are the drafters' words the reviewer changed
            assert sec.base_text[:pr.start].endswith(c.before) and sec.base_text[pr.end:].startswith(c.after)
            assert sec.accepted_text[pr.accepted_start:pr.accepted_end] == c.inserted
            assert pr.author == S.AUTHOR and pr.date is not None
        # accepting every proposal gives the text Word shows with the changes accepted
        assert apply_text(sec.base_text, [pr.edit for pr in sec.proposals]) == sec.accepted_text
        for c in expected:
            assert c.original in sec.base_text and c.accepted in sec.accepted_text
