"""The workbook checks: the attached workbook against the cover page and against itself."""

from decimal import Decimal

import pytest

from reviewflow.checks import VersionInput, run_checks
from reviewflow.content import blocks_text, table_block, text_blocks
from reviewflow.report_templates import load_template
from reviewflow.workbook import read_budget
from tests.helpers.budget_xlsx import build, seed_spec

T = load_template("pbf")
SHEET = "'1) Budget par résultat'"


def cover(rows=None, rate="17%", gewe="$1 245 996,00", attachment=""):
    rows = (
        rows
        if rows is not None
        else [
            ["ONUDC-ROSEN", "$ 973520.00"],
            ["OIM-RCA", "$ 1507352.00"],
            ["OIM-Cameroun", "$ 621926.00"],
            ["Total", "$ 3102798.00"],
        ]
    )
    secs = {
        "budget_by_recipient": [table_block(["org", "amount_usd"], rows)],
        "implementation_rate": text_blocks(rate),
        "gewe_budget_allocated": text_blocks(gewe),
    }
    if attachment:
        secs["budget_attachment"] = text_blocks(attachment)
    return secs


def run(secs, workbook=None, attached=None, template=T):
    vi = VersionInput(
        sections=secs, report_type="annual", year=2021, workbook=workbook, workbook_attached=attached
    )
    return run_checks(template, vi, checks=["budget_workbook"], strict=True)


def wb(spec=None, **kw):
    w = build(spec or seed_spec(**kw))
    return w, read_budget(w.data, T)


def codes(findings):
    return [f.code for f in findings]


def test_a_workbook_that_agrees_with_the_cover_gives_nothing():
    _w, b = wb()
    assert run(cover(), b) == []


def test_no_workbook_and_the_caller_does_not_say_gives_nothing():
    assert run(cover()) == []


def test_workbook_missing_when_the_template_requires_one():
    [f] = run(cover(attachment="budget_2021.xlsx"), attached=False)
    assert f.code == "workbook_missing" and f.severity == "error" and f.section == "budget_attachment"
    assert "budget_2021.xlsx" in f.message["fr"] and "Excel" in f.message["en"]


def test_no_missing_finding_for_a_template_without_a_workbook_block():
    import json

    from reviewflow.report_templates import Template

    data = json.loads(json.dumps(T.data))
    del data["budget_workbook"]
    assert run(cover(), attached=False, template=Template(data)) == []


def test_attached_but_unreadable():
    [f] = run(cover(), attached=True)
    assert f.code == "workbook_unreadable" and f.severity == "warning"


def test_total_mismatch_quotes_both_figures_and_the_cell():
    w, b = wb()
    secs = cover(
        rows=[
            ["ONUDC-ROSEN", "$ 973520.00"],
            ["OIM-RCA", "$ 1507352.00"],
            ["OIM-Cameroun", "$ 621926.00"],
            ["Total", "$ 3202798.00"],
        ]
    )
    [f] = run(secs, b)
    assert f.code == "workbook_total_mismatch" and f.severity == "error"
    assert f.locator == f"{SHEET}!{w.cells['grand_total']}" == "'1) Budget par résultat'!F45"
    assert (
        "3\u00a0102\u00a0798,00\u00a0$" in f.message["fr"]
        and "3\u00a0202\u00a0798,00\u00a0$" in f.message["fr"]
    )
    assert "$3,102,798.00" in f.message["en"] and "difference -$100,000.00" in f.message["en"]
    assert "écart -100\u00a0000,00\u00a0$" in f.message["fr"]
    assert blocks_text(secs["budget_by_recipient"])[f.start : f.end] == f.quote == "$ 3202798.00"
    assert f.figures == {"workbook": 3102798, "cover": 3202798, "cell": f.locator}


def test_each_agency_against_the_cover_with_aliases():
    w, b = wb()
    secs = cover(
        rows=[
            ["UNODC ROSEN", "$ 973520.00"],
            ["IOM RCA", "$ 1500000.00"],
            ["IOM Cameroon", "$ 621926.00"],
            ["Total", "$ 3102798.00"],
        ]
    )
    [f] = run(secs, b)  # "IOM Cameroon" takes the one OIM column left: OIM-Cameroun
    assert f.code == "workbook_agency_mismatch" and f.severity == "error"
    assert f.locator == f"{SHEET}!{w.agency_cols['OIM-RCA']}{w.cells['grand_total'][1:]}"
    assert "« IOM RCA »" in f.message["fr"] and "colonne « OIM-RCA »" in f.message["fr"]
    assert f.figures["workbook"] == 1507352 and f.figures["cover"] == 1500000
    assert blocks_text(secs["budget_by_recipient"])[f.start : f.end] == "$ 1500000.00"


def test_an_agency_of_the_cover_missing_from_the_workbook():
    _w, b = wb()
    secs = cover(
        rows=[
            ["ONUDC-ROSEN", "$ 973520.00"],
            ["OIM-RCA", "$ 1507352.00"],
            ["OIM-Cameroun", "$ 621926.00"],
            ["PNUD", "$ 10000.00"],
            ["Total", "$ 3112798.00"],
        ]
    )
    found = run(secs, b)
    assert sorted(codes(found)) == ["workbook_agency_unmatched", "workbook_total_mismatch"]
    [u] = [f for f in found if f.code == "workbook_agency_unmatched"]
    assert u.severity == "info" and "« PNUD »" in u.message["fr"]


def test_gewe_allocation_against_the_cover():
    w, b = wb(gewe="percent", gewe_share=Decimal("0.30"))
    [f] = run(cover(), b)
    assert (
        f.code == "workbook_gewe_mismatch"
        and f.severity == "warning"
        and f.section == "gewe_budget_allocated"
    )
    assert f.figures["how"] == "percent" and f.locator.startswith(f"{SHEET}!G")
    assert "lignes × pourcentage" in f.message["fr"] and "lines × percentage" in f.message["en"]
    assert f.quote == "$1 245 996,00"


def test_small_rounding_of_a_computed_gewe_is_tolerated():
    _w, b = wb(gewe="row", gewe_total=Decimal("1245990.00"))  # 6 dollars off: 0.0005 %
    assert run(cover(), b) == []


@pytest.mark.parametrize(
    "rate,expect",
    [("17%", []), ("20 %", []), ("25%", ["workbook_spent_rate"]), ("5%", ["workbook_spent_rate"])],
)
def test_spent_to_date_against_the_implementation_rate(rate, expect):
    _w, b = wb()
    found = run(cover(rate=rate), b)
    assert codes(found) == expect
    if found:
        f = found[0]
        assert f.section == "implementation_rate" and f.locator == f"{SHEET}!{_w.cells['spent_total']}"
        assert (
            f.figures["computed_rate"] == 17.0
            and "17,0\u00a0%" in f.message["fr"]
            and "17.0%" in f.message["en"]
        )


def test_sums_inside_the_workbook():
    w, b = wb(mismatch={"output": "1.1"})
    found = run(cover(), b)
    sums = [f for f in found if f.code == "workbook_sum_mismatch"]
    [f] = sums
    assert f.locator == f"{SHEET}!{w.cells['output_total:1.1']}" and f.severity == "error"
    assert "Total produit 1.1" in f.message["fr"] and "somme des lignes" in f.message["fr"]
    assert f"{SHEET}!C7:C9" in f.message["en"] and "difference +$500.00" in f.message["en"]
    assert "colonne « ONUDC-ROSEN »" in f.message["fr"]


def test_a_wrong_line_total_is_one_finding_not_one_per_total_above_it():
    w, b = wb(mismatch={"row": "1.1.1"})
    [f] = run(cover(), b)
    assert f.code == "workbook_sum_mismatch" and f.locator == f"{SHEET}!{w.cells['row_total:1.1.1']}"
    assert "somme des agences" in f.message["fr"] and f"{SHEET}!C7:E7" in f.message["fr"]


def test_many_sum_errors_are_capped():
    _w, b = wb(mismatch={"output": "1.1", "grand": Decimal(7)})
    found = run_checks(
        T,
        VersionInput(sections=cover(), workbook=b),
        checks=[{"name": "budget_workbook", "params": {"max_sum_findings": 1}}],
        strict=True,
    )
    sums = [f for f in found if f.code == "workbook_sum_mismatch"]
    assert len(sums) == 2 and "1 autre(s)" in sums[1].message["fr"]


def test_formulas_without_cached_values_are_reported_and_the_lines_still_compared():
    _w, b = wb(formulas="uncached")
    found = run(cover(), b)
    assert codes(found) == ["workbook_formula_no_cache"]
    assert found[0].locator.startswith(SHEET)


def test_no_budget_table():
    from tests.helpers.budget_xlsx import grid_workbook

    b = read_budget(grid_workbook([["Nom", "Prénom"], ["Awa", "Ndiaye"]]), T)
    [f] = run(cover(), b)
    assert f.code == "workbook_no_table" and "Budget" in f.message["fr"]


def test_english_workbook_against_a_french_cover():
    _w, b = wb(lang="en", merged=False, header_row=1)
    assert run(cover(), b) == []


def test_the_seed_report_with_its_workbook(tmp_path):
    """On the seed, a workbook with the cover's figures adds no finding; a wrong one adds its
    mismatches only."""
    from tests.helpers import seed_sections as seed

    if seed.missing_reason():
        pytest.skip(seed.missing_reason())
    vi = seed.load_seed()
    base = run_checks(T, vi, strict=True)
    _w, b = wb()
    import dataclasses

    same = run_checks(T, dataclasses.replace(vi, workbook=b), strict=True)
    assert [f.fingerprint for f in same] == [f.fingerprint for f in base]
    _w, wrong = wb(mismatch={"grand": Decimal(1000)})
    extra = [
        f
        for f in run_checks(T, dataclasses.replace(vi, workbook=wrong), strict=True)
        if f.code.startswith("workbook_")
    ]
    assert sorted(codes(extra)) == [
        "workbook_sum_mismatch",
        "workbook_tables_disagree",
        "workbook_total_mismatch",
    ]
    missing = run_checks(T, dataclasses.replace(vi, workbook_attached=False), strict=True)
    assert [f.code for f in missing if f.code.startswith("workbook")] == ["workbook_missing"]
