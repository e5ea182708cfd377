from reviewflow.checks.acronyms import definitions
from tests.helpers.checks import quoted, rf, sections


def _acr(secs, **params):
    from reviewflow.checks import VersionInput, run_checks
    from tests.helpers.checks import TEMPLATE
    checks = [{"name": "acronyms", "params": params}] if params else ["acronyms"]
    return run_checks(TEMPLATE, VersionInput(sections=secs), checks=checks, strict=True)


def test_undefined_acronyms_fr_reported_once_at_first_use():
    secs = sections(
        implementation_status="Malgré le retard, l'ONUDC a commencé ses activités. L'OIM a recruté deux agents.",
        outcome_3__progress_summary=("Formation des cadres du ministère chargé du DDRR. Dotation à l'UMIRR. "
                                     "L'ONUDC a formé 12 agents (4 femmes et 8 hommes)."))
    out = _acr(secs)
    assert [(f.quote, f.section, f.figures["uses"]) for f in out] == [
        ("ONUDC", "implementation_status", 2), ("OIM", "implementation_status", 1),
        ("DDRR", "outcome_3.progress_summary", 1), ("UMIRR", "outcome_3.progress_summary", 1)]
    assert quoted(out[0], secs) == "ONUDC" and out[0].severity == "warning"
    assert "« ONUDC » n'est développé nulle part" in out[0].message["fr"] and "2 fois" in out[0].message["fr"]


def test_definitions_anywhere_count_including_cover_and_both_orders():
    secs = sections(
        country="République centrafricaine (RCA) et Cameroun",
        human_impact=("Les personnes de diverses orientations sexuelles, identités et expressions de genre et "
                      "caractéristiques sexuelles (SOGIESC) sont plus vulnérables. PBSO (Bureau d'Appui à la "
                      "Consolidation de la Paix) a été informé."),
        other="En RCA, le PBSO et les associations SOGIESC ont été consultés.",
        outcome_1__progress_summary=("The United Nations Office on Drugs and Crime (UNODC) trained judges. "
                                     "UNODC also supported the IDAHOBIT day."))
    out = _acr(secs)
    assert [f.quote for f in out] == ["IDAHOBIT"]


def test_whitelist_headings_roman_numerals_and_placeholders_not_flagged():
    secs = sections(other=("Avec l'appui de l'ONU et du PBF, face à la COVID-19, des ONG ont reçu 100 USD. "
                           "Voir la Partie IV et la section II. EVALUER LES PROGRES DU PROJET. Date : TBD. "
                           "Au T3 (Q3), le projet GM2 a avancé."),
                    outcome_2__progress_summary="The UN and NGOs discussed HIV/AIDS with the EU.")
    assert _acr(secs) == []


def test_whitelist_is_configurable():
    secs = sections(other="L'OIM et l'ONUDC ont signé avec le HCR.")
    assert [f.quote for f in _acr(secs, extra_whitelist=["OIM"])] == ["ONUDC", "HCR"]
    assert [f.quote for f in _acr(secs, whitelist=["ONUDC", "HCR"])] == ["OIM"]


def test_results_framework_is_in_scope_but_cover_is_not():
    secs = {"results_framework": rf([["Résultat 3", "Indicateur 3.1.3 # de supports", "0", "7", "3",
                                      "4 (2 vidéos, 1 présentation PPT)", ""]]),
            **sections(report_prepared_by="Cassandre AMAH (OIM CAR)")}
    assert [f.quote for f in _acr(secs)] == ["PPT"]


def test_definitions_helper():
    assert definitions("Organisation internationale pour les migrations (OIM)") == {"OIM"}
    assert definitions("ONUDC (Agence coordinatrice)") == set()          # two words that are not a spell-out
    assert definitions("1000 (RCA)") == set()
    assert definitions("HCR (Haut-Commissariat des Nations unies pour les réfugiés)") == {"HCR"}
