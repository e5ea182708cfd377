from sqlalchemy import select

from reviewflow.extensions import db
from reviewflow.models import Membership, User
from tests.helpers.db import nothing_stored


def test_non_admins_do_not_see_administration(world, h, client):
    h.login("drafter@oim.example")
    assert client.get("/admin/users").status_code == 404


def test_admin_creates_a_user_and_gives_a_role(world, h, client):
    h.login("admin@example.org")
    r = h.post("/admin/users", {"name": "Nouvelle Relectrice", "email": "New@PBF.example", "organisation":
                                "Secrétariat PBF RCA", "password": "long-enough", "language": "en"})
    assert r.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "new@pbf.example"))
    assert user.language == "en" and user.organisation.name == "Secrétariat PBF RCA"
    r = h.post(f"/admin/reports/{world.report.id}/members", {"email": "new@pbf.example", "role": "reviewer"})
    assert r.status_code == 302
    assert db.session.scalar(select(Membership).where(Membership.user_id == user.id)).role == "reviewer"


def test_admin_user_errors_are_shown_not_crashing(world, h, client):
    h.login("admin@example.org")
    with nothing_stored():
        r = h.post("/admin/users", {"name": "X", "email": "not-an-email", "password": "long-enough"})
        assert r.status_code == 400 and "e-mail" in r.get_data(as_text=True).lower()
        r = h.post("/admin/users", {"name": "X", "email": "drafter@oim.example",
                                    "password": "long-enough"})
        assert r.status_code == 400
        r = h.post("/admin/users", {"name": "X", "email": "x@example.org", "password": "short"})
        assert r.status_code == 400
