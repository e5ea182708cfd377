"""Benchmark of the Word reader (not a test).

    .venv/bin/python bench/bench_reader.py [--runs 7] [--pandoc-runs 3] [--sizes 60x300,300x2000]

For each size (pages x comments) it generates a French PBF report with ``bench/gen_report.py``
and prints, measured in the same run:

* reader: ``reviewflow.wordio.read_docx(data)`` (guard + parse + walk + comments + threads),
  median of ``--runs`` runs (their min-max spread is printed too);
* pandoc: ``pandoc -f docx -t json --track-changes=all`` with pypandoc's bundled binary,
  median of ``--pandoc-runs`` runs (a process per run, as the app would use it);
* bare: unzip + ``lxml.etree.fromstring`` of word/document.xml and word/comments.xml, trees
  freed inside the timing (the reader frees its own trees too), median of ``--runs`` runs;
* parse only: the same with the trees' free left out of the timing (for information);

and the ratios against the targets: reader >= 20x faster than pandoc, reader <= 2x bare, both
in wall-clock time and in CPU time (CPU time is steadier on a shared machine; the reader's
counts its parse thread too).  The exit status is 0 when the wall-clock targets are met.
Before timing it checks that the reader's text and comment anchors equal the generator's
expectations, so a fast-but-wrong reader cannot pass.
"""
from __future__ import annotations

import argparse
import gc
import io
import os
import resource
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

from gen_report import generate_report  # noqa: E402
from lxml import etree  # noqa: E402

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
    for got, exp in zip(doc.comments, rep.comments, strict=False):
        assert (got.id, got.start, got.end, got.quote, got.parent, got.resolved) == (
            exp.id, exp.start, exp.end, exp.quote, exp.parent, exp.resolved), (got, exp)
    assert doc.revision_summary.by_kind.get("ins", 0) == rep.revisions["ins"]
    assert doc.revision_summary.by_kind.get("del", 0) == rep.revisions["del"]


def timed(fn, *args) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process - all its threads) of one call."""
    c0 = time.process_time()
    t0 = time.perf_counter()
    result = fn(*args)
    elapsed = time.perf_counter() - t0
    cpu = time.process_time() - c0
    del result  # the product is freed outside the timing, for both contenders
    return elapsed, cpu


def pandoc_time(data: bytes, runs: int) -> tuple[float, float] | None:
    """(median wall, median CPU user+sys) of the pandoc process."""
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
        walls, cpus = [], []
        for _ in range(runs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            subprocess.run([pandoc, "-f", "docx", "-t", "json", "--track-changes=all", path],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            walls.append(time.perf_counter() - t0)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    return statistics.median(walls), statistics.median(cpus)


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
        wall = {k: statistics.median(x[0] for x in v) for k, v in results.items()}
        cpu = {k: statistics.median(x[1] for x in v) for k, v in results.items()}

        def spread(runs: list[tuple[float, float]]) -> str:
            w = [x[0] * 1000 for x in runs]
            c = [x[1] * 1000 for x in runs]
            return f"wall {min(w):.0f}-{max(w):.0f}, CPU {min(c):.0f}-{max(c):.0f}"
        pandoc = pandoc_time(rep.data, args.pandoc_runs)
        print(f"  {'':12s} {'wall ms':>9s} {'CPU ms':>9s}")
        print(f"  {'reader':12s} {wall['reader'] * 1000:9.1f} {cpu['reader'] * 1000:9.1f}"
              f"   (median of {args.runs}; CPU counts all threads)")
        print(f"  {'':12s} {'':9s} {'':9s}   (spread: {spread(results['reader'])})")
        print(f"  {'bare':12s} {wall['bare'] * 1000:9.1f} {cpu['bare'] * 1000:9.1f}"
              "   (unzip + lxml parse of document.xml + comments.xml, trees freed)")
        print(f"  {'':12s} {'':9s} {'':9s}   (spread: {spread(results['bare'])})")
        print(f"  {'parse only':12s} {wall['parse_only'] * 1000:9.1f} {cpu['parse_only'] * 1000:9.1f}"
              "   (the same, trees kept: their free is not timed)")
        if pandoc is not None:
            print(f"  {'pandoc':12s} {pandoc[0] * 1000:9.1f} {pandoc[1] * 1000:9.1f}"
                  f"   (median of {args.pandoc_runs})")
            for label, i, mine in (("wall", 0, wall), ("CPU", 1, cpu)):
                speedup = pandoc[i] / mine["reader"]
                flag = "ok" if speedup >= 20 else "MISSED"
                if i == 0:
                    ok &= speedup >= 20
                print(f"  pandoc / reader ({label}) = {speedup:5.1f}x   (target >= 20x: {flag})")
        for label, mine in (("wall", wall), ("CPU", cpu)):
            overhead = mine["reader"] / mine["bare"]
            flag = "ok" if overhead <= 2 else "MISSED"
            if label == "wall":
                ok &= overhead <= 2
            print(f"  reader / bare   ({label}) = {overhead:5.2f}x   (target <= 2x: {flag});"
                  f"  / parse only = {mine['reader'] / mine['parse_only']:.2f}x")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
