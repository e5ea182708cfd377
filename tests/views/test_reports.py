import html
import re

import pytest
from sqlalchemy import select

from reviewflow.extensions import db
from reviewflow.models import Report, Version
from reviewflow.services import editing, versions
from tests.helpers.db import nothing_stored


def test_my_reports_lists_only_reports_i_am_a_member_of(world, h, client):
    h.login("outsider@other.example")
    html = client.get("/").get_data(as_text=True)
    assert "Projet transfrontalier de test" not in html
    assert client.get(f"/reports/{world.report.id}").status_code == 404      # not 403: not even its existence
    assert client.get(f"/reports/{world.report.id}/versions").status_code == 404
    assert client.get(f"/reports/{world.report.id}/sections/implementation_status/edit").status_code == 404


def test_unknown_report_is_404_with_a_readable_page(world, h, client):
    h.login("drafter@oim.example")
    r = client.get("/reports/999999")
    assert r.status_code == 404
    assert "n'existe pas" in html.unescape(r.get_data(as_text=True))
    r = client.get("/reports/999999", headers={"Accept": "application/json"})
    assert r.status_code == 404 and r.get_json()["error"] == "not_found"


def test_report_page_shows_sections_in_template_order_with_limits(world, h, client):
    h.login("reviewer@pbf.example")
    html = client.get(f"/reports/{world.report.id}").get_data(as_text=True)
    order = [html.index(label) for label in ("État global de mise en œuvre", "Résultat 1\u202f: résumé de progrès",
                                             "Suivi", "Cadre de résultats")]
    assert order == sorted(order)
    assert "0 / 1" in html and "500" in html      # counter and limit of implementation_status (1 500)
    assert "Modifier" not in html                  # reviewers do not edit


def test_drafter_edits_a_section_and_a_version_is_created(world, h, client):
    h.login("drafter@oim.example")
    url = f"/reports/{world.report.id}/sections/implementation_status/edit"
    page = client.get(url).get_data(as_text=True)
    assert 'data-limit="1500"' in page
    r = h.post(url, {"text": "Le projet avance.\n- premier point\n- second point", "base_version": "1"},
               token_from=url)
    assert r.status_code == 302
    html = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "Enregistré comme version 2" in html
    assert "premier point" in html
    history = client.get(f"/reports/{world.report.id}/versions").get_data(as_text=True)
    assert "Awa Drafter" in history and "État global de mise en œuvre" in history


def test_over_limit_text_is_saved_but_flagged(world, h, client):
    h.login("drafter@oim.example")
    url = f"/reports/{world.report.id}/sections/upcoming_events/edit"
    r = h.post(url, {"text": "x" * 1200, "base_version": "1"}, token_from=url, follow_redirects=True)
    html = r.get_data(as_text=True)
    assert "Cette section dépasse sa limite\u202f: 1200 / 1000 caractères." in html
    # and the table of contents marks it
    assert '<span class="badge over" title="Au-delà de la limite">1200/1000</span>' in html
    assert '<a href="#s-upcoming_events" class="over">' in html


def test_stale_edit_is_refused_with_409_and_the_typed_text_shown_back(world, h, client):
    editing.save_sections(world.report, {"implementation_status": [{"t": "p", "text": "Texte de Paul."}]},
                          actor=world.drafter2, roles={"drafter"}, base_number=1)
    db.session.commit()
    h.login("drafter@oim.example")
    url = f"/reports/{world.report.id}/sections/implementation_status/edit"
    r = h.post(url, {"text": "Mon texte à ne pas perdre.", "base_version": "1"}, token_from=url)
    assert r.status_code == 409
    html = r.get_data(as_text=True)
    assert "Mon texte à ne pas perdre." in html        # nothing typed is lost
    assert "Texte de Paul." in html                    # and the other change is shown
    assert db.session.scalar(select(Version.number).order_by(Version.number.desc()).limit(1)) == 2


def test_reviewer_cannot_post_an_edit(world, h, client):
    h.login("reviewer@pbf.example")
    url = f"/reports/{world.report.id}/sections/implementation_status/edit"
    with nothing_stored():
        r = h.post(url, {"text": "hack", "base_version": "1"})
    assert r.status_code == 403


def test_edit_without_csrf_is_refused_and_nothing_saved(world, h, client):
    h.login("drafter@oim.example")
    r = client.post(f"/reports/{world.report.id}/sections/implementation_status/edit",
                    data={"text": "x", "base_version": "1"})
    assert r.status_code == 400
    assert versions.latest_version(world.report).number == 1


def test_create_a_report_from_the_pbf_template(world, h, client):
    h.login("drafter@oim.example")
    r = h.post("/reports/new", {"title": "Nouveau projet", "gateway_numbers": "00131245", "countries": "RCA",
                                "first_transfer_date": "2024-01-15", "end_date": "2025-12-31",
                                "recipient-0-name": "OIM RCA", "recipient-0-type": "RUNO",
                                "recipient-0-budget": "1 200 000", "convening": "0",
                                "report_type": "semi_annual", "year": "2024", "outcomes": "3"},
               token_from="/reports/new")
    assert r.status_code == 302
    report_id = int(re.search(r"/reports/(\d+)", r.headers["Location"]).group(1))
    report = db.session.get(Report, report_id)
    assert report.outcomes == 3 and report.report_type == "semi_annual"
    html = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "Nouveau projet" in html and "Résultat 3\u202f: résumé de progrès" in html
    contents = versions.version_contents(versions.latest_version(report))
    assert "OIM RCA" in contents["budget_by_recipient"].text


def test_over_long_title_is_refused_with_a_message(world, h, client):
    h.login("drafter@oim.example")
    with nothing_stored():
        r = h.post("/reports/new", {"title": "x" * 401, "report_type": "annual", "year": "2024",
                                    "outcomes": "1"}, token_from="/reports/new")
    assert r.status_code == 400
    assert db.session.scalar(select(Report).where(Report.id != world.report.id)) is None


def test_table_section_edit_with_add_row(world, h, client):
    h.login("drafter@oim.example")
    url = f"/reports/{world.report.id}/sections/results_framework/edit"
    with nothing_stored():                                           # a new row to fill: nothing saved yet
        r = h.post(url, {"rows": "1", "cell-0-0": "Indicateur 1.1 : nombre", "base_version": "1",
                         "add_row": "1"}, token_from=url)
    assert r.status_code == 200 and r.get_data(as_text=True).count('name="cell-1-0"') == 1
    r = h.post(url, {"rows": "2", "cell-0-0": "Indicateur 1.1 : nombre", "cell-1-0": "Indicateur 1.2",
                     "cell-1-1": "TBD", "base_version": "1"}, token_from=url)
    assert r.status_code == 302
    text = versions.version_contents(versions.latest_version(world.report))["results_framework"].text
    assert "Indicateur 1.2" in text and "TBD" in text


def test_html_in_section_text_is_escaped(world, h, client):
    h.login("drafter@oim.example")
    url = f"/reports/{world.report.id}/sections/implementation_status/edit"
    h.post(url, {"text": "<script>alert(1)</script>", "base_version": "1"}, token_from=url)
    html = client.get(f"/reports/{world.report.id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_pages_are_compressed_and_static_files_cached(world, h, client):
    h.login("reviewer@pbf.example")
    r = client.get(f"/reports/{world.report.id}", headers={"Accept-Encoding": "gzip, deflate"})
    assert r.headers["Content-Encoding"] == "gzip"
    import gzip
    assert "État global de mise en œuvre" in gzip.decompress(r.data).decode()
    page = client.get(f"/reports/{world.report.id}").get_data(as_text=True)
    css = re.search(r'href="(/static/app.css\?v=[0-9a-f]+)"', page).group(1)
    r = client.get(css)
    assert r.status_code == 200 and "max-age=31536000" in r.headers["Cache-Control"]
    r.close()


@pytest.mark.parametrize("budget", ["beaucoup", "1 000 FCFA"])
def test_a_budget_that_is_not_an_amount_in_dollars_is_refused_with_a_message(world, h, client, budget):
    h.login("drafter@oim.example")
    r = h.post("/reports/new", {"title": "Nouveau projet", "recipient-0-name": "OIM RCA",
                                "recipient-0-budget": budget, "report_type": "annual", "year": "2024",
                                "outcomes": "1"}, token_from="/reports/new")
    assert r.status_code == 400
    assert "Ce n&#39;est pas un montant" in r.get_data(as_text=True)
    assert db.session.scalar(select(Report).where(Report.id != world.report.id)) is None
