"""Anchors on workbook cells: what a thread on a cell records, and where it goes when a new
workbook arrives (same sheet and row label, else orphaned)."""

from decimal import Decimal

import pytest

from reviewflow.report_templates import load_template
from reviewflow.workbook import anchor_at, find_budget, follow, read_workbook
from reviewflow.workbook.anchor import CellAnchor, parse_range
from tests.helpers.budget_xlsx import SEED_AGENCIES, BudgetSpec, build, grid_workbook

T = load_template("pbf")


def small(**kw):
    base = dict(outcomes=2, outputs=2, activities=2, category_sheet=False, gewe="row")
    base.update(kw)
    return BudgetSpec(**base)


def parsed(spec):
    w = build(spec)
    cells = read_workbook(w.data)
    return w, cells, find_budget(cells, T)


@pytest.fixture(scope="module")
def before():
    return parsed(small(mismatch={"grand": Decimal(1000)}))


def test_an_anchor_records_the_value_the_row_label_and_the_column_header(before):
    w, cells, budget = before
    a = anchor_at(cells, w.sheet, w.cells["grand_total"], budget)
    assert (a.sheet, a.ref, a.label, a.column) == (w.sheet, w.cells["grand_total"], "TOTAL", "Total")
    assert Decimal(a.value) == w.total
    assert a.locator == f"'{w.sheet}'!{w.cells['grand_total']}"
    # a line's label is its number and its formulation
    line = anchor_at(cells, w.sheet, w.cells["row_total:1.1.2"], budget)
    assert line.label.startswith("1.1.2 Activité 1.1.2")


def test_the_same_workbook_again_is_exact(before):
    w, cells, budget = before
    a = anchor_at(cells, w.sheet, w.cells["grand_total"], budget)
    assert follow(a, cells, budget) == ("exact", a)


def test_rows_inserted_above_move_the_anchor_with_its_row(before):
    w, cells, budget = before
    a = anchor_at(cells, w.sheet, w.cells["output_total:2.1"], budget)
    w2, cells2, budget2 = parsed(small(outputs=3, mismatch={"grand": Decimal(1000)}))  # output 1.3 added
    status, b = follow(a, cells2, budget2)
    assert b.ref == w2.cells["output_total:2.1"] != a.ref and b.label == "Total produit 2.1"
    # the amounts of the lines changed with the new output, so the value did too: "changed"
    assert status == ("moved" if b.value == a.value else "changed")


def test_a_corrected_total_is_changed_and_shows_its_new_value(before):
    w, cells, budget = before
    a = anchor_at(cells, w.sheet, w.cells["grand_total"], budget)
    _w2, cells2, budget2 = parsed(small())
    status, b = follow(a, cells2, budget2)
    assert status == "changed" and b.ref == a.ref and Decimal(a.value) - Decimal(b.value) == 1000


def test_a_row_whose_label_is_gone_is_orphaned(before):
    w, cells, budget = before
    a = anchor_at(cells, w.sheet, w.cells["output_total:2.2"], budget)
    _w2, cells2, budget2 = parsed(small(outputs=1))  # no output 2.2 any more
    assert follow(a, cells2, budget2) == ("orphaned", None)


def test_a_sheet_that_is_gone_is_orphaned(before):
    w, cells, budget = before
    a = anchor_at(cells, w.sheet, "C7", budget)
    _w2, cells2, budget2 = parsed(small(sheet_name="Budget"))
    assert follow(a, cells2, budget2) == ("orphaned", None)


def test_the_column_follows_its_agency_when_a_column_is_inserted(before):
    w, cells, budget = before
    col = w.agency_cols["OIM-RCA"]
    a = anchor_at(cells, w.sheet, f"{col}{w.cells['grand_total'][1:]}", budget)
    assert a.column == "OIM-RCA"
    agencies = (("PNUD", Decimal("500000.00")), *SEED_AGENCIES)
    w2, cells2, budget2 = parsed(small(agencies=agencies, mismatch={"grand": Decimal(1000)}))
    status, b = follow(a, cells2, budget2)
    assert b.ref == f"{w2.agency_cols['OIM-RCA']}{w2.cells['grand_total'][1:]}" != a.ref
    assert (status, b.value, b.column) == ("moved", a.value, "OIM-RCA")


def test_a_range_keeps_its_shape_and_holds_the_sum_of_its_numbers(before):
    w, cells, budget = before
    col = w.agency_cols["ONUDC-ROSEN"]
    first = int(w.cells["row_total:1.1.1"][1:])
    a = anchor_at(cells, w.sheet, f"{col}{first}:{col}{first + 1}", budget)
    assert a.is_range and a.ref == f"{col}{first}:{col}{first + 1}"
    total = sum(Decimal(str(cells.sheet(w.sheet).value(r, 3))) for r in (first, first + 1))
    assert Decimal(a.value) == total
    assert follow(a, cells, budget) == ("exact", a)


def test_duplicate_labels_take_the_nearest_row():
    data = grid_workbook([["Frais", 1], ["Autre", 2], ["Frais", 3], ["Frais", 4]])
    cells = read_workbook(data)
    sheet = cells.sheets[0].name
    a = anchor_at(cells, sheet, "B3")
    assert (a.label, a.value) == ("Frais", "3")
    moved = read_workbook(
        grid_workbook([["Titre", None], ["Frais", 1], ["Autre", 2], ["Frais", 3], ["Frais", 4]])
    )
    assert follow(a, moved) == ("moved", CellAnchor(sheet, "B4", "3", "Frais", ""))


def test_a_cell_without_a_label_stays_at_its_reference():
    cells = read_workbook(grid_workbook([[10, 20], [30, 40]]))
    sheet = cells.sheets[0].name
    a = anchor_at(cells, sheet, "B2")
    assert a.label == "" and follow(a, read_workbook(grid_workbook([[10, 20], [30, 41]]))) == (
        "changed",
        CellAnchor(sheet, "B2", "41", "", ""),
    )


@pytest.mark.parametrize("ref", ["", "F", "23", "F23:", "A1:ZZZZ2", "F0"])
def test_a_bad_reference_is_refused(before, ref):
    w, cells, budget = before
    with pytest.raises(ValueError):
        anchor_at(cells, w.sheet, ref, budget)


def test_an_unknown_sheet_is_refused(before):
    _w, cells, budget = before
    with pytest.raises(KeyError):
        anchor_at(cells, "Pas de feuille", "A1", budget)


def test_a_range_too_large_is_refused(before):
    w, cells, budget = before
    with pytest.raises(ValueError):
        anchor_at(cells, w.sheet, "A1:Z10000", budget)


def test_references_are_normalised():
    assert parse_range("$c$44:c7") == (7, 3, 44, 3)
    assert parse_range("f23") == (23, 6, 23, 6)
