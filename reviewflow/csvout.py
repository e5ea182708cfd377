"""CSV files that spreadsheets open safely: UTF-8 with a BOM (so Excel shows the accents) and no
cell that a spreadsheet would run as a formula."""
import csv
import io
from collections.abc import Iterable, Iterator

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


def iter_csv(header, rows: Iterable) -> Iterator[str]:
    """The same file as ``to_csv``, one line at a time (a long table is streamed, never held whole)."""
    buf = io.StringIO()
    out = csv.writer(buf)

    def line(cells) -> str:
        buf.seek(0)
        buf.truncate()
        out.writerow([safe_cell(v) for v in cells])
        return buf.getvalue()
    yield "\ufeff" + line(header)
    for row in rows:
        yield line(row)
