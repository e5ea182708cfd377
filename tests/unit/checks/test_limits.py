from reviewflow.content import blocks_text, table_block
from tests.helpers.checks import by_code, rf, run, sections

SENT_FR = "L'équipe du projet a organisé trois réunions du comité national à Bangui. "
SENT_EN = "The project team organised three meetings of the national committee in Bangui. "


def test_over_limit_fr_counts_with_and_without_spaces():
    text = (SENT_FR * 25).strip()                      # > 1500 with spaces
    secs = sections(implementation_status=text)
    [f] = run(["char_limit"], secs)
    assert f.code == "char_limit" and f.severity == "error" and f.section == "implementation_status"
    assert f.figures["count"] == len(text) and f.figures["limit"] == 1500
    assert f.figures["count_no_spaces"] == sum(1 for c in text if not c.isspace())
    assert f.figures["excess"] == len(text) - 1500
    assert f"{len(text) - 1500}" in f.message["en"]
    assert "1\u00a0500" in f.message["fr"] and "espaces compris" in f.message["fr"]
    # the highlighted part starts at the first character beyond the limit
    assert f.start == 1500 and f.end == len(text)


def test_over_limit_en_in_an_outcome_summary():
    text = "\n".join([SENT_EN.strip()] * 40)               # 40 paragraphs
    secs = sections(outcome_2__progress_summary=text)
    [f] = run(["char_limit"], secs)
    assert f.section == "outcome_2.progress_summary" and f.figures["limit"] == 3000
    # paragraph breaks are not counted (Word does not count paragraph marks)
    assert f.figures["count"] == len(text) - 39
    assert "Outcome 2: progress summary" in f.message["en"]


def test_at_limit_and_spaces_counted():
    secs = sections(upcoming_events="a" * 1000)
    assert run(["char_limit"], secs) == []
    # NBSP and tabs count like spaces; 1000 letters + 1 NBSP is over
    secs = sections(upcoming_events="a" * 500 + "\u00a0" + "a" * 500)
    [f] = run(["char_limit"], secs)
    assert f.figures == {"count": 1001, "count_no_spaces": 1000, "limit": 1000, "excess": 1}


def test_without_spaces_under_but_with_spaces_over_is_an_error():
    words = ("mot " * 300).strip()                      # 1199 with spaces, 900 without
    secs = sections(upcoming_events=words)
    [f] = run(["char_limit"], secs)
    assert f.figures["count_no_spaces"] < 1000 < f.figures["count"]


def test_cell_limit_on_results_framework():
    long_reasons = "Le consultant chargé de l'étude est en cours de recrutement. " * 6      # ~ 370
    long_indicator = "Indicateur 2.1\n# de cadres juridiques " + "conformes à la Convention " * 12
    secs = {"results_framework": rf([
        ["Résultat 2 : Les autorités poursuivent", long_indicator, "0", "2", "1", "0", long_reasons],
        ["", "Indicateur 2.2 # d'enquêtes", "0", "5", "2", "0", "Court."],
    ])}
    out = run(["cell_limit"], secs)
    assert [(f.locator, f.severity) for f in out] == [("2.1/indicator", "info"), ("2.1/reasons", "warning")]
    f = out[1]
    text = blocks_text(secs["results_framework"])
    cell_start = text.index(long_reasons.strip()[:40])
    assert f.start == cell_start + 300 and text[f.start - 1:f.end].startswith(long_reasons[299])
    assert f.figures["limit"] == 300 and "300" in f.message["fr"] and "Raisons" in f.message["fr"]


def test_cell_limit_en_table():
    from tests.helpers.checks import RF_HEADER_EN
    reasons = "The consultant in charge of the criminal justice assessment is still being recruited. " * 4
    secs = {"results_framework": rf([["Outcome 2: Courts try cases", "Indicator 2.1 # of cases tried", "0", "10",
                                      "4", "2", reasons]], header=RF_HEADER_EN)}
    [f] = run(["cell_limit"], secs)
    assert f.locator == "2.1/reasons" and f.severity == "warning"
    assert "Reasons for Variance" in f.message["en"] and "300 max per entry" in f.message["en"]


def test_cell_limit_on_a_generic_table_field():
    import json

    from reviewflow.checks import VersionInput, run_checks
    from reviewflow.report_templates import Template
    from tests.helpers.checks import TEMPLATE
    data = json.loads(json.dumps(TEMPLATE.data))
    for p in data["parts"]:
        for fd in p.get("fields", ()):
            if fd["id"] == "catalytic_financial":
                fd["cell_limit"] = 20
    t = Template(data)
    secs = {"catalytic_financial": [table_block(["funder", "amount_usd"],
                                                [["Fondation pour la paix en Afrique centrale", "$ 12 000"]])]}
    [f] = run_checks(t, VersionInput(sections=secs), checks=["cell_limit"], strict=True)
    assert f.locator == "row1/col1" and f.figures["count"] == 42


def test_empty_sections_no_finding():
    assert by_code(run(["char_limit", "cell_limit"], {}), "char_limit") == []
