"""The workbook guard: every refusal has a code and a reason in French and English, and is
decided on the content (never on the file name), before any spreadsheet library parses it."""

import io
import os
import warnings
import zipfile

import docx
import pytest

from reviewflow.report_templates import load_template
from reviewflow.workbook import DEFAULT_LIMITS, Limits, WorkbookError, check_xlsx, find_budget, read_workbook
from reviewflow.workbook import guard as G
from reviewflow.workbook.errors import REFUSALS
from tests.helpers.budget_xlsx import (
    BudgetSpec,
    as_xlsm,
    budget_workbook,
    many_rows,
    ole_file,
    rewrite,
    sheet_xml,
    with_doctype,
    zip_bomb,
)
from tests.helpers.i18n import french

SMALL = BudgetSpec(outcomes=1, outputs=1, activities=2, category_sheet=False, notes_sheet=False)


@pytest.fixture(scope="module")
def good():
    return budget_workbook(SMALL)


def refused(data, code, limits=DEFAULT_LIMITS):
    with pytest.raises(WorkbookError) as info:
        read_workbook(data, limits=limits)
    err = info.value
    assert err.code == code, (err.code, err.message)
    assert err.template in REFUSALS.values() and french(err.template), err.reason
    return err


def test_a_good_workbook_passes_and_lists_its_worksheets(good):
    pkg = check_xlsx(good)
    assert pkg.workbook_part == "xl/workbook.xml"
    assert list(pkg.worksheets) == ["xl/worksheets/sheet1.xml"]
    assert pkg.worksheets["xl/worksheets/sheet1.xml"].has_formulas
    assert "C3:E3" in pkg.worksheets["xl/worksheets/sheet1.xml"].merges
    assert pkg.external_links == []


@pytest.mark.parametrize(
    "data,code,words",
    [
        (b"Agence;Budget\nOIM;1507352\nONUDC;973520\n", "not_zip", "CSV"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "not_zip", "PDF"),
        (b"<html><body><table><tr><td>1</td></tr></table></body></html>", "not_zip", "HTML"),
        (os.urandom(4096).replace(b"PK", b"pk"), "not_zip", "not an Excel workbook"),
        (b"", "not_zip", "not an Excel workbook"),
    ],
)
def test_not_a_workbook(data, code, words):
    err = refused(data, code)
    assert words in err.message


def test_excel_2003_xml_is_refused_as_legacy():
    data = (
        b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">'
        b'<Worksheet ss:Name="Budget"/></Workbook>'
    )
    assert "2003" in refused(data, "legacy_xls").message


def test_encrypted_workbook_is_refused_with_how_to_remove_the_password():
    err = refused(ole_file(("EncryptionInfo", "EncryptedPackage")), "ole_encrypted")
    assert "password" in err.message and "mot de passe" in french(err.template)


def test_xls_is_refused_whatever_its_name():
    err = refused(ole_file(("Workbook", "\x05SummaryInformation")), "legacy_xls")
    assert ".xls" in err.message and "xlsx" in err.message


def test_word_97_document_is_not_a_workbook():
    assert ".doc" in refused(ole_file(("WordDocument",)), "not_zip").message


def test_xlsm_by_its_vba_project(good):
    err = refused(as_xlsm(good), "macro")
    assert "no macro was run" in err.message and "aucune macro" in french(err.template)


def test_xlsm_by_its_content_type_alone(good):
    refused(as_xlsm(good, content_type_only=True), "macro")


def test_vba_project_alone_is_enough(good):
    refused(rewrite(good, {}, {"xl/vbaProject.bin": b"\x00" * 64}), "macro")


def test_excel4_macro_sheet_is_refused(good):
    ct = (
        zipfile.ZipFile(io.BytesIO(good))
        .read("[Content_Types].xml")
        .replace(
            b"</Types>",
            b'<Override PartName="/xl/macrosheets/sheet1.xml" '
            b'ContentType="application/vnd.ms-excel.macrosheet+xml"/></Types>',
        )
    )
    refused(rewrite(good, {"[Content_Types].xml": ct}, {"xl/macrosheets/sheet1.xml": b"<xm/>"}), "macro")


def test_binary_workbook_is_refused(good):
    data = rewrite(good, {"xl/workbook.xml": None}, {"xl/workbook.bin": b"\x83\x01\x00"})
    assert ".xlsb" in refused(data, "xlsb").message


def test_a_word_document_is_not_a_workbook():
    buf = io.BytesIO()
    d = docx.Document()
    d.add_paragraph("Budget")
    d.save(buf)
    assert "Word" in refused(buf.getvalue(), "not_xlsx").message


def test_an_ods_spreadsheet_is_named():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
    assert ".ods" in refused(buf.getvalue(), "not_xlsx").message


def test_strict_open_xml_is_refused(good):
    body = (
        zipfile.ZipFile(io.BytesIO(good))
        .read("xl/workbook.xml")
        .replace(
            b"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
            b"http://purl.oclc.org/ooxml/spreadsheetml/main",
        )
    )
    assert "Strict" in refused(rewrite(good, {"xl/workbook.xml": body}), "not_xlsx").message


def test_over_the_size_limit(good):
    err = refused(good, "too_large", Limits(max_bytes=len(good) - 1))
    assert err.figures["limit"] == len(good) - 1
    # the default limit (the upload limit, 25 MB) is checked before anything is unzipped
    big = b"PK\x03\x04" + os.urandom(DEFAULT_LIMITS.max_bytes)
    assert "25 MB" in refused(big, "too_large").message


def test_truncated_upload(good):
    refused(good[: len(good) // 2], "truncated")


def test_zip_bomb_member_ratio():
    refused(zip_bomb(4), "zip_bomb")


def test_too_many_members(good):
    extra = {f"xl/media/image{i}.png": b"\x89PNG" for i in range(30)}
    refused(rewrite(good, {}, extra), "zip_bomb", Limits(max_members=20))


def test_a_sheet_over_the_data_limit_says_so(good):
    err = refused(
        good, "too_much_data", Limits(max_part_uncompressed=1000, max_total_uncompressed=10_000_000)
    )
    assert "worksheet" in err.message and "feuille" in french(err.template)


def test_password_encrypted_zip_member(good):
    data = bytearray(good)
    i = data.find(b"PK\x01\x02")
    while i != -1:  # set the "encrypted" flag of every central directory entry
        data[i + 8] |= 1
        i = data.find(b"PK\x01\x02", i + 4)
    refused(bytes(data), "encrypted")


def test_duplicate_part(good):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns when writing a duplicate name
        data = rewrite(good, {}, {"xl/workbook.xml": b"<workbook/>"})
    refused(data, "not_xlsx")


@pytest.mark.parametrize("kind", ["xxe", "laughs"])
def test_doctype_in_a_sheet(good, kind):
    err = refused(with_doctype(good, kind=kind), "doctype")
    assert err.part == "xl/worksheets/sheet1.xml"


@pytest.mark.parametrize(
    "part",
    [
        "xl/workbook.xml",
        "xl/styles.xml",
        "xl/_rels/workbook.xml.rels",
        "[Content_Types].xml",
        "docProps/core.xml",
    ],
)
def test_doctype_in_any_part(good, part):
    body = zipfile.ZipFile(io.BytesIO(good)).read(part)
    decl = b'<!DOCTYPE x [<!ENTITY e SYSTEM "http://127.0.0.1:9/">]>'
    body = body.replace(b"?>", b"?>" + decl, 1) if body.startswith(b"<?xml") else decl + body
    assert decl in body
    refused(rewrite(good, {part: body}), "doctype")


def test_doctype_in_a_utf16_part(good):
    body = sheet_xml(good).decode("utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
    body = body.replace("?>", '?><!DOCTYPE w [<!ENTITY x "y">]>', 1)
    refused(rewrite(good, {"xl/worksheets/sheet1.xml": body.encode("utf-16")}), "doctype")


def test_doctype_across_a_chunk_boundary(good):
    body = sheet_xml(good)
    head, _, tail = body.partition(b"<sheetData>")
    # a comment pushes the declaration so that "<!DOC" straddles the first 1 MB chunk
    n = G.CHUNK - len(head) - 4 - 3 - 3
    filler = b"<!--" + os.urandom(n).hex().encode()[:n] + b"-->"  # incompressible: not a zip bomb
    crafted = head + filler + b"<!DOCTYPE" + b"<sheetData>" + tail
    assert crafted.index(b"<!DOCTYPE") < G.CHUNK < crafted.index(b"<!DOCTYPE") + 9
    refused(rewrite(good, {"xl/worksheets/sheet1.xml": crafted}), "doctype")


def test_comments_and_cdata_are_not_declarations(good):
    body = sheet_xml(good).replace(b"<sheetData>", b"<!-- a comment --><sheetData>", 1)
    wb = read_workbook(rewrite(good, {"xl/worksheets/sheet1.xml": body}))
    assert wb.sheets[0].max_row > 5


def test_external_links_are_listed_never_followed(good):
    z = zipfile.ZipFile(io.BytesIO(good))
    ct = z.read("[Content_Types].xml").replace(
        b"</Types>",
        b'<Override PartName="/xl/externalLinks/externalLink1.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml"/></Types>',
    )
    link = (
        b'<?xml version="1.0" encoding="UTF-8"?><externalLink xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main"><externalBook '
        b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id="rId1"/>'
        b'</externalLink>'
    )
    rels = (
        b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        b'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/externalLinkPath" Target="http://127.0.0.1:9/budget-2020.xlsx" '
        b'TargetMode="External"/></Relationships>'
    )
    data = rewrite(
        good,
        {"[Content_Types].xml": ct},
        {"xl/externalLinks/externalLink1.xml": link, "xl/externalLinks/_rels/externalLink1.xml.rels": rels},
    )
    wb = read_workbook(data)  # port 9 on loopback: any fetch would fail or hang
    assert wb.external_links == ["http://127.0.0.1:9/budget-2020.xlsx"]
    [w] = [w for w in wb.warnings if w.code == "external_links"]
    assert "not followed" in w.message["en"] and "pas suivis" in w.message["fr"]


def test_refusals_do_not_depend_on_the_name(good, tmp_path):
    """The guard takes bytes only: an .xlsm renamed .xlsx is refused, an .xlsx named .xls is read."""
    assert read_workbook(good).sheets
    refused(as_xlsm(good), "macro")


def test_a_million_rows_are_capped_with_a_warning():
    data = many_rows(1_000_000)
    wb = read_workbook(data)
    [s] = wb.sheets
    assert s.truncated and s.max_row == DEFAULT_LIMITS.max_rows
    assert s.cell_count <= 2 * DEFAULT_LIMITS.max_rows
    [w] = [w for w in wb.warnings if w.code == "rows_capped"]
    assert "10,000" in w.message["en"] and w.locator == "Budget!A10001"
    # the understanding and the checks see the capped sheet, and say so
    budget = find_budget(wb, load_template("pbf"))
    assert "rows_capped" in budget.warning_codes()
