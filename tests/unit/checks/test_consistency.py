from datetime import date

import pytest

from tests.helpers.checks import RF_HEADER_EN, quoted, rf, run, sections

RF_FR = rf([
    ["Résultat 1 : Des réponses plus efficaces à la traite des personnes", "Indicateur 1.1 # d'initiatives politiques",
     "0", "3", "1", "0", ""],
    ["Produit 1.2 ...", "Indicateur 1.2.1 # de réunions, ateliers et visites sur la traite des personnes",
     "0", "6", "3", "0", "Consultant en cours de recrutement."],
    ["Produit 1.3 ...", "Indicateur 1.3.1 # de réunions du Bureau de Coordination sur la traite des personnes",
     "0", "6", "1", "3 (RCA)", ""],
    ["", "Indicateur 1.3.2. # de participants aux réunions", "0", "60", "20", "23", "Pas de retard."],
    ["", "Indicateur 1.3.3 # de participants de visite d'échange sur la traite des personnes", "0", "25", "12", "0", ""],
    ["", "Indicateur 1.3.4 # de comités sur la traite des personnes", "0", "3", "3", "0", ""],
])

NARR_FR = ("En RCA, le soutien au Bureau de coordination se poursuit. L'équipe du projet a soutenu l'organisation "
           "de trois (3) réunions des points focaux de la traite des personnes (un point focal par ministère), avec "
           "pour un total de 45 participants (26 femmes et 19 hommes).")


def test_narrative_contradicts_table_fr_seed_style():
    secs = {"results_framework": RF_FR, **sections(outcome_1__progress_summary=NARR_FR)}
    [f] = run(["narrative_table_consistency"], secs)
    assert f.code == "narrative_table_mismatch" and f.severity == "warning"
    assert f.locator == "1.3.2/current" and f.figures == {"narrative": 45, "table": 23, "indicator": "1.3.2"}
    assert quoted(f, secs) == "45 participants"
    assert "« 45 participants »" in f.message["fr"] and "45 ≠ 23" in f.message["fr"] and "« 23 »" in f.message["fr"]


def test_narrative_contradicts_table_en():
    table = rf([
        ["Outcome 1: Better responses to trafficking in persons", "Indicator 1.1 # of policy initiatives", "0", "3", "1", "0", ""],
        ["Output 1.3 ...", "Indicator 1.3.1 # of meetings of the coordination bureau", "0", "6", "1", "3", ""],
        ["", "Indicator 1.3.2 # of participants in the meetings", "0", "60", "20", "23", ""],
    ], header=RF_HEADER_EN)
    text = ("The project supported three (3) meetings of the trafficking focal points, with a total of "
            "45 participants (26 women and 19 men).")
    secs = {"results_framework": table, **sections(outcome_1__progress_summary=text)}
    [f] = run(["narrative_table_consistency"], secs)
    assert f.figures["indicator"] == "1.3.2" and "45 ≠ 23" in f.message["en"]


def test_explicit_indicator_reference():
    text = "Pour l'indicateur 1.3.4, 2 comités ont été mis en place à Bertoua."
    secs = {"results_framework": RF_FR, **sections(outcome_1__progress_summary=text)}
    [f] = run(["narrative_table_consistency"], secs)
    assert f.figures == {"narrative": 2, "table": 0, "indicator": "1.3.4"}


@pytest.mark.parametrize("text", [
    # same figure as the table
    "L'équipe a organisé 3 réunions du Bureau de coordination à Bangui.",
    # a smaller figure is a part of the total (one meeting among several)
    "La dernière réunion a réuni 12 participants (5 femmes et 7 hommes).",
    # only generic words in common ("traite", "personnes"): no tie to any indicator
    "Le projet a formé 45 participants sur la traite des personnes (20 femmes et 25 hommes).",
    # another outcome's narrative is not compared with outcome 1's indicators: see below
])
def test_no_mismatch(text):
    secs = {"results_framework": RF_FR, **sections(outcome_1__progress_summary=text)}
    assert run(["narrative_table_consistency"], secs) == []


def test_other_outcome_not_compared_and_total_marker_flags_smaller_figure():
    secs = {"results_framework": RF_FR, **sections(outcome_2__progress_summary=NARR_FR)}
    assert run(["narrative_table_consistency"], secs) == []
    text = "Au total, 12 participants ont pris part aux réunions (5 femmes et 7 hommes)."
    secs = {"results_framework": RF_FR, **sections(outcome_1__progress_summary=text)}
    [f] = run(["narrative_table_consistency"], secs)
    assert f.figures["narrative"] == 12 and f.figures["table"] == 23


# --------------------------------------------------------------------------- percentages
@pytest.mark.parametrize("text,quote", [
    ("Ainsi, 83% des participants formés se disent prêts à appliquer les leçons apprises.", "83% des participants formés"),
    ("Les participants ont montré une augmentation de 36 % de leur compréhension.", "36 % de leur compréhension"),
    ("Thus, 83% of trained participants say they are ready to apply the lessons.", "83% of trained participants"),
])
def test_percent_without_base(text, quote):
    secs = sections(outcome_3__progress_summary=text)
    [f] = run(["percent_base"], secs)
    assert f.code == "percent_without_base" and f.severity == "warning"
    assert quoted(f, secs).startswith(quote)
    assert "de combien" in f.message["fr"] and "of how many" in f.message["en"]


@pytest.mark.parametrize("text", [
    "45% des 120 participants ont réussi le post-test.",
    "Sur 200 personnes interrogées, 62 % se disent rassurées.",
    "62 % des répondants (n = 150) se disent rassurés.",
    "3 personnes ont bénéficié de l'assistance directe, soit 7.5% de l'objectif total visé.",
    "Le taux de mise en œuvre est de 17% du budget total.",
    "40% du budget est alloué aux activités pour l'égalité des sexes.",
    "Out of 200 respondents, 62% feel safer.",
    "La moyenne est passée de 2,36/10 à 6,70/10 en 2021.",
])
def test_percent_with_base_or_budget(text):
    assert run(["percent_base"], sections(outcome_3__progress_summary=text)) == []


# --------------------------------------------------------------------------- reasons column
def test_reasons_column():
    secs = {"results_framework": rf([
        ["Produit 1.3", "Indicateur 1.3.1 # de réunions", "0", "6", "1", "3 (RCA)", "Pas de retard – mise en œuvre continue."],
        ["", "Indicateur 1.3.5 # de procédures", "0", "1", "1", "0", "Pas de retard. Prévu aux trimestres 3-5."],
        ["", "Indicateur 1.3.6 # de visites", "0", "2", "1", "0", ""],
        ["", "Indicateur 1.3.7 % de satisfaits", "0%", "70%", "35%", "20%", "   "],
        ["", "Indicateur 1.3.8 # de formations", "0", "6", "1", "3 (RCA)", ""],
        ["", "Indicator 1.3.9 # of trainings", "0", "6", "2", "2", "No delay."],
        ["", "Indicateur 1.3.10 # de comités", "0", "3", "TBD", "0", ""],
        ["", "Indicateur 1.3.11 # de séances", "0", "5", "2", "1", "Report dû à l'insécurité."],
    ])}
    out = run(["reasons_column"], secs)
    got = [(f.code, f.locator, f.severity) for f in out]
    assert got == [("reasons_without_variance", "1.3.1/reasons", "info"),
                   ("reasons_without_variance", "1.3.5/reasons", "info"),
                   ("reasons_missing", "1.3.6/reasons", "warning"),
                   ("reasons_missing", "1.3.7/reasons", "warning"),
                   ("reasons_without_variance", "1.3.9/reasons", "info")]
    assert "Pas de retard" in out[0].message["fr"] and "Attention" not in out[0].message["fr"]
    assert "inférieure à l'étape (1)" in out[1].message["fr"] and out[1].figures["behind"]
    assert "0 < 1" in out[2].message["fr"] and "20 < 35" in out[3].message["fr"]
    assert "No delay" in out[4].message["en"]


# --------------------------------------------------------------------------- numbering
def test_indicator_numbering_gap_wrong_parent_and_duplicate():
    secs = {"results_framework": rf([
        ["Résultat 2 : ...", "Indicateur 2.1 # de lois", "0", "2", "1", "0", ""],
        ["", "Indicateur 2.3 # d'enquêtes", "0", "2", "1", "0", ""],
        ["Produit 2.1 ...", "Indicateur 2.1.1 # d'évaluations", "0", "1", "1", "1", ""],
        ["Produit 2.2 ...", "Indicateur 2.1.2 # d'amendements", "0", "1", "1", "0", ""],
        ["", "Indicateur 2.2.1 # de formations", "0", "1", "1", "0", ""],
        ["", "Indicateur 2.2.1 # de formés", "0", "1", "1", "0", ""],
        ["Produit 2.4 ...", "Indicateur 2.4.1 # de cas", "0", "1", "1", "0", ""],
    ])}
    out = run(["indicator_numbering"], secs)
    got = sorted((f.severity, f.figures.get("missing") or f.figures.get("id")) for f in out)
    assert got == [("info", ["1"]), ("info", ["2.2"]), ("info", ["2.3"]), ("warning", "2.1.2"), ("warning", "2.2.1")]
    gap = next(f for f in out if f.figures.get("missing") == ["2.2"])
    assert "2.1, 2.3 — 2.2 manque" in gap.message["fr"] and quoted(gap, secs).startswith("Indicateur 2.3")
    wrong = next(f for f in out if f.figures.get("id") == "2.1.2")
    assert "2.2" in wrong.message["fr"] and "output 2.2" in wrong.message["en"]


def test_indicator_numbering_en_clean():
    secs = {"results_framework": rf([
        ["Outcome 1: ...", "Indicator 1.1 # of laws", "0", "2", "1", "0", ""],
        ["", "Indicator 1.2 # of cases", "0", "2", "1", "0", ""],
        ["Output 1.1 ...", "Indicator 1.1.1 # of assessments", "0", "1", "1", "1", ""],
    ], header=RF_HEADER_EN)}
    assert run(["indicator_numbering"], secs) == []


# --------------------------------------------------------------------------- dates
def test_date_before_first_transfer():
    text = ("Une autre réunion a également eu lieu en juillet 2020 pour préparer la rédaction du projet de loi. "
            "La loi du 12 mai 2015 ne couvre que la répression. Un atelier s'est tenu le 21/06/2021. "
            "A meeting took place on 3 January 2021. La loi adoptée en décembre 2020 sera révisée.")
    secs = sections(outcome_1__progress_summary=text)
    out = run(["dates"], secs, first_transfer_date=date(2021, 2, 12))
    assert [quoted(f, secs) for f in out] == ["juillet 2020", "3 January 2021"]
    assert out[0].figures["date"] == "2020-07-31" and "12/02/2021" in out[0].message["fr"]
    assert run(["dates"], secs) == []               # no first transfer date: nothing to compare


DEMO_RF = rf([
    ["Résultat 1 : Les communautés gèrent pacifiquement les conflits liés à la transhumance.", "", "", "", "", "", ""],
    ["", "Indicateur 1.2 : Nombre de différends réglés à l'amiable par les comités", "TBD", "100", "30",
     "27 différends réglés sur 34", "Pas de retard"],
])


def test_a_count_of_other_things_in_the_same_sentence_is_not_a_contradiction():
    """The demo's "34 différends ont été portés devant eux …, dont 27 ont été réglés à l'amiable":
    34 disputes were brought, 27 of them settled; the table says "27 … sur 34". No finding."""
    text = ("Les 20 comités locaux mis en place sont fonctionnels : 34 différends ont été portés devant eux "
            "depuis mars, dont 27 ont été réglés à l'amiable.")
    secs = {"results_framework": DEMO_RF, **sections(outcome_1__progress_summary=text)}
    assert run(["narrative_table_consistency"], secs) == []


def test_the_words_that_tie_a_count_to_an_indicator_are_printed_as_written():
    text = "Au total, 40 différends ont été réglés à l'amiable par les comités."
    secs = {"results_framework": DEMO_RF, **sections(outcome_1__progress_summary=text)}
    [f] = run(["narrative_table_consistency"], secs)
    assert f.figures == {"narrative": 40, "table": 27, "indicator": "1.2"}
    assert "(Rapprochement : comités, l'amiable, réglés.)" in f.message["fr"]
    assert "comite" not in f.message["fr"] and "regle" not in f.message["en"]
