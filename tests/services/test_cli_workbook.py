"""The command line other tools rely on: attach-budget prints what was found, checks lists the
workbook findings with their cells, export-budget gives the file back; bad input is one line."""

import json
import os
from decimal import Decimal

import pytest

from tests.helpers.budget_report import spec, with_cover
from tests.helpers.budget_xlsx import as_xlsm, build, many_rows, ole_file
from tests.helpers.db import nothing_stored


def attach(runner, world, path, email="drafter@oim.example"):
    return runner.invoke(
        args=["reports", "attach-budget", str(path), "--report", str(world.report.id), "--as", email]
    )


def test_attach_budget_prints_the_version_sheets_tables_and_warnings(world, runner, tmp_path):
    w = with_cover(world, spec(mismatch={"grand": Decimal(1000)}))
    path = tmp_path / "Budget 2024.xlsx"
    path.write_bytes(w.data)
    r = attach(runner, world, path)
    assert r.exit_code == 0, r.output
    out = json.loads(r.output)
    assert out["version"] == 3 and out["workbook"]["filename"] == "Budget 2024.xlsx"
    assert [s["name"] for s in out["sheets"]] == [w.sheet, "Notes"]
    [table] = out["tables"]
    assert table["range"].startswith(f"'{w.sheet}'!A3:") and table["total"]["value"] == float(w.total)
    assert out["warnings"] == [] and out["total"]["locator"] == f"'{w.sheet}'!{w.cells['grand_total']}"
    r = runner.invoke(args=["reports", "checks", str(world.report.id)])
    assert r.exit_code == 0, r.output
    found = {f["code"]: f for f in json.loads(r.output)["findings"]}
    assert found["workbook_total_mismatch"]["locator"] == f"'{w.sheet}'!{w.cells['grand_total']}"
    assert found["workbook_total_mismatch"]["severity"] == "error"
    # the same file again: no new version
    r = attach(runner, world, path)
    assert r.exit_code == 0 and json.loads(r.output)["unchanged"] is True


def test_checks_says_the_workbook_is_missing(world, runner):
    r = runner.invoke(args=["reports", "checks", str(world.report.id)])
    assert "workbook_missing" in {f["code"] for f in json.loads(r.output)["findings"]}


def test_export_budget_gives_the_bytes_back(world, runner, tmp_path):
    w = with_cover(world)
    (tmp_path / "b.xlsx").write_bytes(w.data)
    assert attach(runner, world, tmp_path / "b.xlsx").exit_code == 0
    r = runner.invoke(
        args=["reports", "export-budget", str(world.report.id), "--out", str(tmp_path / "out.xlsx")]
    )
    assert r.exit_code == 0, r.output
    assert (tmp_path / "out.xlsx").read_bytes() == w.data and json.loads(r.output)["filename"] == "b.xlsx"
    r = runner.invoke(
        args=[
            "reports",
            "export-budget",
            str(world.report.id),
            "--version",
            "2",
            "--out",
            str(tmp_path / "none.xlsx"),
        ]
    )
    assert r.exit_code != 0 and "has no budget workbook" in r.output and not (tmp_path / "none.xlsx").exists()


@pytest.mark.parametrize(
    "make, reason",
    [
        (lambda w: b"Agence;Budget\nOIM;1\nONUDC;2\n", "looks like a text (CSV) file"),
        (lambda w: ole_file(("EncryptionInfo", "EncryptedPackage")), "password-protected"),
        (lambda w: as_xlsm(w.data), "no macro was run"),
        (lambda w: os.urandom(26 * 1024 * 1024), "the limit for a budget workbook is 25 MB"),
    ],
)
def test_bad_input_is_one_line_and_stores_nothing(world, runner, tmp_path, make, reason):
    w = build(spec())
    path = tmp_path / "budget.xlsx"
    path.write_bytes(make(w))
    with nothing_stored():
        r = attach(runner, world, path)
    assert r.exit_code != 0 and reason in r.output and "Traceback" not in r.output
    assert len(r.output.strip().splitlines()) == 1


def test_a_reviewer_cannot_attach_and_a_missing_file_is_named(world, runner, tmp_path):
    path = tmp_path / "b.xlsx"
    path.write_bytes(build(spec()).data)
    with nothing_stored():
        r = attach(runner, world, path, email="reviewer@pbf.example")
        assert r.exit_code != 0 and "Only the report's drafters" in r.output
        r = attach(runner, world, tmp_path / "absent.xlsx")
        assert r.exit_code != 0 and "cannot read" in r.output


def test_a_million_rows_are_attached_with_a_warning(world, runner, tmp_path):
    path = tmp_path / "big.xlsx"
    path.write_bytes(many_rows(1_000_000))
    r = attach(runner, world, path)
    assert r.exit_code == 0, r.output[:300]
    out = json.loads(r.output)
    assert "rows_capped" in {x["code"] for x in out["warnings"]} and out["sheets"][0]["truncated"]
