"""Views load what they show through read services: what is not there (or not the user's) is a
404 that changes nothing, and a page's queries do not grow with what it lists."""
from contextlib import contextmanager

from sqlalchemy import event, func, select

from reviewflow.extensions import db
from reviewflow.models import Comment, Membership, Notification
from reviewflow.services import accounts, reports, threads


@contextmanager
def counted_queries():
    seen = []

    def count(*_args):
        seen.append(1)
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _notify_drafter(world, n):
    """``n`` comments, by the reviewers and the approver in turn (three different names to show)."""
    people = [(world.reviewer, "reviewer"), (world.reviewer2, "reviewer"), (world.approver, "approver")]
    for i in range(n):
        actor, role = people[i % 3]
        threads.open_thread(world.report, actor=actor, roles={role}, section_key="implementation_status",
                            body=f"Remarque {i}")
    db.session.commit()
    db.session.expire_all()


def test_the_inbox_costs_the_same_queries_for_one_or_many_notifications(world, h, client):
    h.login("drafter@oim.example")
    _notify_drafter(world, 1)
    with counted_queries() as one:
        page = client.get("/inbox").get_data(as_text=True)
    assert page.count("Claire Reviewer a commenté") == 1
    _notify_drafter(world, 6)
    with counted_queries() as seven:
        page = client.get("/inbox").get_data(as_text=True)
    assert page.count("Claire Reviewer a commenté") == 3 and page.count("Marie Approver a commenté") == 2
    assert len(seven) == len(one)
    assert '<span class="badge unread" aria-hidden="true">7</span>' in page


def test_admin_pages_answer_404_for_what_does_not_exist_and_change_nothing(world, h, client):
    # a second report, holding a membership that is not this report's
    second = reports.create_report(world.report.project, actor=world.admin, report_type="final", year=2025,
                                   outcomes=1)
    m = accounts.add_member(second, world.outsider, "reviewer", actor=world.admin)
    db.session.commit()
    h.login("admin@example.org")
    assert client.get("/admin/users/999999").status_code == 404
    r = h.post(f"/admin/reports/{world.report.id}/members", {"remove": str(m.id)}, token_from="/admin/users")
    assert r.status_code == 404
    assert db.session.get(Membership, m.id) is not None


def test_editing_a_comment_of_another_report_is_a_404_and_changes_nothing(world, h, client):
    second = reports.create_report(world.report.project, actor=world.admin, report_type="final", year=2025,
                                   outcomes=1)
    for user, role in ((world.reviewer, "reviewer"), (world.drafter, "drafter")):
        accounts.add_member(second, user, role, actor=world.admin)
    t = threads.open_thread(second, actor=world.reviewer, roles={"reviewer"},
                            section_key="implementation_status", body="Sur l'autre rapport")
    db.session.commit()
    comment_id = t.comments[0].id
    h.login("reviewer@pbf.example")
    r = h.post(f"/reports/{world.report.id}/comments/{comment_id}/edit", {"body": "changé"})
    assert r.status_code == 404
    assert h.post(f"/reports/{world.report.id}/comments/999999/edit", {"body": "x"}).status_code == 404
    db.session.expire_all()
    assert db.session.get(Comment, comment_id).body == "Sur l'autre rapport"


def test_an_upload_summary_of_another_report_is_a_404(world, h, client):
    h.login("drafter@oim.example")
    assert client.get(f"/reports/{world.report.id}/uploads/999999").status_code == 404


def test_someone_elses_notification_is_a_404_and_stays_unread(world, h, client):
    _notify_drafter(world, 1)
    n = db.session.scalar(select(Notification).where(Notification.user_id == world.drafter.id))
    h.login("drafter2@oim.example")
    assert client.get(f"/notifications/{n.id}").status_code == 404
    db.session.expire_all()
    assert db.session.get(Notification, n.id).read_at is None
    assert db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.read_at.is_not(None))) == 0
