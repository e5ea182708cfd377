import pytest

from reviewflow.checks.people import breakdowns, people_counts
from tests.helpers.checks import quoted, rf, run, sections


# --------------------------------------------------------------------------- breakdown_sum
@pytest.mark.parametrize("text,total,parts", [
    ("Les 25 et 26 mars 2021, l'OIM a formé 58 fonctionnaires (18 femmes/32 hommes) des ministères.", 58, [18, 32]),
    ("On 25-26 March 2021, IOM trained 58 civil servants (18 women/32 men) from the ministries.", 58, [18, 32]),
    ("Le projet a assisté 3 (1 femme / 3 hommes) victimes.", 3, [1, 3]),
    ("The project assisted 3 (1 woman / 3 men) survivors.", 3, [1, 3]),
    ("La session a réuni 30 participants (12 F / 19 H).", 30, [12, 19]),
    ("La session a réuni 48 participants, dont 21 hommes et 25 femmes.", 48, [21, 25]),
    ("The session brought together 48 participants, including 21 men and 25 women.", 48, [21, 25]),
    ("Au total, 245 agents ministériels (172 hommes et 70 femmes) ont été sensibilisés.", 245, [172, 70]),
    ("In Q3 2021, 1,250 people (640 women and 600 men) took part in 25 dialogues.", 1250, [640, 600]),
    ("Au total, 1 250 personnes (640 femmes et 600 hommes) ont participé.", 1250, [640, 600]),
])
def test_breakdowns_that_do_not_add_up(text, total, parts):
    secs = sections(outcome_3__progress_summary=text)
    [f] = run(["breakdown_sum"], secs)
    assert f.severity == "warning" and f.figures["total"] == total and f.figures["parts"] == parts
    assert f.figures["sum"] == sum(parts)
    q = quoted(f, secs)
    assert q.replace(",", "").replace(" ", "").startswith(str(total)) and q == f.quote
    fr = [f"{p:,}".replace(",", "\u00a0") for p in parts + [sum(parts), total]]
    assert f"{' + '.join(fr[:-2])} = {fr[-2]} ≠ {fr[-1]}" in f.message["fr"]
    assert f"≠ {total:,}" in f.message["en"]


@pytest.mark.parametrize("text", [
    "Le projet a formé 34 journalistes (9 femmes / 25 hommes) les 17 et 18 mars 2021.",
    "89 lycéens (filles 47 / garçons 42) ont participé le 17 mai 2021.",
    "La journée a réuni 48 participants, dont 21 hommes et 27 femmes.",
    "126 : 34 femmes et 92 hommes (RCA)",
    "120 participants dont 45 femmes ont été formés.",                              # partial: fine
    "100 personnes (60 femmes dont 20 jeunes filles, 40 hommes) ont été formées.",  # sub-part after "dont"
    "The project trained 45 participants (26 women and 19 men) in 2021.",
    "30 participants (12 women, 10 men, 5 girls and 3 boys)",
    "Indicateur 2 (RCA) : 2 (RCA) et 6 (RCA 4 / CMR 2)",                             # not a sex breakdown
    "Le projet a organisé 3 sessions (12 femmes et 15 hommes au total).",            # sessions are not people
    "En 2021 (45 femmes et 30 hommes ont participé).",                               # a year is not a total
    "Le 17 mai 2021 (journée IDAHOBIT), 27 personnes (2 femmes / 25 hommes) ont été sensibilisées.",
    "Entre janvier et juin 2021, 12 ateliers ont réuni 340 participants (150 femmes, 190 hommes), dont 120 jeunes.",
    "Le décret n° 2019-045 du 12 mars 2019 crée le Bureau ; 6 membres (2 femmes, 4 hommes) y siègent.",
    "In Q3 2021, 1,250 people (640 women and 610 men) took part in 25 dialogues.",
])
def test_breakdown_traps_and_correct_sums(text):
    assert run(["breakdown_sum"], sections(outcome_1__progress_summary=text)) == []


def test_one_sex_parts_exceeding_total_in_results_framework():
    secs = {"results_framework": rf([
        ["Résultat 3 : ...", "Indicateur 3.2 # de victimes (sexe, âge) identifiées", "0", "40 (33 femmes / 7 hommes)",
         "5", "2 (RCA : 11 femme et 1 fille)", ""],
        ["", "Indicateur 3.3 # de cas signalés", "0", "6", "2", "1 fille (RCA)", ""],
        ["", "Indicator 3.4 # of survivors assisted", "0", "40 (33 women / 9 men)", "5", "3 (1 woman / 2 men)", ""],
    ])}
    out = run(["breakdown_sum"], secs)
    assert [(f.locator, f.figures["sum"], f.figures["complete"]) for f in out] == [
        ("3.2/current", 12, False), ("3.4/target", 42, True)]
    assert "12 > 2" in out[0].message["fr"] and "dépasse" in out[0].message["fr"]
    assert quoted(out[0], secs) == "2 (RCA : 11 femme et 1 fille)"


def test_breakdowns_helper_returns_parts():
    [bd] = breakdowns("58 fonctionnaires (18 femmes/32 hommes)")
    assert bd.total == 58 and [p[:2] for p in bd.parts] == [(18, "F"), (32, "M")] and bd.complete


# --------------------------------------------------------------------------- disaggregation
def test_disaggregation_in_results_framework_current_column():
    secs = {"results_framework": rf([
        ["Produit 1.3 ...", "Indicateur 1.3.2. # de participants aux réunions", "0", "60", "20", "23", "Pas de retard."],
        ["", "Indicateur 1.3.3 # de comités préfectoraux établis", "0", "3", "3", "2", ""],
        ["", "Indicateur 1.3.4 # de membres de comité", "0", "30", "15", "0", ""],
        ["", "Indicateur 1.3.5 % de participants formés qui appliquent le contenu", "0%", "70%", "70%", "83%", ""],
        ["", "Indicateur 1.3.6 # de victimes (sexe, âge) identifiées", "0", "40", "5", "1000 (RCA)", ""],
        ["", "Indicateur 1.3.7 # de participants pour les formations", "0", "90", "30",
         "126 : 34 femmes et 92 hommes (RCA)", ""],
        ["", "Indicateur 1.3.8 # de femmes leaders formées", "0", "30", "15", "12", ""],
        ["", "Indicator 1.3.9 Number of people reached by radio programmes", "0", "2000", "1000", "1500", ""],
        ["", "Indicator 1.3.10 # of judges trained", "0", "40", "20", "25 (10 women / 15 men)", ""],
    ])}
    out = run(["disaggregation"], secs)
    assert [f.locator for f in out] == ["1.3.2/current", "1.3.5/current", "1.3.6/current", "1.3.9/current"]
    assert all(f.code == "disaggregation_missing" and f.severity == "warning" for f in out)
    assert quoted(out[0], secs) == "23" and "« 23 »" in out[0].message["fr"]
    assert out[1].figures["percent"] is True


def test_disaggregation_in_narrative_fr_en():
    text = ("En 2021, l'équipe a réuni les 45 points focaux du Comité national.\n"
            "In 2021, the team trained 34 journalists from public and private media.\n"
            "Le projet a formé 42 fonctionnaires (7 femmes et 35 hommes).\n"
            "The project trained 27 child-protection actors, 9 of them women.\n"
            "3 personnes ont bénéficié de l'assistance directe.")
    secs = sections(outcome_2__progress_summary=text)
    out = run(["disaggregation"], secs)
    assert [quoted(f, secs) for f in out] == ["45 points focaux", "34 journalists", "3 personnes"]
    assert out[0].figures == {"count": 45, "noun": "point focal"}


@pytest.mark.parametrize("text", [
    "En 2021, 3 sessions de formation ont eu lieu à Bangui.",            # sessions are not people
    "L'indicateur 1.2 porte sur 2 (RCA) comités.",
    "Conformément à l'article 5 de la loi, la traite est punie.",
    "Appelez le +236 72 12 34 56 pour signaler un cas.",
    "Le projet a reçu $ 45 000 pour 2022.",
    "45% des 120 participants ont réussi le post-test (60 femmes et 60 hommes).",
    "Les 13 et 14 juillet 2021, l'équipe a rencontré un journaliste.",
    "The 2021 report was validated on 17 May 2021.",
    "Le 4ème vice-président et 2 femmes ministres étaient présents.",
    "45 personnes ont été sensibilisées sur les droits de l'homme (20 femmes, 25 hommes).",
])
def test_disaggregation_traps(text):
    assert run(["disaggregation"], sections(outcome_1__progress_summary=text)) == []


def test_year_is_not_people_but_next_count_is():
    text = "En 2021, 45 participants ont assisté aux réunions."
    secs = sections(outcome_1__progress_summary=text)
    [f] = run(["disaggregation"], secs)
    assert quoted(f, secs) == "45 participants" and f.figures["count"] == 45
    assert [p.value for p in people_counts(text)] == [45]
