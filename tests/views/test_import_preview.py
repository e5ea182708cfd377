"""Upload -> preview -> confirm or cancel, in the browser's terms (HTML pages and forms)."""
from reviewflow.extensions import db
from reviewflow.models import Version
from reviewflow.services.versions import latest_version, version_contents
from tests.helpers.web import upload
from tests.helpers.word_copies import stale_copy


def test_preview_shows_the_changes_and_the_conflict_before_anything_lands(world, h):
    h.login("drafter@oim.example")
    copy = stale_copy(world)
    versions = db.session.query(Version).count()
    r = upload(h, world, copy, confirm=False)
    assert r.status_code == 302 and "/imports/" in r.headers["Location"]
    page = h.client.get(r.headers["Location"]).get_data(as_text=True)
    assert db.session.query(Version).count() == versions
    assert "Aperçu de l’import" in page and "exporté de la version 2" in page
    assert "1 conflit à régler" in page and "1 section prend le texte du fichier" in page
    assert "Texte A du navigateur." in page and "Texte A du fichier." in page and "<ins>" in page
    # confirming without a choice is refused (409), nothing lands
    token = h.csrf(r.headers["Location"])
    refused = h.client.post(r.headers["Location"] + "/confirm", data={"csrf_token": token})
    assert refused.status_code == 409 and db.session.query(Version).count() == versions
    ok = h.client.post(r.headers["Location"] + "/confirm", data={
        "csrf_token": token, "choice:outcome_1.statement": "edit", "edit:outcome_1.statement": "Texte A fusionné."})
    assert ok.status_code == 302 and "/uploads/" in ok.headers["Location"]
    contents = version_contents(latest_version(world.report))
    assert contents["outcome_1.statement"].text == "Texte A fusionné."
    assert contents["outcome_2.statement"].text == "Texte B du fichier."


def test_cancel_changes_nothing(world, h):
    h.login("drafter@oim.example")
    r = upload(h, world, stale_copy(world), confirm=False)
    versions = db.session.query(Version).count()
    token = h.csrf(r.headers["Location"])
    c = h.client.post(r.headers["Location"] + "/cancel", data={"csrf_token": token})
    assert c.status_code == 302
    assert db.session.query(Version).count() == versions
    again = h.client.get(r.headers["Location"])
    assert again.status_code == 302 and again.headers["Location"].endswith(f"/reports/{world.report.id}")


def test_another_members_plan_is_not_theirs_to_confirm(world, h):
    h.login("drafter@oim.example")
    r = upload(h, world, stale_copy(world), confirm=False)
    where = r.headers["Location"]
    h.client.post("/logout", data={"csrf_token": h.csrf("/")})
    h.login("drafter2@oim.example")
    token = h.csrf(where)
    refused = h.client.post(where + "/confirm", data={"csrf_token": token, "choice:outcome_1.statement": "file"})
    assert refused.status_code == 403
