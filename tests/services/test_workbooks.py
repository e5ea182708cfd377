"""The budget workbook attached to a version: stored byte for byte, carried by later versions,
checked against the report, refused with a reason (nothing stored), and threads on its cells."""

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from reviewflow import content as C
from reviewflow.extensions import db
from reviewflow.models import Event, Thread, ThreadAnchor, Version, WorkbookFile
from reviewflow.services import (
    editing,
    exports,
    findings,
    imports,
    matrix,
    signoff,
    threads,
    versions,
    workspace,
)
from reviewflow.services import workbook_files as files
from reviewflow.services.errors import Forbidden, Invalid, StaleVersion
from reviewflow.services.workbooks import attach_workbook
from reviewflow.workbook import Limits
from tests.helpers.budget_report import cover_sections, spec, with_cover
from tests.helpers.budget_xlsx import (
    add_formulas,
    as_xlsm,
    build,
    grid_workbook,
    many_rows,
    ole_file,
    with_doctype,
)
from tests.helpers.db import rows
from tests.helpers.reports import Everyone


def attach(world, data, name="Budget 2024.xlsx", who=None, **kw):
    out = attach_workbook(world.report, data, name, actor=who or world.drafter, roles={"drafter"}, **kw)
    db.session.commit()
    return out


def workbook_codes(report, version=None):
    version = version or versions.latest_version(report)
    return sorted(
        (f.code, f.locator) for f in findings.findings_for(report, version) if f.code.startswith("workbook")
    )


# ------------------------------------------------------------------------------------ attaching


def test_the_workbook_is_kept_byte_for_byte_with_the_next_version(world):
    w = with_cover(world)
    before = versions.latest_version(world.report).number
    result = attach(world, w.data, name="C:\\Users\\awa\\Budget PBF 2024.xlsx")
    version = versions.latest_version(world.report)
    assert result.version == version.number == before + 1 and version.source == "workbook"
    data, name = files.download(world.report, version)
    assert data == w.data and name == "Budget PBF 2024.xlsx"
    assert result.workbook["sha256"] == files.workbook_of(version).sha256 and result.workbook["size"] == len(
        w.data
    )
    # the attachment field names the file, and the history says this version changed it
    assert versions.version_contents(version)["budget_attachment"].text == "Budget PBF 2024.xlsx"
    assert "budget_attachment" in versions.changed_sections(version)
    event = db.session.scalar(select(Event).where(Event.action == "workbook.attached"))
    assert event.details["version"] == version.number and event.details["tables"] == 1
    # what the reader found, for the command line and the API
    assert [s["name"] for s in result.sheets] == [w.sheet, "Notes"] and len(result.tables) == 1
    assert result.total["locator"] == f"'{w.sheet}'!{w.cells['grand_total']}"
    assert {a["name"] for a in result.agencies} == set(w.agencies)


def test_a_new_version_without_a_new_workbook_keeps_the_same_one(world):
    w = with_cover(world)
    attach(world, w.data)
    with_wb = versions.latest_version(world.report)
    editing.save_sections(
        world.report,
        {"implementation_status": C.text_blocks("Nouveau texte.")},
        actor=world.drafter,
        roles={"drafter"},
        base_number=with_wb.number,
    )
    db.session.commit()
    later = versions.latest_version(world.report)
    assert later.number == with_wb.number + 1 and later.workbook_id == with_wb.workbook_id
    assert rows(WorkbookFile) == 1  # a pointer, not a copy
    assert "budget_attachment" not in versions.changed_sections(later)
    assert files.download(world.report, later)[0] == w.data


def test_the_same_file_again_makes_no_version_and_an_older_file_again_is_a_pointer(world):
    w = with_cover(world)
    first = attach(world, w.data)
    again = attach(world, w.data, name="autre nom.xlsx")
    assert again.unchanged and again.version is None and again.on_version == first.version
    assert versions.latest_version(world.report).number == first.version
    other = build(spec(outputs=3))
    attach(world, other.data)
    back = attach(world, w.data)
    assert back.version == first.version + 2 and back.workbook["id"] == first.workbook["id"]
    assert rows(WorkbookFile) == 2


def test_the_version_hash_covers_the_workbook(world):
    """An approver signs a version's content: a new workbook with the same text is new content."""
    w = with_cover(world)
    attach(world, w.data)
    a = versions.latest_version(world.report)
    attach(world, build(spec(outputs=3)).data, name="Budget 2024.xlsx")
    b = versions.latest_version(world.report)
    assert versions.version_contents(a).keys() == versions.version_contents(b).keys()
    assert all(
        versions.version_contents(a)[k].sha256 == versions.version_contents(b)[k].sha256
        for k in versions.version_contents(a)
    )
    assert a.content_hash != b.content_hash


def test_a_new_workbook_voids_the_signatures_naming_the_attachment(world):
    w = with_cover(world)
    attach(world, w.data)
    from reviewflow.services import accounts, transitions

    accounts.add_member(
        world.report, world.admin, "approver", actor=world.admin
    )  # two approvers: not yet approved
    transitions.act(world.report, "submit", actor=world.drafter, roles={"drafter"})
    transitions.act(world.report, "start_review", actor=world.reviewer, roles={"reviewer"})
    s = signoff.sign(
        world.report,
        actor=world.approver,
        roles={"approver"},
        version_number=versions.latest_version(world.report).number,
        decision="approve",
        override="Test : budget vérifié à part.",
    )
    db.session.commit()
    attach(world, build(spec(outputs=3)).data)
    db.session.refresh(s)
    assert s.invalidated_at is not None and "budget_attachment" in s.invalidated_reason


def test_only_drafters_attach_and_a_stale_base_on_the_attachment_is_a_conflict(world):
    w = with_cover(world)
    with pytest.raises(Forbidden):
        attach_workbook(world.report, w.data, "b.xlsx", actor=world.reviewer, roles={"reviewer"})
    assert rows(WorkbookFile) == 0
    base = versions.latest_version(world.report).number
    editing.save_sections(
        world.report,
        {"budget_attachment": [C.paragraph("ancien.xlsx")]},
        actor=world.drafter2,
        roles={"drafter"},
        base_number=base,
    )
    db.session.commit()
    with pytest.raises(StaleVersion):
        attach_workbook(
            world.report, w.data, "b.xlsx", actor=world.drafter, roles={"drafter"}, base_number=base
        )
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(WorkbookFile)) == 0


# ------------------------------------------------------------------------------------ refusals

HOSTILE = {
    "pdf": (b"%PDF-1.7 budget", "C'est un PDF"),
    "csv": (b"Agence;Budget\nOIM;1000\nONUDC;2000\n", "fichier texte (CSV)"),
    "xls": (ole_file(("Workbook", "\x05SummaryInformation")), "ancien format (.xls)"),
    "encrypted": (ole_file(("EncryptionInfo", "EncryptedPackage")), "protégé par un mot de passe"),
    "truncated": (b"PK\x03\x04" + b"\0" * 40, "incomplet ou endommagé"),
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_a_refused_file_says_why_and_stores_nothing(world, kind, app):
    with_cover(world)
    data, french = HOSTILE[kind]
    n, events = versions.latest_version(world.report).number, rows(Event)
    with pytest.raises(Invalid) as info:
        attach_workbook(world.report, data, "budget.xlsx", actor=world.drafter, roles={"drafter"})
    assert (
        rows(WorkbookFile) == 0
        and rows(Event) == events
        and versions.latest_version(world.report).number == n
    )
    from reviewflow.errors import translated

    with app.test_request_context("/", headers={"Accept-Language": "fr"}):
        assert french in translated(info.value)
    assert info.value.details["code"] and info.value.details["reason"]


def test_macros_doctype_and_size_are_refused(world):
    with_cover(world)
    good = build(spec()).data
    for data, code in ((as_xlsm(good), "macro"), (with_doctype(good), "doctype")):
        with pytest.raises(Invalid) as info:
            attach_workbook(world.report, data, "b.xlsx", actor=world.drafter, roles={"drafter"})
        assert info.value.details["code"] == code
    with pytest.raises(Invalid) as info:
        attach_workbook(
            world.report,
            good,
            "b.xlsx",
            actor=world.drafter,
            roles={"drafter"},
            limits=Limits(max_bytes=1000),
        )
    assert info.value.details["reason"] == "too_large.size" and "MB" in str(info.value)
    assert rows(WorkbookFile) == 0


# ------------------------------------------------------------------------------------ warnings


def test_formulas_without_cached_values_are_a_warning_not_a_refusal(world):
    w = with_cover(world, spec(formulas="uncached"))
    result = attach(world, w.data)
    [warn] = [x for x in result.warnings if x["code"] == "formula_no_cache"]
    assert warn["locator"].startswith(f"'{w.sheet}'!")
    assert ("workbook_formula_no_cache", warn["locator"]) in workbook_codes(world.report)


def test_a_million_rows_are_read_up_to_the_limit_with_a_warning(world):
    with_cover(world)
    result = attach(world, many_rows(1_000_000))
    assert "rows_capped" in {x["code"] for x in result.warnings}
    assert result.sheets[0]["truncated"] and result.sheets[0]["rows"] == 10_000
    assert "workbook_truncated" in {c for c, _l in workbook_codes(world.report)}


def test_headers_in_another_language_give_a_warning_and_a_finding(world):
    with_cover(world)
    data = grid_workbook(
        [
            ["Presupuesto por organización receptora", None, None],
            ["Actividad", "PNUD", "ONU Mujeres"],
            ["Actividad 1.1", 1000, 2000],
            ["Total general", 1000, 2000],
        ],
        title="Presupuesto",
    )
    result = attach(world, data)
    assert result.tables == [] and "no_budget_table" in {x["code"] for x in result.warnings}
    assert [c for c, _l in workbook_codes(world.report)] == ["workbook_no_table"]


def test_merged_headers_are_understood(world):
    w = with_cover(world, spec(merged=True))
    result = attach(world, w.data)
    assert [c["name"] for c in result.tables[0]["columns"] if c["role"] == "recipient"] == list(w.agencies)


# ------------------------------------------------------------------------------------ checks


def test_no_workbook_is_a_missing_workbook_finding(world):
    with_cover(world)
    [f] = [
        f
        for f in findings.findings_for(world.report, versions.latest_version(world.report))
        if f.code.startswith("workbook")
    ]
    assert f.code == "workbook_missing" and f.severity == "error" and f.section == "budget_attachment"


def test_the_findings_follow_the_workbook_and_name_its_cells(world):
    w = with_cover(world, spec(mismatch={"grand": Decimal(1000)}))
    attach(world, w.data)
    grand = f"'{w.sheet}'!{w.cells['grand_total']}"
    assert ("workbook_total_mismatch", grand) in workbook_codes(world.report)
    attach(world, build(spec()).data)
    assert workbook_codes(world.report) == []
    # the earlier version keeps its own findings
    earlier = versions.get_version(world.report, versions.latest_version(world.report).number - 1)
    assert ("workbook_total_mismatch", grand) in workbook_codes(world.report, earlier)


def test_the_findings_cache_tells_two_workbooks_apart(world, monkeypatch):
    """Two versions with the same text and two workbooks must never share findings."""
    w = with_cover(world, spec(mismatch={"grand": Decimal(1000)}))
    attach(world, w.data)
    bad = versions.latest_version(world.report)
    attach(world, build(spec()).data)
    good = versions.latest_version(world.report)
    monkeypatch.setattr(good, "content_hash", bad.content_hash)  # as if the hash did not cover it
    assert workbook_codes(world.report, good) == []
    assert workbook_codes(world.report, bad) != []


def test_a_stored_workbook_that_can_no_longer_be_read_is_a_finding_not_an_error(world, monkeypatch):
    w = with_cover(world)
    attach(world, w.data)
    files.CACHE.clear()
    findings._CACHE.clear()

    def refuse(*_a, **_k):
        raise Invalid(
            "This workbook is damaged: its sheets could not be read. Open it in Excel (which may "
            "offer to repair it) and save a new copy as .xlsx."
        )

    monkeypatch.setattr(files, "read", refuse)
    assert [c for c, _l in workbook_codes(world.report)] == ["workbook_unreadable"]
    page = workspace.report_page(world.report, world.reviewer, {"reviewer"})
    assert page.workbook.unreadable is not None and page.workbook.sheets == []
    findings._CACHE.clear()


def test_the_page_panel_shows_the_tables_and_the_cells_the_findings_point_at(world):
    w = with_cover(world, spec(mismatch={"grand": Decimal(1000)}))
    attach(world, w.data)
    page = workspace.report_page(world.report, world.reviewer, {"reviewer"})
    panel = page.workbook
    assert panel.row.filename == "Budget 2024.xlsx" and panel.attached_in == page.version.number
    [sheet, notes] = panel.sheets
    assert len(sheet.tables) == 1 and notes.tables == []
    cell_id = panel.anchor_id(f"'{w.sheet}'!{w.cells['grand_total']}")
    assert cell_id == f"wb-s0-{w.cells['grand_total']}"
    cells = {c.ref: c for r in sheet.tables[0].rows for c in r.cells}
    assert cells[w.cells["grand_total"]].severity == "error"
    assert cells[w.cells["grand_total"]].value == w.total
    assert dict((k, f.value) for k, f in panel.figures)["total"] == w.total


def test_a_long_table_shows_a_bounded_number_of_rows_keeping_totals_and_fed_cells(world):
    w = with_cover(world, spec(outcomes=4, outputs=6, activities=8, mismatch={"row": "4.6.8"}))
    attach(world, w.data)
    panel = workspace.report_page(world.report, world.reviewer, {"reviewer"}).workbook
    table = panel.sheets[0].tables[0]
    shown = [r for r in table.rows if r.number is not None]
    assert len(shown) <= 120 < table.row_count
    assert sum(r.hidden for r in table.rows if r.number is None) == table.row_count - len(shown)
    assert panel.anchor_id(f"'{w.sheet}'!{w.cells['row_total:4.6.8']}")  # the wrong line is shown
    assert panel.anchor_id(f"'{w.sheet}'!{w.cells['grand_total']}")  # and the total


# ------------------------------------------------------------------------------------ cell threads


def cell_thread(world, w, key="grand_total", body="Ce total ne correspond pas."):
    t = threads.open_thread(
        world.report,
        actor=world.reviewer,
        roles={"reviewer"},
        section_key="",
        body=body,
        cell=(w.sheet, w.cells[key]),
    )
    db.session.commit()
    return t


def test_a_thread_on_a_cell_records_the_cell_its_value_and_its_row(world):
    w = with_cover(world, spec(mismatch={"grand": Decimal(1000)}))
    attach(world, w.data)
    t = cell_thread(world, w)
    assert t.anchor_kind == "cell" and t.section.key == "budget_attachment" and t.anchor_status == "exact"
    assert (t.cell_sheet, t.cell_ref, t.cell_label, t.cell_column) == (
        w.sheet,
        w.cells["grand_total"],
        "TOTAL",
        "Total",
    )
    assert Decimal(t.cell_value) == w.total and t.quote == ""
    [a] = t.anchors
    assert a.cell == t.cell_locator and a.quote == t.cell_value
    event = db.session.scalar(select(Event).where(Event.action == "thread.opened"))
    assert event.details["cell"] == t.cell_locator


def test_cells_that_are_not_there_are_refused_with_a_reason(world):
    w = with_cover(world)
    with pytest.raises(Invalid):  # no workbook yet
        threads.open_thread(
            world.report,
            actor=world.reviewer,
            roles={"reviewer"},
            section_key="",
            body="x",
            cell=(w.sheet, "F23"),
        )
    attach(world, w.data)
    for sheet, ref in ((w.sheet, "F"), ("Pas là", "A1"), (w.sheet, "A1:ZZ100000")):
        with pytest.raises(Invalid):
            threads.open_thread(
                world.report,
                actor=world.reviewer,
                roles={"reviewer"},
                section_key="",
                body="x",
                cell=(sheet, ref),
            )
    assert rows(Thread) == 0


def test_the_thread_follows_its_cell_to_a_corrected_workbook(world):
    w = with_cover(world, spec(mismatch={"grand": Decimal(1000)}))
    attach(world, w.data)
    t = cell_thread(world, w)
    fixed = build(spec(outputs=3))  # corrected, and rows were added above the total
    attach(world, fixed.data)
    db.session.refresh(t)
    latest = versions.latest_version(world.report)
    assert t.version_id == latest.id and t.cell_ref == fixed.cells["grand_total"] != w.cells["grand_total"]
    assert t.anchor_status == "changed" and Decimal(t.cell_value) == fixed.total
    first, last = t.anchors
    assert (first.cell, Decimal(first.quote)) == (f"'{w.sheet}'!{w.cells['grand_total']}", w.total)
    assert last.cell == t.cell_locator and last.status == "changed"
    # a version that keeps the workbook keeps the thread where it is
    editing.save_sections(
        world.report,
        {"implementation_status": C.text_blocks("Texte.")},
        actor=world.drafter,
        roles={"drafter"},
        base_number=latest.number,
    )
    db.session.commit()
    db.session.refresh(t)
    assert t.cell_ref == fixed.cells["grand_total"] and t.anchors[-1].version.number == latest.number + 1


def test_a_cell_whose_row_is_gone_is_orphaned_visible_and_can_be_reattached(world):
    w = with_cover(world)
    attach(world, w.data)
    t = cell_thread(world, w, key="output_total:2.2")
    attach(world, build(spec(outputs=1)).data)
    db.session.refresh(t)
    assert t.anchor_status == "orphaned" and t.status == "open" and t.cell_label == "Total produit 2.2"
    page = workspace.report_page(
        world.report, world.reviewer, {"reviewer"}, filters=workspace.Filters("orphaned")
    )
    assert [x.id for x in page.threads] == [t.id] and page.counts["orphaned"] == 1
    fresh = build(spec(outputs=1))
    threads.reattach_cell(
        t, actor=world.reviewer, roles={"reviewer"}, sheet=fresh.sheet, ref=fresh.cells["grand_total"]
    )
    db.session.commit()
    assert t.anchor_status == "exact" and t.cell_label == "TOTAL"
    with pytest.raises(Invalid):
        threads.reattach(t, actor=world.reviewer, roles={"reviewer"}, start=0, end=1)


def test_an_orphaned_cell_thread_finds_its_row_again_in_a_later_workbook(world):
    w = with_cover(world)
    attach(world, w.data)
    t = cell_thread(world, w, key="output_total:2.2")
    attach(world, build(spec(outputs=1)).data)
    attach(world, w.data)
    db.session.refresh(t)
    assert t.anchor_status == "exact" and t.cell_ref == w.cells["output_total:2.2"]


def test_a_finding_on_a_cell_becomes_a_thread_on_that_cell(world):
    w = with_cover(world, spec(mismatch={"output": "1.1"}))
    attach(world, w.data)
    version = versions.latest_version(world.report)
    [f] = [f for f in findings.findings_for(world.report, version) if f.code == "workbook_sum_mismatch"]
    t = findings.to_thread(world.report, version, f.fingerprint, actor=world.reviewer, roles={"reviewer"})
    assert t.anchor_kind == "cell" and t.cell_locator == f.locator and t.severity == "blocking"


def test_cell_threads_are_in_the_matrix_and_in_the_word_export(world):
    w = with_cover(world, spec(mismatch={"grand": Decimal(1000)}))
    attach(world, w.data)
    cell_thread(world, w)
    [row] = matrix.rows(world.report, Everyone(), lang="fr")
    assert row.section == "Budget Excel joint"
    assert row.quote.startswith(f"Cellule '{w.sheet}'!{w.cells['grand_total']} — TOTAL : 3\u202f103\u202f798")
    [row_en] = matrix.rows(world.report, Everyone(), lang="en")
    assert row_en.quote.endswith("TOTAL: 3,103,798")
    data, _name, kind = exports.export_docx(
        world.report, viewer=Everyone(), options=exports.ExportOptions(lang="fr")
    )
    from reviewflow.wordio import read_docx

    doc = read_docx(data)
    [c] = doc.comments
    assert (
        c.text.startswith(
            f"[Cellule '{w.sheet}'!{w.cells['grand_total']} — TOTAL : 3\u202f103\u202f798 du budget Excel]"
        )
        and "Ce total ne correspond pas." in c.text
    )
    # the export comes back: the comment is recognised, not duplicated
    summary = imports.import_docx(
        world.report, data, "retour.docx", actor=world.reviewer, roles={"reviewer"}, mode="review"
    )
    assert summary.already_known == 1 and summary.threads_created == 0


def test_cell_threads_do_not_highlight_words_of_the_attachment_field(world):
    w = with_cover(world)
    attach(world, w.data)
    cell_thread(world, w)
    page = workspace.report_page(world.report, world.reviewer, {"reviewer"})
    [section] = [s for p in page.parts for s in p.sections if s.field.key == "budget_attachment"]
    assert len(section.threads) == 1 and section.ranges == []


def test_text_threads_are_unchanged_by_a_new_workbook(world):
    w = with_cover(world)
    editing.save_sections(
        world.report,
        {"implementation_status": C.text_blocks("Pas de retard.")},
        actor=world.drafter,
        roles={"drafter"},
        base_number=versions.latest_version(world.report).number,
    )
    db.session.commit()
    t = threads.open_thread(
        world.report,
        actor=world.reviewer,
        roles={"reviewer"},
        section_key="implementation_status",
        body="Vraiment ?",
        start=0,
        end=3,
    )
    db.session.commit()
    attach(world, w.data)
    db.session.refresh(t)
    assert (t.anchor_kind, t.quote, t.anchor_status) == ("text", "Pas", "exact")
    assert (
        db.session.scalar(
            select(ThreadAnchor.cell)
            .where(ThreadAnchor.thread_id == t.id)
            .order_by(ThreadAnchor.id.desc())
            .limit(1)
        )
        is None
    )


def test_the_cover_helper_matches_the_workbook(world):
    """The test helper itself: a workbook built without mismatches gives no workbook finding."""
    w = build(spec())
    assert cover_sections(w)["implementation_rate"][0]["text"] == "17"
    with_cover(world)
    attach(world, w.data)
    assert workbook_codes(world.report) == []
    assert db.session.scalar(select(func.count()).select_from(Version)) == 3


def test_formulas_left_uncached_on_one_total_still_give_the_figures(world):
    """A workbook with a single total saved as a formula without its value: the figure is summed
    from the lines and the warning names the cell."""
    w = build(spec(formulas="values"))
    data = add_formulas(
        w.data, "xl/worksheets/sheet1.xml", {w.cells["grand_total"]: "SUM(F5:F29)"}, cached=False
    )
    with_cover(world)
    result = attach(world, data)
    [warn] = [x for x in result.warnings if x["code"] == "formula_no_cache"]
    assert warn["locator"].endswith("!" + w.cells["grand_total"])


def test_a_workbook_of_many_tables_shows_a_bounded_number_of_them(world):
    with_cover(world)
    grid = [
        ["Activité", "OIM RCA", "ONUDC", "Total"],
        ["Activité 1.1", 100, 200, 300],
        ["Activité 1.2", 10, 20, 30],
        ["TOTAL", 110, 220, 330],
    ]
    attach(world, grid_workbook(grid, extra_sheets={f"Feuille {i}": grid for i in range(19)}))
    panel = workspace.report_page(world.report, world.reviewer, {"reviewer"}).workbook
    shown = sum(len(s.tables) for s in panel.sheets)
    assert shown == 12 and sum(s.more_tables for s in panel.sheets) == 20 - 12
    assert panel.sheets[0].tables[0].primary
