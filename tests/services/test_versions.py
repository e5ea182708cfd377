from decimal import Decimal

import pytest
from sqlalchemy import func, select

from reviewflow import content as C
from reviewflow.extensions import db
from reviewflow.models import Event, Project, SectionContent, Version, VersionSection
from reviewflow.reports.forms import budget_from
from reviewflow.services import editing, reports, versions
from reviewflow.services.errors import Forbidden, Invalid, StaleVersion
from tests.helpers.db import rows


def save(w, changes, base, who=None, roles=frozenset({"drafter"})):
    return editing.save_sections(w.report, {k: C.text_blocks(v) for k, v in changes.items()},
                                 actor=who or w.drafter, roles=set(roles), base_number=base)


def test_a_new_report_has_every_template_section_in_version_one(world):
    v1 = versions.latest_version(world.report)
    assert v1.number == 1
    contents = versions.version_contents(v1)
    assert "implementation_status" in contents and "outcome_2.gewe_youth" in contents
    assert contents["project_title"].text == "Projet transfrontalier de test"
    assert "outcome_3.statement" not in contents   # the report has two outcomes


def test_saving_creates_the_next_version_and_shares_unchanged_content(world):
    v2 = save(world, {"implementation_status": "Le projet avance."}, base=1)
    v3 = save(world, {"human_impact": "Une victime a été assistée."}, base=2)
    assert (v2.number, v3.number) == (2, 3)
    c1, c2, c3 = (versions.version_contents(versions.get_version(world.report, n)) for n in (1, 2, 3))
    assert c3["implementation_status"].id == c2["implementation_status"].id      # not copied
    assert c3["monitoring"].id == c1["monitoring"].id
    assert c1["implementation_status"].text == ""                                 # v1 is unchanged
    assert c3["human_impact"].text == "Une victime a été assistée."
    # one content row per distinct text, not per version
    n_rows = db.session.scalar(select(func.count()).select_from(SectionContent))
    n_pointers = db.session.scalar(select(func.count()).select_from(VersionSection))
    assert n_pointers == 3 * len(c1) and n_rows < len(c1) + 5
    assert versions.changed_sections(v3) == ["human_impact"]
    ev = db.session.scalars(select(Event).where(Event.action == "version.created")).all()
    assert [e.details["sections"] for e in ev] == [["implementation_status"], ["human_impact"]]


def test_nothing_changed_creates_no_version(world):
    save(world, {"implementation_status": "Texte"}, base=1)
    assert save(world, {"implementation_status": "Texte"}, base=2) is None
    assert versions.latest_version(world.report).number == 2


def test_stale_edit_of_the_same_section_is_refused_with_both_texts(world):
    save(world, {"implementation_status": "Version d'Awa."}, base=1)
    with pytest.raises(StaleVersion) as err:
        save(world, {"implementation_status": "Version de Paul."}, base=1, who=world.drafter2)
    assert err.value.details["conflicts"] == ["implementation_status"]
    assert err.value.details["theirs"]["implementation_status"] == "Version d'Awa."
    assert versions.latest_version(world.report).number == 2


def test_stale_edit_of_another_section_is_merged_without_loss(world):
    save(world, {"implementation_status": "Version d'Awa."}, base=1)
    v3 = save(world, {"human_impact": "Texte de Paul."}, base=1, who=world.drafter2)
    c = versions.version_contents(v3)
    assert c["implementation_status"].text == "Version d'Awa."
    assert c["human_impact"].text == "Texte de Paul."


def test_over_limit_text_is_saved_and_counted(world):
    long = "é" * 1600
    v = save(world, {"implementation_status": long}, base=1)
    content = versions.version_contents(v)["implementation_status"]
    assert content.chars == 1600 and content.chars_no_spaces == 1600


def test_only_drafters_edit_and_not_after_approval(world):
    with pytest.raises(Forbidden):
        save(world, {"implementation_status": "x"}, base=1, who=world.reviewer, roles={"reviewer"})
    world.report.state = "approved"
    with pytest.raises(Forbidden):
        save(world, {"implementation_status": "x"}, base=1)
    assert rows(Version) == 1


def test_unknown_section_and_bad_base_are_invalid(world):
    with pytest.raises(Invalid):
        save(world, {"nope": "x"}, base=1)
    assert rows(Version) == 1
    save(world, {"implementation_status": "a"}, base=1)
    with pytest.raises(Invalid):
        save(world, {"implementation_status": "b"}, base=99)
    assert rows(Version) == 2


def test_short_fields_are_one_line(world):
    v = editing.save_sections(world.report, {"report_prepared_by": [C.paragraph("Awa"), C.paragraph("Paul")]},
                              actor=world.drafter, roles={"drafter"}, base_number=1)
    assert versions.version_contents(v)["report_prepared_by"].text == "Awa Paul"


@pytest.mark.parametrize("text, value", [
    ("$1 245 996,00", "1245996.00"), ("$ 973520.00", "973520.00"), ("$437 917.96", "437917.96"),
    ("1,507,352", "1507352"), ("45 000", "45000"), ("1,5 million", "1500000"), ("", None),
])
def test_money_as_drafters_write_it(text, value):
    parsed = budget_from(text)
    assert (str(parsed) if parsed is not None else None) == value


@pytest.mark.parametrize("text", ["beaucoup", "1 000 FCFA", "EUR 100", "1 000 2 000"])
def test_money_garbage_is_invalid(text):
    with pytest.raises(Invalid):
        budget_from(text)


@pytest.mark.parametrize("budget", ["-5", "1e13"])
def test_a_budget_out_of_range_is_refused_and_nothing_is_stored(app, budget):
    with pytest.raises(Invalid):
        reports.create_project(actor=None, title="Projet",
                               recipients=[reports.RecipientInput("OIM", Decimal(budget))])
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Project)) == 0
