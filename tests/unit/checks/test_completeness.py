from datetime import date

import pytest

from reviewflow.content import paragraph, table_block
from tests.helpers.checks import by_code, quoted, rf, run, sections


def _required(secs, **kw):
    return {f.section for f in by_code(run(["required"], secs, **kw), "required_empty")}


# --------------------------------------------------------------------------- required
def test_required_empty_blank_whitespace_and_placeholder_only():
    secs = sections(report_approved_by="   \t ", monitoring="TBD", human_impact="…",
                    report_prepared_by="Marion CLAIN (ONUDC)", implementation_status="Le projet avance.",
                    evaluation_budget="$      ")
    missing = _required(secs)
    assert {"report_approved_by", "monitoring", "human_impact", "evaluation_budget"} <= missing
    assert "report_prepared_by" not in missing and "implementation_status" not in missing
    f = next(f for f in run(["required"], secs) if f.section == "monitoring")
    assert f.severity == "error" and "TBD" in f.message["fr"] and f.figures["placeholder_only"]


def test_word_form_prompt_counts_as_empty():
    secs = sections(monitoring="Cliquez ou appuyez ici pour entrer du texte.",
                    human_impact="Click or tap here to enter text.")
    assert {"monitoring", "human_impact"} <= _required(secs)


def test_zero_and_none_are_answers():
    secs = sections(covid_monetary="$0", covid_nonmonetary="Néant.", evaluation_budget="0")
    missing = _required(secs)
    assert not {"covid_monetary", "covid_nonmonetary", "evaluation_budget"} & missing
    secs = sections(covid_monetary="USD 0", covid_nonmonetary="None.")
    assert not {"covid_monetary", "covid_nonmonetary"} & _required(secs)


def test_empty_covid_part_iv_fr_and_en():
    secs = sections(covid_monetary="", covid_nonmonetary="  ", covid_success_story="")
    out = [f for f in run(["required"], secs, year=2021) if f.section.startswith("covid")]
    assert {f.section for f in out} == {"covid_monetary", "covid_nonmonetary"}   # success story optional
    assert all("Néant" in f.message["fr"] and "None" in f.message["en"] for f in out)


def test_outcome_fields_required_for_each_outcome_present():
    secs = sections(outcome_1__progress_summary="Progrès.", outcome_2__progress_summary="Progress.")
    missing = _required(secs)
    assert {"outcome_1.rating", "outcome_2.rating", "outcome_2.gewe_youth"} <= missing
    assert "outcome_3.rating" not in missing


def test_required_tables():
    empty_budget = {"budget_by_recipient": [table_block(["org", "amount_usd"],
                                                        [["Agence récipiendaire", "Budget"], ["", "$"], ["Total", ""]])]}
    assert "budget_by_recipient" in _required(empty_budget)
    filled = {"budget_by_recipient": [table_block(["org", "amount_usd"], [["ONUDC", "$ 973520.00"]])]}
    assert "budget_by_recipient" not in _required(filled)


# --------------------------------------------------------------------------- conditional
STRUCT = "Le Président de la République s'est saisi de la question de la traite."


def test_structural_change_filled_early_is_info():
    secs = sections(structural_change=STRUCT)
    out = run(["conditional"], secs, report_type="annual", year=2021, end_date=date(2022, 8, 14))
    [f] = by_code(out, "conditional_field")
    assert f.severity == "info" and f.section == "structural_change"
    assert "six derniers mois" in f.message["fr"] and "last six months" in f.message["en"]


def test_structural_change_required_in_last_six_months_or_final():
    secs = sections(structural_change="")
    out = run(["conditional"], secs, report_type="annual", year=2021, end_date=date(2022, 3, 31))
    assert [f.section for f in by_code(out, "required_empty")] == ["structural_change", "evaluation_preparations"]
    out = run(["conditional"], secs, report_type="final", end_date=date(2022, 3, 31))
    # final report: structural change required; evaluation preparations only "in_last_six_months == yes",
    # which for a final report is computed from end_date == period end -> yes
    assert "structural_change" in {f.section for f in by_code(out, "required_empty")}


def test_answer_to_six_month_question_wins_and_mismatch_is_flagged():
    secs = sections(in_last_six_months="Oui", structural_change="")
    out = run(["conditional"], secs, report_type="semi_annual", year=2021, end_date=date(2022, 8, 14))
    assert by_code(out, "six_months_mismatch")[0].severity == "warning"
    assert "structural_change" in {f.section for f in by_code(out, "required_empty")}
    # English answer
    secs = sections(in_last_six_months="Yes", structural_change="The law was adopted.",
                    evaluation_preparations="The evaluator was recruited in October.")
    assert run(["conditional"], secs, report_type="annual", year=2021, end_date=date(2022, 3, 1)) == []
    # explicit field of the input beats the section
    out = run(["conditional"], secs, report_type="semi_annual", year=2021, in_last_six_months=False)
    assert not by_code(out, "required_empty")


def test_unknown_dates_no_conditional_finding():
    secs = sections(structural_change=STRUCT)
    assert run(["conditional"], secs) == []


def test_trust_fund_name_without_box():
    secs = sections(trust_fund_name="Fonds d'affectation spéciale régionale", trust_fund_type="|_| Pays\n|_| Régional")
    [f] = by_code(run(["conditional"], secs), "conditional_field")
    assert f.section == "trust_fund_name" and "case" in f.message["fr"]
    secs = sections(trust_fund_name="Fonds régional", trust_fund_type="☒ Fonds fiduciaire régional")
    assert run(["conditional"], secs) == []


# --------------------------------------------------------------------------- placeholders
@pytest.mark.parametrize("text,quote", [
    ("La date de l'atelier est TBD.", "TBD"),
    ("Montant : XX USD", "XX"),
    ("Les partenaires [...] ont signé.", "[...]"),
    ("Nom du consultant : [à compléter]", "[à compléter]"),
    ("Date de validation : à préciser", "à préciser"),
    ("Date de l'atelier : à préciser. Lieu : Bangui.", "à préciser"),
    ("À déterminer", "À déterminer"),
    ("The workshop date is to be confirmed (to be determined)", "to be determined"),
    ("Lorem ipsum dolor sit amet.", "Lorem ipsum"),
])
def test_placeholders_found(text, quote):
    secs = sections(other=text)
    out = run(["placeholders"], secs)
    assert quote in [quoted(f, secs) for f in out]
    assert all(f.severity == "warning" and f.code == "placeholder" for f in out)


@pytest.mark.parametrize("text", [
    "Le ministre a déclaré : « Nous lutterons [...] contre la traite. »",    # elision in a quotation
    "Les modalités de l'atelier restent à préciser avec le ministère.",      # prose, not a blank
    "Au XXe siècle, la traite était déjà réprimée.",
    "Voir la Partie IV et l'article XXI.",
    "The committee is still to be determined by the ministry next month, says the minister.",
])
def test_placeholders_traps(text):
    assert run(["placeholders"], sections(other=text)) == []


def test_placeholder_whole_cell_and_baseline_left_to_baselines():
    secs = {"results_framework": rf([
        ["Résultat 1 : ...", "Indicateur 1.2 augmentation de la confiance (par âge / sexe)", "TBD", "TBD", "…", "0%", ""],
    ])}
    out = run(["placeholders", "baselines"], secs)
    assert sorted((f.code, f.locator) for f in out) == [
        ("baseline_missing", "1.2/baseline"), ("placeholder", "1.2/milestone"), ("placeholder", "1.2/target")]
    out = run(["placeholders"], secs)      # without "baselines", the baseline TBD is a placeholder
    assert ("placeholder", "1.2/baseline") in [(f.code, f.locator) for f in out]


# --------------------------------------------------------------------------- baselines
def test_baselines_fr_en_and_values_that_pass():
    secs = {"results_framework": rf([
        ["Résultat 2 : ...", "Indicateur 2.1 # de lois", "0", "2", "1", "0", ""],
        ["", "Indicateur 2.3 # d'enquêtes ouvertes", "A déterminer au début du programme de formation", "50%", "25%", "0", ""],
        ["", "Indicateur 2.4 # de cas", "", "10", "5", "0", ""],
        ["", "Indicator 2.5 # of cases", "To be determined", "10", "5", "0", ""],
        ["", "Indicateur 2.6 # de nationaux", "NA", "10", "5", "0", ""],
        ["", "Indicateur 2.7 # de nationaux", "Nationale : 12", "10", "5", "0", ""],
        ["", "Indicateur 2.8 # de juges", "10 en RCA", "30", "15", "0", ""],
    ])}
    out = run(["baselines"], secs)
    assert [(f.locator, f.quote) for f in out] == [
        ("2.3/baseline", "A déterminer au début du programme de formation"), ("2.4/baseline", ""),
        ("2.5/baseline", "To be determined"), ("2.6/baseline", "NA")]
    assert quoted(out[0], secs) == "A déterminer au début du programme de formation"
    assert "vide" in out[1].message["fr"] and "empty" in out[1].message["en"]


def test_baselines_yes_answer_is_quoted():
    secs = {"results_framework": rf([["Résultat 1", "Indicateur 1.2 x", "TBD", "1", "1", "0", ""]]),
            "baselines_exist": [paragraph("Oui")]}
    [f] = run(["baselines"], secs)
    assert "Oui" in f.message["fr"] and f.figures["baselines_exist_answer"] == "yes"
