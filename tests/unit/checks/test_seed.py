"""The checks on the real seed report (../shared/seed), read at test time.

The seed is a French 2021 PBF report with its reviewers' comments (../shared/pbf/seed_comments.tsv).
These tests assert that the checks find what the reviewers found where a program can (and a
few things they missed), and record which reviewer comment each finding matches; docs/checks.md
lists every finding.
"""
import re
from pathlib import Path

import pytest

from reviewflow.content import blocks_text
from tests.helpers import seed_sections as seed

pytestmark = pytest.mark.skipif(seed.missing_reason() is not None, reason=seed.missing_reason() or "")


@pytest.fixture(scope="module")
def findings():
    return seed.seed_findings()


@pytest.fixture(scope="module")
def vi():
    return seed.load_seed()


def _find(findings, code, section=None, locator=None, quote=None):
    return [f for f in findings if f.code == code and (section is None or f.section == section)
            and (locator is None or f.locator == locator) and (quote is None or quote in f.quote)]


def test_over_limit_fields(findings):
    over = {f.section: f.figures for f in findings if f.code == "char_limit"}
    assert set(over) == {"implementation_status", "upcoming_events", "outcome_3.progress_summary"}
    assert over["implementation_status"]["limit"] == 1500 and over["implementation_status"]["count"] > 2400
    assert over["upcoming_events"]["limit"] == 1000 and over["upcoming_events"]["count"] > 2100
    assert over["outcome_3.progress_summary"]["limit"] == 3000
    assert over["outcome_3.progress_summary"]["count"] > 10000
    assert over["outcome_3.progress_summary"]["count_no_spaces"] > 9000


def test_cells_over_300(findings):
    cells = {f.locator: f.severity for f in findings if f.code == "cell_limit"}
    # the seven cells of template-notes.md; the indicator text (from the ProDoc) is only info
    assert cells == {"1.1/reasons": "warning", "1.2/reasons": "warning", "2.1/indicator": "info",
                     "2.1.2/reasons": "warning", "2.2.2/reasons": "warning", "2.2.3/reasons": "warning",
                     "3.2.4/reasons": "warning"}


def test_empty_required_fields_and_part_iv(findings):
    empty = {f.section for f in findings if f.code == "required_empty"}
    assert {"report_approved_by", "monitoring"} <= empty           # C02; the Suivi field (C25)
    # Part IV is filled in this version ($0 and two paragraphs): no COVID finding
    assert not {s for s in empty if s.startswith("covid")}
    # the drop-downs lost by the text export are reported as empty (export artefacts)
    assert {"report_type", "risk_marker", "focus_area", "outcome_1.rating"} <= empty


def test_structural_change_filled_early(findings):
    [f] = _find(findings, "conditional_field", "structural_change")
    assert f.severity == "info"


def test_tbd_baselines(findings):
    got = {f.locator: f.quote for f in _find(findings, "baseline_missing")}
    assert got == {"1.2/baseline": "TBD", "2.3/baseline": "A déterminer au début du programme de formation"}


def test_breakdowns_that_do_not_add_up(findings, vi):
    [f58] = _find(findings, "breakdown_sum", "outcome_3.progress_summary")
    assert f58.quote == "58 fonctionnaires (18 femmes/32 hommes)" and f58.figures["sum"] == 50
    assert "18 + 32 = 50 ≠ 58" in f58.message["fr"]
    [f324] = _find(findings, "breakdown_sum", locator="3.2.4/current")
    assert f324.quote == "3 (1 femme / 3 hommes)" and "1 + 3 = 4 ≠ 3" in f324.message["fr"]
    [f32] = _find(findings, "breakdown_sum", locator="3.2/current")
    assert f32.figures["sum"] == 12 and f32.figures["total"] == 2


def test_45_versus_23(findings):
    [f] = _find(findings, "narrative_table_mismatch")
    assert f.section == "outcome_1.progress_summary" and f.locator == "1.3.2/current"
    assert f.figures == {"narrative": 45, "table": 23, "indicator": "1.3.2"}


def test_offsets_point_at_the_quoted_words(findings, vi):
    exact = {"breakdown_sum", "baseline_missing", "acronym_undefined", "disaggregation_missing", "placeholder",
             "date_before_start", "reasons_without_variance"}
    checked = 0
    for f in findings:
        if f.code in exact and f.start is not None and f.quote:
            text = blocks_text(vi.sections[f.section])
            if f.code == "reasons_without_variance":
                assert text[f.start:f.end].startswith(f.quote)
            else:
                assert text[f.start:f.end] == f.quote, f
            checked += 1
    assert checked > 20


@pytest.mark.parametrize("comment", sorted(seed.MATCHED))
def test_reviewer_comment_matched(findings, comment):
    assert any(comment in seed.matched_comments(f) for f in findings), comment


def test_docs_list_every_seed_finding(findings):
    """docs/checks.md carries the table made by ``python -m tests.helpers.seed_sections
    --markdown``; regenerate it when the checks change."""
    docs = (Path(__file__).resolve().parents[3] / "docs" / "checks.md").read_text(encoding="utf-8")
    rows = [ln for ln in docs.splitlines() if re.match(r"\| \d+ \| (error|warning|info) \|", ln)]
    expected = [ln for ln in seed.markdown_table(findings).splitlines() if re.match(r"\| \d+ \|", ln)]
    assert rows == expected


def test_prints_every_finding(findings, capsys):
    assert seed.main([]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == len(findings) + 1 and out[-1] == f"-- {len(findings)} findings"
    with capsys.disabled():
        print(f"\n{len(findings)} findings on the seed (python -m tests.helpers.seed_sections lists them)")
