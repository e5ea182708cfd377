"""Word-level diffs between two versions of a section (pure: no Flask, no database).

The output is plain data -- lists of :class:`Op` ``(kind, text)`` tuples and small frozen
dataclasses -- that Jinja templates render and escape themselves.  Nothing here produces HTML
(in particular ``diff_prettyHtml`` is never used: it does its own, partial escaping and would
tempt a template into ``|safe``).

How the diff is computed
------------------------
1. Texts are normalised as the canonical text is (NFC, "\\n" line endings).
2. Paragraph pass: the two texts are split into paragraphs; each distinct paragraph is mapped
   to one character (diff-match-patch's ``diff_linesToChars`` trick), the two strings are
   diffed with ``diff_main`` and expanded back -- diff-match-patch's own "line mode".
3. Sentence pass, the same way, inside every run of deleted + inserted paragraphs; then a word
   pass inside every run of deleted + inserted sentences, on tokens: words, runs of spaces,
   "\\n" and single punctuation marks (:func:`tokenize`).  Unchanged sentences are matched
   whole before any word is, so a rewritten sentence's "de", "la" and spaces cannot pull an
   unchanged neighbour sentence out of alignment, and an edit never splits a word:
   "projet" -> "projets" shows as the word replaced, which is what a reviewer reads.
4. A semantic cleanup on the whole result (diff-match-patch's ``diff_cleanupSemantic``
   rule, see :func:`cleanup_semantic`) removes coincidental one-word equalities ("de", "la")
   inside rewritten sentences, but never an unchanged stretch of :data:`SEMANTIC_KEEP`
   characters or more; edits are then widened to whole words.

The same diff is what :mod:`reviewflow.anchoring` maps comment offsets through, so what the
reviewer sees in the version diff and where the comment lands agree.

No clock decides anything: the same two texts always give the same diff, whatever the machine's
load.  Each pass runs the C++ port of diff-match-patch's ``diff_main`` (package
``fast-diff-match-patch``, no time limit; the pure-Python library is 50-100 times slower on the
same unit strings) on the units left once the common head and tail are set aside, and only when
neither side has more than :data:`MAX_ALIGN_UNITS` units.  A larger replaced stretch (a rewritten
run of thousands of words between two unchanged sentences) is shown deleted and re-inserted: a
valid, coarser edit script, chosen by size alone, and reported as ``degraded``.  Within a
200,000-character section (the cap) every paragraph and sentence pass fits, so only such
rewritten stretches are ever coarse.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

import fast_diff_match_patch
from diff_match_patch import diff_match_patch

from .content import normalize

EQUAL, INSERT, DELETE = "equal", "insert", "delete"
_KIND = {diff_match_patch.DIFF_EQUAL: EQUAL, diff_match_patch.DIFF_INSERT: INSERT,
         diff_match_patch.DIFF_DELETE: DELETE}

#: Kept for callers that pass a ``timeout``: it is ignored, no clock bounds a diff (see
#: :data:`MAX_ALIGN_UNITS`).
DIFF_TIMEOUT = 0

#: A replaced stretch with more units (paragraphs, sentences or tokens) than this on both sides,
#: once the common head and tail are set aside, is not aligned further.  The worst case (two
#: unrelated strings of this size) costs the C++ diff about 0.1 s.
MAX_ALIGN_UNITS = 2000

#: Equalities at least this long are kept by the semantic cleanup (see ``cleanup_semantic``).
SEMANTIC_KEEP = 40

# Words (letters/digits, with combining marks for NFD input), runs of horizontal white space
# (space, tab, U+00A0, U+202F ...), a paragraph break, or any other single character.
_TOKEN = re.compile(r"(?:\w|[\u0300-\u036f])+|\n|[^\S\n]+|.", re.DOTALL)
_WORD = re.compile(r"(?:\w|[\u0300-\u036f])+")


class Op(NamedTuple):
    """One diff operation: ``kind`` is "equal", "insert" or "delete"; ``text`` is plain text."""
    kind: str
    text: str


@dataclass(frozen=True)
class DiffStats:
    """Characters (code points, paragraph breaks included) and words inserted/deleted."""
    inserted: int
    deleted: int
    unchanged: int
    inserted_words: int
    deleted_words: int

    @property
    def changed(self) -> bool:
        return bool(self.inserted or self.deleted)


@dataclass(frozen=True)
class SpanChange:
    """What happened to a commented span between two versions ("did this address my comment?").

    ``before`` is the commented text in the old version, ``after`` the text at the re-anchored
    span in the new version (``None`` when the comment could not be placed), ``ops`` the word
    diff from one to the other, ``context_before``/``context_after`` a few words of the new
    text around ``after`` for display.
    """
    before: str
    after: str | None
    ops: list
    stats: DiffStats
    context_before: str = ""
    context_after: str = ""

    @property
    def changed(self) -> bool:
        return self.after is None or self.before != self.after

    @property
    def gone(self) -> bool:
        return self.after is None


def tokenize(text: str) -> list[str]:
    """Words, runs of horizontal spaces, "\\n" and single other characters; joins back to text."""
    return _TOKEN.findall(text)


def _dmp(timeout: float = DIFF_TIMEOUT) -> diff_match_patch:
    """The Python library's object, for its cleanups (its ``diff_main`` is not used here)."""
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 0
    return dmp


_FAST_OP = {"=": diff_match_patch.DIFF_EQUAL, "-": diff_match_patch.DIFF_DELETE,
            "+": diff_match_patch.DIFF_INSERT}


def _diff_main(a: str, b: str, state: dict) -> list:
    """``diff_main(a, b)`` without a time limit, by the C++ port, when both sides (after the
    common head and tail) have at most :data:`MAX_ALIGN_UNITS` characters; else the head, the
    middle deleted and re-inserted, the tail (``state["degraded"]`` set)."""
    if a == b:
        return [(0, a)] if a else []
    n = min(len(a), len(b))
    head = 0
    while head < n and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < n - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    ma, mb = a[head:len(a) - tail], b[head:len(b) - tail]
    out = [(0, a[:head])] if head else []
    if not ma or not mb:
        out.extend([(-1, ma)] if ma else [(1, mb)])
    elif len(ma) > MAX_ALIGN_UNITS and len(mb) > MAX_ALIGN_UNITS:
        state["degraded"] = True
        out.extend([(-1, ma), (1, mb)])
    else:
        ia = ib = 0
        for op, size in fast_diff_match_patch.diff(ma, mb, timelimit=0, checklines=False, cleanup="No",
                                                    counts_only=True):
            if op == "=":
                out.append((0, ma[ia:ia + size]))
                ia += size
                ib += size
            elif op == "-":
                out.append((-1, ma[ia:ia + size]))
                ia += size
            else:
                out.append((1, mb[ib:ib + size]))
                ib += size
    if tail:
        out.append((0, a[len(a) - tail:]))
    return out


_PARAGRAPH = re.compile(r"[^\n]*\n|[^\n]+$")
_SENTENCE = re.compile(r"[^\n.!?\u2026]*(?:[.!?\u2026]+[^\S\n]*|\n)|[^\n.!?\u2026]+$")
_LEVELS = (_PARAGRAPH, _SENTENCE, _TOKEN)


def _units_to_chars(a: str, b: str, pattern):
    """Encode each distinct unit (paragraph, sentence or token) of ``a`` and ``b`` as one
    character -- ``diff_linesToChars`` generalised to any unit."""
    table: list[str] = [""]
    index: dict[str, str] = {}

    def munge(text):
        out = []
        for unit in pattern.findall(text):
            ch = index.get(unit)
            if ch is None:
                if len(table) >= 0x10FFFF:
                    raise OverflowError("too many distinct units")
                ch = chr(len(table))
                table.append(unit)
                index[unit] = ch
            out.append(ch)
        return "".join(out)

    return munge(a), munge(b), table


def _diff_levels(dmp, a: str, b: str, state: dict, level: int = 0) -> list:
    """Diff by paragraphs, then sentences inside replaced paragraphs, then words inside
    replaced sentences.  Matching whole units first keeps an unchanged sentence from being
    traded for scattered matches of "de", "la" and spaces in the text around it."""
    if a == b:
        return [(dmp.DIFF_EQUAL, a)] if a else []
    if not a or not b:
        return [(dmp.DIFF_DELETE, a)] if a else [(dmp.DIFF_INSERT, b)]
    pattern = _LEVELS[level]
    try:
        ca, cb, table = _units_to_chars(a, b, pattern)
    except OverflowError:  # pragma: no cover - more than a million distinct units
        state["degraded"] = True
        return [(dmp.DIFF_DELETE, a), (dmp.DIFF_INSERT, b)]
    if level + 1 < len(_LEVELS) and len(ca) <= 1 and len(cb) <= 1:
        return _diff_levels(dmp, a, b, state, level + 1)
    coarse = [(op, "".join(table[ord(c)] for c in text)) for op, text in _diff_main(ca, cb, state)]
    if level + 1 == len(_LEVELS):
        return coarse
    cleanup_semantic(dmp, coarse)
    out: list = []
    deleted, inserted = [], []

    def flush():
        if deleted and inserted:
            out.extend(_diff_levels(dmp, "".join(deleted), "".join(inserted), state, level + 1))
        else:
            if deleted:
                out.append((dmp.DIFF_DELETE, "".join(deleted)))
            if inserted:
                out.append((dmp.DIFF_INSERT, "".join(inserted)))
        deleted.clear()
        inserted.clear()

    for op, text in coarse:
        if op == dmp.DIFF_DELETE:
            deleted.append(text)
        elif op == dmp.DIFF_INSERT:
            inserted.append(text)
        else:
            flush()
            out.append((op, text))
    flush()
    return out


def word_diff(a: str, b: str, *, timeout: float = DIFF_TIMEOUT, dmp=None):
    """The diff-match-patch diff (list of ``(op, text)`` with op -1/0/1) used everywhere here.

    Paragraph pass, sentence pass, word pass, then semantic cleanup (see the module
    docstring).  Returns ``(diffs, degraded)`` where ``degraded`` is true when a replaced
    stretch was too large to align (:data:`MAX_ALIGN_UNITS`) and the diff is coarser than it
    could be (it is still a valid edit script).  ``timeout`` is ignored: no clock decides.
    """
    dmp = dmp or _dmp()
    if a == b:
        return ([(dmp.DIFF_EQUAL, a)] if a else []), False
    state = {"degraded": False}
    diffs = _diff_levels(dmp, a, b, state)
    dmp.diff_cleanupMerge(diffs)
    cleanup_semantic(dmp, diffs)
    return _align_to_words(diffs), state["degraded"]


def token_diff(a: str, b: str, *, timeout: float = 0.05, dmp=None) -> list:
    """A raw word-level diff (tokens, no paragraph/sentence passes, no semantic cleanup),
    edits widened to whole words: the finest alignment, used inside a larger edit."""
    dmp = dmp or _dmp()
    diffs = _diff_levels(dmp, a, b, {"degraded": False}, len(_LEVELS) - 1)
    dmp.diff_cleanupMerge(diffs)
    return _align_to_words(diffs)


def cleanup_semantic(dmp, diffs: list, keep: int = SEMANTIC_KEEP) -> None:
    """diff-match-patch's ``diff_cleanupSemantic`` (first pass and lossless shifts), except that
    an equality of ``keep`` characters or more is never folded into the edits around it.

    The library folds any equality no longer than the edits on both sides: right for "de la"
    between two rewritten halves of a sentence, wrong for an untouched 70-character sentence
    between two rewritten ones -- it would show as deleted and re-inserted, and comments on it
    would lose their place.  Modifies ``diffs`` in place.

    Same result as the library's loop, without its rescans: after a fold the library goes back
    to the equality before the previous one (or to the start) and walks forward again; here each
    equality on the stack keeps the lengths of the edits just before it, so the walk resumes at
    that equality (or, when none is left, right after the fold) with the same counts.  A section
    rewritten from end to end (tens of thousands of small equalities) no longer costs a time
    quadratic in its length.
    """
    changes = False
    equalities = []      # indices of the equalities before the pointer, not folded
    before = []          # parallel: (inserted, deleted) lengths of the edits just before each
    last = None
    pointer = 0
    ins1 = del1 = ins2 = del2 = 0
    while pointer < len(diffs):
        op, text = diffs[pointer]
        if op == dmp.DIFF_EQUAL:
            equalities.append(pointer)
            ins1, ins2, del1, del2 = ins2, 0, del2, 0
            before.append((ins1, del1))
            last = text
        else:
            if op == dmp.DIFF_INSERT:
                ins2 += len(text)
            else:
                del2 += len(text)
            if last and len(last) < keep and len(last) <= max(ins1, del1) \
                    and len(last) <= max(ins2, del2):
                q = equalities.pop()
                pre_ins, pre_del = before.pop()
                diffs.insert(q, (dmp.DIFF_DELETE, last))
                diffs[q + 1] = (dmp.DIFF_INSERT, diffs[q + 1][1])
                changes = True
                if equalities:
                    # resume at the previous equality, with the edits before it counted
                    pointer = equalities.pop() - 1
                    ins2, del2 = before.pop()
                    ins1 = del1 = 0
                else:
                    # nothing but edits up to here: go on after the current edit (moved by the
                    # inserted one), with all of them counted
                    pointer += 1
                    ins2, del2 = pre_ins + len(last) + ins2, pre_del + len(last) + del2
                    ins1 = del1 = 0
                last = None
        pointer += 1
    if changes:
        dmp.diff_cleanupMerge(diffs)
    dmp.diff_cleanupSemanticLossless(diffs)

_WORD_END = re.compile(r"(?:\w|[\u0300-\u036f])+$")
_WORD_START = re.compile(r"^(?:\w|[\u0300-\u036f])+")


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_" or "\u0300" <= ch <= "\u036f"


def _align_to_words(diffs: list):
    """Widen every edit to whole words and order each run as one delete then one insert.

    ``diff_cleanupMerge`` (called by the semantic cleanup) factors common prefixes and suffixes
    out of a replaced word ("renforcer" -> "consolider" becomes "renforc"/"consolid" + "er");
    a reviewer reads words, and a comment boundary should move with the whole edited word, so
    the word fragments are moved back into the edit.  The result is still a valid diff.
    """
    out = []  # list of [op, text]
    i, n = 0, len(diffs)
    while i < n:
        op, text = diffs[i]
        if op == 0:
            out.append([0, text])
            i += 1
            continue
        deleted, inserted = [], []
        while i < n and diffs[i][0] != 0:
            (deleted if diffs[i][0] == -1 else inserted).append(diffs[i][1])
            i += 1
        d, ins = "".join(deleted), "".join(inserted)
        if out and out[-1][0] == 0 and out[-1][1] and _is_word_char(out[-1][1][-1]) and (
                (d and _is_word_char(d[0])) or (ins and _is_word_char(ins[0]))):
            frag = _WORD_END.search(out[-1][1]).group(0)
            out[-1][1] = out[-1][1][:-len(frag)]
            d, ins = frag + d, frag + ins
        if i < n and diffs[i][1] and _is_word_char(diffs[i][1][0]) and (
                (d and _is_word_char(d[-1])) or (ins and _is_word_char(ins[-1]))):
            frag = _WORD_START.search(diffs[i][1]).group(0)
            diffs[i] = (0, diffs[i][1][len(frag):])
            d, ins = d + frag, ins + frag
        if out and out[-1][0] == 0 and not out[-1][1]:
            out.pop()
        if d:
            out.append([-1, d])
        if ins:
            out.append([1, ins])
    return [(op, text) for op, text in out if text]


def diff_words(old: str, new: str) -> list[Op]:
    """Word-level diff of two texts as a list of ``Op(kind, text)`` (plain text, never HTML).

    Concatenating the "equal" and "delete" texts gives ``old``; "equal" and "insert" give
    ``new`` (both after NFC normalisation).
    """
    diffs, _ = word_diff(normalize(old), normalize(new))
    return [Op(_KIND[op], text) for op, text in diffs if text]


def diff_stats(ops) -> DiffStats:
    """Characters and words inserted, deleted and unchanged in ``ops`` (from :func:`diff_words`)."""
    ins = dele = same = ins_w = del_w = 0
    for kind, text in ops:
        if kind == INSERT:
            ins += len(text)
            ins_w += len(_WORD.findall(text))
        elif kind == DELETE:
            dele += len(text)
            del_w += len(_WORD.findall(text))
        elif kind == EQUAL:
            same += len(text)
        else:
            raise ValueError(f"unknown diff kind {kind!r}")
    return DiffStats(ins, dele, same, ins_w, del_w)


def section_changed(old: str | None, new: str | None) -> bool:
    """Whether two canonical texts differ (cheap: a normalised string comparison, no diff)."""
    if old == new:
        return False
    return normalize(old) != normalize(new)


def similarity(a: str, b: str) -> float:
    """How much of two short texts is the same, 0..1 (1 = identical).

    Dice coefficient on characters kept by the word diff (``2 * kept / (len(a) + len(b))``),
    where a replaced word that is itself mostly unchanged ("projet" -> "projets") is credited
    with its common characters.  Working on words first keeps two unrelated French sentences
    (which share many letters) far apart.
    """
    a, b = normalize(a), normalize(b)
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    dmp = _dmp(0.2)
    diffs, _ = word_diff(a, b, dmp=dmp, timeout=0.2)
    kept = 0
    deleted = inserted = ""
    for op, text in diffs + [(dmp.DIFF_EQUAL, "")]:
        if op == dmp.DIFF_EQUAL:
            if deleted and inserted and max(len(deleted), len(inserted)) <= 40:
                inner = _diff_main(deleted, inserted, {})
                cleanup_semantic(dmp, inner)
                common = sum(len(t) for o, t in inner if o == dmp.DIFF_EQUAL)
                # only credit a genuinely similar replacement, not shared letters
                if 2 * common >= 0.6 * (len(deleted) + len(inserted)):
                    kept += common
            deleted = inserted = ""
            kept += len(text)
        elif op == dmp.DIFF_DELETE:
            deleted += text
        else:
            inserted += text
    return min(1.0, 2.0 * kept / (len(a) + len(b)))


def span_before_after(old_text: str, new_text: str, old_anchor, new_anchor, *,
                      context: int = 40) -> SpanChange:
    """The commented text before and after a new version, with its word diff.

    ``old_anchor``/``new_anchor`` are anything with ``start`` and ``end`` (e.g.
    :class:`reviewflow.anchoring.Anchor`); ``new_anchor`` may be ``None`` (orphaned comment).
    Offsets index the normalised texts.
    """
    old_text, new_text = normalize(old_text), normalize(new_text)
    before = old_text[old_anchor.start:old_anchor.end]
    if new_anchor is None:
        ops = [Op(DELETE, before)] if before else []
        return SpanChange(before, None, ops, diff_stats(ops))
    after = new_text[new_anchor.start:new_anchor.end]
    ops = diff_words(before, after)
    return SpanChange(before, after, ops, diff_stats(ops),
                      new_text[max(0, new_anchor.start - context):new_anchor.start],
                      new_text[new_anchor.end:new_anchor.end + context])
