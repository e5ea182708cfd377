"""The budget workbook in a real browser: the drafter attaches it, the reviewer sees the mismatch
with its cell and comments on the cell, the drafter attaches a corrected workbook: the finding is
gone and the thread follows its cell."""

from decimal import Decimal

import pytest
from sqlalchemy import select

from reviewflow.extensions import db
from reviewflow.models import Thread
from tests.helpers.browser import login, logout, submit
from tests.helpers.budget_report import spec, with_cover
from tests.helpers.budget_xlsx import build

pytestmark = pytest.mark.browser
expect = pytest.importorskip("playwright.sync_api", reason="playwright is not installed").expect


def attach_file(page, base, rid, path):
    page.goto(f"{base}/reports/{rid}")
    page.set_input_files("#wb-file", str(path))
    submit(page, page.locator("form.wb-attach button.primary"))


def test_attach_see_the_mismatch_comment_on_its_cell_and_follow_it(world, live_server, page, tmp_path):
    base, rid = live_server, world.report.id
    wrong = with_cover(world, spec(mismatch={"grand": Decimal(1000)}))
    fixed = build(spec(outputs=3))  # corrected, with rows added above the total
    (tmp_path / "Budget 2024.xlsx").write_bytes(wrong.data)
    (tmp_path / "Budget 2024 corrigé.xlsx").write_bytes(fixed.data)
    grand, grand_after = wrong.cells["grand_total"], fixed.cells["grand_total"]
    assert grand != grand_after

    # 1. The drafter attaches the workbook from the report page.
    login(page, base, "drafter@oim.example")
    attach_file(page, base, rid, tmp_path / "Budget 2024.xlsx")
    expect(page.locator(".flash").first).to_contain_text("Budget Excel joint : version 3 créée")
    logout(page)

    # 2. The reviewer sees the mismatch, follows its cell into the table and comments on it.
    login(page, base, "reviewer@pbf.example")
    page.goto(f"{base}/reports/{rid}")
    finding = page.locator(".finding", has_text="Budget total du classeur")
    expect(finding).to_be_visible()
    finding.locator("a.cell-link").click()
    cell = page.locator(f"#wb-s0-{grand}")
    expect(cell).to_be_in_viewport()
    assert page.url.endswith(f"#wb-s0-{grand}")
    assert "fed-error" in cell.get_attribute("class")
    assert cell.inner_text().strip() == "3\u202f103\u202f798"
    cell.click()
    form = page.locator("#wb-comment form")
    expect(form.locator("#wb-cell")).to_have_value(grand)
    expect(form.locator("#wb-sheet")).to_have_value(wrong.sheet)
    form.locator("#wb-body").fill("Ce total dépasse de 1 000 USD la somme des agences.")
    form.locator("#wb-sev").select_option("blocking")
    submit(page, form.locator("button.primary"))
    thread = page.locator("article.thread", has_text="Ce total dépasse de 1 000 USD")
    expect(thread).to_be_visible()
    expect(thread.locator(".cell-anchor")).to_contain_text(f"'{wrong.sheet}'!{grand}")
    expect(thread.locator(".cell-anchor")).to_contain_text("TOTAL")
    expect(page.locator(f"#wb-s0-{grand} a.cell-thread")).to_have_count(1)
    logout(page)

    # 3. The drafter attaches the corrected workbook: the finding is gone, the thread follows its cell.
    login(page, base, "drafter@oim.example")
    attach_file(page, base, rid, tmp_path / "Budget 2024 corrigé.xlsx")
    expect(page.locator(".flash").first).to_contain_text("version 4 créée")
    assert page.locator(".finding", has_text="Budget total du classeur").count() == 0
    thread = page.locator("article.thread", has_text="Ce total dépasse de 1 000 USD")
    anchor = thread.locator(".cell-anchor")
    expect(anchor).to_contain_text(f"'{wrong.sheet}'!{grand_after}")
    expect(anchor).to_contain_text("3\u202f102\u202f798")
    expect(anchor).to_contain_text(
        f"Au moment du commentaire (version 3) : '{wrong.sheet}'!{grand} = 3\u202f103\u202f798"
    )
    expect(thread.locator(".badge.anchor")).to_have_text("sa valeur a changé")
    thread.locator("a.cell-link").click()
    expect(page.locator(f"#wb-s0-{grand_after}")).to_be_in_viewport()
    t = db.session.scalar(select(Thread))
    db.session.refresh(t)
    assert (t.cell_ref, t.anchor_status, t.version.number) == (grand_after, "changed", 4)
