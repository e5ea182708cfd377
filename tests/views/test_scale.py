"""Issue 13, "cost bounded by what is shown": the hostile upload (a report's export + 3,000
paragraphs that fit no field + 2,000 Word comments) leaves every page of that report bounded in
memory.  Python allocations are measured with tracemalloc (peak during the request); the bound is
generous for CI and far below what the pages took before (the report page: gigabytes)."""
from __future__ import annotations

import os
import time
import tracemalloc

import pytest

from reviewflow import content as C
from reviewflow.extensions import db
from reviewflow.models import Thread, Version
from reviewflow.services import editing, exports
from tests.helpers.hostile import grow_export
from tests.helpers.web import upload

PAGE_PEAK_MB = 60          # every page of the hostile report (the import itself is measured apart)


def _peak(client, url):
    tracemalloc.start()
    try:
        start = time.perf_counter()
        resp = client.get(url)
        elapsed = time.perf_counter() - start
        _cur, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return resp, peak / 2**20, elapsed


@pytest.fixture
def hostile(world, client, h):
    editing.save_sections(world.report, {"implementation_status": C.text_blocks("Le projet avance dans trois communes.")},
                          actor=world.drafter, roles={"drafter"}, base_number=1)
    db.session.commit()
    data, _name, _kind = exports.export_docx(world.report, viewer=world.drafter,
                                             options=exports.ExportOptions(clean=True))
    db.session.commit()
    big = grow_export(data, paragraphs=3000, comments=2000)
    h.login(world.drafter.email)
    resp = upload(h, world, big)
    assert resp.status_code in (302, 303), resp.get_data(as_text=True)[:500]
    db.session.expire_all()
    assert db.session.query(Thread).filter_by(report_id=world.report.id).count() == 2000
    return world, resp.headers["Location"]


def test_every_page_of_the_hostile_report_stays_bounded(hostile, client):
    w, summary_url = hostile
    rid = w.report.id
    latest = db.session.query(Version).filter_by(report_id=rid).order_by(Version.number.desc()).first()
    n = latest.number
    key = db.session.query(Thread).filter_by(report_id=rid).first().section.key
    some = [t.id for t in db.session.query(Thread).filter_by(report_id=rid).order_by(Thread.id).limit(40)]
    pages = [f"/reports/{rid}", f"/reports/{rid}?status=all", f"/reports/{rid}?status=open&section=implementation_status",
             f"/reports/{rid}/versions/{n}", f"/reports/{rid}/versions/{n}/cards?ids=" + ",".join(map(str, some)),
             f"/reports/{rid}/compare", f"/reports/{rid}/versions", summary_url, f"/reports/{rid}/versions/{n}/unmapped",
             f"/reports/{rid}/versions/{n}/unmapped?start=2900", f"/reports/{rid}/versions/{n}/cards?section=" + key, f"/reports/{rid}/matrix.csv",
             f"/reports/{rid}/matrix.docx", f"/reports/{rid}/export.docx", f"/reports/{rid}/dashboard",
             f"/reports/{rid}/signoff", f"/reports/{rid}/audit", "/"]
    figures, bodies = {}, {}
    for url in pages:
        resp, peak, elapsed = _peak(client, url)
        assert resp.status_code == 200, (url, resp.status_code)
        figures[url] = (peak, elapsed)
        bodies[url] = resp.data
        if os.environ.get("REVIEWFLOW_SCALE_PRINT"):
            print(f"{url[:60]:60} {peak:8.1f} MB {elapsed * 1000:8.0f} ms {len(resp.data) / 1024:8.0f} KB")
    over = {u: round(p, 1) for u, (p, _e) in figures.items() if p > PAGE_PEAK_MB}
    assert not over, f"pages over {PAGE_PEAK_MB} MB of Python allocations: {over}"
    # what the pages show of 2,000 threads and 3,000 paragraphs: an index of every thread, a bounded
    # number of full cards, the first paragraphs of the unmatched content (the rest a page away)
    page = bodies[f"/reports/{rid}"].decode()
    assert page.count('<li id="pi-') == 2000 and page.count("<article") == 0
    assert "Remarque 1 :" in page and "(§ 21)" not in page and f"/versions/{n}/unmapped" in page
    one = bodies[f"/reports/{rid}?status=open&section=implementation_status"].decode()
    assert one.count("<article") <= 50
    column = bodies[f"/reports/{rid}/versions/{n}/cards?section=" + key].decode()
    assert column.count("<article") == 50 and "start=50" in column
    assert "(§ 3000)" in bodies[f"/reports/{rid}/versions/{n}/unmapped?start=2900"].decode()
    summary = bodies[summary_url].decode()
    assert "1950" in summary and summary.count("Relecteur externe") <= 51       # counts, and 50 examples
    assert bodies[f"/reports/{rid}/matrix.csv"].decode("utf-8-sig").count("Remarque ") == 2000
