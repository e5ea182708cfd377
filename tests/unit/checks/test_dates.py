"""An activity dated before the project's first transfer of funds."""

from datetime import date

import pytest

from tests.helpers.checks import by_code, quoted, run, sections

FIRST = date(2022, 3, 15)


@pytest.mark.parametrize(
    "text,quote",
    [
        ("En mars 2019, le projet a organisé un atelier de validation à Bangui.", "mars 2019"),
        ("Le 3 février 2022, l'équipe a formé 20 agents.", "3 février 2022"),
        ("In March 2019, the project held a validation workshop.", "March 2019"),
        ("Le 21/01/2022, 30 agents ont été formés.", "21/01/2022"),
        ("En 2019, le projet a organisé trois ateliers.", "En 2019"),
        ("In 2020 the project trained 40 border officials.", "In 2020"),
    ],
)
def test_dated_before_the_first_transfer_fr_en(text, quote):
    secs = sections(implementation_status=text)
    [f] = run(["dates"], secs, first_transfer_date=FIRST)
    assert f.code == "date_before_start" and quoted(f, secs) == quote
    assert "15/03/2022" in f.message["fr"] and "15/03/2022" in f.message["en"]


@pytest.mark.parametrize(
    "text",
    [
        "En mars 2022, le projet a organisé un atelier.",  # after the transfer (end of the month)
        "La loi du 12 mai 2015 sur la traite a été révisée.",  # a legal text
        "Depuis 2019, la région connaît des tensions.",  # a period, not an activity
        "En 2019, la région a connu une crise majeure.",  # no activity of the project
        "La base de référence établie en 2019 a été mise à jour.",  # a baseline
        "Entre 2015 et 2019, 300 cas ont été recensés.",  # a period
        "Le recensement réalisé en 2018 a été utilisé.",  # a census
        "The 2019 census was used to select the villages.",
        "En 2023, le projet a organisé trois ateliers.",
    ],
)
def test_traps(text):
    assert run(["dates"], sections(implementation_status=text), first_transfer_date=FIRST) == [], text


def test_the_first_transfer_date_written_on_the_cover_is_used_when_the_caller_has_none():
    secs = sections(
        first_transfer_date="15/03/2022",
        implementation_status="En mars 2019, le projet a organisé un atelier.",
    )
    [f] = run(["dates"], secs)
    assert f.figures["first_transfer_date"] == "2022-03-15"
    secs = sections(
        first_transfer_date="15 mars 2022",
        implementation_status="In March 2019, the project held a workshop.",
    )
    assert len(by_code(run(["dates"], secs), "date_before_start")) == 1
    # the caller's date wins over the cover's
    assert run(["dates"], secs, first_transfer_date=date(2019, 1, 1)) == []
    assert run(["dates"], sections(first_transfer_date="TBD", implementation_status="En mars 2019, x.")) == []
