"""Rule R09: each outcome of Part II is the same outcome as in Part V."""

from tests.helpers.checks import RF_HEADER_EN, by_code, rf, run, sections

STATEMENT_1 = (
    "Des réponses plus efficaces à la traite des personnes, aux trafics illicites et à la criminalité "
    "organisée sont développées par les autorités"
)
STATEMENT_2 = "Les autorités douanières et judiciaires détectent et poursuivent la traite des personnes"


def _rf(s1=STATEMENT_1, s2=STATEMENT_2, header=None):
    rows = [
        [f"Résultat 1 : {s1}", "Indicateur 1.1 # d'initiatives", "0", "3", "1", "0", ""],
        [f"Résultat 2 : {s2}", "Indicateur 2.1 # de cas", "0", "10", "5", "2", ""],
    ]
    return rf(rows) if header is None else rf(rows, header)


def test_same_outcomes_give_nothing_even_with_a_label_a_typo_and_spacing():
    secs = {
        "results_framework": _rf(),
        **sections(
            outcome_1__statement="Résultat 1 : " + STATEMENT_1.replace("traite", "traitte") + ".",
            outcome_2__statement=STATEMENT_2.replace(" ", "  "),
        ),
    }
    assert run(["outcome_statements"], secs) == []


def test_statement_reworded_fr():
    secs = {
        "results_framework": _rf(),
        **sections(
            outcome_1__statement=STATEMENT_1,
            outcome_2__statement="Les communautés frontalières sont sensibilisées aux risques de la "
                                 "migration irrégulière",
        ),
    }
    [f] = run(["outcome_statements"], secs)
    assert (
        f.code == "outcome_statement_mismatch"
        and f.severity == "warning"
        and f.section == "outcome_2.statement"
    )
    assert "partie V « Les autorités douanières" in f.message["fr"] and f.figures["similarity"] < 0.8
    assert f.start == 0 and f.end == len(secs["outcome_2.statement"][0]["text"])


def test_statement_reworded_en():
    rows = [
        [
            "Outcome 1: Border officials detect trafficking cases",
            "Indicator 1.1 # of cases",
            "0",
            "3",
            "1",
            "0",
            "",
        ]
    ]
    secs = {
        "results_framework": rf(rows, RF_HEADER_EN),
        **sections(outcome_1__statement="Youth take part in local peace committees"),
    }
    [f] = run(["outcome_statements"], secs)
    assert "Part V \u201cBorder officials detect trafficking cases\u201d" in f.message["en"]


def test_outcome_of_part_ii_missing_from_part_v():
    secs = {
        "results_framework": _rf(),
        **sections(
            outcome_1__statement=STATEMENT_1,
            outcome_2__statement=STATEMENT_2,
            outcome_3__statement="Les victimes sont protégées",
        ),
    }
    [f] = run(["outcome_statements"], secs)
    assert f.code == "outcome_not_in_rf" and f.severity == "error" and f.section == "outcome_3.statement"
    assert "résultats 1, 2" in f.message["fr"]


def test_outcome_of_part_v_missing_from_part_ii():
    secs = {"results_framework": _rf(), **sections(outcome_1__statement=STATEMENT_1)}
    [f] = run(["outcome_statements"], secs)
    assert f.code == "outcome_not_in_part2" and f.section == "outcome_2.statement" and f.severity == "warning"


def test_traps_no_results_framework_or_outcome_rows():
    assert run(["outcome_statements"], sections(outcome_1__statement=STATEMENT_1)) == []
    rows = [["", "Indicateur 1.1 # d'initiatives", "0", "3", "1", "0", ""]]
    assert (
        run(["outcome_statements"], {"results_framework": rf(rows), **sections(outcome_1__statement="x y z")})
        == []
    )
    # a statement that is empty in Part II but whose outcome has a summary: left to ``required``
    secs = {
        "results_framework": _rf(),
        **sections(
            outcome_1__statement=STATEMENT_1, outcome_2__progress_summary="Des progrès ont été faits."
        ),
    }
    assert by_code(run(["outcome_statements"], secs), "outcome_not_in_part2") == []
