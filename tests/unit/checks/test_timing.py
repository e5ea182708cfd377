"""Vague timing a reviewer answers with "Donc quand ?"."""

import pytest

from reviewflow.checks.timing import vague_spans
from tests.helpers.checks import quoted, rf, run, sections


@pytest.mark.parametrize(
    "text,quote",
    [
        ("Les formations débuteront prochainement dans les deux pays.", "prochainement"),
        ("L'étude sera validée dans les prochains mois.", "dans les prochains mois"),
        (
            "Les formations débuteront dans les semaines à venir et permettront de référer des victimes.",
            "dans les semaines à venir",
        ),
        ("Le rapport sera partagé ultérieurement avec les partenaires.", "ultérieurement"),
        ("Les équipes seront déployées bientôt à Bouar.", "bientôt"),
        ("Les signalements augmenteront au cours des prochains mois.", "au cours des prochains mois"),
        ("The training will start soon in both countries.", "soon"),
        ("The survey will be conducted in the coming months.", "in the coming months"),
        ("Results will be shared at a later date.", "at a later date"),
        ("The committees will be set up in the near future.", "in the near future"),
    ],
)
def test_vague_phrases_fr_en(text, quote):
    secs = sections(upcoming_events=text)
    [f] = run(["vague_timing"], secs)
    assert f.code == "vague_timing" and f.severity == "warning" and quoted(f, secs) == quote == f.quote
    assert "Donc quand" in f.message["fr"] and "so when" in f.message["en"]


@pytest.mark.parametrize(
    "text",
    [
        "Les formations débuteront prochainement, en mars 2022.",
        "La validation aura lieu dans les prochains mois, d'ici la fin de l'année.",
        "The training will start soon, in Q1 2022.",
        "Les ateliers se tiendront dans les deux prochaines semaines.",
        "Les activités se tiendront dans les six prochains mois.",
        "The committees will meet in the next three months.",
        "Les formations ont eu lieu le 12/10/2021.",
        "La visite aura lieu au troisième trimestre.",
        "Le comité se réunira dès que le déploiement sera acté.",
        "The team will act as soon as the deployment is approved.",
        "Le rapport doit être remis au plus tard le 30 juin.",
        "Cette prochaine phase verra l'accent mis sur la formation.",
    ],
)
def test_traps_a_date_a_period_or_a_counted_span(text):
    assert vague_spans(text) == [], text


def test_one_finding_per_sentence_and_each_sentence_counts():
    text = "Les formations débuteront prochainement et bientôt. Le rapport sera partagé ultérieurement."
    assert [text[s:e] for s, e in vague_spans(text)] == ["prochainement", "ultérieurement"]


def test_results_framework_reasons_cell_c49():
    rows = [
        [
            "Produit 3.2",
            "Indicateur 3.2.4 # d'agents formés",
            "0",
            "20",
            "10",
            "3 (1 femme / 2 hommes)",
            "La procédure de recrutement des consultants étant terminée, les formations débuteront dans "
            "les semaines à venir et permettront aux participants de référer des victimes.",
        ]
    ]
    secs = {"results_framework": rf(rows)}
    [f] = run(["vague_timing"], secs)
    assert f.locator == "3.2.4/reasons" and quoted(f, secs) == "dans les semaines à venir"
    assert f.message["fr"].startswith("Indicateur 3.2.4, colonne « Raisons pour les retards ou changements »")


def test_indicator_text_is_not_checked():
    rows = [["", "Indicateur 1.1 # d'actions menées prochainement", "0", "3", "1", "0", ""]]
    assert run(["vague_timing"], {"results_framework": rf(rows)}) == []
