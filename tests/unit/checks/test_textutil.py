from decimal import Decimal

import pytest

from reviewflow.checks import parse_money
from reviewflow.checks.textutil import has_sex_terms, numbers, people_noun_after, sentences


@pytest.mark.parametrize("text,value", [
    ("$1 245 996,00", "1245996.00"),
    ("$ 973520.00", "973520.00"),
    ("$437 917.96", "437917.96"),
    ("$437\u00a0917.96", "437917.96"),
    ("1,245,996.00", "1245996.00"),
    ("1.245.996,00", "1245996.00"),
    ("USD 15 000", "15000"),
    ("15 000 $", "15000"),
    ("15000.00", "15000.00"),
    ("Total: $ 3102798.00", "3102798.00"),
    ("$0", "0"),
    ("3 102 798 USD", "3102798"),
])
def test_parse_money(text, value):
    assert parse_money(text) == Decimal(value)


@pytest.mark.parametrize("text", ["$      ", "", "abc", "$ 12 et $ 13", None])
def test_parse_money_refuses(text):
    assert parse_money(text) is None


def _kinds(text):
    return [(n.text, n.kind) for n in numbers(text)]


def test_number_kinds_fr():
    k = _kinds("En 2021, 45 participants ; le 17 mai 2021 ; du 21 au 24 septembre 2021 ; juillet 2020 ; "
               "Indicateur 1.2 ; article 5 ; tél. +236 72 12 34 56 ; $ 973520.00 ; 45% des 120 participants ; "
               "trimestres 3-5 ; le 4ème vice-président ; 14h30 ; 6,70/10 ; jeunes de 15 à 24 ans")
    assert ("2021", "year") in k and ("45", "count") in k and ("120", "count") in k
    assert ("17", "date") in k and ("21", "date") in k and ("24", "date") in k and ("2020", "date") in k
    assert ("1.2", "ref") in k and ("5", "ref") in k and ("3", "ref") in k
    assert all(kind == "phone" for t, kind in k if t in ("236", "72", "12", "34", "56"))
    assert ("973520.00", "money") in k and ("45", "percent") in k
    assert ("15", "age") in k
    counts = [t for t, kind in k if kind == "count"]
    assert counts == ["45", "120"]


def test_number_kinds_en():
    k = _kinds("In 2021, 45 participants attended on March 17, 2021 (Article 5; call +1 212 555 0100); "
               "USD 12,000 and 2000 people.")
    counts = [t for t, kind in k if kind == "count"]
    assert counts == ["45", "2000"]


def test_thousands_separators():
    assert [(n.value, n.kind) for n in numbers("1,250 people and 1.250 participants; 2,36 sur 10; 12 345,50")] == [
        (1250, "count"), (1250, "count"), (2.36, "count"), (10, "count"), (12345.5, "count")]


def test_people_noun_after():
    t = "trois (3) personnes, 45 points focaux, 3 sessions, 12F, 58 fonctionnaires, 20 young people"
    found = [(n.text, (people_noun_after(t, n.end) or (0, 0, None))[2]) for n in numbers(t)]
    assert found == [("3", "personne"), ("45", "point focal"), ("3", None), ("58", "fonctionnaire"),
                     ("20", "young people")]


def test_sex_terms():
    assert has_sex_terms("45 participants (26 femmes et 19 hommes)")
    assert has_sex_terms("30 (12 F / 18 H)") and has_sex_terms("12 women")
    assert not has_sex_terms("la promotion des droits de l'homme pour 45 participants")
    assert not has_sex_terms("45 participants humains")


def test_sentences():
    t = "M. Dupont a formé 3 agents. Ensuite, 83% ont réussi! Indicateur 1.3.2. # de réunions\nLigne deux"
    got = [t[a:b] for a, b in sentences(t)]
    assert got == ["M. Dupont a formé 3 agents.", "Ensuite, 83% ont réussi!", "Indicateur 1.3.2. # de réunions",
                   "Ligne deux"]
