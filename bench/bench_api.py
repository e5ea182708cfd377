"""Benchmark of the JSON API's thread list (not a test).

    .venv/bin/python bench/bench_api.py [--threads 300] [--runs 30] [--quick]

The demo report (temporary SQLite database, migrated) with ``--threads`` more review threads;
then, in the same run and alternating so both see the same machine load, the median time of
``--runs`` requests (Flask test client, each in its own application context) of:

* api: ``GET /api/v1/reports/<id>/threads?limit=500`` with a Bearer token -- token lookup,
  rate limit, argument validation, the page's filters, cursor page, serialisation;
* baseline: a minimal Flask JSON endpoint registered on the same app that loads the same
  rows (``workspace.visible_threads``, what is left to do) and returns ``jsonify`` of each
  row's columns -- no authentication, no validation, no filters.

It checks that both return the same thread ids, prints both medians and the ratio
baseline / api (the API's throughput relative to the minimal endpoint); the target is >= 0.5.
Exit status 0 when met.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import config  # noqa: E402
from reviewflow import create_app  # noqa: E402
from reviewflow.extensions import db  # noqa: E402

TARGET = 0.5


def build(threads: int):
    tmp = tempfile.TemporaryDirectory()

    class Cfg(config.TestingConfig):
        SQLALCHEMY_DATABASE_URI = "sqlite:///" + str(Path(tmp.name) / "bench.db")
        API_RATE_LIMIT = "1000000/minute"

    app = create_app(Cfg)
    from flask import jsonify

    from reviewflow.models import Thread
    from reviewflow.services import accounts, workspace

    @app.route("/bench/threads/<int:report_id>")
    def baseline(report_id: int):
        report = db.session.get(app.extensions["bench_models"]["Report"], report_id)
        user = accounts.user_by_email("claire.fofana@pbf-rca.demo")
        rows = [t for t in workspace.visible_threads(report, user) if t.status != "resolved"]
        cols = [c.key for c in Thread.__table__.columns]
        return jsonify([{c: (v.isoformat() if hasattr(v, "isoformat") else v)
                         for c in cols for v in (getattr(t, c),)} for t in rows])

    with app.app_context():
        import flask_migrate
        flask_migrate.upgrade(directory=str(ROOT / "migrations"))
        from reviewflow import demo
        from reviewflow.models import Report
        from reviewflow.services import tokens
        app.extensions["bench_models"] = {"Report": Report}
        demo.load_demo()
        db.session.commit()
        report = db.session.query(Report).first()
        demo.add_review_threads(report, threads)
        db.session.commit()
        reviewer = accounts.user_by_email("claire.fofana@pbf-rca.demo")
        secret = tokens.create_token(reviewer, actor=reviewer, name="bench", scope="read").secret
        db.session.commit()
        report_id = report.id
    return tmp, app, report_id, secret


def timed(client, path, headers) -> tuple[float, object]:
    start = time.perf_counter()
    r = client.get(path, headers=headers)
    elapsed = time.perf_counter() - start
    assert r.status_code == 200, (path, r.status_code, r.data[:300])
    return elapsed, r.get_json()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=300)
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    if args.quick:
        args.runs = 5
    tmp, app, report_id, secret = build(args.threads)
    client = app.test_client()
    api_path = f"/api/v1/reports/{report_id}/threads?limit=500"
    api_headers = {"Authorization": f"Bearer {secret}", "Accept-Encoding": "identity"}
    base_path, base_headers = f"/bench/threads/{report_id}", {"Accept-Encoding": "identity"}
    _t, api_body = timed(client, api_path, api_headers)
    _t, base_body = timed(client, base_path, base_headers)
    api_ids = [t["id"] for t in api_body["items"]]
    assert api_ids == [t["id"] for t in base_body], "the two endpoints do not return the same threads"
    api_times, base_times = [], []
    for _ in range(args.runs):
        api_times.append(timed(client, api_path, api_headers)[0])
        base_times.append(timed(client, base_path, base_headers)[0])
    api, base = statistics.median(api_times), statistics.median(base_times)
    ratio = base / api
    print(f"threads listed: {len(api_ids)} (report with {args.threads} extra review threads)")
    print(f"api      GET /api/v1/reports/<id>/threads  median {api * 1000:.1f} ms over {args.runs} runs")
    print(f"baseline minimal Flask JSON endpoint        median {base * 1000:.1f} ms over {args.runs} runs")
    print(f"ratio baseline/api (API throughput relative to the minimal endpoint): {ratio:.2f} "
          f"(target >= {TARGET}) {'met' if ratio >= TARGET else 'MISSED'}")
    tmp.cleanup()
    return 0 if ratio >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
