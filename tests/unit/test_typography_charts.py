"""French spacing, part titles, "interne au/à la", and the indicator picture drawn on the server."""
import pytest

from reviewflow import charts
from reviewflow.report_templates import part_title
from reviewflow.typography import NNBSP, fr_spaces, missing_fr_space


@pytest.mark.parametrize("text, expected", [
    ("Partie II: Progrès", f"Partie II{NNBSP}: Progrès"),
    ("Vérifications du modèle :", f"Vérifications du modèle{NNBSP}:"),
    ("Quoi ? Vraiment !", f"Quoi{NNBSP}? Vraiment{NNBSP}!"),
    ("« Pays »", f"«{NNBSP}Pays{NNBSP}»"),
    ("%(n)s fils restants:", f"%(n)s fils restants{NNBSP}:"),
    ("à 10:30, voir https://exemple.org/a?b=c;d et 1:2", "à 10:30, voir https://exemple.org/a?b=c;d et 1:2"),
])
def test_french_spacing_before_high_punctuation_but_not_in_times_or_urls(text, expected):
    assert fr_spaces(text) == expected
    assert missing_fr_space(fr_spaces(text)) == []


def test_french_spacing_is_applied_once_however_often_it_runs():
    once = fr_spaces("« - » : oui ?")
    assert once == f"«{NNBSP}-{NNBSP}»{NNBSP}: oui{NNBSP}?" and fr_spaces(fr_spaces(once)) == once


def test_missing_spacing_is_found():
    assert missing_fr_space("Statut: ouvert ; fin ?") == ["Statut:", " ouvert ;", " fin ?"]


@pytest.mark.parametrize("raw, lang, expected", [
    ("Partie 1 : Progrès global du projet", "fr", "Partie I : Progrès global du projet"),
    ("Partie II: Progrès par Résultat", "fr", "Partie II : Progrès par Résultat"),
    ("PART 1: OVERALL PROJECT PROGRESS", "en", "PART I: OVERALL PROJECT PROGRESS"),
    ("Page de garde", "fr", "Page de garde"),
])
def test_part_titles_are_written_one_way(raw, lang, expected):
    assert part_title(raw, lang) == expected


def test_internal_to_takes_the_article_the_name_needs(app):
    from reviewflow.formatting import french_to
    assert french_to("Secrétariat PBF RCA") == "au "
    assert french_to("OIM RCA") == "à l'"
    assert french_to("Agence française de développement") == "à la "
    assert french_to("ONUDC ROSEN") == "à l'"
    assert french_to("PNUD") == "au "


LABELS = charts.Labels("Base", "Actuel", "Cible", "{what} : aucun chiffre", "Base {baseline}, actuel {current}, cible {target}")


def test_an_indicator_is_drawn_from_the_figures_people_write():
    svg = charts.indicator_chart("38 %", "61 % (enquête de juin, 420 ménages)", "70 %", LABELS, "fr")
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert f"Base 38{NNBSP}%, actuel 61{NNBSP}%, cible 70{NNBSP}%" in svg
    assert svg.count("<circle") == 1 and 'class="base"' in svg


def test_a_missing_baseline_is_said_and_words_are_not_drawn():
    svg = charts.indicator_chart("TBD", "27 différends réglés sur 34", "100", LABELS, "fr")
    assert "Base : aucun chiffre" in svg and 'class="base"' not in svg
    assert charts.indicator_chart("Non", "Validé le 14 mai", "Oui", LABELS, "fr") is None


def test_user_text_in_a_chart_is_escaped():
    labels = charts.Labels("<b>", "x", "y", "{what}", "{baseline} {current} {target}")
    svg = charts.indicator_chart("1", "2", "3", labels, "en")
    assert "<b>" not in svg and "&lt;b&gt;" in svg


def test_count_bars_scale_to_the_largest():
    assert 'width="160"' in charts.count_bar(3, 3) and 'width="80.0"' in charts.count_bar(3, 6)
