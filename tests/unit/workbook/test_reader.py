"""Reading cells: cached values only, formulas flagged, limits with warnings, locators."""

import io
import zipfile
from datetime import datetime

import pytest
from openpyxl import Workbook as OpenpyxlWorkbook

from reviewflow.workbook import Limits, WorkbookError, locator, parse_ref, read_workbook
from tests.helpers.budget_xlsx import BudgetSpec, add_formulas, build, grid_workbook, rewrite, sheet_xml
from tests.helpers.i18n import french


def test_values_types_and_sheets_in_order():
    wb = OpenpyxlWorkbook()
    ws = wb.active
    ws.title = "Budget"
    ws["A1"], ws["B1"], ws["C1"], ws["D1"] = "Agence", 1507352.5, True, datetime(2021, 2, 12)
    ws["A2"] = "Éducation à l'égalité"
    hidden = wb.create_sheet("Caché")
    hidden["A1"] = 7
    hidden.sheet_state = "hidden"
    buf = io.BytesIO()
    wb.save(buf)
    out = read_workbook(buf.getvalue())
    assert out.sheet_names == ["Budget", "Caché"]
    s = out.sheet("Budget")
    assert s.value(1, 1) == "Agence" and s.value(1, 2) == 1507352.5 and s.value(1, 3) is True
    assert s.value(1, 4) == datetime(2021, 2, 12)
    assert s.text(2, 1) == "Éducation à l'égalité"
    assert out.sheet("Caché").state == "hidden" and out.sheet("Caché").value(1, 1) == 7
    assert out.size == len(buf.getvalue()) and len(out.sha256) == 64


def test_formulas_give_their_cached_value_and_are_never_evaluated():
    data = grid_workbook([["a", 1], ["b", 2], ["total", 999]])
    data = add_formulas(data, "xl/worksheets/sheet1.xml", {"B3": "SUM(B1:B2)"}, cached=True)
    s = read_workbook(data).sheets[0]
    cell = s.cell(3, 2)
    assert cell.formula and cell.value == 999  # Excel's cached value, even though 1 + 2 = 3
    assert not s.cell(1, 2).formula


def test_formula_without_cached_value_warns_with_its_cells():
    w = build(BudgetSpec(formulas="uncached", category_sheet=False, notes_sheet=False))
    out = read_workbook(w.data)
    [warn] = [x for x in out.warnings if x.code == "formula_no_cache"]
    grand = w.cells["grand_total"]
    s = out.sheets[0]
    row, col = parse_ref(grand)
    assert s.cell(row, col).formula and s.cell(row, col).value is None
    assert (
        warn.figures["count"] >= 10
        and "recalculated" in warn.message["en"]
        and "recalculées" in warn.message["fr"]
    )
    assert warn.locator.startswith("'1) Budget par résultat'!")


def test_error_values_are_kept_as_errors():
    data = grid_workbook([["x", 1]])
    body = sheet_xml(data).replace(
        b'<c r="B1" t="n"><v>1</v></c>', b'<c r="B1" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
    )
    out = read_workbook(rewrite(data, {"xl/worksheets/sheet1.xml": body}))
    c = out.sheets[0].cell(1, 2)
    assert c.error and c.value == "#DIV/0!"
    assert any(w.code == "error_values" for w in out.warnings)


def test_merged_ranges_are_read_from_the_sheet():
    data = grid_workbook([["Budget par agence", None, None], ["OIM", "ONUDC", "PNUD"]], merges=["A1:C1"])
    assert read_workbook(data).sheets[0].merged == [(1, 1, 1, 3)]


def test_a_far_cell_does_not_cost_a_dense_grid():
    """python-calamine allocates rows x columns for this 5 KB file and aborts; we read two cells."""
    wb = OpenpyxlWorkbook()
    wb.active["A1"] = 1
    wb.active["XFD1048576"] = 2
    buf = io.BytesIO()
    wb.save(buf)
    out = read_workbook(buf.getvalue())
    s = out.sheets[0]
    assert s.cell_count == 1 and s.truncated
    assert {w.code for w in out.warnings} >= {"rows_capped"}


def test_columns_beyond_the_limit_are_dropped_with_a_warning():
    out = read_workbook(grid_workbook([["a"] + [None] * 30 + ["far"]]), limits=Limits(max_cols=10))
    assert out.sheets[0].cell(1, 32) is None
    [w] = [w for w in out.warnings if w.code == "cols_capped"]
    assert "J" in w.message["en"]


def test_cells_and_sheets_limits():
    data = grid_workbook([[i, i] for i in range(1, 50)], extra_sheets={"Deux": [[1]], "Trois": [[1]]})
    out = read_workbook(data, limits=Limits(max_cells=20))
    assert sum(s.cell_count for s in out.sheets) == 20
    assert {w.code for w in out.warnings} >= {"cells_capped", "sheets_capped"}
    out = read_workbook(data, limits=Limits(max_sheets=1))
    assert out.sheet_names == ["Budget"]
    [w] = [w for w in out.warnings if w.code == "sheets_capped"]
    assert w.figures["sheets"] == ["Deux", "Trois"]


def test_prefixed_spreadsheetml_namespace_is_read():
    data = grid_workbook([["Total", 12]])
    body = sheet_xml(data)
    ns = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    body = body.replace(ns, b'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"')
    import re

    body = re.sub(rb"<(/?)(?!\?)([A-Za-z]+)", lambda m: b"<" + m.group(1) + b"x:" + m.group(2), body)
    s = read_workbook(rewrite(data, {"xl/worksheets/sheet1.xml": body})).sheets[0]
    assert s.value(1, 1) == "Total" and s.value(1, 2) == 12


def test_a_damaged_sheet_is_refused_as_corrupt():
    data = grid_workbook([["a", 1]])
    body = sheet_xml(data).replace(b"</sheetData>", b"<row><c></sheetData>")
    with pytest.raises(WorkbookError) as info:
        read_workbook(rewrite(data, {"xl/worksheets/sheet1.xml": body}))
    assert info.value.code == "corrupt" and "endommagé" in french(info.value.template)


def test_a_shared_string_out_of_range_is_corrupt_not_a_crash():
    data = grid_workbook([["a", "b"]])
    body = sheet_xml(data).replace(b"<v>1</v>", b"<v>999</v>", 1)
    with pytest.raises(WorkbookError) as info:
        read_workbook(rewrite(data, {"xl/worksheets/sheet1.xml": body}))
    assert info.value.code == "corrupt"


@pytest.mark.parametrize(
    "sheet,ref,expected",
    [
        ("Budget", (23, 6), "Budget!F23"),
        ("1) Budget par résultat", (45, 3), "'1) Budget par résultat'!C45"),
        ("L'équipe", (1, 1), "'L''équipe'!A1"),
        ("AB12", (2, 28), "'AB12'!AB2"),
    ],
)
def test_locators(sheet, ref, expected):
    assert locator(sheet, *ref) == expected
    assert parse_ref(expected.rsplit("!", 1)[1]) == ref


def test_locator_of_a_range():
    assert locator("Budget", 5, 7, 40, 7) == "Budget!G5:G40"


def test_reading_never_opens_the_network_or_evaluates(monkeypatch):
    """No socket is opened while reading (external links, DTDs): any attempt fails the test."""
    import socket

    def boom(*a, **k):
        raise AssertionError("network access while reading a workbook")

    monkeypatch.setattr(socket.socket, "connect", boom)
    w = build(BudgetSpec())
    assert read_workbook(w.data).sheets


def test_the_package_is_read_once_by_the_guard_and_once_by_the_parser():
    """Every member the parser reads was scanned: a DOCTYPE smuggled into sharedStrings is refused."""
    data = grid_workbook([["Agence", "OIM"]])
    z = zipfile.ZipFile(io.BytesIO(data))
    body = z.read("xl/sharedStrings.xml")
    body = b'<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "b">]>' + body.split(b"?>", 1)[-1]
    with pytest.raises(WorkbookError) as info:
        read_workbook(rewrite(data, {"xl/sharedStrings.xml": body}))
    assert info.value.code == "doctype"


def test_shared_strings_read_as_openpyxl_reads_them():
    """Rich-text runs joined, phonetic guides (rPh) left out, spaces kept: our fast pass gives the
    texts of openpyxl's read_string_table."""
    from openpyxl.reader.strings import read_string_table

    from reviewflow.workbook.reader import _shared_strings

    sst = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4" uniqueCount="4">'
        '<si><t>Agence</t></si><si><r><rPr><b/></rPr><t>Budget </t></r><r><t>'
        'total</t></r></si><si><t xml:space="preserve">  OIM  </t><rPh sb="0" eb="1"><t>オ</t></rPh></si>'
        "<si><t/></si></sst>"
    ).encode()
    data = grid_workbook([["a", "b"]])
    data = rewrite(data, {"xl/sharedStrings.xml": sst})
    z = zipfile.ZipFile(io.BytesIO(data))
    assert (
        _shared_strings(z, "xl/sharedStrings.xml")
        == list(read_string_table(z.open("xl/sharedStrings.xml")))
        == ["Agence", "Budget total", "  OIM  ", ""]
    )


def _date_out_of_range() -> bytes:
    """A cell formatted as a date whose serial is far beyond year 9999: openpyxl warns."""
    wb = OpenpyxlWorkbook()
    ws = wb.active
    ws["A1"] = 1e12
    ws["A1"].number_format = "yyyy-mm-dd"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_reads_in_threads_keep_their_own_reader_warnings_and_leave_the_filters_alone():
    """openpyxl's warnings are recorded with warnings.catch_warnings, which swaps process-wide
    state: reads overlapping in several threads must each get their own warnings back and leave
    the filters as they found them."""
    import threading
    import warnings

    data = _date_out_of_range()
    filters_before = list(warnings.filters)
    results, errors = [], []

    def work():
        try:
            for _ in range(6):
                results.append(read_workbook(data))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    workers = [threading.Thread(target=work) for _ in range(4)]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    assert errors == []
    assert len(results) == 24
    assert all(sum(w.code == "reader_warning" for w in r.warnings) == 1 for r in results)
    assert warnings.filters == filters_before
