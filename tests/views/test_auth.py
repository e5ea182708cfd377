from sqlalchemy import select

from reviewflow.extensions import db
from reviewflow.models import User
from tests.helpers.db import nothing_stored


def test_login_then_logout(world, h, client):
    r = h.login("drafter@oim.example")
    assert r.status_code == 302 and r.headers["Location"] == "/"
    assert "Projet transfrontalier de test" in client.get("/").get_data(as_text=True)
    r = h.post("/logout")
    assert r.status_code == 302
    assert client.get("/").status_code == 302   # back to the log-in page


def test_wrong_password_and_unknown_user_get_the_same_clear_message(world, h):
    for email, pw in (("drafter@oim.example", "wrong-password"), ("nobody@example.org", "password123")):
        with nothing_stored(ignore=("login_attempt",)):     # only the failed attempt is counted
            r = h.login(email, pw)
        assert r.status_code == 401
        assert "Adresse e-mail ou mot de passe incorrect" in r.get_data(as_text=True)
        assert h.client.get("/").status_code == 302                  # still logged out


def test_login_is_throttled_after_repeated_failures(world, h):
    for _ in range(5):
        assert h.login("drafter@oim.example", "bad-password").status_code == 401
    r = h.login("drafter@oim.example")           # even the right password is refused for a while
    assert r.status_code == 429
    assert "Trop de tentatives" in r.get_data(as_text=True)
    assert h.login("reviewer@pbf.example").status_code == 302   # other accounts are not locked


def test_login_without_csrf_token_is_refused(world, client):
    with nothing_stored():
        r = client.post("/login", data={"email": "drafter@oim.example", "password": "password123"})
    assert r.status_code == 400
    assert "jeton de sécurité" in r.get_data(as_text=True)
    assert client.get("/").status_code == 302                       # not logged in


def test_next_parameter_cannot_redirect_elsewhere(world, h, client):
    token = h.csrf("/login")
    for target, expected in ((f"/reports/{world.report.id}", f"/reports/{world.report.id}"),
                             ("https://evil.example/", "/"), ("//evil.example/x", "/"), ("/\\evil.example", "/")):
        client.post("/logout", data={"csrf_token": h.csrf("/")})
        token = h.csrf("/login")
        r = client.post("/login?next=" + target, data={"email": "drafter@oim.example", "password": "password123",
                                                       "csrf_token": token})
        assert r.headers["Location"] == expected, target


def test_deactivated_user_cannot_log_in(world, h):
    user = db.session.scalar(select(User).where(User.email == "drafter@oim.example"))
    user.active = False
    db.session.commit()
    assert h.login("drafter@oim.example").status_code == 401
    assert h.client.get("/").status_code == 302                     # not logged in


def test_session_cookie_is_httponly_and_samesite(world, h):
    r = h.login("drafter@oim.example")
    cookie = r.headers.get("Set-Cookie", "")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_logout_needs_post(world, h, client):
    h.login("drafter@oim.example")
    assert client.get("/logout").status_code == 405
    assert client.get("/").status_code == 200                       # still logged in


def test_interface_is_french_by_default_and_english_on_request(world, h, client):
    assert "Connexion" in client.get("/login").get_data(as_text=True)
    r = client.get("/login", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert "Log in" in r.get_data(as_text=True)
    h.login("drafter@oim.example")
    h.post("/lang/en", {"next": "/"})
    assert "My reports" in client.get("/").get_data(as_text=True)
    assert db.session.scalar(select(User.language).where(User.email == "drafter@oim.example")) == "en"


def test_user_changes_own_password(world, h, client):
    h.login("drafter@oim.example")
    with nothing_stored(ignore=("login_attempt",)):                 # a wrong password is counted
        r = h.post("/account/password", {"current": "wrong", "new": "nouveau-mdp", "confirm": "nouveau-mdp"})
        assert r.status_code == 400
        r = h.post("/account/password", {"current": "password123", "new": "nouveau-mdp",
                                         "confirm": "autre-mdp"})
        assert r.status_code == 400
        r = h.post("/account/password", {"current": "password123", "new": "court", "confirm": "court"})
        assert r.status_code == 400
    r = h.post("/account/password", {"current": "password123", "new": "nouveau-mdp", "confirm": "nouveau-mdp"})
    assert r.status_code == 302
    h.post("/logout")
    assert h.login("drafter@oim.example", "password123").status_code == 401
    assert h.login("drafter@oim.example", "nouveau-mdp").status_code == 302
