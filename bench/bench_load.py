"""Load and fault runs on gunicorn x PostgreSQL, on the loopback only, against a THROWAWAY
PostgreSQL cluster (initdb in a temporary folder, its own port, pg_ctl; never the machine's
shared server), bounded in time and stopping by itself.

    .venv/bin/python bench/bench_load.py            # the full run: 60 s of load (make bench)
    .venv/bin/python bench/bench_load.py --quick    # bounded (< 3 minutes in all): .ci/run

1. **Load**: 50 simulated reviewers (open a comment on a section, reply in a thread, read the
   report page) and 5 drafters (open a section's editor, save it from that base) on ONE report
   for ``--seconds`` (60; 15 with --quick).  Passes with 0 errors (anything but 200/302, and the
   expected 409 of a drafter whose section was saved by another since they opened it), and every
   acknowledged comment (302) present in the database afterwards.  Prints p50/p99 per action and
   the throughput; the baseline measured in the same run is ``/healthz`` on the same gunicorn
   (the floor of a request), printed as a ratio.
2. **Kill during an import**: a large Word upload in flight, every gunicorn worker SIGKILLed;
   gunicorn starts new ones; nothing partial is left (every version has all its sections, no
   upload without its version, no thread without its first comment).
3. **Kill during saves**: 5 saves in flight, workers SIGKILLed; the same checks.
4. **Database stopped mid-load**: the throwaway cluster is stopped (pg_ctl stop -m fast) while
   10 users keep working: pages answer 503 with Retry-After (no 500), and once it is started
   again the same gunicorn (no restart) answers 200 within seconds.

Exit status 0 when every run passed.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
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

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BIN = Path(sys.executable).parent
PASSWORD = "bench-load-password"
SECTIONS = ("implementation_status", "upcoming_events", "outcome_1.progress_summary")
CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')
BASE = re.compile(r'name="base_version" value="(\d+)"')


# --------------------------------------------------------------------------- the throwaway cluster
def _pg_bin(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    for d in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (d / name).exists():
            return str(d / name)
    raise SystemExit(f"{name} not found: install PostgreSQL's server binaries")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ThrowawayPG:
    """A PostgreSQL cluster in a temporary folder, on its own port, for this run only."""

    def __init__(self, root: Path):
        self.dir = root / "pgdata"
        self.port = _free_port()
        self.log = root / "pg.log"
        self.as_user: list[str] = []
        if os.geteuid() == 0:      # initdb refuses to run as root: run the cluster as postgres
            self.as_user = ["runuser", "-u", "postgres", "--"]
            shutil.chown(root, "postgres")

    def _run(self, *args: str) -> None:
        subprocess.run([*self.as_user, *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def init(self) -> None:
        self._run(_pg_bin("initdb"), "-D", str(self.dir), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--no-sync")
        with open(self.dir / "postgresql.conf", "a") as fh:
            fh.write(f"\nport = {self.port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = ''\n"
                     "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\nmax_connections = 100\n")

    def start(self) -> None:
        self._run(_pg_bin("pg_ctl"), "-D", str(self.dir), "-l", str(self.log), "-w", "-t", "30", "start")

    def stop(self) -> None:
        self._run(_pg_bin("pg_ctl"), "-D", str(self.dir), "-m", "fast", "-w", "-t", "30", "stop")

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"


# --------------------------------------------------------------------------- setup (in its own process)
def setup() -> None:
    """Users, one report and its members, in the database of DATABASE_URL; prints their ids."""
    sys.path.insert(0, str(REPO))
    from reviewflow import create_app
    from reviewflow.extensions import db
    from reviewflow.money import parse_money
    from reviewflow.services import accounts, reports
    app = create_app()
    app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1000"
    from reviewflow.models.user import PASSWORD_METHOD
    PASSWORD_METHOD["method"] = "pbkdf2:sha256:1000"     # 55 accounts: a cheap hash for the bench
    with app.app_context():
        admin = accounts.create_user("admin@bench.example", name="Admin", password=PASSWORD,
                                     org_name="Secrétariat PBF", is_admin=True)
        project = reports.create_project(actor=admin, title="Projet de charge", gateway_numbers="00000001",
                                         countries="RCA",
                                         recipients=[reports.RecipientInput("OIM", parse_money("1000"))])
        report = reports.create_report(project, actor=admin, report_type="annual", year=2025, outcomes=2)
        users = []
        for i in range(50):
            u = accounts.create_user(f"reviewer{i}@bench.example", name=f"Relecteur {i}", password=PASSWORD,
                                     org_name="Secrétariat PBF")
            accounts.add_member(report, u, "reviewer", actor=admin)
            users.append(("reviewer", u.email))
        for i in range(5):
            u = accounts.create_user(f"drafter{i}@bench.example", name=f"Rédacteur {i}", password=PASSWORD,
                                     org_name="OIM")
            accounts.add_member(report, u, "drafter", actor=admin)
            users.append(("drafter", u.email))
        db.session.commit()
        print(json.dumps({"report": report.id, "users": users}))


# --------------------------------------------------------------------------- the HTTP client
class Client:
    """One simulated user: its own connection and session cookie; never follows redirects."""

    def __init__(self, port: int, timeout: float = 30):
        self.port, self.timeout = port, timeout
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, form: dict | None = None, files: dict | None = None,
                headers: dict | None = None) -> tuple[int, dict, str]:
        body, hdrs = None, {"Accept-Language": "fr", **(headers or {})}
        if files:
            boundary = "----bench" + os.urandom(8).hex()
            parts = []
            for k, v in (form or {}).items():
                parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode())
            for k, (name, data) in files.items():
                parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"; filename="{name}"\r\n'
                             "Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n")
            body = b"".join(parts) + f"--{boundary}--\r\n".encode()
            hdrs["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        elif form is not None:
            body = urllib.parse.urlencode(form).encode()
            hdrs["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            self.conn.request(method, path, body=body, headers=hdrs)
            resp = self.conn.getresponse()
            text = resp.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        for key, value in resp.getheaders():
            if key.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        if resp.getheader("Connection", "").lower() == "close":
            self.close()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, text

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def csrf(self, path: str = "/login") -> str:
        status, _h, text = self.request("GET", path)
        m = CSRF.search(text)
        if not m:
            raise RuntimeError(f"no CSRF token on {path} ({status})")
        return m.group(1)

    def login(self, email: str) -> None:
        token = self.csrf("/login")
        status, _h, _t = self.request("POST", "/login", {"email": email, "password": PASSWORD, "csrf_token": token})
        if status != 302:
            raise RuntimeError(f"log-in of {email} answered {status}")


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = {}
        self.statuses: dict[str, dict] = {}
        self.errors: list[str] = []
        self.acknowledged: list[str] = []

    def add(self, action: str, status: int | str, seconds: float) -> None:
        with self.lock:
            self.times.setdefault(action, []).append(seconds)
            counts = self.statuses.setdefault(action, {})
            counts[status] = counts.get(status, 0) + 1


def _timed(stats: Stats, action: str, call, expected=(200, 302)):
    start = time.perf_counter()
    try:
        status, headers, text = call()
    except (OSError, http.client.HTTPException) as exc:
        stats.add(action, type(exc).__name__, time.perf_counter() - start)
        with stats.lock:
            stats.errors.append(f"{action}: {type(exc).__name__}: {exc}")
        return None
    stats.add(action, status, time.perf_counter() - start)
    if status not in expected:
        with stats.lock:
            stats.errors.append(f"{action}: HTTP {status}")
    return status, headers, text


def reviewer_loop(port, email, report_id, stop, stats, rng):
    c = Client(port)
    c.login(email)
    token = c.csrf(f"/reports/{report_id}")
    threads: list[int] = []
    while not stop.is_set():
        roll = rng.random()
        if roll < 0.5 or not threads:
            mark = f"bench-{os.urandom(6).hex()}"
            r = _timed(stats, "comment", lambda m=mark: c.request("POST", f"/reports/{report_id}/threads", {
                "csrf_token": token, "section": rng.choice(SECTIONS), "body": f"Commentaire de charge {m}"}))
            if r and r[0] == 302:
                with stats.lock:
                    stats.acknowledged.append(mark)
                m = re.search(r"#t-(\d+)", r[1].get("location", ""))
                if m:
                    threads.append(int(m.group(1)))
        elif roll < 0.8:
            mark = f"bench-{os.urandom(6).hex()}"
            tid = rng.choice(threads)
            r = _timed(stats, "reply", lambda m=mark, t=tid: c.request(
                "POST", f"/reports/{report_id}/threads/{t}/reply",
                {"csrf_token": token, "body": f"Réponse de charge {m}"}))
            if r and r[0] == 302:
                with stats.lock:
                    stats.acknowledged.append(mark)
        else:
            _timed(stats, "page", lambda: c.request("GET", f"/reports/{report_id}"))
        stop.wait(rng.uniform(0.5, 1.5))
    c.close()


def drafter_loop(port, email, report_id, stop, stats, rng):
    c = Client(port)
    c.login(email)
    n = 0
    while not stop.is_set():
        key = rng.choice(SECTIONS)
        r = _timed(stats, "editor", lambda k=key: c.request("GET", f"/reports/{report_id}/sections/{k}/edit"))
        if not r or r[0] != 200:
            stop.wait(1)
            continue
        base, token = BASE.search(r[2]), CSRF.search(r[2])
        stop.wait(rng.uniform(0.2, 1.0))           # typing: another drafter may save meanwhile
        n += 1
        text = f"Texte enregistré par {email}, passage {n}.\nDeuxième paragraphe {os.urandom(4).hex()}."
        form = {"csrf_token": token.group(1), "base_version": base.group(1), "text": text}
        _timed(stats, "save", lambda k=key, f=form: c.request("POST", f"/reports/{report_id}/sections/{k}/edit", f),
               expected=(302, 409))
        stop.wait(rng.uniform(0.5, 1.5))
    c.close()


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


# --------------------------------------------------------------------------- the runs
class Service:
    def __init__(self, root: Path, env: dict, workers: int):
        self.root, self.env, self.workers = root, env, workers
        self.port = int(env["REVIEWFLOW_BIND"].rsplit(":", 1)[1])
        self.proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.log = open(self.root / "gunicorn.log", "ab")  # noqa: SIM115 - open while gunicorn runs
        self.proc = subprocess.Popen([str(BIN / "gunicorn"), "-c", str(REPO / "gunicorn.conf.py"), "wsgi:app"],
                                     cwd=REPO, env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        self.wait_ready()

    def wait_ready(self, timeout: float = 60) -> float:
        start = time.perf_counter()
        while time.perf_counter() - start < timeout:
            try:
                status, _h, _t = Client(self.port, timeout=3).request("GET", "/readyz")
                if status == 200 and len(self.worker_pids()) >= self.workers:
                    return time.perf_counter() - start
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not become ready: see " + str(self.root / "gunicorn.log"))

    def worker_pids(self) -> list[int]:
        try:
            out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.proc.pid)], capture_output=True,
                                 text=True).stdout
        except OSError:
            return []
        return [int(p) for p in out.split()]

    def kill_workers(self) -> int:
        pids = self.worker_pids()
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        return len(pids)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        if getattr(self, "log", None):
            self.log.close()


def integrity(dsn: str) -> dict:
    """What a partial write would leave behind (each count must be 0)."""
    import psycopg
    with psycopg.connect(dsn) as conn:
        q = conn.execute
        sections = q("SELECT count(*) FROM section").fetchone()[0]
        return {
            "versions missing sections": q(
                "SELECT count(*) FROM version v WHERE (SELECT count(*) FROM version_section vs "
                "WHERE vs.version_id = v.id) <> %s", (sections,)).fetchone()[0],
            # an upload is either a version, or an import plan waiting for its confirmation (the preview)
            "uploads without a version or a plan": q(
                "SELECT count(*) FROM upload u WHERE NOT EXISTS (SELECT 1 FROM version v WHERE v.upload_id = u.id)"
                " AND NOT EXISTS (SELECT 1 FROM import_plan p WHERE p.upload_id = u.id)").fetchone()[0],
            "threads without a comment": q(
                "SELECT count(*) FROM thread t WHERE NOT EXISTS (SELECT 1 FROM comment c WHERE c.thread_id = t.id)"
            ).fetchone()[0],
        }


def run_load(service: Service, report_id: int, users, seconds: float, reviewers: int, drafters: int) -> dict:
    stats, stop = Stats(), threading.Event()
    workers = []
    revs = [u for role, u in users if role == "reviewer"][:reviewers]
    drafts = [u for role, u in users if role == "drafter"][:drafters]
    for i, email in enumerate(revs):
        workers.append(threading.Thread(target=reviewer_loop, args=(service.port, email, report_id, stop, stats,
                                                                   random.Random(i)), daemon=True))
    for i, email in enumerate(drafts):
        workers.append(threading.Thread(target=drafter_loop, args=(service.port, email, report_id, stop, stats,
                                                                  random.Random(1000 + i)), daemon=True))
    for t in workers:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in workers:
        t.join(60)
    return {"stats": stats, "seconds": seconds}


def baseline(port: int, n: int = 200) -> float:
    c = Client(port)
    times = []
    for _ in range(n):
        start = time.perf_counter()
        c.request("GET", "/healthz")
        times.append(time.perf_counter() - start)
    c.close()
    return statistics.median(times)


def kill_during(service: Service, label: str, start_requests) -> dict:
    results: list = []
    threads = start_requests(results)
    time.sleep(0.4)
    killed = service.kill_workers()
    for t in threads:
        t.join(120)
    recovered = service.wait_ready()
    return {"killed": killed, "answers": results, "recovered_s": recovered}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="bounded run for CI (15 s of load)")
    ap.add_argument("--seconds", type=float, default=None)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder (PostgreSQL and gunicorn logs)")
    ap.add_argument("--setup", action="store_true", help=argparse.SUPPRESS)
    opts = ap.parse_args()
    if opts.setup:
        setup()
        return 0
    seconds = opts.seconds or (15 if opts.quick else 60)
    t0 = time.perf_counter()
    root = Path(tempfile.mkdtemp(prefix="rf-bench-load-"))
    pg = ThrowawayPG(root)
    service = None
    failures: list[str] = []
    try:
        pg.init()
        pg.start()
        gport = _free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("REVIEWFLOW_", "MAIL_"))}
        env.update(DATABASE_URL=pg.url, REVIEWFLOW_ENV="production", SECRET_KEY=os.urandom(16).hex(),
                   REVIEWFLOW_SECURE_COOKIES="0", REVIEWFLOW_BIND=f"127.0.0.1:{gport}",
                   REVIEWFLOW_WORKERS=str(opts.workers), REVIEWFLOW_TIMEOUT="120",
                   REVIEWFLOW_RATE_LIMIT="100000 per minute", REVIEWFLOW_RATE_LIMIT_LOGIN="100000 per minute",
                   REVIEWFLOW_LOGIN_MAX_FAILURES_PER_IP="100000", REVIEWFLOW_ACCESS_LOG=str(root / "access.log"),
                   REVIEWFLOW_MAIL_BACKEND="none", PYTHONPATH=str(REPO))
        subprocess.run([str(BIN / "flask"), "--app", "wsgi", "db", "upgrade"], cwd=REPO, env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        made = json.loads(subprocess.run([sys.executable, __file__, "--setup"], cwd=REPO, env=env, check=True,
                                         capture_output=True, text=True).stdout.strip().splitlines()[-1])
        report_id, users = made["report"], made["users"]
        service = Service(root, env, opts.workers)
        service.start()
        dsn = pg.url.replace("postgresql+psycopg://", "postgresql://")
        floor = baseline(service.port)
        print(f"setup: throwaway PostgreSQL on port {pg.port}, gunicorn x{opts.workers} on port {gport} "
              f"({time.perf_counter() - t0:.1f} s); /healthz median {floor * 1000:.1f} ms (the baseline)")

        # 1. load
        out = run_load(service, report_id, users, seconds, 50, 5)
        stats: Stats = out["stats"]
        total = sum(len(v) for v in stats.times.values())
        print(f"\n1. load: 50 reviewers + 5 drafters on one report for {seconds:.0f} s: {total} requests "
              f"({total / seconds:.1f}/s)")
        for action, times in sorted(stats.times.items()):
            p50, p99 = pct(times, 0.5), pct(times, 0.99)
            print(f"   {action:8s} n={len(times):5d}  p50 {p50 * 1000:7.1f} ms  p99 {p99 * 1000:7.1f} ms  "
                  f"p50 ratio to /healthz {p50 / floor:6.1f}x  statuses {stats.statuses[action]}")
        conflicts = stats.statuses.get("save", {}).get(409, 0)
        import psycopg
        with psycopg.connect(dsn) as conn:
            bodies = {row[0] for row in conn.execute("SELECT body FROM comment WHERE body LIKE '%%bench-%%'")}
        present = {m for m in stats.acknowledged if any(m in b for b in bodies)} if len(bodies) < 50000 else set()
        missing = len(set(stats.acknowledged) - present)
        print(f"   errors {len(stats.errors)} (expected 409s on saves: {conflicts}); acknowledged comments "
              f"{len(stats.acknowledged)}, missing afterwards {missing}")
        if stats.errors:
            print("   first errors:", stats.errors[:5])
            failures.append("load: errors")
        if missing:
            failures.append("load: acknowledged comments missing")
        if not stats.acknowledged:
            failures.append("load: nothing acknowledged")

        # 2. kill during an import
        sys.path.insert(0, str(HERE))
        from gen_report import generate_report
        docx = generate_report(pages=40 if opts.quick else 80, comments=300).data
        drafter = next(u for role, u in users if role == "drafter")
        uploader = Client(service.port, timeout=120)
        uploader.login(drafter)
        token = uploader.csrf(f"/reports/{report_id}/upload")

        def upload(results):
            def go():
                try:
                    results.append(uploader.request("POST", f"/reports/{report_id}/upload",
                                                    {"csrf_token": token, "mode": "version"},
                                                    files={"file": ("charge.docx", docx)})[0])
                except (OSError, http.client.HTTPException) as exc:
                    results.append(type(exc).__name__)
            t = threading.Thread(target=go)
            t.start()
            return [t]
        before = integrity(dsn)
        k = kill_during(service, "import", upload)
        after = integrity(dsn)
        ok = not any(after.values())
        print(f"\n2. SIGKILL of {k['killed']} workers during an import ({len(docx) // 1024} KB): answer "
              f"{k['answers']}, new workers ready in {k['recovered_s']:.1f} s; partial rows {after} -> "
              f"{'nothing partial' if ok else 'PARTIAL'}")
        if not ok or before != {k2: 0 for k2 in before}:
            failures.append("kill during import: partial rows")

        # 3. kill during saves
        savers = []
        for role, email in users:
            if role == "drafter":
                c = Client(service.port)
                c.login(email)
                savers.append(c)

        def saves(results):
            ts = []
            for i, c in enumerate(savers):
                status, _h, page = c.request("GET", f"/reports/{report_id}/sections/{SECTIONS[i % 3]}/edit")
                base, tok = BASE.search(page).group(1), CSRF.search(page).group(1)

                def go(c=c, i=i, base=base, tok=tok):
                    try:
                        results.append(c.request("POST", f"/reports/{report_id}/sections/{SECTIONS[i % 3]}/edit",
                                                 {"csrf_token": tok, "base_version": base,
                                                  "text": "Sauvegarde interrompue " * 200})[0])
                    except (OSError, http.client.HTTPException) as exc:
                        results.append(type(exc).__name__)
                ts.append(threading.Thread(target=go))
            for t in ts:
                t.start()
            time.sleep(0.05)
            return ts
        k = kill_during(service, "saves", saves)
        after = integrity(dsn)
        ok = not any(after.values())
        print(f"3. SIGKILL of {k['killed']} workers during {len(savers)} saves: answers {k['answers']}, "
              f"new workers ready in {k['recovered_s']:.1f} s; partial rows {after} -> "
              f"{'nothing partial' if ok else 'PARTIAL'}")
        if not ok:
            failures.append("kill during saves: partial rows")

        # 4. the database stopped mid-load
        stats4, stop = Stats(), threading.Event()
        phase = {"name": "before"}
        revs = [u for role, u in users if role == "reviewer"][:10]
        clients = []
        for email in revs:
            c = Client(service.port, timeout=30)
            c.login(email)
            clients.append(c)

        def reader(c):
            while not stop.is_set():
                name = phase["name"]
                start = time.perf_counter()
                try:
                    status, headers, _t = c.request("GET", f"/reports/{report_id}")
                except (OSError, http.client.HTTPException) as exc:
                    status, headers = type(exc).__name__, {}
                stats4.add(name, status, time.perf_counter() - start)
                if status == 503 and "retry-after" not in headers:
                    with stats4.lock:
                        stats4.errors.append("503 without Retry-After")
                stop.wait(0.3)
        ts = [threading.Thread(target=reader, args=(c,), daemon=True) for c in clients]
        for t in ts:
            t.start()
        time.sleep(3)
        phase["name"] = "stopped"
        pg.stop()
        down_at = time.perf_counter()
        time.sleep(5)
        phase["name"] = "restarting"
        pg.start()
        up_at = time.perf_counter()
        recovered = None
        probe = Client(service.port)
        while time.perf_counter() - up_at < 30:
            try:
                if probe.request("GET", "/readyz")[0] == 200:
                    recovered = time.perf_counter() - up_at
                    break
            except (OSError, http.client.HTTPException):
                pass
            time.sleep(0.2)
        phase["name"] = "after"
        time.sleep(4)
        stop.set()
        for t in ts:
            t.join(30)
        st = stats4.statuses
        print(f"4. database stopped for {up_at - down_at:.1f} s under 10 readers: before {st.get('before')}, "
              f"stopped {st.get('stopped')}, restarting {st.get('restarting')}, after {st.get('after')}; "
              f"ready again {recovered if recovered is None else round(recovered, 1)} s after the start, "
              "same gunicorn (no restart)")
        bad = [s for name in ("stopped", "restarting", "after") for s in (st.get(name) or {})
               if s not in (200, 503)]
        log = (root / "gunicorn.log").read_text(errors="replace")
        lines = log.count("database unreachable")
        reasons: dict[str, int] = {}
        for m in re.finditer(r"(database|queue) unreachable: ([^\"]{0,90})", log):
            reasons[m.group(2)] = reasons.get(m.group(2), 0) + 1
        for reason, n in sorted(reasons.items(), key=lambda kv: -kv[1])[:3]:
            print(f"   {n:4d} x {reason}")
        n503 = sum(v for name in st for s, v in st[name].items() if s == 503)
        print(f"   503 answers {n503}, log lines 'database unreachable' {lines} (one per failed request)")
        if bad or not (st.get("stopped") or {}).get(503) or recovered is None or not (st.get("after") or {}).get(200):
            failures.append(f"database restart: statuses {bad}, recovered {recovered}")
        if (st.get("after") or {}).keys() - {200}:
            failures.append("database restart: errors after recovery")
        if stats4.errors:
            failures.append("database restart: " + stats4.errors[0])
    finally:
        if service:
            service.stop()
        try:
            pg.stop()
        except subprocess.CalledProcessError:
            pass
        if opts.keep:
            print(f"logs kept in {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    print(f"\ntotal {time.perf_counter() - t0:.0f} s; " + ("all runs passed" if not failures else
                                                            "FAILED: " + "; ".join(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
