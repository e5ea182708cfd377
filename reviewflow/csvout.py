"""CSV files that spreadsheets open safely: UTF-8 with a BOM (so Excel shows the accents) and no
cell that a spreadsheet would run as a formula."""
import csv
import io

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def to_csv(header, rows) -> str:
    buf = io.StringIO()
    out = csv.writer(buf)
    out.writerow([safe_cell(h) for h in header])
    for row in rows:
        out.writerow([safe_cell(v) for v in row])
    return "\ufeff" + buf.getvalue()
