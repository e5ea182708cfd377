"""Benchmark of the Word writer (not a test).

    .venv/bin/python bench/bench_export.py [--pages 300] [--threads 2000] [--runs 7]

Generates the French PBF report of ``--pages`` pages with ``bench/gen_report.py`` (its
comments are ``--threads`` threads: ``reply_share`` 0.3 of the comments are replies, a quarter
of the roots resolved), reads it back with ``read_docx`` and turns its comments into
``ExportThread``s (root + replies, resolved flags, dates), then measures in the same run,
alternating the two so that both see the same machine load:

* annotate: ``reviewflow.wordio.annotate_docx(data, threads)`` - the guard, removing the
  file's 2,000-odd existing threads, mapping the new ones onto the runs, writing the comment
  parts and the package;
* python-docx: ``docx.Document(io.BytesIO(data)).save(buf)`` - merely opening and saving the
  same file;

each as the median of ``--runs`` runs (wall clock and CPU time, the objects each one built
released inside the timing), and prints the ratio against the target (annotate within 3x
python-docx).  Before timing it checks that the annotated file reads back with the same text
and every thread's quote, replies and resolved flag, so a fast-but-wrong writer cannot pass.
The exit status is 0 when the wall-clock target is met.
"""
from __future__ import annotations

import argparse
import gc
import io
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import docx  # noqa: E402
from gen_report import generate_report  # noqa: E402

from reviewflow.wordio import ExportComment, ExportThread, annotate_docx, read_docx  # noqa: E402

TARGET = 3.0


def threads_of(doc) -> list[ExportThread]:
    out = []
    for thread in doc.threads():
        root = thread[0]
        out.append(ExportThread(root.start, root.end,
                                [ExportComment(c.author, c.initials, c.date, c.text) for c in thread],
                                resolved=root.resolved, point=root.start == root.end))
    return out


def check(data: bytes, threads: list[ExportThread]) -> None:
    before = read_docx(data)
    out = annotate_docx(data, threads)
    after = read_docx(out)
    assert after.text == before.text, "annotated text differs"
    want = sorted((before.text[t.start:t.end], t.comments[0].text, t.resolved,
                   tuple(c.text for c in t.comments[1:])) for t in threads)
    got = sorted((th[0].quote, th[0].text, th[0].resolved, tuple(c.text for c in th[1:]))
                 for th in after.threads())
    assert got == want, "annotated threads differ"
    assert all(c.quote == th[0].quote for th in after.threads() for c in th), "reply quote"


def run_annotate(data, threads):
    out = annotate_docx(data, threads)
    return len(out)


def run_python_docx(data):
    document = docx.Document(io.BytesIO(data))
    buf = io.BytesIO()
    document.save(buf)
    del document
    return len(buf.getvalue())


def timed(fn, *args):
    gc.collect()
    w0, c0 = time.perf_counter(), time.process_time()
    fn(*args)
    return time.perf_counter() - w0, time.process_time() - c0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, default=300)
    ap.add_argument("--threads", type=int, default=2000, help="number of threads (roots)")
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args(argv)

    reply_share = 0.3
    comments = round(args.threads / (1 - reply_share))
    t = time.perf_counter()
    rep = generate_report(args.pages, comments, reply_share=reply_share)
    data = rep.data
    doc = read_docx(data)
    threads = threads_of(doc)
    n_comments = sum(len(th.comments) for th in threads)
    n_resolved = sum(th.resolved for th in threads)
    print(f"report: {args.pages} pages, {len(data) / 1e6:.1f} MB .docx, {len(doc.text):,} characters; "
          f"{len(threads)} threads ({n_comments} comments, {n_comments - len(threads)} replies, "
          f"{n_resolved} resolved) [generated and read in {time.perf_counter() - t:.2f} s]")
    check(data, threads)
    print("check: the annotated file reads back with the same text, quotes, replies and "
          "resolved flags")

    run_annotate(data, threads)  # warm-up (imports, caches)
    run_python_docx(data)
    aw, ac, pw, pc = [], [], [], []
    for _ in range(args.runs):
        w, c = timed(run_annotate, data, threads)
        aw.append(w)
        ac.append(c)
        w, c = timed(run_python_docx, data)
        pw.append(w)
        pc.append(c)
    a_w, a_c = statistics.median(aw), statistics.median(ac)
    p_w, p_c = statistics.median(pw), statistics.median(pc)
    print(f"annotate_docx ({len(threads)} threads)     wall {a_w * 1000:7.0f} ms   cpu {a_c * 1000:7.0f} ms")
    print(f"python-docx open + save            wall {p_w * 1000:7.0f} ms   cpu {p_c * 1000:7.0f} ms")
    ratio_w, ratio_c = a_w / p_w, a_c / p_c
    ok = ratio_w <= TARGET
    print(f"ratio annotate / python-docx       wall {ratio_w:7.2f} x   cpu {ratio_c:7.2f} x   "
          f"(target <= {TARGET:.0f}x: {'met' if ok else 'NOT met'})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
