import pytest
from sqlalchemy import select

from reviewflow import content as C
from reviewflow.extensions import db
from reviewflow.models import SignOff
from reviewflow.services import accounts, editing, signoff, transitions, versions
from reviewflow.services.errors import Conflict


@pytest.fixture
def w(world):
    second = accounts.create_user("approver2@oim.example", name="Second Approver", password="password123",
                                  org_name="OIM RCA")
    accounts.add_member(world.report, second, "approver", actor=world.admin)
    transitions.act(world.report, "submit", actor=world.drafter, roles={"drafter"})
    db.session.commit()
    world.approver2 = second
    return world


def test_report_is_approved_only_when_every_approver_signed(w):
    signoff.sign(w.report, actor=w.approver, roles={"approver"}, version_number=1, override="Accepté")
    assert w.report.state == "submitted"
    assert not signoff.all_signed(w.report, versions.latest_version(w.report))
    signoff.sign(w.report, actor=w.approver2, roles={"approver"}, version_number=1, override="Accepté aussi")
    assert w.report.state == "approved"


def test_requirements_list_each_failure(w):
    reqs = {r.code: r for r in signoff.requirements(w.report, versions.latest_version(w.report))}
    assert not reqs["required_sections"].met and "implementation_status" in reqs["required_sections"].items
    assert reqs["blocking_threads"].met


def test_a_new_version_voids_signatures_naming_the_changed_sections(w):
    s = signoff.sign(w.report, actor=w.approver, roles={"approver"}, version_number=1, override="ok")
    editing.save_sections(w.report, {"monitoring": C.text_blocks("Deux missions.")}, actor=w.drafter,
                          roles={"drafter"}, base_number=1)
    import json
    assert s.invalidated_at is not None and json.loads(s.invalidated_reason) == {"version": 2, "sections": ["monitoring"]}
    with pytest.raises(Conflict):
        signoff.sign(w.report, actor=w.approver, roles={"approver"}, version_number=1, override="ok")
    assert [x.id for x in db.session.scalars(select(SignOff))] == [s.id]      # nothing new signed
