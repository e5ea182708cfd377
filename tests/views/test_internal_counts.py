"""Other organisations never learn how many internal threads exist: the sign-off page says that
something they cannot see blocks, without a number, and the audit trail's "threads carried to
the new version" counts only the threads its reader may see (page and CSV)."""
import html
import io
import json
from csv import reader

import pytest

from reviewflow import content as C
from reviewflow.extensions import db
from reviewflow.services import editing, signoff, threads, workspace

TEXT = "Le projet connaît des retards dans la mise en place des comités. Pas de retard ailleurs."


@pytest.fixture
def w(world):
    editing.save_sections(world.report, {"implementation_status": C.text_blocks(TEXT)}, actor=world.drafter,
                          roles={"drafter"}, base_number=1)
    db.session.commit()
    for n, internal in ((3, True), (1, False)):
        for i in range(n):
            threads.open_thread(world.report, actor=world.reviewer, roles={"reviewer"},
                                section_key="implementation_status", body=f"Fil {internal} {i}",
                                severity="blocking",
                                internal_org_id=world.reviewer.organisation_id if internal else None)
    db.session.commit()
    return world


def test_the_sign_off_requirements_count_only_what_the_viewer_sees(w):
    from reviewflow.services.versions import latest_version
    latest = latest_version(w.report)
    everyone = {r.code: r for r in signoff.requirements(w.report, latest)}
    outsider = {r.code: r for r in signoff.requirements(w.report, latest, viewer=w.approver)}
    colleague = {r.code: r for r in signoff.requirements(w.report, latest, viewer=w.reviewer2)}
    assert everyone["blocking_threads"].count == 4
    assert outsider["blocking_threads"].count == 1 and outsider["blocking_threads"].hidden
    assert not outsider["blocking_threads"].met                     # what it cannot see still blocks
    assert colleague["blocking_threads"].count == 4 and not colleague["blocking_threads"].hidden


def test_the_sign_off_page_says_hidden_threads_block_without_a_number(w, h):
    h.login("approver@onudc.example")
    page = html.unescape(h.client.get(f"/reports/{w.report.id}/signoff").get_data(as_text=True))
    assert "1 fil bloquant" in page
    assert "4 fils bloquants" not in page and "3 fils" not in page
    assert "internes à une autre organisation" in page


def _reanchored(events):
    return [e for e in events if e.action == "threads.reanchored"]


def test_the_audit_trail_counts_only_the_threads_its_reader_may_see(w, h):
    editing.save_sections(w.report, {"implementation_status": C.text_blocks("Introduction. " + TEXT)},
                          actor=w.drafter, roles={"drafter"}, base_number=2)
    db.session.commit()
    [outsider] = _reanchored(workspace.visible_events(w.report, w.approver))
    [colleague] = _reanchored(workspace.visible_events(w.report, w.reviewer2))
    assert sum(outsider.details["counts"].values()) == 1 and "internal" not in outsider.details
    assert sum(colleague.details["counts"].values()) == 4
    h.login("approver@onudc.example")
    csv = h.client.get(f"/reports/{w.report.id}/audit?format=csv").get_data(as_text=True)
    row = next(r for r in reader(io.StringIO(csv)) if "threads.reanchored" in r)
    details = json.loads(row[-1])
    assert "internal" not in details and sum(details["counts"].values()) == 1
    page = html.unescape(h.client.get(f"/reports/{w.report.id}/audit").get_data(as_text=True))
    assert "1 fil reporté" in page and "4 fils" not in page


def test_an_admin_reading_another_organisations_internal_thread_is_audited(world, h):
    from sqlalchemy import select

    from reviewflow.models import Event
    from reviewflow.services import accounts
    admin = accounts.create_user("admin2@other.example", name="Ada Admin", password=world.password,
                                 org_name="ONUDC ROSEN", is_admin=True)
    accounts.add_member(world.report, admin, "reviewer", actor=world.admin)
    t = threads.open_thread(world.report, actor=world.reviewer, roles={"reviewer"},
                            section_key="implementation_status", body="Entre nous",
                            internal_org_id=world.reviewer.organisation_id)
    shared = threads.open_thread(world.report, actor=world.reviewer, roles={"reviewer"},
                                 section_key="implementation_status", body="Pour tous")
    db.session.commit()
    h.login("admin2@other.example")
    assert "Entre nous" in h.client.get(f"/reports/{world.report.id}").get_data(as_text=True)
    h.client.get(f"/reports/{world.report.id}")             # read again within the hour: recorded once
    reads = db.session.scalars(select(Event).where(Event.action == "thread.internal_read")).all()
    assert [(e.actor_id, e.object_id) for e in reads] == [(admin.id, t.id)]
    assert shared.id not in {e.object_id for e in reads}
    # the reviewer's organisation sees it in the audit trail; the approver (another one) does not
    assert any(e.action == "thread.internal_read" for e in workspace.visible_events(world.report, world.reviewer2))
    assert not any(e.action == "thread.internal_read" for e in workspace.visible_events(world.report, world.approver))
    # reading its own organisation's internal threads is not recorded
    h.login("reviewer2@pbf.example")
    h.client.get(f"/reports/{world.report.id}")
    assert db.session.scalars(select(Event).where(Event.action == "thread.internal_read")).all() == reads
