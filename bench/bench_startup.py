"""Benchmark of start-up (not a test): whole-process ``flask --app wsgi docx inspect``.

    .venv/bin/python bench/bench_startup.py [--runs 5] [--quick]

Measured in the same run, each the median of ``--runs`` processes:

* ``flask --app wsgi docx inspect`` on a one-paragraph file (target: <= 0.5 s);
* the same on a generated 300-page report with 2,000 comments, against
  ``pandoc -f docx -t json`` on the same file (target: <= 0.2 of pandoc's time);
* ``python -c pass`` and ``python -c "import flask.cli"`` as floors (what no command can avoid);
* ``python -c "import wsgi"`` (the whole app, as gunicorn loads it) for information;

then the ten slowest imports of the small-file command (``python -X importtime``), and checks
that it imports neither SQLAlchemy nor Alembic.  Exit status 0 when the targets are met.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
BIN = Path(sys.executable).parent


def timed(args: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def import_profile(args: list[str]) -> tuple[list[tuple[int, str]], set[str]]:
    env = dict(os.environ, PYTHONPROFILEIMPORTTIME="1")
    proc = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env)
    rows, names = [], set()
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, name = (part.strip() for part in line.split("|"))
        if cumulative.isdigit():
            rows.append((int(cumulative), name))
            names.add(name.split(".")[0])
    return sorted(rows, reverse=True)[:10], names


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--quick", action="store_true", help="3 runs")
    opts = ap.parse_args()
    runs = 3 if opts.quick else opts.runs
    pages, comments = 300, 2000

    import docx
    import pypandoc
    from gen_report import generate_report

    tmp = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    small = tmp / "small.docx"
    d = docx.Document()
    d.add_paragraph("Rapport de progrès du projet.")
    d.save(small)
    big = tmp / "big.docx"
    big.write_bytes(generate_report(pages, comments).data)
    flask = [str(BIN / "flask"), "--app", "wsgi", "docx", "inspect"]
    pandoc = [pypandoc.get_pandoc_path(), "-f", "docx", "-t", "json", "--track-changes=all"]

    python_floor = timed([sys.executable, "-c", "pass"], runs)
    flask_floor = timed([sys.executable, "-c", "import flask.cli"], runs)
    app_import = timed([sys.executable, "-c", "import wsgi"], runs)
    small_s = timed([*flask, str(small)], runs)
    big_s = timed([*flask, str(big)], runs)
    pandoc_s = timed([*pandoc, str(big)], runs)

    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, median of {runs} processes")
    print(f"  python -c pass                      {python_floor:6.3f} s")
    print(f"  import flask.cli (floor)            {flask_floor:6.3f} s")
    print(f"  import wsgi (whole app, for info)   {app_import:6.3f} s")
    print(f"  docx inspect, one paragraph         {small_s:6.3f} s   target <= 0.5 s")
    print(f"  docx inspect, {pages} pages/{comments} comments {big_s:6.3f} s")
    print(f"  pandoc, same file                   {pandoc_s:6.3f} s")
    ratio = big_s / pandoc_s
    print(f"  ratio docx inspect / pandoc         {ratio:6.3f}     target <= 0.2")
    top, roots = import_profile([*flask, str(small)])
    print("  slowest imports of `docx inspect` (cumulative µs):")
    for micros, name in top:
        print(f"    {micros:9,d}  {name}")
    heavy = sorted(roots & {"sqlalchemy", "alembic", "flask_sqlalchemy", "flask_migrate"})
    print(f"  database libraries imported: {', '.join(heavy) or 'none'}")
    ok = small_s <= 0.5 and ratio <= 0.2 and not heavy
    print("targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
