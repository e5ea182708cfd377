"""The budget workbook through the web pages: attach, download, see it in the report, comment on
a cell; bad input answered with a reason (4xx), nothing stored."""

import html
import io
from decimal import Decimal

import pytest
from sqlalchemy import select

from reviewflow.extensions import db
from reviewflow.models import Thread, Version, WorkbookFile
from tests.helpers.budget_report import spec, with_cover
from tests.helpers.budget_xlsx import as_xlsm, build, grid_workbook, ole_file
from tests.helpers.db import nothing_stored


def post_workbook(h, w, data, name="Budget 2024.xlsx", **extra):
    token = h.csrf(f"/reports/{w.report.id}")
    return h.client.post(
        f"/reports/{w.report.id}/workbook",
        data={"csrf_token": token, "file": (io.BytesIO(data), name), **extra},
        content_type="multipart/form-data",
    )


def text(r):
    return html.unescape(r.get_data(as_text=True))


@pytest.fixture
def wb(world):
    return with_cover(world, spec(mismatch={"grand": Decimal(1000)}))


def test_the_drafter_attaches_the_workbook_and_sees_it_in_the_report(world, h, client, wb):
    h.login("drafter@oim.example")
    r = post_workbook(h, world, wb.data)
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/reports/{world.report.id}#workbook")
    page = text(client.get(r.headers["Location"]))
    assert "Budget Excel joint : version 3 créée, 1 tableau de budget trouvé." in page.replace("\u202f", " ")
    assert 'id="workbook"' in page and "Budget 2024.xlsx" in page and "joint à la version 3" in page
    grand = wb.cells["grand_total"]
    # the table, French number formatting, the cell the finding points at marked and linked
    assert f'id="wb-s0-{grand}" data-ref="{grand}" class="uc amount r-total fed fed-error"' in page
    assert "3\u202f103\u202f798" in page
    assert f'<a class="cell-link" href="#wb-s0-{grand}"' in page
    assert "Budget total du classeur" in page  # the finding, in French


def test_the_page_in_english_formats_numbers_in_english(world, h, client, wb):
    world.drafter.language = "en"
    db.session.commit()
    h.login("drafter@oim.example")
    post_workbook(h, world, wb.data)
    page = text(client.get(f"/reports/{world.report.id}"))
    assert "Budget workbook" in page and "3,103,798" in page and "3\u202f103\u202f798" not in page
    assert "Workbook total budget" in page


def test_the_workbook_downloads_byte_for_byte_with_its_sanitised_name(world, h, client, wb):
    h.login("drafter@oim.example")
    post_workbook(h, world, wb.data, name="Budget été:2024.xlsx")
    h.post("/logout")
    h.login("reviewer@pbf.example")
    r = client.get(f"/reports/{world.report.id}/versions/3/workbook")
    assert r.status_code == 200 and r.data == wb.data
    assert r.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    cd = r.headers["Content-Disposition"]
    assert cd.startswith("attachment;") and "filename*=UTF-8''Budget%20%C3%A9t%C3%A9_2024.xlsx" in cd
    assert client.get(f"/reports/{world.report.id}/versions/2/workbook").status_code == 404


def test_someone_outside_the_report_cannot_download_it(world, h, client, wb):
    h.login("drafter@oim.example")
    post_workbook(h, world, wb.data)
    h.post("/logout")
    h.login("outsider@other.example")
    assert client.get(f"/reports/{world.report.id}/versions/3/workbook").status_code == 404
    assert client.get(f"/reports/{world.report.id}/workbook").status_code == 404


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"%PDF-1.4 budget", "C'est un PDF, pas un classeur Excel."),
        (ole_file(("Workbook",)), "ancien format (.xls)"),
        (ole_file(("EncryptionInfo", "EncryptedPackage")), "protégé par un mot de passe"),
        (b"not a workbook at all", "n'est pas un classeur Excel (.xlsx)"),
    ],
)
def test_a_bad_file_is_a_400_with_its_reason_and_nothing_is_stored(world, h, wb, data, reason):
    h.login("drafter@oim.example")
    with nothing_stored():
        r = post_workbook(h, world, data)
    assert r.status_code == 400 and reason in text(r)


def test_a_macro_enabled_workbook_is_refused_whatever_its_name(world, h, wb):
    h.login("drafter@oim.example")
    with nothing_stored():
        r = post_workbook(h, world, as_xlsm(wb.data), name="budget.xlsx")
    assert r.status_code == 400 and "aucune macro n'a été exécutée" in text(r)


def test_over_the_size_limit_is_a_413_and_nothing_is_stored(world, h, client, app, wb):
    h.login("drafter@oim.example")
    token = h.csrf(f"/reports/{world.report.id}/workbook")
    app.config["MAX_CONTENT_LENGTH"] = 50_000
    try:
        with nothing_stored():
            r = client.post(
                f"/reports/{world.report.id}/workbook",
                data={"csrf_token": token, "file": (io.BytesIO(b"x" * 60_000), "gros.xlsx")},
                content_type="multipart/form-data",
            )
    finally:
        app.config["MAX_CONTENT_LENGTH"] = 25 * 1024 * 1024
    assert r.status_code == 413 and "trop volumineux" in text(r)


def test_no_file_and_no_token_are_refused(world, h, client, wb):
    h.login("drafter@oim.example")
    with nothing_stored():
        token = h.csrf(f"/reports/{world.report.id}/workbook")
        r = client.post(f"/reports/{world.report.id}/workbook", data={"csrf_token": token})
        assert r.status_code == 400 and "Choisissez le budget Excel" in text(r)
        r = client.post(
            f"/reports/{world.report.id}/workbook",
            data={"file": (io.BytesIO(wb.data), "b.xlsx")},
            content_type="multipart/form-data",
        )
        assert r.status_code == 400


def test_reviewers_cannot_attach(world, h, client, wb):
    h.login("reviewer@pbf.example")
    assert "Joindre" not in text(client.get(f"/reports/{world.report.id}/workbook")).split("<h1>")[1]
    with nothing_stored():
        r = post_workbook(h, world, wb.data)
    assert r.status_code == 403


def test_warnings_are_shown_after_attaching(world, h, client):
    with_cover(world)
    h.login("drafter@oim.example")
    data = grid_workbook([["Presupuesto", None], ["Actividad", "PNUD"], ["Actividad 1.1", 1000]])
    r = post_workbook(h, world, data)
    page = text(client.get(r.headers["Location"]))
    assert "0 tableau de budget trouvé" in page and "1 avertissement" in page
    assert "Aucun tableau de budget reconnu" in page


def test_uncached_formulas_are_attached_with_a_warning(world, h, client):
    w = with_cover(world, spec(formulas="uncached"))
    h.login("drafter@oim.example")
    r = post_workbook(h, world, w.data)
    assert r.status_code == 302
    page = text(client.get(r.headers["Location"]))
    assert "formule(s) sans valeur enregistrée" in page and "recalculées" in page


def test_the_reviewer_comments_on_a_cell(world, h, client, wb):
    h.login("drafter@oim.example")
    post_workbook(h, world, wb.data)
    h.post("/logout")
    h.login("reviewer@pbf.example")
    grand = wb.cells["grand_total"]
    token = h.csrf(f"/reports/{world.report.id}")
    r = client.post(
        f"/reports/{world.report.id}/cell-threads",
        data={
            "csrf_token": token,
            "sheet": wb.sheet,
            "cell": grand.lower(),
            "version": "3",
            "body": "Ce total ?",
            "severity": "blocking",
            "back": f"/reports/{world.report.id}",
        },
    )
    t = db.session.scalar(select(Thread))
    assert r.status_code == 302 and r.headers["Location"].endswith(f"#t-{t.id}")
    assert (t.anchor_kind, t.cell_ref, t.severity) == ("cell", grand, "blocking")
    page = text(client.get(f"/reports/{world.report.id}"))
    assert f'href="#t-{t.id}"' in page and "Sur la cellule du classeur" in page
    assert f"'{wb.sheet}'!{grand}" in page and "— TOTAL" in page
    # in the matrix too
    csv = client.get(f"/reports/{world.report.id}/matrix.csv").get_data(as_text=True)
    assert f"Cellule '{wb.sheet}'!{grand} — TOTAL : 3\u202f103\u202f798" in csv


@pytest.mark.parametrize(
    "sheet, cell, reason",
    [
        (None, "F", "n'est pas une cellule"),
        ("Autre", "A1", "pas de feuille nommée"),
    ],
)
def test_a_bad_cell_is_a_400_with_a_reason(world, h, client, wb, sheet, cell, reason):
    h.login("drafter@oim.example")
    post_workbook(h, world, wb.data)
    h.post("/logout")
    h.login("reviewer@pbf.example")
    token = h.csrf(f"/reports/{world.report.id}")
    with nothing_stored():
        r = client.post(
            f"/reports/{world.report.id}/cell-threads",
            data={"csrf_token": token, "sheet": sheet or wb.sheet, "cell": cell, "body": "Ce total ?"},
        )
    assert r.status_code == 400 and reason in text(r) and "Ce total ?" in text(r)  # what was typed is kept


def test_a_cell_thread_on_a_version_that_is_no_longer_the_latest_is_a_conflict(world, h, client, wb):
    h.login("drafter@oim.example")
    post_workbook(h, world, wb.data)
    post_workbook(h, world, build(spec()).data)
    token = h.csrf(f"/reports/{world.report.id}")
    with nothing_stored():
        r = client.post(
            f"/reports/{world.report.id}/cell-threads",
            data={"csrf_token": token, "sheet": wb.sheet, "cell": "F5", "version": "3", "body": "x"},
        )
    assert r.status_code == 409


def test_the_history_says_which_version_changed_the_workbook(world, h, client, wb):
    h.login("drafter@oim.example")
    post_workbook(h, world, wb.data)
    page = text(client.get(f"/reports/{world.report.id}/versions"))
    row = page.split("<tr>")[2]  # newest first: version 3
    assert "budget Excel joint" in row and "Budget Excel joint" in row
    assert f"/reports/{world.report.id}/versions/3/workbook" in row
    assert db.session.scalar(select(Version).where(Version.number == 3)).workbook_id == db.session.scalar(
        select(WorkbookFile.id)
    )


def test_the_word_upload_page_points_to_the_workbook_page(world, h, client):
    h.login("drafter@oim.example")
    page = text(client.get(f"/reports/{world.report.id}/upload"))
    assert f"/reports/{world.report.id}/workbook" in page and "Joindre le budget Excel" in page


def test_the_demo_shows_its_workbook_its_mismatch_and_the_thread_on_its_cell(app, h, client):
    from reviewflow.demo import DEMO_TITLE, PASSWORD, load_demo
    from reviewflow.models import Project

    load_demo()
    db.session.commit()
    report = db.session.scalar(select(Project).where(Project.title == DEMO_TITLE)).reports[0]
    h.login("claire.fofana@pbf-rca.demo", PASSWORD)
    page = text(client.get(f"/reports/{report.id}"))
    assert "Budget_PBF_transhumance_2024.xlsx" in page and 'id="wb-s0-D15"' in page
    assert "« Total produit 1.2 », colonne « OIM Cameroun »" in page.replace("\u202f", " ")
    assert '<a class="cell-link" href="#wb-s0-D15"' in page
    assert "Sur la cellule du classeur" in page and "lequel des deux est juste ?" in page
    # the cover and the workbook agree on everything else
    assert "Budget total du classeur" not in page and "Budget de « " not in page


def test_compare_says_the_workbook_changed_and_links_both(world, h, client, wb):
    h.login("drafter@oim.example")
    post_workbook(h, world, wb.data)
    post_workbook(h, world, build(spec()).data)      # same file name, new figures
    page = text(client.get(f"/reports/{world.report.id}/compare?from=3&to=4"))
    assert "Budget Excel joint" in page and "Le budget Excel a changé" in page
    assert f"/reports/{world.report.id}/versions/3/workbook" in page
    assert f"/reports/{world.report.id}/versions/4/workbook" in page


def test_an_orphaned_cell_thread_is_shown_and_reattached_from_the_page(world, h, client, wb):
    from reviewflow.services import threads

    h.login("drafter@oim.example")
    post_workbook(h, world, wb.data)
    t = threads.open_thread(world.report, actor=world.reviewer, roles={"reviewer"}, section_key="",
                            body="Et ce produit ?", cell=(wb.sheet, wb.cells["output_total:2.2"]))
    db.session.commit()
    post_workbook(h, world, build(spec(outputs=1)).data)      # output 2.2 is gone
    h.post("/logout")
    h.login("reviewer@pbf.example")
    page = text(client.get(f"/reports/{world.report.id}?status=orphaned"))
    assert "Et ce produit ?" in page and "sa cellule a disparu" in page
    assert "Vu pour la dernière fois sur la cellule du classeur" in page and "Rattacher à une cellule" in page
    token = h.csrf(f"/reports/{world.report.id}")
    with nothing_stored():
        r = client.post(f"/reports/{world.report.id}/threads/{t.id}/reattach-cell",
                        data={"csrf_token": token, "sheet": wb.sheet, "cell": "ZZ"})
        assert r.status_code == 400
    r = client.post(f"/reports/{world.report.id}/threads/{t.id}/reattach-cell",
                    data={"csrf_token": token, "sheet": wb.sheet, "cell": "F5", "version": "4"})
    assert r.status_code == 302
    db.session.refresh(t)
    assert (t.anchor_status, t.cell_ref) == ("exact", "F5")
    h.post("/logout")
    h.login("drafter@oim.example")
    r = client.post(f"/reports/{world.report.id}/threads/{t.id}/reattach-cell",
                    data={"csrf_token": h.csrf(f"/reports/{world.report.id}"), "sheet": wb.sheet, "cell": "F6"})
    assert r.status_code == 403
