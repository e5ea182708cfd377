"""Run every benchmark in bench/ (files named bench_*.py) and print a summary of their ratios.

    .venv/bin/python bench/run_all.py [--only reader,export] [--quick]

Each benchmark is its own process (so one's memory does not weigh on the next), measures its
baseline in the same run, prints its figures and exits 0 when its targets are met.  This
script prints each benchmark's output as it comes, then one line per benchmark: its exit
status, its wall time, and the lines it printed that hold a ratio (lines containing "ratio",
"×" or " x ").  ``--quick`` passes ``--quick`` to benchmarks that declare it (smaller inputs,
fewer runs), for a smoke run; the figures reported in notes come from full runs.

The exit status is the number of benchmarks that missed a target (0 = all met).
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RATIO = re.compile(r"ratio|×|\bx\b|\d(\.\d+)?x\b", re.IGNORECASE)


def benchmarks(only: set[str] | None) -> list[Path]:
    found = sorted(HERE.glob("bench_*.py"))
    if only:
        found = [p for p in found if p.stem.removeprefix("bench_") in only or p.stem in only]
    return found


def run(path: Path, quick: bool) -> tuple[int, float, list[str]]:
    args = [sys.executable, str(path)]
    if quick and "--quick" in path.read_text(encoding="utf-8"):
        args.append("--quick")
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            cwd=HERE.parent)
    lines: list[str] = []
    assert proc.stdout is not None
    for line in proc.stdout:
        sys.stdout.write(line)
        lines.append(line.rstrip("\n"))
    status = proc.wait()
    return status, time.perf_counter() - start, [line for line in lines if RATIO.search(line)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", default="", help="comma-separated names (reader,export,...)")
    ap.add_argument("--quick", action="store_true", help="smaller inputs where a benchmark allows")
    opts = ap.parse_args()
    only = {name.strip() for name in opts.only.split(",") if name.strip()} or None
    results = []
    for path in benchmarks(only):
        print(f"\n===== {path.name}", flush=True)
        results.append((path.name, *run(path, opts.quick)))
    print("\n===== summary")
    missed = 0
    for name, status, seconds, ratios in results:
        verdict = "targets met" if status == 0 else f"MISSED (exit {status})"
        missed += status != 0
        print(f"{name:28} {verdict:22} {seconds:7.1f} s")
        for line in ratios:
            print(f"    {line.strip()}")
    return missed


if __name__ == "__main__":
    sys.exit(main())
