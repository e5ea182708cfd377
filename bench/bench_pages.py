"""Benchmark of the report page under gunicorn (not a test).

    .venv/bin/python bench/bench_pages.py [--database-url URL] [--seconds 6] [--quick]

Builds, in a database of its own (a temporary SQLite file unless ``--database-url`` names one, e.g.
a PostgreSQL database of yours), the demo report with 300 more threads, reports with 30 and 2,000
threads spread over their sections, and the hostile upload of issue 13 (a report's Word export
+ 3,000 paragraphs that fit no field + 2,000 Word comments, imported as a version).  Then it serves
reviewflow (``wsgi:app``) and the baseline (``bench/minimal_page.py``: Flask + Jinja, the same
threads and comments loaded with ONE query and rendered in a plain loop) under the same gunicorn
(2 sync workers each), and in the same run, alternating the two, measures:

* throughput of the report page (logged in as a reviewer) against the baseline at each size,
  10 concurrent clients on the loopback: target ratio >= 0.5;
* the reviewflow workers' peak RSS (VmHWM) after the 2,000-thread pages: target <= 300 MB;
* the compare page of the demo report at 300 threads (median of sequential requests): <= 100 ms;
* peak memory of exporting the 2,000 threads of the hostile report against importing that file,
  each in a fresh process (growth of the peak RSS, reset just before, over the RSS before it):
  target export <= 3x import.

It prints the figures and exits 0 when every target is met (else the number missed).  ``--quick``:
shorter runs and 300 instead of 2,000 threads (a smoke run; the figures in notes come from full runs).
"""
from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
VENV_BIN = Path(sys.executable).parent
PASSWORD = "demo-reviewflow"
REVIEWER = "claire.fofana@pbf-rca.demo"
DRAFTER = "awa.ndiaye@oim-rca.demo"
RATIO_TARGET, RSS_TARGET_MB, COMPARE_TARGET_MS, EXPORT_TARGET = 0.5, 300, 100, 3.0


# ---------------------------------------------------------------- data
def build(sizes: list[int], hostile_comments: int, path: Path) -> dict:
    """Create the reports; returns {label: report id}; writes the hostile file to ``path``."""
    import flask_migrate

    from reviewflow.demo import add_review_threads, demo_contents, demo_report, load_demo
    from reviewflow.extensions import db
    from reviewflow.services import accounts, editing, exports, imports, reports, workspace
    from tests.helpers.hostile import grow_export

    flask_migrate.upgrade(directory=str(ROOT / "migrations"))
    load_demo()
    demo = demo_report()
    add_review_threads(demo, 300)
    db.session.commit()
    ids = {"300 (demo)": demo.id}
    admin = accounts.user_by_email("admin@demo.reviewflow.org")
    members = [(m.user, m.role) for m in workspace.members(demo)]

    def new_report(title):
        project = reports.create_project(actor=admin, title=title)
        r = reports.create_report(project, actor=admin, report_type="annual", year=2024, outcomes=2)
        for user, role in members:
            accounts.add_member(r, user, role, actor=admin)
        return r
    drafter = accounts.user_by_email(DRAFTER)
    for n in sizes:
        r = new_report(f"Rapport de {n} fils")
        editing.save_sections(r, demo_contents(), actor=drafter, roles={"drafter"}, base_number=1)
        add_review_threads(r, n)
        db.session.commit()
        ids[str(n)] = r.id
    r = new_report("Rapport hostile")
    editing.save_sections(r, demo_contents(), actor=drafter, roles={"drafter"}, base_number=1)
    db.session.commit()
    data, _n, _k = exports.export_docx(r, viewer=drafter, options=exports.ExportOptions(clean=True))
    big = grow_export(data, paragraphs=3000, comments=hostile_comments)
    path.write_bytes(big)
    imports.import_docx(r, big, "hostile.docx", actor=drafter, roles={"drafter"}, mode="version")
    db.session.commit()
    ids[f"hostile {hostile_comments}"] = r.id
    return ids


def status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def child(op: str, report_id: int, path: str) -> None:
    """In a fresh process: print the growth of peak RSS (KB) of importing or exporting (the peak
    is reset just before the operation), and the peak itself."""
    from reviewflow import create_app
    from reviewflow.extensions import db
    from reviewflow.models import Report
    from reviewflow.services import accounts, exports, imports, reports
    app = create_app()
    with app.app_context():
        drafter = accounts.user_by_email(DRAFTER)
        data = Path(path).read_bytes()
        if op == "import":
            admin = accounts.user_by_email("admin@demo.reviewflow.org")
            project = reports.create_project(actor=admin, title="Import mesuré")
            r = reports.create_report(project, actor=admin, report_type="annual", year=2024, outcomes=2)
            accounts.add_member(r, drafter, "drafter", actor=admin)
            db.session.flush()
        else:
            r = db.session.get(Report, report_id)
        import gc
        gc.collect()
        Path("/proc/self/clear_refs").write_text("5")     # Linux: the peak (VmHWM) starts again from now
        before = status_kb("VmRSS")
        if op == "import":
            imports.import_docx(r, data, "hostile.docx", actor=drafter, roles={"drafter"}, mode="version")
            db.session.flush()
        else:
            out, _name, _kind = exports.export_docx(r, viewer=drafter, options=exports.ExportOptions())
            assert out.count(b"PK") > 3
        peak = status_kb("VmHWM")
        db.session.rollback()
    print(f"{max(peak - before, 1)} {peak}")


# ---------------------------------------------------------------- servers and clients
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(app_spec: str, env: dict, extra: list[str] = ()) -> tuple[subprocess.Popen, int]:
    port = free_port()
    proc = subprocess.Popen([str(VENV_BIN / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "--timeout", "300",
                             "--log-level", "warning", *extra, app_spec], cwd=ROOT, env=env,
                            start_new_session=True)
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc, port
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{app_spec} did not start")


def request(port: int, method: str, path: str, headers: dict | None = None, body: str | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    conn.request(method, path, body=body, headers=headers or {})
    resp = conn.getresponse()
    data = resp.read()
    conn.close()
    return resp, data


def login(port: int, email: str) -> str:
    resp, html = request(port, "GET", "/login")
    cookie = resp.getheader("Set-Cookie", "").split(";", 1)[0]
    token = re.search(rb'name="csrf-token" content="([^"]+)"', html).group(1).decode()
    body = urllib.parse.urlencode({"email": email, "password": PASSWORD, "csrf_token": token})
    resp, _ = request(port, "POST", "/login", {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
                      body)
    assert resp.status in (302, 303), resp.status
    return resp.getheader("Set-Cookie", cookie).split(";", 1)[0]


def load(port: int, path: str, headers: dict, seconds: float, clients: int = 10) -> tuple[float, float, int]:
    """(requests per second, median latency ms, bytes of one answer) of ``clients`` loops."""
    stop = time.perf_counter() + seconds
    lat: list[float] = []
    sizes: list[int] = []
    errors: list[str] = []

    def loop():
        while time.perf_counter() < stop:
            t0 = time.perf_counter()
            resp, data = request(port, "GET", path, headers)
            if resp.status != 200:
                errors.append(f"{resp.status} {path}")
                return
            lat.append(time.perf_counter() - t0)
            sizes.append(len(data))
    start = time.perf_counter()
    workers = [threading.Thread(target=loop) for _ in range(clients)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    if errors:
        raise RuntimeError(errors[0])
    return len(lat) / (time.perf_counter() - start), statistics.median(lat) * 1000, sizes[-1]


def worker_peak_mb(master: int) -> float:
    peak = 0
    for st in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = st.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) != master:
                continue
            for line in (st.parent / "status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
        except (OSError, ValueError, IndexError):
            continue
    return peak / 1024


def stop(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(proc.pid, signal.SIGKILL)


# ---------------------------------------------------------------- main
def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--database-url", default="")
    ap.add_argument("--seconds", type=float, default=6.0)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--child", default="")
    ap.add_argument("--report-id", type=int, default=0)
    ap.add_argument("--file", default="")
    opts = ap.parse_args()
    if opts.child:
        child(opts.child, opts.report_id, opts.file)
        return 0
    tmp = Path(tempfile.mkdtemp(prefix="bench-pages-"))
    url = opts.database_url or f"sqlite:///{tmp / 'bench.db'}"
    env = dict(os.environ, DATABASE_URL=url, SECRET_KEY="bench-pages", REVIEWFLOW_ENV="production",
               REVIEWFLOW_SECURE_COOKIES="0", REVIEWFLOW_MAIL_BACKEND="none", PYTHONPATH=str(ROOT))
    os.environ.update(env)
    seconds = 2.0 if opts.quick else opts.seconds
    big = 300 if opts.quick else 2000
    hostile_path = tmp / "hostile.docx"
    t0 = time.perf_counter()
    from reviewflow import create_app
    from reviewflow.extensions import db
    app = create_app()
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            from sqlalchemy import text
            with db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        ids = build([30, big], big, hostile_path)
        db.session.remove()
        db.engine.dispose()
    print(f"data built in {time.perf_counter() - t0:.0f} s ({url.split('://')[0]}): reports {ids}", flush=True)

    missed = 0
    rf, rf_port = serve("wsgi:app", env)
    mini, mini_port = serve("minimal_page:app", env, ["--pythonpath", str(ROOT / "bench")])
    try:
        cookie = {"Cookie": login(rf_port, REVIEWER)}
        print(f"\n{'threads':>14} {'reviewflow req/s':>17} {'minimal req/s':>14} {'ratio':>7} "
              f"{'p50 ms':>8} {'HTML KB rf/min':>16}")
        for label, rid in ids.items():
            for port, path, h in ((rf_port, f"/reports/{rid}", cookie), (mini_port, f"/r/{rid}", {})):
                load(port, path, h, 0.5, clients=2)    # warm both workers
            rounds = {"rf": [], "min": []}
            for _ in range(2):          # alternated, so that both see the same machine load
                rounds["min"].append(load(mini_port, f"/r/{rid}", {}, seconds / 2))
                rounds["rf"].append(load(rf_port, f"/reports/{rid}", cookie, seconds / 2))
            rf_rps = sum(r[0] for r in rounds["rf"]) / 2
            min_rps = sum(r[0] for r in rounds["min"]) / 2
            ratio = rf_rps / min_rps
            missed += ratio < RATIO_TARGET
            print(f"{label:>14} {rf_rps:17.1f} {min_rps:14.1f} {ratio:7.2f} {rounds['rf'][-1][1]:8.0f} "
                  f"{rounds['rf'][-1][2] / 1024:8.0f}/{rounds['min'][-1][2] / 1024:.0f}", flush=True)
        peak = worker_peak_mb(rf.pid)
        missed += peak > RSS_TARGET_MB
        print(f"\nreviewflow worker peak RSS after every page: {peak:.0f} MB (target <= {RSS_TARGET_MB} MB)")
        demo = ids["300 (demo)"]
        times = []
        for _ in range(3 if opts.quick else 7):
            t = time.perf_counter()
            resp, _ = request(rf_port, "GET", f"/reports/{demo}/compare", cookie)
            assert resp.status == 200, resp.status
            times.append((time.perf_counter() - t) * 1000)
        compare_ms = statistics.median(times)
        missed += compare_ms > COMPARE_TARGET_MS
        print(f"compare page, demo report at 300 threads: {compare_ms:.0f} ms median "
              f"(target <= {COMPARE_TARGET_MS} ms)")
    finally:
        stop(rf)
        stop(mini)
    hostile = ids[f"hostile {big}"]
    growth = {}
    for op in ("import", "export"):
        out = subprocess.run([sys.executable, __file__, "--child", op, "--report-id", str(hostile),
                              "--file", str(hostile_path)], env=env, cwd=ROOT, capture_output=True, text=True)
        if out.returncode != 0:
            raise RuntimeError(out.stderr[-2000:])
        grow, total = (int(x) for x in out.stdout.split()[-2:])
        growth[op] = grow
        print(f"{op} of the hostile file ({big} comments): peak RSS {total / 1024:.0f} MB, "
              f"+{grow / 1024:.0f} MB over the process before it")
    ratio = growth["export"] / growth["import"]
    missed += ratio > EXPORT_TARGET
    print(f"export / import peak memory ratio: {ratio:.2f} (target <= {EXPORT_TARGET})")
    shutil.rmtree(tmp, ignore_errors=True)
    print(f"\n{'all targets met' if not missed else f'{missed} target(s) missed'}")
    return missed


if __name__ == "__main__":
    sys.exit(main())
