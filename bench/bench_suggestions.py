"""Benchmark of accepting suggested edits (not a test).

    .venv/bin/python bench/bench_suggestions.py [--edits 200] [--sections 4] [--runs 5] [--quick]

A report (temporary SQLite database, migrated) whose ``--sections`` narrative sections hold
about 6,000 characters each, with ``--edits`` open suggested edits spread over them (word
replacements, insertions and deletions, never overlapping) and 50 comment threads; then, in
the same run and alternating so both see the same machine load, each the median of ``--runs``
runs on a fresh copy of that state (set-up not timed):

* batch: ``suggestions.decide(..., author_id=)`` -- "accept all of this reviewer's": the
  listing query and ``accept`` of all the suggested edits as ONE version, and the commit;
* save (the baseline): one ordinary ``editing.save_sections`` of one section (a word
  changed), and the commit, on the same report without the suggested edits (the same 50
  comment threads open, re-anchored as on every save);
* for information: the same save with the suggested edits open too (it re-anchors them all),
  and with nothing open at all.

It prints wall-clock time of each and peak traced memory (tracemalloc, in a separate run: it
slows Python down), and the ratio batch / save; the target is batch <= 5x save.  Before timing it checks
that the batch applied every edit at its words (the new text is what the edits say).  Exit
status 0 when the target is met.
"""
from __future__ import annotations

import argparse
import gc
import random
import re
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import config  # noqa: E402
from reviewflow import content as C  # noqa: E402
from reviewflow import create_app  # noqa: E402
from reviewflow.extensions import db  # noqa: E402
from reviewflow.suggesting import Edit, apply_text  # noqa: E402

TARGET = 5.0
KEYS = ["implementation_status", "structural_change", "human_impact", "monitoring", "evaluation_preparations",
        "other", "covid_nonmonetary", "covid_success_story"]
PHRASE = ("le projet a renforcé la cohésion sociale dans les communautés frontalières grâce aux comités "
          "locaux de paix et aux activités génératrices de revenus pour les jeunes et les femmes")
WORDS = PHRASE.split(" ")


def section_text(rng: random.Random, chars: int) -> str:
    paragraphs, current, size = [], [], 0
    while size < chars:
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 18))).capitalize() + "."
        current.append(sentence)
        size += len(sentence) + 1
        if len(current) >= 5:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return "\n".join(paragraphs)


def planned_edits(rng: random.Random, text: str, n: int) -> list[Edit]:
    """``n`` non-overlapping edits on whole words, kept apart by at least one word."""
    words = [(m.start(), m.end()) for m in re.finditer(r"\w+", text)]
    picks = sorted(rng.sample(range(0, len(words), 3), n))
    out = []
    for k, i in enumerate(picks):
        s, e = words[i]
        kind = k % 3
        if kind == 0:
            out.append(Edit(s, e, text[s:e].upper() + "x"))       # replace a word
        elif kind == 1:
            out.append(Edit(e, e, " vraiment"))                    # insert after a word
        else:
            out.append(Edit(s, e, ""))                             # delete a word
    return out


class Bench:
    def __init__(self, sections: int, edits: int):
        self.tmp = tempfile.TemporaryDirectory()

        class Cfg(config.TestingConfig):
            SQLALCHEMY_DATABASE_URI = "sqlite:///" + str(Path(self.tmp.name) / "bench.db")
        self.app = create_app(Cfg)
        self.sections, self.edits = sections, edits
        self.made = 0
        with self.app.app_context():
            import flask_migrate
            flask_migrate.upgrade(directory=str(ROOT / "migrations"))

    def fresh(self, seed: int, with_edits: bool = True, with_threads: bool = True):
        """A new report in the benchmark's state; returns what the timed part needs."""
        from reviewflow.money import parse_money
        from reviewflow.services import accounts, editing, reports, suggestions, threads
        rng = random.Random(seed)
        pw = "password123"
        self.made += 1
        tag = f"{seed}-{self.made}"
        admin = accounts.create_user(f"admin{tag}@example.org", name="Admin", password=pw, org_name="Sec",
                                     is_admin=True)
        drafter = accounts.create_user(f"d{tag}@example.org", name="Drafter", password=pw, org_name="OIM")
        reviewer = accounts.create_user(f"r{tag}@example.org", name="Reviewer", password=pw, org_name="Sec")
        project = reports.create_project(actor=admin, title=f"Bench {tag}",
                                         recipients=[reports.RecipientInput("OIM", parse_money("1000"))])
        report = reports.create_report(project, actor=admin, report_type="annual", year=2024, outcomes=1)
        accounts.add_member(report, drafter, "drafter", actor=admin)
        accounts.add_member(report, reviewer, "reviewer", actor=admin)
        keys = KEYS[:self.sections]
        texts = {k: section_text(rng, 6000) for k in keys}
        editing.save_sections(report, {k: C.text_blocks(t) for k, t in texts.items()}, actor=drafter,
                              roles={"drafter"}, base_number=1)
        per = self.edits // len(keys)
        plan: dict[str, list[Edit]] = {}
        items = []
        for i, k in enumerate(keys):
            n = per + (1 if i < self.edits - per * len(keys) else 0)
            plan[k] = planned_edits(rng, texts[k], n)
            for e in plan[k] if with_edits else ():
                items.append(suggestions.suggest(report, actor=reviewer, roles={"reviewer"}, section_key=k,
                                                 start=e.start, end=e.end, replacement=e.text))
            if with_threads:
                for j in range(50 // len(keys)):
                    at = texts[k].index(".", 200 * (j + 1)) - 10
                    threads.open_thread(report, actor=reviewer, roles={"reviewer"}, section_key=k,
                                        body="Préciser", start=at, end=at + 8, quote=texts[k][at:at + 8])
        db.session.commit()
        return report, drafter, reviewer, texts, plan

    def run_batch(self, seed: int, check: bool = False, memory: bool = False) -> tuple[float, float]:
        from reviewflow.services import suggestions, versions
        with self.app.app_context():
            report, drafter, reviewer, texts, plan = self.fresh(seed)
            db.session.expire_all()
            gc.collect()
            if memory:
                tracemalloc.start()
            t0 = time.perf_counter()
            # "accept all of this reviewer's": the listing query, then one version
            result = suggestions.decide(report, "accept", actor=drafter, roles={"drafter"}, viewer=drafter,
                                        author_id=reviewer.id)
            db.session.commit()
            elapsed = time.perf_counter() - t0
            peak = tracemalloc.get_traced_memory()[1] if memory else 0
            tracemalloc.stop()
            if check:
                contents = versions.version_contents(result.version)
                assert len(result.decided) == self.edits and not result.outdated, "every edit accepted"
                for k, edits in plan.items():
                    assert contents[k].text == apply_text(texts[k], edits), f"{k}: edits not at their words"
            db.session.remove()
        return elapsed, peak

    def run_save(self, seed: int, with_edits: bool, with_threads: bool = True,
                 memory: bool = False) -> tuple[float, float]:
        from reviewflow.services import editing
        with self.app.app_context():
            report, drafter, _reviewer, texts, _plan = self.fresh(seed, with_edits, with_threads)
            key = next(iter(texts))
            new = texts[key].replace(" la ", " la grande ", 1)
            db.session.expire_all()
            gc.collect()
            if memory:
                tracemalloc.start()
            t0 = time.perf_counter()
            editing.save_sections(report, {key: C.text_blocks(new)}, actor=drafter, roles={"drafter"},
                                  base_number=2)
            db.session.commit()
            elapsed = time.perf_counter() - t0
            peak = tracemalloc.get_traced_memory()[1] if memory else 0
            tracemalloc.stop()
            db.session.remove()
        return elapsed, peak


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--edits", type=int, default=200)
    ap.add_argument("--sections", type=int, default=4)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--quick", action="store_true", help="2 runs")
    opts = ap.parse_args()
    runs = 2 if opts.quick else opts.runs
    bench = Bench(opts.sections, opts.edits)
    # correctness first (and warm-up); then peak traced memory, measured apart (tracemalloc slows Python)
    mem_batch = bench.run_batch(0, check=True, memory=True)[1]
    mem_plain = bench.run_save(1, with_edits=False, memory=True)[1]
    mem_same = bench.run_save(2, with_edits=True, memory=True)[1]
    batch, plain, same, bare = [], [], [], []
    for r in range(runs):
        batch.append(bench.run_batch(100 + r)[0])
        plain.append(bench.run_save(200 + r, with_edits=False)[0])
        same.append(bench.run_save(300 + r, with_edits=True)[0])
        bare.append(bench.run_save(400 + r, with_edits=False, with_threads=False)[0])
    b, p, s, q = (statistics.median(x) for x in (batch, plain, same, bare))
    print(f"{opts.edits} suggested edits over {opts.sections} sections of ~6,000 characters, 50 comment threads; "
          f"wall clock, median of {runs} runs; peak traced memory of one run")
    print(f"  batch accept of all {opts.edits} (one version):             {b * 1000:8.1f} ms   "
          f"peak {mem_batch / 1e6:6.1f} MB")
    print(f"  one section save, the 50 threads open (baseline): {p * 1000:8.1f} ms   peak {mem_plain / 1e6:6.1f} MB")
    print(f"  one section save, threads and edits all open:     {s * 1000:8.1f} ms   peak {mem_same / 1e6:6.1f} MB")
    print(f"  one section save, nothing open:                   {q * 1000:8.1f} ms")
    ratio = b / p
    print(f"  ratio batch / save: {ratio:.2f}x (target <= {TARGET:.0f}x)   ratio batch / save with the edits open: "
          f"{b / s:.2f}x   ratio batch / bare save: {b / q:.2f}x   memory ratio batch / save: "
          f"{mem_batch / mem_plain:.2f}x")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
