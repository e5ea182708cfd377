"""Benchmark of the budget-workbook reader (not a test).

    .venv/bin/python bench/bench_workbook.py [--runs 7] [--million] [--calamine] [--quick]

Generates a PBF budget workbook of about 5,000 rows with ``tests/helpers/budget_xlsx.py``
(4 outcomes x 24 outputs x 50 activities, three agencies, GEWE %, expenditure, totals as
formulas with cached values, shared strings, a second sheet by category) and prints, measured in
the same run, interleaved, median of ``--runs`` runs (min-max spread in brackets):

* ours: ``reviewflow.workbook.read_budget(data, template)`` - guard + cells + budget tables +
  sums inside the workbook: everything the checks receive;
* ours, cells only: ``read_workbook(data)`` (guard + cells);
* bare openpyxl: ``load_workbook(read_only=True, data_only=True)`` and every row of every sheet
  with ``iter_rows(values_only=True)``: the baseline;
* python-calamine (``--calamine``, when installed; not a dependency): every sheet ``to_python()``;

and the ratio ours / bare openpyxl, against the target: ours <= 0.5 s for 5,000 rows.  Before
timing, it checks that the figures found are the generator's (a fast-but-wrong reader cannot pass).

``--million``: a workbook of 10^6 rows x 2 columns (86 MB of sheet XML), each reader in its own
process (wall time and peak RSS): ours caps the rows read (10,000, with a warning); bare
openpyxl is given the same cap (``max_row``); calamine loads the whole sheet.  With
``--calamine`` it also runs calamine on a 5 KB file whose only cells are A1 and XFD1048576.
Then (skip with ``--no-cache``) what the application does with a stored workbook, for the
demo's workbook (a real PBF size, 30 rows) and the 5,000-row one: reading it again from its bytes
(``read_budget``, a cache miss), a hit of the in-process cache (``services.workbook_files.CACHE``),
and the alternative of storing the parsed result (``pickle.loads`` of it: the cells and the
budget tables the checks and the page need; ``to_dict()`` alone is not enough), with the sizes and
the memory an entry holds (tracemalloc), which is how the cache is bounded.
``--quick``: 2 runs, no 10^6 rows, for a smoke run.
Exit status 0 when the 5,000-row target is met.
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from openpyxl import Workbook as _OWorkbook  # noqa: E402
from openpyxl import load_workbook  # noqa: E402

from reviewflow.report_templates import load_template  # noqa: E402
from reviewflow.workbook import read_budget, read_workbook  # noqa: E402
from tests.helpers.budget_xlsx import BudgetSpec, build, many_rows  # noqa: E402

TARGET_S = 0.5


def bare_openpyxl(data: bytes, max_row=None) -> int:
    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    n = 0
    for ws in wb.worksheets:
        for _row in ws.iter_rows(values_only=True, max_row=max_row):
            n += 1
    wb.close()
    return n


def calamine(data: bytes) -> int:
    import python_calamine as pc

    wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    n = sum(len(wb.get_sheet_by_name(name).to_python()) for name in wb.sheet_names)
    wb.close()
    return n


def timed(fn, *a):
    t, c = time.perf_counter(), time.process_time()
    fn(*a)
    return time.perf_counter() - t, time.process_time() - c


def fmt(xs):
    return f"{statistics.median(xs) * 1000:7.1f} ms [{min(xs) * 1000:.1f}-{max(xs) * 1000:.1f}]"


CHILD = r"""
import io, resource, sys, time
sys.path.insert(0, {root!r})
data = open({path!r}, "rb").read()
what = {what!r}
from openpyxl import load_workbook
from reviewflow.workbook import read_workbook
if what == "calamine":
    import python_calamine as pc
t = time.perf_counter()
if what == "ours":
    wb = read_workbook(data)
    info = f"rows read {{wb.sheets[0].max_row}}, warnings {{[w.code for w in wb.warnings]}}"
elif what == "openpyxl":
    wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    n = sum(1 for ws in wb.worksheets for _ in ws.iter_rows(values_only=True, max_row=10000))
    info = f"rows read {{n}} (max_row=10000)"
else:
    wb = pc.CalamineWorkbook.from_filelike(io.BytesIO(data))
    n = sum(len(wb.get_sheet_by_name(s).to_python()) for s in wb.sheet_names)
    info = f"rows read {{n}}"
print(f"{{time.perf_counter() - t:.2f}} s, peak RSS "
      f"{{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}} MB, {{info}}")
"""


def child(what: str, path: str, timeout: int = 300) -> str:
    code = CHILD.format(root=str(ROOT), path=path, what=what)
    try:
        p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return f"killed after {timeout} s"
    if p.returncode != 0:
        last = p.stderr.strip().splitlines() or ["?"]
        first = next((ln for ln in last if "memory allocation" in ln or "Error" in ln), last[-1])
        return f"exit status {p.returncode}: {first[:120]}"
    return p.stdout.strip()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--million", action="store_true")
    ap.add_argument("--calamine", action="store_true")
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--no-cache", action="store_true")
    args = ap.parse_args(argv)
    if args.quick:
        args.runs, args.million = min(args.runs, 2), False
    template = load_template("pbf")
    w = build(BudgetSpec(outcomes=4, outputs=24, activities=50))
    data = w.data
    budget = read_budget(data, template)
    rows = budget.sheets[0]["rows"]
    assert budget.total.value == w.total and budget.spent.value == w.spent and budget.gewe.value == w.gewe, (
        "the reader's figures are not the generator's"
    )
    assert not budget.sum_mismatches and {a.name: a.figure.value for a in budget.agencies} == w.agencies
    print(
        f"workbook: {len(data) / 1024:.0f} KB, sheet 1: {rows} rows x {budget.sheets[0]['cols']} columns, "
        f"{len(budget.tables)} tables, {budget.sums_checked} sums checked"
    )
    have_cal = False
    if args.calamine:
        try:
            import python_calamine  # noqa: F401

            have_cal = True
        except ImportError:
            print("python-calamine is not installed: skipped")
    fns = {
        "ours (read_budget)": lambda: read_budget(data, template),
        "ours, cells only": lambda: read_workbook(data),
        "bare openpyxl read-only": lambda: bare_openpyxl(data),
    }
    if have_cal:
        fns["python-calamine"] = lambda: calamine(data)
    for fn in fns.values():  # warm-up (imports, caches)
        fn()
    wall = {k: [] for k in fns}
    cpu = {k: [] for k in fns}
    for _ in range(args.runs):
        for k, fn in fns.items():
            w_, c_ = timed(fn)
            wall[k].append(w_)
            cpu[k].append(c_)
    print(f"  {'':26} {'wall, median [min-max]':>30}   {'CPU, median [min-max]':>30}")
    for k in fns:
        print(f"  {k:26} {fmt(wall[k]):>30}   {fmt(cpu[k]):>30}")
    for label, t in (("wall", wall), ("CPU", cpu)):
        ours, bare = (
            statistics.median(t["ours (read_budget)"]),
            statistics.median(t["bare openpyxl read-only"]),
        )
        line = (
            f"ratio ours / bare openpyxl ({label}): {ours / bare:.2f}  (cells only: "
            f"{statistics.median(t['ours, cells only']) / bare:.2f})"
        )
        if have_cal:
            line += f"; bare openpyxl / calamine: {bare / statistics.median(t['python-calamine']):.1f}"
        print(line)
    ours_wall, ours_cpu = (
        statistics.median(wall["ours (read_budget)"]),
        statistics.median(cpu["ours (read_budget)"]),
    )
    ok = ours_wall <= TARGET_S
    print(
        f"target: ours <= {TARGET_S} s for {rows} rows: wall {ours_wall:.3f} s "
        f"({'met' if ok else 'NOT met'}), CPU {ours_cpu:.3f} s "
        f"({'met' if ours_cpu <= TARGET_S else 'NOT met'}); load average {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} cores"
    )

    if args.million:
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "million.xlsx")
            t = time.perf_counter()
            big = many_rows(1_000_000)
            Path(path).write_bytes(big)
            print(
                f"10^6 rows x 2 columns: {len(big) / 1e6:.1f} MB file (written in "
                f"{time.perf_counter() - t:.1f} s); each reader in its own process:"
            )
            print(f"  ours:          {child('ours', path)}")
            print(f"  bare openpyxl: {child('openpyxl', path)}")
            if have_cal:
                print(f"  calamine:      {child('calamine', path)}")
    if have_cal:
        wb = _OWorkbook()
        wb.active["A1"], wb.active["XFD1048576"] = 1, 2
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "far.xlsx")
            wb.save(path)
            print(f"a {os.path.getsize(path) / 1024:.0f} KB file with cells A1 and XFD1048576:")
            print(f"  ours:     {child('ours', path)}")
            print(f"  calamine: {child('calamine', path, timeout=60)}")
    if not args.no_cache:
        cache_figures(template, data, args.runs)
    return 0 if ok else 1


def retained(fn) -> tuple[object, int]:
    """(result, bytes it holds once made): tracemalloc's traced memory kept after the call."""
    import tracemalloc

    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    out = fn()
    gc.collect()
    held = tracemalloc.get_traced_memory()[0] - base
    tracemalloc.stop()
    return out, held


def cache_figures(template, big: bytes, runs: int) -> None:
    from reviewflow.demo_budget import demo_workbook
    from reviewflow.services.workbook_files import _Cache, read

    print("a stored workbook, read again when a page or the checks need it (CPU, median of runs):")
    print(
        f"  {'':16} {'file':>7} {'read (miss)':>12} {'cache hit':>10} {'pickle.loads':>13} {'pickled':>9} "
        f"{'to_dict JSON':>13} {'held in memory':>15} {'cells':>7}"
    )
    for name, data in (("demo (30 rows)", demo_workbook()), ("5,008 rows", big)):
        item, held = retained(lambda d=data: read(d, template))
        cells = item.weight
        cache = _Cache(max_cells=10**9, max_entries=4)
        cache.put("k", item)
        blob = pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL)
        summary = json.dumps(item.budget.to_dict())
        miss = [timed(read, data, template)[1] for _ in range(runs)]
        hit = [timed(cache.get, "k")[0] for _ in range(runs)]
        loads = [timed(pickle.loads, blob)[1] for _ in range(runs)]
        print(
            f"  {name:16} {len(data) / 1024:4.0f} KB {statistics.median(miss) * 1000:9.1f} ms "
            f"{statistics.median(hit) * 1e6:7.1f} µs {statistics.median(loads) * 1000:10.1f} ms "
            f"{len(blob) / 1024:6.0f} KB {len(summary) / 1024:10.0f} KB {held / 1024 / 1024:12.1f} MB "
            f"{cells:7}  ({held / cells:.0f} bytes a cell)"
        )
        print(
            f"    ratio read / pickle.loads: {statistics.median(miss) / statistics.median(loads):.1f}; "
            f"pickled / file size: {len(blob) / len(data):.1f}"
        )
    print("  a miss happens once per process and workbook (and the findings are cached on the sha256 too)")


if __name__ == "__main__":
    raise SystemExit(main())
