"""Read an untrusted .xlsx: :func:`check_xlsx` first, then openpyxl's streaming sheet parser.

Why openpyxl, and why its parser rather than ``load_workbook(read_only=True)``: see
docs/workbook.md (measured in bench/bench_workbook.py).  In short: python-calamine is ten times
faster on a small workbook but loads a whole sheet into a dense grid (a 5 KB file whose
dimension says A1:XFD1048576 aborts the process trying to allocate 512 GB), cannot stop after N
rows, and does not say which formulas have no cached value; openpyxl's read-only worksheet
scans a whole sheet that has no ``<dimension>`` before yielding its first row.  openpyxl's
``WorkSheetParser`` streams rows, lets us stop at the row limit and sees each cell's formula.

Formulas are never evaluated: a formula cell gives the value Excel cached with it, and a
``formula_no_cache`` warning when there is none.  External links are not loaded
(``keep_links=False``) and never followed: their cells keep the values cached in this file.
"""

from __future__ import annotations

import hashlib
import threading
import warnings
from io import BytesIO

from lxml import etree
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

from .errors import CorruptError, WorkbookError
from .guard import DEFAULT_LIMITS, Limits, XlsxPackage, check_xlsx
from .model import Cell, Sheet, Workbook, WorkbookWarning, col_letter, locator, parse_ref

MAX_LISTED = 10  # cells named in one warning
# ``warnings.catch_warnings`` swaps the process-wide warning filters and ``showwarning`` and puts
# them back on exit: two reads overlapping in two threads would put back each other's state (and
# could leave "always" or the recorder installed for good).  Reads take this lock around the block,
# so they enter and leave it one at a time; parsing is pure Python under the GIL anyway, so it
# costs no throughput.  (A warning another thread raises meanwhile is recorded here, not shown.)
_WARNINGS_LOCK = threading.Lock()


class _FormulaAwareParser(WorkSheetParser):
    """openpyxl's parser in cached-values mode, also telling which cells hold a formula."""

    def parse_cell(self, element):
        cell = super().parse_cell(element)
        if element.find(FORMULA_TAG) is not None:
            cell["formula"] = True
        return cell


def _w(code, fr, en, loc=None, **figures) -> WorkbookWarning:
    return WorkbookWarning(code, {"fr": fr, "en": en}, loc, figures)


def _cells_list(refs, n):
    shown = ", ".join(refs[:MAX_LISTED])
    return shown + (f" … (+{n - MAX_LISTED})" if n > MAX_LISTED else "")


def read_workbook(data: bytes, *, limits: Limits = DEFAULT_LIMITS) -> Workbook:
    """Read an untrusted upload.  Raises :class:`WorkbookError` (with ``.code``) only for a
    refused file; everything odd-but-readable becomes a warning on the returned Workbook."""
    pkg = check_xlsx(data, limits=limits)
    out = Workbook(
        sheets=[],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        external_links=list(pkg.external_links),
    )
    with _WARNINGS_LOCK, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            _read(data, pkg, limits, out)
        except WorkbookError:
            raise
        except Exception as exc:  # openpyxl on a package the guard let through but that is broken
            raise CorruptError(figures={"error": type(exc).__name__}) from None
    _package_warnings(pkg, out)
    seen = set()
    for w in caught:
        text = str(w.message)[:200]
        if text in seen or "extension is not supported" in text:
            continue  # openpyxl's "Data Validation extension is not supported" is about writing
        seen.add(text)
        out.warnings.append(
            _w("reader_warning", f"Lecture du classeur : {text}", f"Reading the workbook: {text}")
        )
    return out


def _package_warnings(pkg: XlsxPackage, out: Workbook) -> None:
    if pkg.external_links:
        names = ", ".join(pkg.external_links[:5])
        out.warnings.append(
            _w(
                "external_links",
                f"Le classeur contient des liens vers d'autres classeurs ({names}) : ils ne sont pas suivis "
                "; les valeurs lues sont celles enregistrées dans ce fichier.",
                f"The workbook links to other workbooks ({names}): they are not followed; the values read "
                "are those saved in this file.",
                links=list(pkg.external_links),
            )
        )
    if pkg.connections:
        out.warnings.append(
            _w(
                "data_connections",
                "Le classeur contient des connexions de données : elles ne sont pas actualisées ; les "
                "valeurs lues sont celles enregistrées dans ce fichier.",
                "The workbook holds data connections: they are not refreshed; the values read are those "
                "saved in this file.",
            )
        )


def _read(data: bytes, pkg: XlsxPackage, limits: Limits, out: Workbook) -> None:
    reader = ExcelReader(BytesIO(data), read_only=True, data_only=True, keep_links=False)
    try:
        reader.read_manifest()
        if pkg.shared_strings_part:
            reader.shared_strings = _shared_strings(reader.archive, pkg.shared_strings_part)
        reader.read_workbook()
        apply_stylesheet(reader.archive, reader.wb)
        wb = reader.wb
        cells_left = limits.max_cells
        index = 0
        skipped_sheets = []
        for sheet, rel in reader.parser.find_sheets():
            if rel.target not in reader.valid_files or "chartsheet" in (rel.Type or ""):
                continue
            if index >= limits.max_sheets:
                skipped_sheets.append(sheet.name)
                continue
            if cells_left <= 0:
                skipped_sheets.append(sheet.name)
                continue
            scan = pkg.worksheets.get(rel.target)
            parser_cls = _FormulaAwareParser if (scan is None or scan.has_formulas) else WorkSheetParser
            s = Sheet(name=sheet.name, index=index, state=sheet.state or "visible")
            index += 1
            with reader.archive.open(rel.target) as src:
                parser = parser_cls(
                    src,
                    reader.shared_strings,
                    data_only=True,
                    epoch=wb.epoch,
                    date_formats=wb._date_formats,
                    timedelta_formats=wb._timedelta_formats,
                )
                cells_left = _read_sheet(parser, s, limits, cells_left, out)
            if scan is not None:
                for ref in scan.merges:
                    try:
                        min_col, min_row, max_col, max_row = range_boundaries(ref)
                    except (ValueError, TypeError):
                        continue
                    if min_row <= limits.max_rows and min_col <= limits.max_cols:
                        s.merged.append((min_row, min_col, max_row, max_col))
                if scan.merges_dropped:
                    out.warnings.append(
                        _w(
                            "merges_capped",
                            f"Feuille « {s.name} » : plus de {limits.max_merges} plages fusionnées ; les "
                            "suivantes sont ignorées.",
                            f"Sheet \u201c{s.name}\u201d: over {limits.max_merges} merged ranges; the "
                            "others are ignored.",
                            dropped=scan.merges_dropped,
                        )
                    )
            out.sheets.append(s)
        if skipped_sheets:
            names = ", ".join(skipped_sheets[:5])
            out.warnings.append(
                _w(
                    "sheets_capped",
                    f"{len(skipped_sheets)} feuille(s) non lue(s) (limite de lecture atteinte) : {names}.",
                    f"{len(skipped_sheets)} sheet(s) not read (reading limit reached): {names}.",
                    sheets=skipped_sheets,
                )
            )
    finally:
        reader.archive.close()


_SST = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _shared_strings(archive, part: str) -> list[str]:
    """The shared-strings table, as openpyxl's ``read_string_table`` reads it (the text of each
    ``si``: its ``t``, or its runs' ``t``; phonetic ``rPh`` left out), 2.5 times faster.  The
    part was scanned for declarations by the guard; the parser resolves no entity anyway."""
    out = []
    si, t_tag, r_tag, rph = _SST + "si", _SST + "t", _SST + "r", _SST + "rPh"
    with archive.open(part) as src:
        for _ev, el in etree.iterparse(
            src,
            events=("end",),
            tag=si,
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
        ):
            parts = []
            for child in el:
                if child.tag == t_tag:
                    parts.append(child.text or "")
                elif child.tag == r_tag:
                    parts.extend(x.text or "" for x in child if x.tag == t_tag)
                elif child.tag == rph:
                    continue
            out.append("".join(parts))
            el.clear(keep_tail=True)
            prev = el.getprevious()
            while prev is not None:
                del el.getparent()[0]
                prev = el.getprevious()
    return out


def _read_sheet(parser, s: Sheet, limits: Limits, cells_left: int, out: Workbook) -> int:
    no_cache: list[str] = []
    n_no_cache = 0
    wide = 0
    errors: list[str] = []
    capped_cells = False
    max_rows, max_cols = limits.max_rows, limits.max_cols
    for idx, cells in parser.parse():
        if idx > max_rows:
            s.truncated = True
            break
        row = None
        for c in cells:
            col = c["column"]
            value = c["value"]
            formula = c.get("formula", False)
            if value is None and not formula:
                continue
            if col > max_cols:
                wide += 1
                continue
            if cells_left <= 0:
                capped_cells = True
                break
            if formula and value is None:
                n_no_cache += 1
                if len(no_cache) < MAX_LISTED:
                    no_cache.append(f"{col_letter(col)}{idx}")
            err = c["data_type"] == "e"
            if err and len(errors) < MAX_LISTED:
                errors.append(f"{col_letter(col)}{idx}")
            if row is None:
                row = s.rows.setdefault(idx, {})
            row[col] = Cell(idx, col, value, formula, err)
            cells_left -= 1
            if col > s.max_col:
                s.max_col = col
        if row is not None and idx > s.max_row:
            s.max_row = idx
        if capped_cells:
            s.truncated = True
            break
    name = s.name
    if s.truncated and not capped_cells:
        out.warnings.append(
            _w(
                "rows_capped",
                f"Feuille « {name} » : seules les {max_rows:,} premières lignes sont lues ; la suite est "
                "ignorée.".replace(",", "\u00a0"),
                f"Sheet \u201c{name}\u201d: only the first {max_rows:,} rows are read; the rest is ignored.",
                locator(name, max_rows + 1, 1),
                limit=max_rows,
            )
        )
    if capped_cells:
        out.warnings.append(
            _w(
                "cells_capped",
                f"Limite de {limits.max_cells:,} cellules lues atteinte dans la feuille « {name} » ; la "
                "suite est ignorée.".replace(",", "\u00a0"),
                f"The limit of {limits.max_cells:,} cells read was reached in sheet \u201c{name}\u201d; the "
                "rest is ignored.",
                limit=limits.max_cells,
            )
        )
    if wide:
        out.warnings.append(
            _w(
                "cols_capped",
                f"Feuille « {name} » : {wide} cellule(s) au-delà de la colonne {col_letter(max_cols)} "
                "ignorée(s).",
                f"Sheet \u201c{name}\u201d: {wide} cell(s) beyond column {col_letter(max_cols)} ignored.",
                count=wide,
            )
        )
    if n_no_cache:
        cells = _cells_list(no_cache, n_no_cache)
        out.warnings.append(
            _w(
                "formula_no_cache",
                f"Feuille « {name} » : {n_no_cache} formule(s) sans valeur enregistrée ({cells}). Les "
                "formules ne sont jamais recalculées ici : ouvrez le classeur dans Excel, laissez-le "
                "calculer, enregistrez-le et envoyez-le à nouveau.",
                f"Sheet \u201c{name}\u201d: {n_no_cache} formula(s) without a saved value ({cells}). "
                "Formulas are never recalculated here: open the workbook in Excel, let it calculate, save "
                "it and upload it again.",
                locator(name, *_rc(no_cache[0])),
                count=n_no_cache,
                cells=no_cache,
            )
        )
    if errors:
        out.warnings.append(
            _w(
                "error_values",
                f"Feuille « {name} » : valeurs d'erreur Excel ({', '.join(errors)}).",
                f"Sheet \u201c{name}\u201d: Excel error values ({', '.join(errors)}).",
                locator(name, *_rc(errors[0])),
                cells=errors,
            )
        )
    return cells_left


def _rc(ref: str) -> tuple[int, int]:
    return parse_ref(ref)


__all__ = ["read_workbook"]
