"""Long sections with repeated sentences, comments on them, and random edits with ground truth.

Used by the property test of re-anchoring on long sections (tests/unit/test_anchoring_long.py)
and by ``bench/bench_anchoring.py --long``.  Deterministic for a given ``random.Random``.

* :func:`long_section` writes a French PBF-style section of about ``chars`` characters (up to
  the 200,000-character cap of a section) from the vocabulary of ``bench/edit_scripts.py``,
  where a share of the sentences are verbatim copies drawn from a small stock (the same
  sentence recurs dozens of times, as formulaic reports do), besides the boilerplate.
* :func:`long_case` adds comments (1-40 words, a fifth on repeated sentences) and edits the
  section with :class:`bench.edit_scripts.SectionEditor`, which tracks where every comment
  SHOULD end up (or that its words are gone).
* :func:`score` compares what the re-anchoring placed with the truth: right, wrong (placed
  where the truth is elsewhere, or placed when the words are gone) and not placed.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass

from bench.edit_scripts import BOILERPLATE, WORD, SectionEditor, sentence

SECTION_CAP = 200_000


def long_section(rng: random.Random, chars: int = SECTION_CAP, *, stock: int = 25,
                 repeat_share: float = 0.3, sentences: tuple[int, int] = (3, 7)) -> str:
    """About ``chars`` characters (never more than the cap) of paragraphs of ``sentences``
    (min, max) sentences; a ``repeat_share`` of the sentences are copies from a stock of
    ``stock`` sentences."""
    chars = min(chars, SECTION_CAP)
    pool = [sentence(rng) for _ in range(stock)]
    paras: list[str] = []
    size = 0
    while True:
        parts = []
        for _ in range(rng.randint(*sentences)):
            r = rng.random()
            parts.append(rng.choice(pool) if r < repeat_share
                         else rng.choice(BOILERPLATE) if r < repeat_share + 0.08 else sentence(rng))
        p = " ".join(parts)
        if paras and size + 1 + len(p) > chars:
            break
        paras.append(p)
        size += len(p) + (1 if len(paras) > 1 else 0)
    return "\n".join(paras)


def _anchors(text: str, n: int, rng: random.Random):
    """(start, end) of ``n`` comments of 1-40 words within a paragraph, a fifth on sentences
    that occur more than once."""
    paras, pos = [], 0
    for line in text.split("\n"):
        if line:
            paras.append((pos, pos + len(line)))
        pos += len(line) + 1
    sents = [(a + m.start(), a + m.end()) for a, b in paras
             for m in re.finditer(r"[^ ].*?[.!?](?= |$)", text[a:b])]
    counts: dict[str, int] = {}
    for a, b in sents:
        counts[text[a:b]] = counts.get(text[a:b], 0) + 1
    repeated = [s for s in sents if counts[text[s[0]:s[1]]] > 1]
    out = []
    while len(out) < n:
        if repeated and rng.random() < 0.2:
            a, b = rng.choice(repeated)
        else:
            a, b = rng.choice(paras)
        words = [m.span() for m in WORD.finditer(text, a, b)]
        r = rng.random()
        k = rng.randint(1, 5) if r < 0.4 else rng.randint(6, 15) if r < 0.75 else rng.randint(16, 40)
        k = min(k, len(words))
        i = rng.randint(0, len(words) - k)
        start, end = words[i][0], words[i + k - 1][1]
        if rng.random() < 0.2 and end < len(text) and text[end] in ".,;:":
            end += 1
        out.append((start, end))
    return out


@dataclass
class LongCase:
    old: str
    new: str
    spans: list          # (start, end) in old
    truths: list         # (start, end) in new, or None when the words are gone
    edits: dict          # edit kind -> count
    edited: list         # per span: whether an edit fell inside its words


def long_case(rng: random.Random, chars: int = SECTION_CAP, *, comments: int = 100, rate: float = 0.05,
              repeat_share: float = 0.3, sentences: tuple[int, int] = (3, 7)) -> LongCase:
    """A long section, ``comments`` spans on it, and the section edited until ``rate`` of its
    characters are touched (sentence rewrites, deletions, insertions, paragraph moves, word edits,
    edits inside comments), with the true place of every comment afterwards."""
    old = long_section(rng, chars, repeat_share=repeat_share, sentences=sentences)
    spans = _anchors(old, comments, rng)
    editor = SectionEditor(old, spans, rng)
    new, truths = editor.run(rate)
    return LongCase(old, new, spans, list(truths), dict(editor.log), [b > 0 for b in editor.budget])


def score(case: LongCase, results) -> dict:
    """Counts of right / wrong / not placed (and how many comments keep words) for ``results``
    (one :class:`reviewflow.anchoring.Result` per span, or a ``(start, end)``/None per span)."""
    out = {"right": 0, "wrong": 0, "not_placed": 0, "survive": 0, "n": len(case.spans), "wrong_items": []}
    for i, (truth, r) in enumerate(zip(case.truths, results, strict=True)):
        if hasattr(r, "placed"):
            span = (r.anchor.start, r.anchor.end) if r.placed else None
        else:
            span = r
        out["survive"] += truth is not None
        if span is None:
            out["not_placed"] += 1
        elif truth is not None and span == truth:
            out["right"] += 1
        else:
            out["wrong"] += 1
            out["wrong_items"].append(i)
    return out


@dataclass
class MoveCase:
    """Two sections of one report; a paragraph of ``a`` moved to ``b`` in the new version."""
    old_a: str
    new_a: str
    old_b: str
    new_b: str
    spans: list          # (start, end) in old_a
    truths: list         # ("a" | "b", start, end) in the new texts


def move_case(rng: random.Random, chars: int = 40_000, *, comments: int = 40, repeat_share: float = 0.3) -> MoveCase:
    """One long section cut in two at a paragraph boundary (the halves share the repeated
    sentences), then a paragraph of the first half moved into the second; half the comments are
    on the moved paragraph's words."""
    text = long_section(rng, chars, repeat_share=repeat_share)
    paras = text.split("\n")
    cut = len(paras) // 2
    a_paras, b_paras = paras[:cut], paras[cut:]
    i = rng.randrange(len(a_paras) - 1)
    j = rng.randrange(len(b_paras) + 1)
    old_a, old_b = "\n".join(a_paras), "\n".join(b_paras)
    moved = a_paras[i]
    p0 = sum(len(p) + 1 for p in a_paras[:i])
    new_a = "\n".join(a_paras[:i] + a_paras[i + 1:])
    new_b_paras = b_paras[:j] + [moved] + b_paras[j:]
    new_b = "\n".join(new_b_paras)
    q0 = sum(len(p) + 1 for p in new_b_paras[:j])
    spans, truths = [], []
    inside = [m.span() for m in WORD.finditer(old_a, p0, p0 + len(moved))]
    for k in range(comments):
        if k % 2 == 0:
            n = min(len(inside), rng.randint(2, 12))
            w = rng.randint(0, len(inside) - n)
            s, e = inside[w][0], inside[w + n - 1][1]
            spans.append((s, e))
            truths.append(("b", s - p0 + q0, e - p0 + q0))
        else:
            others = [m.span() for m in WORD.finditer(old_a) if not p0 <= m.start() < p0 + len(moved)]
            w = rng.randint(0, len(others) - 3)
            s, e = others[w][0], others[w + 2][1]
            if s < p0 + len(moved) <= e or s < p0 <= e:
                continue
            spans.append((s, e))
            shift = -(len(moved) + 1) if s > p0 else 0
            truths.append(("a", s + shift, e + shift))
    return MoveCase(old_a, new_a, old_b, new_b, spans, truths)
