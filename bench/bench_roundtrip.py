"""Benchmark of an upload's preview + confirm against today's single import (not a test).

    .venv/bin/python bench/bench_roundtrip.py [--pages 300] [--comments 2000] [--runs 3] [--quick]

The file is ``bench/gen_report.py``'s generated report (``--pages`` pages, ``--comments`` Word
comments with replies, resolved marks and tracked changes).  Each run imports it as the next
version of a fresh report (temporary SQLite database, migrated; set-up not timed), alternating
the two ways so both see the same machine load, and takes the median of ``--runs``:

* baseline: ``imports.import_docx`` (read, map, save the version, place the comments) and the commit;
* preview + confirm: ``imports.plan_import`` (the one read, the stored upload and plan) and its
  commit, then ``imports.confirm_import`` (the three-way merge, the version, the comments from
  the stored plan) and its commit -- what a drafter's upload costs now, the preview included.

It checks first that both land the same thing (the same sections' text, the same number of
threads and comments), then prints the times and the ratio; the target is <= 1.3x.  Exit
status 0 when the target is met.
"""
from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from gen_report import generate_report  # noqa: E402

import config  # noqa: E402
from reviewflow import create_app  # noqa: E402
from reviewflow.extensions import db  # noqa: E402

TARGET = 1.3


class Bench:
    def __init__(self, data: bytes):
        self.tmp = tempfile.TemporaryDirectory()

        class Cfg(config.TestingConfig):
            SQLALCHEMY_DATABASE_URI = "sqlite:///" + str(Path(self.tmp.name) / "bench.db")
        self.app = create_app(Cfg)
        self.data = data
        self.made = 0
        with self.app.app_context():
            import flask_migrate
            flask_migrate.upgrade(directory=str(ROOT / "migrations"))

    def fresh(self):
        from reviewflow.services import accounts, reports
        self.made += 1
        tag = self.made
        pw = "password123"
        admin = accounts.create_user(f"admin{tag}@example.org", name="Admin", password=pw, org_name="Sec",
                                     is_admin=True)
        drafter = accounts.create_user(f"d{tag}@example.org", name="Drafter", password=pw, org_name="OIM")
        project = reports.create_project(actor=admin, title="Bench")
        report = reports.create_report(project, actor=admin, report_type="annual", year=2024, outcomes=2)
        accounts.add_member(report, drafter, "drafter", actor=admin)
        db.session.commit()
        return report, drafter

    def landed(self, report):
        from reviewflow.models import Comment, Thread
        from reviewflow.services.versions import latest_version, version_contents
        v = latest_version(report)
        n_threads = db.session.query(Thread).filter(Thread.report_id == report.id).count()
        n_comments = db.session.query(Comment).join(Thread).filter(Thread.report_id == report.id).count()
        return ({k: c.text for k, c in version_contents(v).items()}, v.unmapped, n_threads, n_comments)

    def run(self, way: str, check: bool = False):
        from reviewflow.services import imports
        with self.app.app_context():
            report, drafter = self.fresh()
            db.session.expire_all()
            gc.collect()
            t0 = time.perf_counter()
            if way == "single":
                imports.import_docx(report, self.data, "rapport.docx", actor=drafter, roles={"drafter"},
                                    mode="version")
                db.session.commit()
            else:
                plan = imports.plan_import(report, self.data, "rapport.docx", actor=drafter, roles={"drafter"},
                                           mode="version")
                db.session.commit()
                imports.confirm_import(plan.id, actor=drafter, roles={"drafter"})
                db.session.commit()
            elapsed = time.perf_counter() - t0
            out = self.landed(report) if check else None
            db.session.remove()
        return elapsed, out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=300)
    ap.add_argument("--comments", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="60 pages, 300 comments, 2 runs")
    opts = ap.parse_args()
    pages, comments, runs = (60, 300, 2) if opts.quick else (opts.pages, opts.comments, opts.runs)
    gen = generate_report(pages, comments)
    print(f"file: {pages} pages, {len(gen.comments)} comments, {len(gen.data) / 1e6:.1f} MB")
    bench = Bench(gen.data)
    _t, single = bench.run("single", check=True)
    _t, planned = bench.run("plan", check=True)
    if single != planned:
        differ = [k for k in single[0] if single[0][k] != planned[0].get(k)]
        print("DIFFER:", differ[:5], single[2:], planned[2:], single[1] == planned[1])
        for k in differ[:2]:
            print(k, repr(single[0][k][:200]), "|", repr(planned[0][k][:200]))
        return 2
    print(f"both land the same: {single[2]} threads, {single[3]} comments")
    a, b = [], []
    for _ in range(runs):
        a.append(bench.run("single")[0])
        b.append(bench.run("plan")[0])
    ta, tb = statistics.median(a), statistics.median(b)
    ratio = tb / ta
    print(f"single import (baseline): {ta:.2f} s   preview + confirm: {tb:.2f} s")
    print(f"ratio preview+confirm / single import: {ratio:.2f}x (target <= {TARGET}x)")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
