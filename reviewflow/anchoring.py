"""Comment anchors and re-anchoring across versions (pure: no Flask, no database).

An :class:`Anchor` is stored twice, as the W3C Web Annotation selectors are:

* TextPositionSelector -- ``start``/``end``, Python ``str`` offsets into the section's canonical
  text (NFC, paragraphs joined by "\\n", see :mod:`reviewflow.content`);
* TextQuoteSelector -- ``quote`` (exactly ``text[start:end]``), ``prefix`` and ``suffix`` (about
  :data:`CONTEXT` = 32 characters each side).

When a new version of a section arrives every open thread is re-anchored with
:class:`Reanchorer` (one diff per (old, new) pair, shared by all threads of the section) or the
one-shot :func:`reanchor`.  Each :class:`Result` is ``(anchor, status, score)``, score in 0..1.

Statuses
--------
``EXACT``
    The same words, at the place the diff maps them to, and the diff shows no edit inside them
    (nor one that could as well be read as inside them).  Offsets shift with edits elsewhere.
    Example: a sentence is added at the top of the section; "[la cohésion sociale]" keeps its
    words and follows to its new offsets.  Score 1 (or the context score when the diff's
    placement had to be confirmed by context, see below).
``MOVED``
    The same words, found elsewhere than where the diff maps them, with more than the stored
    context agreeing.  Example: the paragraph holding "[la cohésion sociale]" was moved to the
    end of the section; the diff sees a deletion and an insertion and the quote is found in
    the moved paragraph.
``CHANGED``
    The words were edited but much of them survives (similarity >=
    :data:`CHANGED_MIN_SIMILARITY`); the new span runs from the mapped start to the mapped end,
    widened to whole edited words.  Example: "[la participation des femmes]" becomes
    "[la participation active des femmes]".  (Rarely reported with identical words, when the
    diff saw an edit inside the span but the same words stand where it maps them.)
``ORPHANED``
    The words are gone and nothing credible stands in for them (``anchor`` is ``None``).
    Example: the sentence was deleted, or the section emptied.  Orphans stay visible.
``NEEDS_CONFIRMATION``
    A candidate exists but is weak or ambiguous: the anchor is returned so the UI can propose
    it, but it is not placed (:attr:`Result.placed` is false).  Examples: the quote "du projet"
    occurs five times and its own sentence was rewritten; a deletion next to a repeated phrase
    may have removed either copy ("Au niveau national, A. Au niveau national, B." ->
    "Au niveau national, B."); a sentence was replaced by a different one at the same place.

Deleting the whole quoted span never yields ``EXACT``; needs_confirmation is never a wrong
placement, only a proposal -- and it stays one on later versions (:func:`keep_certainty`).
Words that left their section are looked for in the other sections of the same version by
:func:`search_elsewhere`, with the same thresholds.

Algorithm (per anchor, after one diff of the section)
-----------------------------------------------------
0. Normalise defensively: NFC for texts and for quotes stored by old (NFD) clients; space
   variants (U+00A0, U+202F ...) and typographic apostrophes are folded one-for-one when
   searching, so offsets never move.  If the quote is not at ``old_text[start:end]`` (stale
   offsets), it is located in the old text by context first.
1. The diff (:func:`reviewflow.diffing.word_diff`: diff-match-patch ``diff_main`` on
   paragraphs, then sentences, then words) is computed once per section.  ``start``/``end``
   are mapped through it with ``diff_xIndex`` semantics (a binary search instead of a scan:
   2,000 anchors cost 2,000 look-ups); a boundary inside a merged edit is placed with a finer
   word diff of that edit.  If no edit touches the span, the diff keeps it in an unchanged
   stretch with :data:`EXACT_MIN_CONTEXT` unchanged characters on one side (both sides, and the
   stretch itself not repeated, when the quote occurs more than once in the old text -- the
   diff may have paired one copy with another's place), and no edit nearby could as well be
   read inside it: ``EXACT``.
2. Edits between repeated words can be placed at several offsets with the same result.  A
   deletion that could as well be read inside the span -> needs_confirmation; an insertion that
   could as well stand before or after the quote -> the context decides between the two
   readings.  Only readings that keep whole words and do not weaken the edit's boundaries
   (paragraph > sentence > word) count.
3. Otherwise candidates are collected and scored: the mapped span (``CHANGED`` when its words
   were edited), every exact occurrence of the quote that starts and ends on word boundaries
   like the quote did -- except occurrences the diff keeps unchanged from another place of the
   old text (another copy of a repeated phrase) or that another vanished copy fits better --
   and, when none is strong (< :data:`FUZZY_BELOW`), fuzzy candidates.
4. Fuzzy search never hands a long quote to ``match_main``: pieces of at most 32 characters
   (quote head, middle and tail; end of the prefix; start of the suffix) are searched exactly
   over the section, and with ``match_main`` near the expected place only if no piece is found
   as it is; ``prefix + quote + suffix`` is then aligned on a window around each hit with a
   word diff to find the span.
5. Score = (50 quote + 20 prefix + 20 suffix + 2 position) / 92 -- the weights of Hypothesis's
   client.  Quote similarity: :func:`reviewflow.diffing.similarity`; context similarity: the
   larger of the share matching character for character from the span outwards and a
   word-overlap Dice.  The position term never separates two candidates by more than
   2/92 = 0.022, less than the ambiguity margin: distance alone never decides.
6. Decision: below :data:`CANDIDATE_FLOOR` -> ``ORPHANED``.  Placed only if the score reaches
   :data:`MIN_SCORE`, no other credible place scores within :data:`AMBIGUITY_MARGIN`, an edited
   quote keeps :data:`CHANGED_MIN_SIMILARITY` (and, if none of its words survive unchanged,
   keeps its context on both sides), and the candidate is credible: a short quote (<
   :data:`LONG_QUOTE`) needs :data:`EXACT_MIN_CONTEXT` characters of context intact right next
   to it, and anything but the diff's own unchanged placement needs :data:`WIDE_CONTEXT`
   characters of old text around the quote to resemble the new text around the candidate
   (mean of both sides >= :data:`WIDE_MIN`) -- 32 characters of context recur in formulaic
   reports.  Else ``NEEDS_CONFIRMATION`` with the best candidate.

Thresholds (chosen on ``bench/bench_anchoring.py``: 0 wrong over 31 seeds at 5 % edits)
----------------------------------------------------------------------------------------
* :data:`MIN_SCORE` = 0.70: an exact quote needs about a third of its context on each side (or
  two thirds on one); an edited quote with intact context needs similarity >= 0.5.  An exact
  quote with no matching context scores ~0.56 and is only proposed.
* :data:`AMBIGUITY_MARGIN` = 0.05, more than the whole position term (0.022).
* :data:`CANDIDATE_FLOOR` = 0.45: below it nothing is proposed.
* :data:`CHANGED_MIN_SIMILARITY` = 0.5: "much of it survives".
* :data:`EXACT_MIN_CONTEXT` = 8 characters (about one word) of unchanged neighbour text.
* :data:`WIDE_CONTEXT` = 128, :data:`WIDE_MIN` = 0.45: on the benchmark, right candidates
  elsewhere scored >= 0.55 and coincidental recurrences <= 0.41.
* :data:`LONG_QUOTE` = 40: an untouched quote this long needs no unchanged margin to be EXACT,
  and no adjacent context to be credible.

diff-match-patch settings
-------------------------
* No time limit: :func:`reviewflow.diffing.word_diff` is bounded by size, not by a clock
  (C++ ``diff_main`` per paragraph / sentence / word pass, a replaced stretch of more than
  :data:`reviewflow.diffing.MAX_ALIGN_UNITS` units on both sides shown deleted and re-inserted),
  so where a thread goes never depends on the machine's load.  Positions in unchanged
  stretches map exactly; spans inside an unaligned stretch are found by search (``MOVED``
  rather than ``EXACT``, never wrongly ``EXACT``), and :attr:`Reanchorer.degraded` says so.
  A 200,000-character section (the cap) with repeated sentences is diffed in about 0.1 s.
* ``Match_MaxBits`` = 32: ``match_main`` (bitap) only ever sees pieces of at most 32
  characters; long quotes are never given to it whole.
* ``Match_Threshold`` = :data:`MATCH_THRESHOLD` (0.35) and ``Match_Distance`` =
  :data:`MATCH_DISTANCE` (1000): bitap accepts errors/len + distance/1000 <= 0.35, so an
  intact piece is found up to 350 characters from where it is expected and a piece with 5
  errors in 32 up to ~190; farther moves are found by exact piece search over the whole
  section, which keeps bitap cheap.
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from time import perf_counter
from typing import NamedTuple

from diff_match_patch import diff_match_patch

from . import diffing
from .content import normalize

EXACT = "exact"
MOVED = "moved"
CHANGED = "changed"
ORPHANED = "orphaned"
NEEDS_CONFIRMATION = "needs_confirmation"
STATUSES = (EXACT, MOVED, CHANGED, ORPHANED, NEEDS_CONFIRMATION)     # outcomes of re-anchoring
SECTION = "section"           # a comment on a whole section: no words to follow, never re-anchored
ANCHOR_STATUSES = (*STATUSES, SECTION)   # every place a thread can have: the one list (models check it)
PLACED = frozenset({EXACT, MOVED, CHANGED})

CONTEXT = 32
WEIGHT_QUOTE, WEIGHT_PREFIX, WEIGHT_SUFFIX, WEIGHT_POSITION = 50, 20, 20, 2
MIN_SCORE = 0.70
AMBIGUITY_MARGIN = 0.05
CANDIDATE_FLOOR = 0.45
CHANGED_MIN_SIMILARITY = 0.5
LONG_QUOTE = 40
EXACT_MIN_CONTEXT = 8
WIDE_CONTEXT = 128
WIDE_MIN = 0.45
FUZZY_BELOW = 0.85          # look for fuzzy candidates when nothing scores this well
DIFF_TIMEOUT = 0          # kept for callers; no clock bounds a diff (see reviewflow.diffing)
MATCH_THRESHOLD = 0.35
MATCH_DISTANCE = 1000
MATCH_MAXBITS = 32
MAX_OCCURRENCES = 2000      # exact occurrences of one quote scored; beyond: ambiguous anyway
MAX_FUZZY_SEEDS = 6

# One-for-one foldings (so offsets are unchanged): space variants a browser's selection turns
# into plain spaces, and typographic apostrophes Word substitutes for straight ones.
_FOLD_PAIRS = tuple((ch, " ") for ch in "\u00a0\u202f\u2007\u2009\u200a\u2002\u2003\u2005\u2006"
                                    "\u2008\u205f\u3000") + tuple((ch, "'") for ch in "\u2019\u2018\u02bc")
_WORDS = re.compile(r"\w+")


def _fold(text: str) -> str:
    # a few str.replace passes are much faster than str.translate on long texts
    # (characters other than these pass unchanged: offsets in the folded text are the same)
    for a, b in _FOLD_PAIRS:
        if a in text:
            text = text.replace(a, b)
    return text


def _nfc(text) -> str:
    if not text:
        return ""
    if "\r" not in text and "\u2028" not in text and "\u2029" not in text \
            and unicodedata.is_normalized("NFC", text):
        return text
    return normalize(text)


def _check_int(name, value):
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be an integer, not {type(value).__name__}")


@dataclass(frozen=True)
class Anchor:
    """A commented span: position (``start``, ``end``) and quote with ``prefix``/``suffix``."""
    start: int
    end: int
    quote: str
    prefix: str = ""
    suffix: str = ""

    def __post_init__(self):
        _check_int("start", self.start)
        _check_int("end", self.end)
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"invalid span {self.start}..{self.end}")
        for name in ("quote", "prefix", "suffix"):
            if not isinstance(getattr(self, name), str):
                raise ValueError(f"{name} must be a string")

    @property
    def is_point(self) -> bool:
        return self.start == self.end

    def as_dict(self) -> dict:
        return {"start": self.start, "end": self.end, "quote": self.quote,
                "prefix": self.prefix, "suffix": self.suffix}


class Result(NamedTuple):
    """Outcome of re-anchoring: ``anchor`` (``None`` when orphaned), ``status``, ``score``."""
    anchor: Anchor | None
    status: str
    score: float

    @property
    def placed(self) -> bool:
        """True for EXACT, MOVED and CHANGED; a NEEDS_CONFIRMATION candidate is not placed."""
        return self.status in PLACED


def make_anchor(text: str, start: int, end: int, context: int = CONTEXT) -> Anchor:
    """The anchor of ``text[start:end]`` with ``context`` characters of prefix and suffix.

    ``text`` should be canonical (NFC).  If it is not, it is normalised and the offsets are
    carried over; a span that splits a character which normalisation composes is refused.
    Raises ``ValueError`` for non-integer or out-of-range offsets.
    """
    _check_int("start", start)
    _check_int("end", end)
    _check_int("context", context)
    if context < 0:
        raise ValueError("context must be >= 0")
    if text is None:
        text = ""
    if not isinstance(text, str):
        raise ValueError("text must be a string")
    if not 0 <= start <= end <= len(text):
        raise ValueError(f"span {start}..{end} outside text of length {len(text)}")
    norm = _nfc(text)
    if norm != text:
        quote = _nfc(text[start:end])
        new_start = len(_nfc(text[:start]))
        new_end = new_start + len(quote)
        if norm[new_start:new_end] != quote:
            raise ValueError("span boundary splits a character composed by NFC normalisation")
        text, start, end = norm, new_start, new_end
    return Anchor(start, end, text[start:end], text[max(0, start - context):start],
                  text[end:end + context])


def verify_anchor(text: str, anchor: Anchor) -> bool:
    """Whether a (browser-computed) anchor describes ``text`` exactly.

    True when, on the NFC texts, ``0 <= start <= end <= len(text)``, ``quote ==
    text[start:end]``, ``prefix`` is exactly the text just before ``start`` (it may be shorter
    than 32 characters, e.g. at the start of the text, or empty) and ``suffix`` exactly the text
    just after ``end``.  The only tolerance: space variants (U+00A0, U+202F ...) may appear as
    plain spaces and typographic apostrophes as straight ones, because browsers' selections
    turn non-breaking spaces into spaces; the comparison is one character for one, so offsets
    are never in doubt.  The server should then store ``make_anchor(text, start, end)``.
    """
    try:
        start, end = anchor.start, anchor.end
        _check_int("start", start)
        _check_int("end", end)
    except (AttributeError, ValueError):
        return False
    text = _nfc(text)
    if not 0 <= start <= end <= len(text):
        return False
    quote, prefix, suffix = _nfc(anchor.quote), _nfc(anchor.prefix), _nfc(anchor.suffix)
    if _fold(text[start:end]) != _fold(quote):
        return False
    if len(prefix) > start or _fold(text[start - len(prefix):start]) != _fold(prefix):
        return False
    return _fold(text[end:end + len(suffix)]) == _fold(suffix)


# --------------------------------------------------------------------------- diff mapping

class _DiffMap:
    """A diff (list of dmp ``(op, text)``) indexed for offset mapping.

    ``xindex`` is diff-match-patch's ``diff_xIndex`` with a binary search instead of a scan.
    Runs are maximal sequences of non-equal ops: ``(o0, o1, n0, n1)`` -- the old range deleted
    and the new range inserted at that place.
    """

    def __init__(self, diffs, old: str, new: str, refine: bool = True):
        self.old, self.new = old, new
        self.refine = refine
        self._inner_maps: dict = {}
        self.eq = []        # (o0, o1, n0) of equal ops
        self.keys = []      # old starts of equal and delete ops
        self.kinds = []     # parallel: (op, o0, n0)
        self.runs = []      # (o0, o1, n0, n1)
        o = n = 0
        run = None
        for op, text in diffs:
            size = len(text)
            if not size:
                continue
            if op == 0:
                if run:
                    self.runs.append(tuple(run))
                    run = None
                self.eq.append((o, o + size, n))
                self.keys.append(o)
                self.kinds.append((0, o, n))
                o += size
                n += size
            else:
                if run is None:
                    run = [o, o, n, n]
                if op == -1:
                    self.keys.append(o)
                    self.kinds.append((-1, o, n))
                    o += size
                    run[1] = o
                else:
                    n += size
                    run[3] = n
        if run:
            self.runs.append(tuple(run))
        self.old_len, self.new_len = o, n
        self.run_o0 = [r[0] for r in self.runs]
        self.run_o1 = [r[1] for r in self.runs]
        self.eq_o0 = [e[0] for e in self.eq]
        self.eq_n0 = [e[2] for e in self.eq]

    def inserted(self, ns: int, ne: int) -> bool:
        """Whether new [ns, ne) lies inside the text one edit inserted (a moved paragraph is
        such text in the section it arrived in)."""
        if not self.runs:
            return False
        if not hasattr(self, "_run_n0"):
            self._run_n0 = [r[2] for r in self.runs]
        i = bisect.bisect_right(self._run_n0, ns) - 1
        return i >= 0 and self.runs[i][2] <= ns and ne <= self.runs[i][3] and ns < ne

    def preimage(self, ns: int, ne: int):
        """The old start of new [ns, ne) if that span lies in one unchanged stretch, else None.

        Such a span is the image of old text: if it is not the anchor's own old span, those
        words belonged to another place of the old text (another copy of a repeated phrase)
        and are not where the anchor's words went.
        """
        i = bisect.bisect_right(self.eq_n0, ns) - 1
        if i < 0:
            return None
        o0, o1, n0 = self.eq[i]
        n1 = n0 + (o1 - o0)
        if ns == ne:
            return o0 + ns - n0 if n0 < ns < n1 else None
        return o0 + ns - n0 if n0 <= ns and ne <= n1 else None

    def xindex(self, loc: int) -> int:
        """``diff_xIndex(diffs, loc)``: a location in the old text -> the new text."""
        if loc >= self.old_len or not self.keys:
            return self.new_len + max(0, loc - self.old_len)
        i = bisect.bisect_right(self.keys, loc) - 1
        op, o0, n0 = self.kinds[i]
        return n0 if op == -1 else n0 + loc - o0

    def _run_at(self, loc):
        """The run whose deletion contains old position ``loc``, else None."""
        i = bisect.bisect_right(self.run_o0, loc) - 1
        if i >= 0 and self.runs[i][0] <= loc < self.runs[i][1]:
            return self.runs[i]
        return None

    def _inner(self, run):
        """The raw word diff (no cleanup) between a run's deleted and inserted text, to place a
        boundary that falls inside the run: the semantic cleanup may have merged a small
        unchanged stretch ("les jeunes. ") into a larger edit."""
        inner = self._inner_maps.get(run)
        if inner is None:
            o0, o1, n0, n1 = run
            deleted, inserted = self.old[o0:o1], self.new[n0:n1]
            inner = _DiffMap(diffing.token_diff(deleted, inserted), deleted, inserted,
                             refine=False)
            self._inner_maps[run] = inner
        return inner

    def map_start(self, s: int) -> int:
        run = self._run_at(s)
        if run is None:
            return self.xindex(s)
        o0, o1, n0, n1 = run
        if n1 == n0:
            return n0
        if self.refine:
            return n0 + self._inner(run).map_start(s - o0)
        if s == o0:
            return n0
        x = n0 + round((s - o0) * (n1 - n0) / (o1 - o0))
        while n0 < x < n1 and _wordch(self.new[x - 1]) and _wordch(self.new[x]):
            x -= 1
        return x

    def map_end(self, e: int) -> int:
        if e <= 0:
            return self.xindex(0) if self.keys else 0
        run = self._run_at(e - 1)
        if run is None:
            return self.xindex(e - 1) + 1
        o0, o1, n0, n1 = run
        if n1 == n0:
            return n0
        if self.refine:
            return n0 + self._inner(run).map_end(e - o0)
        if e == o1:
            return n1
        x = n0 + round((e - o0) * (n1 - n0) / (o1 - o0))
        while n0 < x < n1 and _wordch(self.new[x - 1]) and _wordch(self.new[x]):
            x += 1
        return x

    def touched(self, s: int, e: int) -> bool:
        """Whether an edit lies inside [s, e) (for a point: at or across s)."""
        i = bisect.bisect_left(self.run_o1, s)
        while i < len(self.runs) and self.runs[i][0] <= e:
            o0, o1 = self.runs[i][0], self.runs[i][1]
            if s == e:
                if o0 <= s <= o1:
                    return True
            elif (o0 < o1 and o0 < e and o1 > s) or (o0 == o1 and s < o0 < e):
                return True
            i += 1
        return False

    def kept(self, s: int, e: int) -> int:
        """Characters of old [s, e) inside equal stretches."""
        total = 0
        i = max(0, bisect.bisect_right(self.eq_o0, s) - 1)
        while i < len(self.eq) and self.eq[i][0] < e:
            o0, o1, _ = self.eq[i]
            total += max(0, min(o1, e) - max(o0, s))
            i += 1
        return total

    def equal_margins(self, s: int, e: int):
        """Unchanged characters before s and after e in the equal stretch holding [s, e)
        (a text boundary counts as unlimited)."""
        i = bisect.bisect_right(self.eq_o0, s) - 1
        if i < 0:
            return 0, 0
        o0, o1, _ = self.eq[i]
        if not (o0 <= s and e <= o1):
            return 0, 0
        left = 1 << 30 if o0 == 0 else s - o0
        right = 1 << 30 if o1 == self.old_len else o1 - e
        return left, right

    def slidable_into(self, s: int, e: int) -> bool:
        """Whether the nearest deletion before or after [s, e) could be shifted into it.

        An edit between repeated words can be placed at several offsets with the same result
        ("Au niveau national, A. Au niveau national, B." -> "Au niveau national, B.": which
        "Au niveau national" went?).  If one placement of a deletion that keeps whole words
        reaches inside the span, the diff cannot tell whether the span's own words were
        deleted.  The deletion of a replacement is shifted alone: what was inserted at its
        place can stay where it is.  (Pure insertions are ignored: they delete nothing.
        Shifts that cut words -- "sociale" + " durable" read as "social" + "e durabl" -- are not
        plausible readings of a word diff and are ignored too.)
        """
        old = self.old
        i = bisect.bisect_right(self.run_o1, s) - 1       # last run with o1 <= s
        if i >= 0 and self.runs[i][1] > self.runs[i][0]:
            o0, o1, n0, n1 = self.runs[i]
            limit = (self.runs[i + 1][0] if i + 1 < len(self.runs) else self.old_len) - o1
            need = min(limit, e - o0)
            r = 0
            while r < need:   # slide the deletion right: its first char == the char after it
                if old[o0 + r] != old[o1 + r]:
                    break
                r += 1
                if self._reaches(self.runs[i], (o0 + r, o1 + r, n1 + r, n1 + r), s, e):
                    return True
        j = bisect.bisect_left(self.run_o0, e)            # first run with o0 >= e
        if j < len(self.runs) and j != i and self.runs[j][1] > self.runs[j][0]:
            o0, o1, n0, n1 = self.runs[j]
            limit = o0 - (self.runs[j - 1][1] if j > 0 else 0)
            need = min(limit, o1 - s)
            k = 0
            while k < need:   # slide the deletion left: its last char == the char before it
                if old[o1 - k - 1] != old[o0 - k - 1]:
                    break
                k += 1
                if self._reaches(self.runs[j], (o0 - k, o1 - k, n0 - k, n0 - k), s, e):
                    return True
        return False

    def slide_out(self, s: int, e: int):
        """The other reading of edits inside [s, e) between repeated words.

        If every edit touching the span could equally stand just before or just after it
        (keeping whole words) -- "À cet égard, X. À cet égard, Y" with "X. À cet égard, "
        inserted, or one of three "a" deleted from "a a a" -- return ``(start, deletes)``:
        where the span's intact words start in the new text under that reading, and whether
        one of those edits deletes text (then the span's words may as well be the deleted ones:
        ambiguous).  Else None.
        """
        old, new = self.old, self.new
        i = bisect.bisect_left(self.run_o1, s)
        found = deletes = False
        start = None
        while i < len(self.runs) and self.runs[i][0] <= e:
            o0, o1, n0, n1 = self.runs[i]
            if (o1 > o0 and (o1 <= s or o0 >= e)) or (o1 == o0 and not s < o0 < e):
                i += 1
                continue
            if start is None:
                start = s + (n0 - o0)       # net growth of the text before this edit
            found = True
            deletes = deletes or o1 > o0
            prev_end = self.runs[i - 1][1] if i > 0 else 0
            next_start = self.runs[i + 1][0] if i + 1 < len(self.runs) else self.old_len
            k = 0                                     # slide left until it ends at or before s
            left_ok = False
            while (o0 - k - 1 >= prev_end
                   and (o1 == o0 or old[o1 - k - 1] == old[o0 - k - 1])
                   and (n1 == n0 or new[n1 - k - 1] == new[n0 - k - 1])):
                k += 1
                if o1 - k <= s and self._plausible(self.runs[i], (o0 - k, o1 - k, n0 - k, n1 - k),
                                                   strict=True):
                    left_ok = True
                    break
            if left_ok:
                start += (n1 - n0) - (o1 - o0)
            else:
                k = 0                                 # slide right until it starts at or after e
                right_ok = False
                while (o1 + k < next_start
                       and (o1 == o0 or old[o0 + k] == old[o1 + k])
                       and (n1 == n0 or new[n0 + k] == new[n1 + k])):
                    k += 1
                    if o0 + k >= e and self._plausible(self.runs[i],
                                                       (o0 + k, o1 + k, n0 + k, n1 + k),
                                                       strict=True):
                        right_ok = True
                        break
                if not right_ok:
                    return None
            i += 1
        return (start, deletes) if found else None

    def insertion_across(self, s: int, e: int):
        """Other readings of the nearest pure insertion before or after [s, e).

        "…frontalières. [Au cours de la période] considérée, la plateforme…" with the sentence
        "Au cours de la période considérée, le réseau … considérée. " inserted before it: the
        diff may place the insertion after the span's own words, pairing the span with the copy
        in the new sentence.  Both readings keep the words intact; the context decides, then
        how well each reading's insertion sits on sentence/paragraph boundaries.

        Returns ``[(shift, strength of that reading, strength of the diff's reading)]``: the
        span moves by ``shift`` in the new text if the insertion stands on its other side.
        """
        out = []
        i = bisect.bisect_right(self.run_o1, s) - 1       # last run with o1 <= s
        j = bisect.bisect_left(self.run_o0, e)            # first run with o0 >= e
        for k, side in ((i, "before"), (j, "after")):
            if not (0 <= k < len(self.runs)) or self.runs[k][0] != self.runs[k][1]:
                continue
            if side == "after" and k == i:
                continue
            o0, _, n0, n1 = self.runs[k]
            best = {"before": -1, "after": -1}
            for d in self._insertion_slides(k):
                x = o0 + d
                if s < x < e:
                    continue
                where = "before" if x <= s else "after"
                strength = _strength(self.new, n0 + d) + _strength(self.new, n1 + d)
                best[where] = max(best[where], strength)
            other = "after" if side == "before" else "before"
            if best[other] >= 0:
                shift = -(n1 - n0) if side == "before" else (n1 - n0)
                out.append((shift, best[other], best[side]))
        return out

    def _insertion_slides(self, k):
        """Offsets by which pure insertion run ``k`` can be shifted, whole words kept (0 too)."""
        new = self.new
        o0, _, n0, n1 = self.runs[k]
        lo = self.runs[k - 1][1] if k > 0 else 0
        hi = self.runs[k + 1][0] if k + 1 < len(self.runs) else self.old_len
        shifts = [0]
        d = 0
        while o0 + d < hi and new[n0 + d] == new[n1 + d]:
            d += 1
            if self._plausible(self.runs[k], (o0 + d, o0 + d, n0 + d, n1 + d)):
                shifts.append(d)
        d = 0
        while o0 - d > lo and new[n1 - d - 1] == new[n0 - d - 1]:
            d += 1
            if self._plausible(self.runs[k], (o0 - d, o0 - d, n0 - d, n1 - d)):
                shifts.append(-d)
        return shifts

    def _reaches(self, run, slid, s, e) -> bool:
        """Whether the edit ``run`` placed at ``slid`` (old o0, o1, new n0, n1) is a plausible
        reading and lies inside the span (a deletion overlapping it, an insertion strictly
        inside it; for a point anchor: at or across the point)."""
        o0, o1 = slid[0], slid[1]
        if s == e:
            inside = o0 <= s <= o1
        elif o1 > o0:
            inside = o0 < e and o1 > s
        else:
            inside = s < o0 < e
        return inside and self._plausible(run, slid)

    def _plausible(self, run, slid, strict=False) -> bool:
        """Whether a shifted placement of an edit is a plausible reading of the same change:
        it keeps whole words and, when ``strict``, does not straddle a paragraph break the
        original did not (a moved paragraph "Y. B\\n" is not re-read as "B\\nY. ", the end of
        one paragraph plus the start of the next).  Readings that could make a span look
        untouched when it may not be are weighed with ``strict=False``: safety first."""
        texts = (self.old, self.old, self.new, self.new)
        if not all(_boundary(t, x) for t, x in zip(texts, slid, strict=False)):
            return False
        if not strict:
            return True
        for t, (a, b), (a0, b0) in ((self.old, slid[0:2], run[0:2]), (self.new, slid[2:4], run[2:4])):
            if "\n" in t[a + 1:b - 1] and "\n" not in t[a0 + 1:b0 - 1]:
                return False
        return True


def _strength(text: str, x: int) -> int:
    """3 at a paragraph boundary, 2 at a sentence boundary, 1 at a word boundary, 0 inside a
    word."""
    if x <= 0 or x >= len(text) or text[x - 1] == "\n" or text[x] == "\n":
        return 3
    j = x
    while j > 0 and text[j - 1] in " \t\u00a0\u202f":
        j -= 1
    if 0 < j < x and text[j - 1] in ".!?\u2026":
        return 2      # at the start of a sentence (after its full stop and space)
    if text[x - 1] in ".!?\u2026" and text[x] in " \t\u00a0\u202f":
        return 2      # right after a full stop
    return 1 if _boundary(text, x) else 0


def _boundary(text: str, x: int) -> bool:
    return x <= 0 or x >= len(text) or not (_wordch(text[x - 1]) and _wordch(text[x]))


def _wordch(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


class _Identity:
    """The mapping of a text onto itself (no edit anywhere)."""

    def xindex(self, loc):
        return loc

    map_start = map_end = xindex

    def touched(self, s, e):
        return False

    def slidable_into(self, s, e):
        return False

    def slide_out(self, s, e):
        return None

    def insertion_across(self, s, e):
        return []

    def equal_margins(self, s, e):
        return 1 << 30, 1 << 30

    def preimage(self, ns, ne):
        return ns

    def inserted(self, ns, ne):
        return False


# --------------------------------------------------------------------------- scoring

def _affix_prefix(stored: str, actual: str) -> int:
    n = 0
    for a, b in zip(reversed(stored), reversed(actual), strict=False):
        if a != b:
            break
        n += 1
    return n


def _affix_suffix(stored: str, actual: str) -> int:
    n = 0
    for a, b in zip(stored, actual, strict=False):
        if a != b:
            break
        n += 1
    return n


@lru_cache(maxsize=1 << 15)
def _word_bag(text: str):
    """(word counts, characters in words) of a context string; cached: the same contexts are
    compared again and again around a repeated phrase."""
    bag = Counter(_WORDS.findall(text))
    return bag, sum(len(w) * c for w, c in bag.items())


def _word_dice(a: str, b: str) -> float:
    (wa, ta), (wb, tb) = _word_bag(a), _word_bag(b)
    total = ta + tb
    if not total:
        return 0.0
    common = sum(len(w) * min(wa[w], wb[w]) for w in wa.keys() & wb.keys())
    return 2.0 * common / total


def _context_score(stored: str, actual: str, side: str, at_edge: bool) -> float:
    """Similarity of stored context and the text next to a candidate, 0..1.

    The larger of: the share of the stored context matching character for character from the
    span outwards, and a word-overlap Dice (tolerates one edited word next to the span).
    An empty stored context (the quote was at the text's edge) scores 1 at the edge, else 0.5.
    """
    if not stored:
        return 1.0 if at_edge else 0.5
    if stored == actual:
        return 1.0
    common = _affix_prefix(stored, actual) if side == "prefix" else _affix_suffix(stored, actual)
    return max(common / len(stored), _word_dice(stored, actual))


@dataclass
class _Candidate:
    start: int
    end: int
    kind: str            # "mapped", "search", "fuzzy"
    quote_score: float
    same_words: bool
    untouched: bool = False
    total: float = 0.0
    adjacent: int = 0    # characters of stored context matching right next to the span
    adjacent_prefix: int = 0
    adjacent_suffix: int = 0
    kept: int = -1       # mapped candidate: characters of the quote the diff shows unchanged
    contested: bool = False  # another old copy of the quote fits this place as well


class Reanchorer:
    """Re-anchor any number of anchors from ``old_text`` to ``new_text`` with one diff.

    >>> r = Reanchorer("Le projet a renforcé la cohésion sociale.",
    ...                "Depuis 2023, le projet a renforcé la cohésion sociale.")
    >>> r.reanchor(make_anchor(r.old_text, 21, 40)).status
    'exact'
    """

    def __init__(self, old_text: str, new_text: str, *, timeout: float = DIFF_TIMEOUT):
        self.old_text = _nfc(old_text)
        self.new_text = _nfc(new_text)
        self.same = self.old_text == self.new_text
        self._fold_old = _fold(self.old_text)
        self._fold_new = self._fold_old if self.same else _fold(self.new_text)
        self._dmp = diff_match_patch()
        self._dmp.Diff_Timeout = timeout
        self._dmp.Match_Threshold = MATCH_THRESHOLD
        self._dmp.Match_Distance = MATCH_DISTANCE
        self._dmp.Match_MaxBits = MATCH_MAXBITS
        self._occurrences: dict = {}
        self.degraded = False
        self.diff_seconds = 0.0
        if self.same:
            self._map = _Identity()
        else:
            t0 = perf_counter()
            diffs, self.degraded = diffing.word_diff(self.old_text, self.new_text,
                                                     timeout=timeout, dmp=self._dmp)
            self._map = _DiffMap(diffs, self.old_text, self.new_text)
            self.diff_seconds = perf_counter() - t0

    # -- public -------------------------------------------------------------------------

    def _anchor(self, start: int, end: int) -> Anchor:
        """:func:`make_anchor` on the new text, which is NFC already (no second normalisation
        pass over a 200,000-character section per thread)."""
        text = self.new_text
        return Anchor(start, end, text[start:end], text[max(0, start - CONTEXT):start], text[end:end + CONTEXT])

    def reanchor(self, anchor: Anchor) -> Result:
        """Where ``anchor`` (on the old text) belongs in the new text; see the module doc."""
        quote, prefix, suffix = _nfc(anchor.quote), _nfc(anchor.prefix), _nfc(anchor.suffix)
        start = min(max(anchor.start, 0), len(self.old_text))
        end = min(max(anchor.end, start), len(self.old_text))
        old_span, stale = self._locate_old(quote, prefix, suffix, start, end)
        point = not quote

        slid_in = repeated = False
        if old_span is not None:
            s, e = old_span
            if point:
                ms = me = self._map.xindex(s)
            else:
                ms, me = self._map.map_start(s), self._map.map_end(e)
                me = max(me, ms)
            touched = self._map.touched(s, e)
            slid_in = not touched and self._map.slidable_into(s, e)
            intact_by_shift = False
            if touched and not point:
                other = self._map.slide_out(s, e)
                if other is not None and _fold(self.new_text[other[0]:other[0] + e - s]) == _fold(quote):
                    ns = other[0]
                    if other[1]:
                        # a deletion that may as well have removed a neighbouring copy
                        cand = _Candidate(ns, ns + e - s, "mapped", 1.0, True)
                        self._score([cand], quote, prefix, suffix, ns)
                        return Result(self._anchor(ns, ns + e - s),
                                      NEEDS_CONFIRMATION, round(cand.total, 4))
                    ms, me, touched, intact_by_shift = ns, ns + e - s, False, True
            untouched = not touched and not slid_in
            repeated = bool(quote) and not self.same and self._fold_old.count(_fold(quote)) > 1
            if untouched and not stale:
                if self.same:
                    return Result(self._anchor(ms, me), EXACT, 1.0)
                left, right = (0, 0) if intact_by_shift else self._map.equal_margins(s, e)
                if repeated:
                    # Which copy the diff kept is only as sure as the unchanged text around it:
                    # some on both sides, and the unchanged stretch itself not repeated (else
                    # the diff may have paired this copy with another one's place).
                    ok = (min(left, right) >= EXACT_MIN_CONTEXT
                          and not self._stretch_repeated(s, e, left, right))
                else:
                    ok = (len(quote) >= LONG_QUOTE or max(left, right) >= EXACT_MIN_CONTEXT
                          or intact_by_shift)
                if ok and repeated and self._claimed_by_vanished_copy(quote, old_span, ms, me):
                    ok = False
                if ok:
                    across = self._map.insertion_across(s, e)
                    if not across:
                        return Result(self._anchor(ms, me), EXACT, 1.0)
                    return self._settle_readings(quote, prefix, suffix, ms, me, s, e, across)
        else:
            s = e = None
            ms = me = self._map.xindex(start)
            untouched = False

        cands = []
        if old_span is not None:
            if point:
                for x in self._point_mapped(s):
                    cands.append(_Candidate(x, x, "mapped", 1.0, True, untouched))
            elif me > ms:
                ms, me = _trim(self.new_text, ms, me, quote)
                new_quote = self.new_text[ms:me]
                same = _fold(new_quote) == _fold(quote)
                qs = 1.0 if new_quote == quote else 0.99 if same else diffing.similarity(quote, new_quote)
                cands.append(_Candidate(ms, me, "mapped", qs, same, untouched,
                                        kept=self._map.kept(s, e) if not self.same else e - s))
        whole = self._whole_words(old_span, quote)
        cands.extend(self._unclaimed(whole(self._search(quote, prefix, suffix)), s))
        if repeated:
            cands = self._uncontested(cands, quote, old_span, ms, me)
        self._score(cands, quote, prefix, suffix, ms)
        best = max(cands, key=lambda c: c.total, default=None)
        if best is None or best.total < FUZZY_BELOW:
            extra = self._unclaimed(whole(self._fuzzy(quote, prefix, suffix, ms, me, cands)), s)
            if repeated:
                extra = self._uncontested(extra, quote, old_span, ms, me)
            self._score(extra, quote, prefix, suffix, ms)
            cands.extend(extra)
        return self._decide(cands, quote, ms, me, old_span, stale, slid_in, repeated)

    def _settle_readings(self, quote, prefix, suffix, ms, me, s, e, across) -> Result:
        """An insertion next to an intact quote could stand on either side of it: the context
        decides; on a tie, the reading whose insertion sits on stronger boundaries (a whole
        sentence rather than the end of one and the start of the next); else ask."""
        readings = [(_Candidate(ms, me, "mapped", 1.0, True, True), max(a[2] for a in across))]
        readings += [(_Candidate(ms + d, me + d, "mapped", 1.0, True, True), strength)
                     for d, strength, _ in across]
        self._score([c for c, _ in readings], quote, prefix, suffix, ms)
        readings.sort(key=lambda r: -r[0].total)
        (best, strength), (second, other) = readings[0], readings[1]
        if second.total > best.total - AMBIGUITY_MARGIN:
            if other > strength:
                best, strength = second, other
            elif other == strength:
                return Result(self._anchor(best.start, best.end),
                              NEEDS_CONFIRMATION, round(best.total, 4))
        return Result(self._anchor(best.start, best.end), EXACT, 1.0)

    def follow_point(self, anchor: Anchor) -> Anchor:
        """Where a point (an empty range, e.g. a Word comment with no words) goes: its
        re-anchored place when its context finds one, else where the diff maps its offset --
        a point always has a place, it only follows the edits around it."""
        start = min(max(anchor.start, 0), len(self.old_text))
        result = self.reanchor(Anchor(start, start, "", anchor.prefix, anchor.suffix))
        if result.anchor is not None:
            x = result.anchor.start
        else:
            x = min(self._map.xindex(start), len(self.new_text))
        return self._anchor(x, x)

    def reanchor_all(self, anchors) -> list[Result]:
        return [self.reanchor(a) for a in anchors]

    # -- steps --------------------------------------------------------------------------

    def _stretch_repeated(self, s, e, left, right) -> bool:
        big = 1 << 30
        o0 = 0 if left >= big else s - left
        o1 = len(self.old_text) if right >= big else e + right
        stretch = self._fold_old[o0:o1]
        return len(stretch) < len(self._fold_old) and self._fold_old.count(stretch) > 1

    def _unclaimed(self, cands, s):
        """Drop candidates that are unchanged images of another place of the old text.

        The quote "résultat 1 du projet" may occur ten times; when the anchor's own occurrence
        is deleted, the nine others are still there, mapped by the diff from their own old
        places, with the same 32 characters of context.  They are not where the anchor's words
        went, so they are not candidates (a moved paragraph's copy is an insertion in the
        diff and stays a candidate).  Only applies when the anchor's old span is known.
        """
        if s is None:
            return cands
        out = []
        for c in cands:
            pre = self._map.preimage(c.start, c.end)
            if pre is None or pre == s:
                out.append(c)
        return out

    def _vanished_copies(self, quote, old_span):
        """Old occurrences of the quote, other than the anchor's, that the diff does not keep
        in place (deleted, moved or edited)."""
        s, e = old_span
        return [o for o in self._find_all(self._fold_old, _fold(quote), "old")
                if o != s and self._map.touched(o, o + e - s)][:64]

    def _claimed_by_vanished_copy(self, quote, old_span, ms, me) -> bool:
        """Whether another copy of a repeated quote, which vanished, fits the place the diff
        gives this one at least as well: with one survivor and two copies, the diff's pairing
        is a guess (typical after heavy edits around repeated boilerplate)."""
        others = self._vanished_copies(quote, old_span)
        if not others:
            return False
        here = _Candidate(ms, me, "mapped", 1.0, True, True)
        ours = self._wide_context(old_span, here)
        size = old_span[1] - old_span[0]
        return max(self._wide_context((o, o + size), here) for o in others) >= ours - 0.02

    def _uncontested(self, cands, quote, old_span, ms, me):
        """Give a new occurrence of a repeated phrase to the old copy whose surroundings it
        shares.

        When a paragraph holding another copy of "Conformément au cadre de résultats du projet"
        moves while the commented copy is deleted, the moved copy is new text in the diff, with
        the same 32 characters of context.  Old copies that the diff does not keep in place
        (deleted or moved) compete for it on wide context; a candidate that another copy fits
        better is dropped, one that two copies fit equally is marked contested.
        """
        if old_span is None:
            return cands
        size = old_span[1] - old_span[0]
        others = self._vanished_copies(quote, old_span)
        if not others:
            return cands
        out = []
        for c in cands:
            if c.kind == "mapped" or (c.start <= me and c.end >= ms):
                out.append(c)
                continue
            ours = self._wide_context(old_span, c)
            theirs = max(self._wide_context((o, o + size), c) for o in others)
            if theirs > ours + 0.02:
                continue
            c.contested = theirs >= ours - 0.02
            out.append(c)
        return out

    def _find_all(self, folded_text: str, needle: str, which: str):
        key = (which, needle)
        found = self._occurrences.get(key)
        if found is None:
            found = []
            i = folded_text.find(needle)
            while i != -1 and len(found) < MAX_OCCURRENCES:
                found.append(i)
                i = folded_text.find(needle, i + 1)
            self._occurrences[key] = found
        return found

    def _locate_old(self, quote, prefix, suffix, start, end):
        """(span in the old text, stale?) -- the recorded span if it holds the quote."""
        old = self.old_text
        if quote:
            if _fold(old[start:end]) == _fold(quote):
                return (start, end), False
            found = self._find_all(self._fold_old, _fold(quote), "old")
            if not found:
                return None, True
            cands = [_Candidate(i, i + len(quote), "search", 1.0, True) for i in found]
        else:
            at = _context_score(prefix, old[max(0, start - len(prefix)):start], "prefix", start == 0)
            af = _context_score(suffix, old[start:start + len(suffix)], "suffix", start == len(old))
            if at + af >= 1.5 or not (prefix or suffix):
                return (start, start), False
            cands = [_Candidate(c.start, c.end, "search", 1.0, True)
                     for c in self._search_point(prefix, suffix, old, self._fold_old, "old")]
        self._score(cands, quote, prefix, suffix, start, text=old)
        best = max(cands, key=lambda c: c.total, default=None)
        if best is None or best.total < MIN_SCORE:
            return None, True
        others = [c.total for c in cands if c is not best]
        if others and best.total - max(others) < AMBIGUITY_MARGIN:
            return None, True
        return (best.start, best.end), True

    def _point_mapped(self, s):
        """Candidate points for a point anchor at old ``s``: xIndex, and both edges of an edit
        at or across it."""
        m = self._map
        points = {m.xindex(s)}
        if isinstance(m, _DiffMap):
            i = bisect.bisect_left(m.run_o1, s)
            while i < len(m.runs) and m.runs[i][0] <= s:
                points.update((m.runs[i][2], m.runs[i][3]))
                i += 1
        return sorted(points)

    def _whole_words(self, old_span, quote):
        """A filter keeping candidates that start (end) at a word boundary when the quote did:
        "cohésion sociale" is not found inside "cohésion sociales"."""
        if not quote:
            return lambda cands: cands
        if old_span is not None:
            at_start = _boundary(self.old_text, old_span[0])
            at_end = _boundary(self.old_text, old_span[1])
        else:
            at_start = at_end = True
        new = self.new_text

        def keep(cands):
            return [c for c in cands
                    if (not at_start or _boundary(new, c.start))
                    and (not at_end or _boundary(new, c.end))]
        return keep

    def _search(self, quote, prefix, suffix):
        if not quote:
            return self._search_point(prefix, suffix, self.new_text, self._fold_new, "new")
        new = self.new_text
        out = []
        for i in self._find_all(self._fold_new, _fold(quote), "new"):
            j = i + len(quote)
            exact = new[i:j] == quote
            out.append(_Candidate(i, j, "search", 1.0 if exact else 0.99, True))
        return out

    def _search_point(self, prefix, suffix, text, folded, which):
        left, right = prefix[-16:], suffix[:16]
        needle = _fold(left + right)
        if not needle:
            return []
        return [_Candidate(i + len(left), i + len(left), "search", 1.0, True)
                for i in self._find_all(folded, needle, which)]

    def _score(self, cands, quote, prefix, suffix, hint, text=None):
        text = self.new_text if text is None else text
        n = max(len(text), 1)
        for c in cands:
            p = _context_score(prefix, text[max(0, c.start - len(prefix)):c.start], "prefix",
                               c.start == 0)
            s = _context_score(suffix, text[c.end:c.end + len(suffix)], "suffix",
                               c.end == len(text))
            d = 1.0 - min(1.0, abs(c.start - hint) / n)
            c.adjacent_prefix = (_affix_prefix(prefix, text[max(0, c.start - len(prefix)):c.start])
                                 if prefix else (CONTEXT if c.start == 0 else 0))
            c.adjacent_suffix = (_affix_suffix(suffix, text[c.end:c.end + len(suffix)])
                                 if suffix else (CONTEXT if c.end == len(text) else 0))
            c.adjacent = max(c.adjacent_prefix, c.adjacent_suffix)
            if quote:
                c.total = (WEIGHT_QUOTE * c.quote_score + WEIGHT_PREFIX * p + WEIGHT_SUFFIX * s
                           + WEIGHT_POSITION * d) / (WEIGHT_QUOTE + WEIGHT_PREFIX + WEIGHT_SUFFIX
                                                     + WEIGHT_POSITION)
            else:   # a point anchor has only its context
                c.total = (WEIGHT_PREFIX * p + WEIGHT_SUFFIX * s + WEIGHT_POSITION * d) / (
                    WEIGHT_PREFIX + WEIGHT_SUFFIX + WEIGHT_POSITION)

    def _fuzzy(self, quote, prefix, suffix, ms, me, existing, hit_ok=None):
        """Candidates for a quote that was edited (and perhaps moved).  ``hit_ok(at, size)``,
        when given, keeps only the piece hits it accepts (and no bitap search is made)."""
        new, folded = self.new_text, self._fold_new
        fq, fp, fs = _fold(quote), _fold(prefix), _fold(suffix)
        n = len(quote)
        pieces = []   # (piece, expected location of the piece, offset of quote start from it)
        if quote:
            head = fq[:MATCH_MAXBITS]
            pieces.append((head, ms, 0))
            if n > MATCH_MAXBITS:
                tail = fq[-MATCH_MAXBITS:]
                pieces.append((tail, ms + n - len(tail), len(tail) - n))
            if n > 3 * MATCH_MAXBITS:
                k = n // 2 - MATCH_MAXBITS // 2
                pieces.append((fq[k:k + MATCH_MAXBITS], ms + k, -k))
        if len(fp) >= 6:
            piece = fp[-MATCH_MAXBITS:]
            pieces.append((piece, ms - len(piece), len(piece)))
        if len(fs) >= 6:
            piece = fs[:MATCH_MAXBITS]
            pieces.append((piece, me, -n))
        votes: dict[int, int] = {}
        pieces = [p for p in pieces if len(p[0].strip()) >= 4]
        for piece, loc, offset in pieces:
            hits = self._find_all(folded, piece, "new")
            if hit_ok is not None:
                hits = [h for h in hits if hit_ok(h, len(piece))]
            for h in sorted(hits, key=lambda h: abs(h - loc))[:4]:
                est = max(0, min(h + offset, len(new)))
                votes[est] = votes.get(est, 0) + 1
        if not votes and hit_ok is None:
            # no piece is found as it is: bitap (match_main) near where each should be
            for piece, loc, offset in pieces:
                h = self._dmp.match_main(folded, piece, max(0, min(loc, len(folded))))
                if h != -1:
                    est = max(0, min(h + offset, len(new)))
                    votes[est] = votes.get(est, 0) + 1
        seen = {(c.start, c.end) for c in existing}
        ranked = sorted(votes, key=lambda x: (-votes[x], abs(x - ms)))
        out, covered = [], []
        for est in ranked:
            if len(out) >= MAX_FUZZY_SEEDS:
                break
            if any(abs(est - x) <= max(8, n // 4) for x in covered):
                continue
            covered.append(est)
            span = self._align(quote, prefix, suffix, est)
            if span is None or span in seen:
                continue
            seen.add(span)
            cs, ce = span
            got = new[cs:ce]
            same = _fold(got) == _fold(quote)
            qs = 1.0 if got == quote else 0.99 if same else diffing.similarity(quote, got)
            out.append(_Candidate(cs, ce, "fuzzy", qs, same))
        return out

    def _align(self, quote, prefix, suffix, est):
        """Align prefix+quote+suffix on a window of the new text around ``est``."""
        new = self.new_text
        slack = max(16, len(quote) // 4)
        w0 = max(0, est - len(prefix) - slack)
        w1 = min(len(new), est + len(quote) + len(suffix) + slack)
        local_old = prefix + quote + suffix
        window = new[w0:w1]
        diffs, _ = diffing.word_diff(local_old, window, timeout=0.1)
        m = _DiffMap(diffs, local_old, window)
        s, e = len(prefix), len(prefix) + len(quote)
        if quote:
            if m.kept(s, e) == 0:
                return None
            cs, ce = m.map_start(s), m.map_end(e)
        else:
            cs = ce = m.xindex(s)
        cs, ce = _trim(window, cs, max(cs, ce), quote)
        return w0 + cs, w0 + ce

    def _wide_context(self, old_span, cand) -> float:
        """Mean similarity of :data:`WIDE_CONTEXT` characters of old text around the anchor and
        of new text around a candidate elsewhere (prefix side and suffix side)."""
        s, e = old_span
        old, new, w = self.old_text, self.new_text, WIDE_CONTEXT
        left = _context_score(old[max(0, s - w):s], new[max(0, cand.start - w):cand.start], "prefix",
                              cand.start == 0)
        right = _context_score(old[e:e + w], new[cand.end:cand.end + w], "suffix",
                               cand.end == len(new))
        return (left + right) / 2

    def _decide(self, cands, quote, ms, me, old_span, stale, slid_in=False, repeated=False) -> Result:
        mapped = old_span is not None

        def near(c):
            return mapped and c.start <= me and c.end >= ms

        def credible(c):
            """Whether more than the 32 characters of stored context vouch for ``c``."""
            if not mapped:
                return True
            in_place = c.kind == "mapped" and c.untouched
            if in_place and not repeated:
                return True     # the diff keeps these very words here
            if (quote and len(quote) < LONG_QUOTE and c.adjacent < EXACT_MIN_CONTEXT
                    and not in_place):
                # a short quote whose neighbours changed on both sides: the same word in a
                # rewritten sentence, not these words
                return False
            # Elsewhere, or edited, or a repeated phrase: more than the 32 characters of stored
            # context must agree, else it is a recurring formula in new text (a rewritten
            # sentence reusing it) or another copy, not these words moved or edited.
            return self._wide_context(old_span, c) >= WIDE_MIN

        kept_in_place = next((c for c in cands if c.kind == "mapped" and c.untouched
                              and c.same_words and not stale), None)
        if (kept_in_place is not None and kept_in_place.total >= MIN_SCORE and not slid_in
                and credible(kept_in_place)):
            # The diff keeps these words in place: that outranks a place that only the
            # context favours -- unless that place also has the better wide context.
            c0 = kept_in_place
            rivals = [c for c in cands if not _overlap(c, c0) and credible(c)
                      and c.total > c0.total - AMBIGUITY_MARGIN]
            anchor = self._anchor(c0.start, c0.end)
            if rivals and max(self._wide_context(old_span, c) for c in rivals) >= \
                    self._wide_context(old_span, c0):
                return Result(anchor, NEEDS_CONFIRMATION, round(c0.total, 4))
            return Result(anchor, EXACT, round(c0.total, 4))
        best = max(cands, key=lambda c: (c.total, c.kind == "mapped"), default=None)
        if best is None or best.total < CANDIDATE_FLOOR:
            return Result(None, ORPHANED, round(best.total, 4) if best else 0.0)
        score = round(best.total, 4)
        anchor = self._anchor(best.start, best.end)
        if quote and not best.same_words and best.quote_score < CHANGED_MIN_SIMILARITY:
            return Result(anchor, NEEDS_CONFIRMATION, score)
        if (quote and not best.same_words and best.kept == 0
                and min(best.adjacent_prefix, best.adjacent_suffix) < EXACT_MIN_CONTEXT):
            # none of the quoted words survive unchanged ("Le" -> "Les conseils ...") and the
            # text around them changed too: a replacement, not these words edited
            return Result(anchor, NEEDS_CONFIRMATION, score)
        if best.total < MIN_SCORE:
            return Result(anchor, NEEDS_CONFIRMATION, score)
        if near(best) and slid_in:
            # a deletion next to the span could as well have removed these very words
            return Result(anchor, NEEDS_CONFIRMATION, score)
        if not credible(best) or best.contested:
            return Result(anchor, NEEDS_CONFIRMATION, score)
        if any(credible(c) for c in cands
               if not _overlap(c, best) and c.total > best.total - AMBIGUITY_MARGIN):
            # another credible place within the margin (a rival that is not credible by
            # itself does not make a good candidate ambiguous)
            return Result(anchor, NEEDS_CONFIRMATION, score)
        if not best.same_words:
            return Result(anchor, CHANGED, score)
        if best.kind == "mapped" and best.untouched and not stale:
            return Result(anchor, EXACT, score)
        return Result(anchor, CHANGED if near(best) and not stale else MOVED, score)



def _trim(text: str, cs: int, ce: int, quote: str):
    """Drop white space an edit left at the edges of a span whose quote had none there."""
    while cs < ce and text[cs].isspace() and not quote[:1].isspace():
        cs += 1
    while ce > cs and text[ce - 1].isspace() and not quote[-1:].isspace():
        ce -= 1
    return cs, ce


def _overlap(a: _Candidate, b: _Candidate) -> bool:
    if a.start == a.end or b.start == b.end:
        return a.start <= b.end and b.start <= a.end
    return a.start < b.end and b.start < a.end


def search_elsewhere(home: Reanchorer, anchor: Anchor, others) -> tuple | None:
    """Where the words of an anchor orphaned in its own section went in another section.

    ``home`` re-anchors the anchor's own section (old -> new text); ``others`` maps the key of
    every other section whose text changed to its :class:`Reanchorer` (that section's old ->
    new text of the same two versions).  A paragraph moved from one section to another is new
    text there: candidates are the occurrences of the quote (and, when none is strong, fuzzy
    ones) that the other section's diff shows as new -- text it already had is not where these
    words went.  The thresholds are those of a candidate elsewhere in the same section, never
    weaker: score >= :data:`MIN_SCORE`; a short quote keeps :data:`EXACT_MIN_CONTEXT`
    characters of context next to it; :data:`WIDE_CONTEXT` characters of the old text around
    the quote resemble the new text around the candidate (>= :data:`WIDE_MIN`); an edited quote
    keeps :data:`CHANGED_MIN_SIMILARITY`; no other credible place, in any section, within
    :data:`AMBIGUITY_MARGIN`; no other copy of the quote that left its place (in the home
    section or in the other one) fits the candidate as well.

    Returns ``(key, Result)`` with status ``MOVED`` (the same words) or ``CHANGED`` (edited),
    or None: the anchor stays orphaned.  A weaker candidate is never proposed across sections.
    """
    quote, prefix, suffix = _nfc(anchor.quote), _nfc(anchor.prefix), _nfc(anchor.suffix)
    if not quote:
        return None
    start = min(max(anchor.start, 0), len(home.old_text))
    end = min(max(anchor.end, start), len(home.old_text))
    old_span, _stale = home._locate_old(quote, prefix, suffix, start, end)
    if old_span is None:
        return None
    fq = _fold(quote)
    at_start, at_end = _boundary(home.old_text, old_span[0]), _boundary(home.old_text, old_span[1])
    home_copies = [(home, o) for o in home._find_all(home._fold_old, fq, "old")
                   if o != old_span[0] and home._map.touched(o, o + len(quote))][:64]
    pieces = [p for p in (fq[:MATCH_MAXBITS], fq[-MATCH_MAXBITS:], _fold(prefix)[-MATCH_MAXBITS:],
                          _fold(suffix)[:MATCH_MAXBITS]) if len(p.strip()) >= 4]
    found = []    # (key, reanchorer, candidate, wide context)

    def new_there(r, c):
        """On word boundaries like the quote, and inside text that section's diff shows as
        inserted: text it already had, or a span straddling old and new text, is not where
        these words went."""
        if (at_start and not _boundary(r.new_text, c.start)) or (at_end and not _boundary(r.new_text, c.end)):
            return False
        return r._map.inserted(c.start, c.end)

    def consider(key, r, cands):
        copies = None
        for c in cands:
            r._score([c], quote, prefix, suffix, c.start)
            if copies is None:
                copies = home_copies + [(r, o) for o in r._find_all(r._fold_old, fq, "old")
                                        if r._map.touched(o, o + len(quote))][:64]
            ours = _wide_between(home.old_text, old_span, r.new_text, c)
            theirs = max((_wide_between(owner.old_text, (o, o + len(quote)), r.new_text, c)
                          for owner, o in copies), default=0.0)
            if theirs >= ours - 0.02:
                c.contested = True
            found.append((key, r, c, ours))

    live = {k: r for k, r in others.items() if not r.same and r.new_text and isinstance(r._map, _DiffMap)
            and any(n1 > n0 for _, _, n0, n1 in r._map.runs)}
    for key, r in live.items():
        consider(key, r, [c for c in r._search(quote, prefix, suffix) if new_there(r, c)])
    if max((f[2].total for f in found), default=0.0) < FUZZY_BELOW:
        for key, r in live.items():
            # fuzzy candidates only from pieces of the quote or its context found in new text there
            def in_new(at, size, r=r):
                return r._map.inserted(at, at + size)
            if not any(in_new(h, len(p)) for p in pieces for h in r._find_all(r._fold_new, p, "new")):
                continue
            seen = [f[2] for f in found if f[0] == key]
            consider(key, r, [c for c in r._fuzzy(quote, prefix, suffix, 0, 0, seen, hit_ok=in_new)
                              if new_there(r, c)])
    if not found:
        return None

    def credible(c, wide):
        if len(quote) < LONG_QUOTE and c.adjacent < EXACT_MIN_CONTEXT:
            return False
        return wide >= WIDE_MIN

    found.sort(key=lambda f: -f[2].total)
    key, r, best, wide = found[0]
    if best.total < MIN_SCORE or not credible(best, wide) or best.contested:
        return None
    if not best.same_words and best.quote_score < CHANGED_MIN_SIMILARITY:
        return None
    for k, _r, c, w in found[1:]:
        if c.total > best.total - AMBIGUITY_MARGIN and credible(c, w) and (k != key or not _overlap(c, best)):
            return None    # another credible place within the margin: ambiguous
    status = MOVED if best.same_words else CHANGED
    return key, Result(r._anchor(best.start, best.end), status, round(best.total, 4))


def _wide_between(old: str, old_span, new: str, cand) -> float:
    """:meth:`Reanchorer._wide_context` between two different texts."""
    s, e = old_span
    w = WIDE_CONTEXT
    left = _context_score(old[max(0, s - w):s], new[max(0, cand.start - w):cand.start], "prefix", cand.start == 0)
    right = _context_score(old[e:e + w], new[cand.end:cand.end + w], "suffix", cand.end == len(new))
    return (left + right) / 2


def keep_certainty(previous: str, result: Result, previous_score: float = 1.0) -> Result:
    """A result as certain as the place it started from, never more.

    A ``NEEDS_CONFIRMATION`` placement is a proposal that a person has not accepted: carried to
    a later version (even one where its section is unchanged, which re-anchors as ``EXACT``) it
    stays ``NEEDS_CONFIRMATION`` until someone confirms or re-attaches it -- the proposal follows
    the edits, its score is the lower of the two.  An orphaned result stays orphaned."""
    if previous == NEEDS_CONFIRMATION and (result.placed or result.status == NEEDS_CONFIRMATION):
        return Result(result.anchor, NEEDS_CONFIRMATION, min(result.score, previous_score))
    return result


def reanchor(old_text: str, new_text: str, anchor: Anchor) -> Result:
    """Re-anchor one anchor (see :class:`Reanchorer` to share the diff between many)."""
    if old_text == new_text:
        text = _nfc(new_text)
        if verify_anchor(text, anchor) and anchor.quote:
            return Result(make_anchor(text, anchor.start, anchor.end), EXACT, 1.0)
    return Reanchorer(old_text, new_text).reanchor(anchor)
