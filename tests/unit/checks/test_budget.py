from reviewflow.content import table_block
from tests.helpers.checks import by_code, run, sections


def _budget(rows, **texts):
    return {"budget_by_recipient": [table_block(["org", "amount_usd"], rows)], **sections(**texts)}


SEED_ROWS = [["ONUDC-ROSEN", "$ 973520.00"], ["OIM-RCA", "$ 1507352.00"], ["OIM-Cameroun", "$ 621926.00"],
             ["", "$"], ["Total", "$ 3102798.00"]]


def test_seed_budget_passes():
    secs = _budget(SEED_ROWS, gewe_budget_allocated="$1 245 996,00", gewe_budget_spent="$437 917.96",
                   implementation_rate="17%", gender_marker="GM2")
    assert run(["budget"], secs) == []


def test_budget_sum_error_fr_en():
    rows = [["ONUDC-ROSEN", "$ 973520.00"], ["OIM-RCA", "$1 507 352,00"], ["OIM-Cameroun", "$621,926.00"],
            ["Total:", "$ 3 100 000.00"]]
    [f] = run(["budget"], _budget(rows))
    assert f.code == "budget_sum" and f.severity == "error" and f.section == "budget_by_recipient"
    assert f.figures["sum"] == 3102798.0 and f.figures["total"] == 3100000.0
    assert "973\u00a0520,00\u00a0$ + 1\u00a0507\u00a0352,00\u00a0$ + 621\u00a0926,00\u00a0$ = 3\u00a0102\u00a0798,00\u00a0$" \
        in f.message["fr"]
    assert "≠ total $3,100,000.00 (difference $2,798.00)" in f.message["en"]


def test_total_in_one_cell():
    rows = [["ONUDC", "$ 100.00"], ["OIM", "$ 200.00"], ["Total: $ 350.00", ""]]
    [f] = by_code(run(["budget"], _budget(rows)), "budget_sum")
    assert f.figures["total"] == 350.0


def test_gewe_overspent_and_spend_rate_and_band():
    secs = _budget(SEED_ROWS, gewe_budget_allocated="$437 917.96", gewe_budget_spent="$1 245 996,00",
                   implementation_rate="17%", gender_marker="GM2")
    codes = {f.code: f for f in run(["budget"], secs)}
    assert codes["gewe_overspent"].severity == "error"
    assert "1\u00a0245\u00a0996,00\u00a0$ > budget genre alloué 437\u00a0917,96\u00a0$" in codes["gewe_overspent"].message["fr"]
    assert codes["gewe_spend_rate"].severity == "warning" and codes["gewe_spend_rate"].figures["rate"] == 17
    assert codes["gender_marker_band"].severity == "info"           # 14.1 % for GM2 (30-79 %)
    assert codes["gender_marker_band"].figures["share"] == 14.11


def test_evaluation_budget_share():
    secs = _budget(SEED_ROWS, evaluation_budget="15000.00\nCe budget fera l'objet d'une révision à la hausse.")
    [f] = run(["budget"], secs)
    assert f.code == "evaluation_budget_low" and f.severity == "warning" and f.figures["share"] == 0.48
    assert "0,48 %" in f.message["fr"] and "0.48%" in f.message["en"]
    assert run(["budget"], _budget(SEED_ROWS, evaluation_budget="$ 160 000")) == []


def test_unreadable_money_is_info():
    secs = sections(evaluation_budget="environ 15 000 dollars ou 20 000")
    [f] = run(["budget"], secs)
    assert f.code == "money_format" and f.severity == "info"
