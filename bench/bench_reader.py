"""Benchmark of the Word reader (not a test).

    .venv/bin/python bench/bench_reader.py [--runs 7] [--pandoc-runs 3] [--sizes 60x300,300x2000]

For each size (pages x comments) it generates a French PBF report with ``bench/gen_report.py``
and prints, measured in the same run:

* reader: ``reviewflow.wordio.read_docx(data)`` (guard + parse + walk + comments + threads),
  median of ``--runs`` runs;
* pandoc: ``pandoc -f docx -t json --track-changes=all`` with pypandoc's bundled binary,
  median of ``--pandoc-runs`` runs (a process per run, as the app would use it);
* bare: unzip + ``lxml.etree.fromstring`` of word/document.xml and word/comments.xml, trees
  freed inside the timing (the reader frees its own trees too), median of ``--runs`` runs;
* parse only: the same with the trees' free left out of the timing (for information);

and the ratios against the targets: reader >= 20x faster than pandoc, reader <= 2x bare.
Before timing it checks that the reader's text and comment anchors equal the generator's
expectations, so a fast-but-wrong reader cannot pass.
"""
from __future__ import annotations

import argparse
import gc
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from lxml import etree  # noqa: E402

from gen_report import generate_report  # noqa: E402
from reviewflow.wordio import read_docx  # noqa: E402


def bare_parse(data: bytes):
    """Unzip + lxml parse of word/document.xml and word/comments.xml; trees returned."""
    zf = zipfile.ZipFile(io.BytesIO(data))
    document = etree.fromstring(zf.read("word/document.xml"))
    comments = etree.fromstring(zf.read("word/comments.xml"))
    return document, comments


def bare_parse_discard(data: bytes) -> None:
    """The same, trees freed inside the timing - as the reader must free its own trees."""
    bare_parse(data)


def check(rep) -> None:
    doc = read_docx(rep.data)
    assert doc.text == rep.text, "reader text differs from the generator's"
    assert len(doc.comments) == len(rep.comments)
    for got, exp in zip(doc.comments, rep.comments):
        assert (got.id, got.start, got.end, got.quote, got.parent, got.resolved) == (
            exp.id, exp.start, exp.end, exp.quote, exp.parent, exp.resolved), (got, exp)
    assert doc.revision_summary.by_kind.get("ins", 0) == rep.revisions["ins"]
    assert doc.revision_summary.by_kind.get("del", 0) == rep.revisions["del"]


def timed(fn, *args):
    t0 = time.perf_counter()
    result = fn(*args)
    elapsed = time.perf_counter() - t0
    del result  # the product is freed outside the timing, for both contenders
    return elapsed


def pandoc_time(data: bytes, runs: int) -> float | None:
    try:
        import pypandoc
        pandoc = pypandoc.get_pandoc_path()
    except Exception as exc:  # pragma: no cover - depends on the environment
        print(f"  pandoc unavailable: {exc}")
        return None
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "report.docx")
        with open(path, "wb") as fh:
            fh.write(data)
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            subprocess.run([pandoc, "-f", "docx", "-t", "json", "--track-changes=all", path],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--pandoc-runs", type=int, default=3)
    ap.add_argument("--sizes", default="60x300,300x2000")
    args = ap.parse_args(argv)
    ok = True
    print(f"python {sys.version.split()[0]}, lxml {etree.__version__}, {os.cpu_count()} CPUs")
    for size in args.sizes.split(","):
        pages, comments = (int(x) for x in size.split("x"))
        rep = generate_report(pages, comments, seed=1)
        check(rep)
        zf = zipfile.ZipFile(io.BytesIO(rep.data))
        doc_len = zf.getinfo("word/document.xml").file_size
        print(f"\n{pages} pages, {len(rep.comments)} comments, {rep.words} words, "
              f"{rep.paragraphs} paragraphs, {rep.tables} tables: .docx {len(rep.data) / 1e6:.2f} MB, "
              f"document.xml {doc_len / 1e6:.2f} MB")
        # Each contender in its own block (freeing a large tree makes the allocator slower for
        # whatever allocates next, so interleaving would charge one for the other's frees).
        results = {}
        for name, fn in (("reader", read_docx), ("bare", bare_parse_discard),
                         ("parse_only", bare_parse)):
            timed(fn, rep.data)  # warm-up
            gc.collect()
            results[name] = [timed(fn, rep.data) for _ in range(args.runs)]
            gc.collect()
        reader = statistics.median(results["reader"])
        bare = statistics.median(results["bare"])
        parse_only = statistics.median(results["parse_only"])
        pandoc = pandoc_time(rep.data, args.pandoc_runs)
        print(f"  reader      {reader * 1000:9.1f} ms   (median of {args.runs}; "
              f"min {min(results['reader']) * 1000:.1f})")
        print(f"  bare        {bare * 1000:9.1f} ms   (unzip + lxml parse of document.xml + "
              "comments.xml, trees freed)")
        print(f"  parse only  {parse_only * 1000:9.1f} ms   (the same, trees kept: their free "
              "is not timed)")
        if pandoc is not None:
            print(f"  pandoc      {pandoc * 1000:9.1f} ms   (median of {args.pandoc_runs})")
        speedup = pandoc / reader if pandoc else None
        overhead = reader / bare
        if speedup is not None:
            flag = "ok" if speedup >= 20 else "MISSED"
            ok &= speedup >= 20
            print(f"  pandoc / reader = {speedup:5.1f}x   (target >= 20x: {flag})")
        flag = "ok" if overhead <= 2 else "MISSED"
        ok &= overhead <= 2
        print(f"  reader / bare   = {overhead:5.2f}x   (target <= 2x: {flag})")
        print(f"  reader / parse only = {reader / parse_only:5.2f}x   (for information)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
