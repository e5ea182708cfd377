"""Suggested edits, the pure part: applying proposals to a section, and Word tracked changes
turned into proposals (no Flask, no database).

A suggested edit proposes to replace the words ``text[start:end]`` of a section's canonical
text (see :mod:`reviewflow.content`) by ``replacement``: an empty replacement deletes the
words, an empty range (``start == end``) inserts at that point.  The services keep them as
threads of kind "suggested_edit" (services/suggestions.py); this module knows only texts,
blocks and offsets.

Applying edits
--------------
:func:`apply_text` and :func:`apply_to_blocks` apply any number of non-overlapping edits made
on the same text, each at its own words: they are applied from the end of the text backwards,
so no edit shifts the offsets of another.  Overlap (:func:`overlaps`): two ranges sharing at
least one character; an insertion point strictly inside a range; two insertions at the same
point (their order would be a guess).  A range and an insertion at one of its ends do not
overlap (the insertion goes before or after the new words).  :func:`choose` keeps, in order
of priority, each edit that overlaps none kept before: the others are "outdated".
:func:`map_span` carries a span that no edit touches to the edited text (exact offsets, no
diff needed).  :func:`apply_to_blocks` keeps the structure: an edit inside a paragraph keeps
its style; a "\\n" in the replacement splits a paragraph (both parts keep its properties); an
edit across paragraphs merges them; an edit may not cross a table cell (:class:`SpanError`).

Word tracked changes
--------------------
The reader (:func:`reviewflow.wordio.read_docx`) gives the *accepted* view of a document:
inserted text (``w:ins``, ``w:moveTo``, inserted paragraph marks) is in ``doc.text`` and a
``Revision`` covers it; deleted text (``w:del``, ``w:moveFrom``, deleted paragraph marks) is
absent from ``doc.text`` and its ``Revision`` is an empty range at the point where it stood,
with the deleted words in ``Revision.text`` (a paragraph mark is ``"\\n"``; an inserted mark's
range is empty too, its ``"\\n"`` is ``doc.text[start]``).  :func:`tracked_changes` turns the
pending changes of each mapped section into :class:`Proposal` values anchored on the section's
text *with those changes rejected* -- the text the reviewer was given, which is what the
version holds -- so that accepting every proposal gives back the text Word shows with the
changes accepted.  A deletion becomes the range of the deleted words with an empty
replacement; an insertion an empty range at its place with the inserted text; a deletion and
an insertion next to each other by the same author one replacement (Word's way of writing a
replaced word); a move its two halves.  ``accept`` chooses revisions to take as they are (a
drafter's own changes on upload): they stay in the base text and yield no proposal.
Formatting-only changes and table structure changes are :class:`ListedChange` values (shown,
never turned into proposals), and so is a change that falls on the template's own text.
"""
from __future__ import annotations

import bisect
import copy
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from . import content as C

if TYPE_CHECKING:
    from .mapping import Mapping
    from .wordio import Document, Revision

# ------------------------------------------------------------------------------------- edits


@dataclass(frozen=True)
class Edit:
    """Replace ``[start, end)`` of a text by ``text`` (empty ``text``: delete; empty range: insert)."""
    start: int
    end: int
    text: str

    def __post_init__(self) -> None:
        for name in ("start", "end"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError(f"{name} must be an integer")
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"invalid span {self.start}..{self.end}")
        if not isinstance(self.text, str):
            raise ValueError("text must be a string")

    @property
    def is_point(self) -> bool:
        return self.start == self.end

    @property
    def delta(self) -> int:
        """How much longer the text gets."""
        return len(self.text) - (self.end - self.start)


class SpanError(ValueError):
    """An edit that crosses a table cell (or leaves the text)."""


def overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    """Whether two edits on the same text would touch the same words (see the module doc)."""
    if a_start == a_end and b_start == b_end:
        return a_start == b_start
    if a_start == a_end:
        return b_start < a_start < b_end
    if b_start == b_end:
        return a_start < b_start < a_end
    return a_start < b_end and b_start < a_end


def choose(spans: Iterable[tuple[Any, int, int]]) -> tuple[list[Any], list[Any]]:
    """(kept, outdated) keys of ``(key, start, end)`` spans taken in the given order of priority:
    a span is kept unless it overlaps one kept before it."""
    kept: list[tuple[Any, int, int]] = []
    outdated: list[Any] = []
    for key, start, end in spans:
        if any(overlaps(start, end, s, e) for _k, s, e in kept):
            outdated.append(key)
        else:
            kept.append((key, start, end))
    return [k for k, _s, _e in kept], outdated


def _ordered(edits: Iterable[Edit], length: int) -> list[Edit]:
    """The edits from the end of the text backwards; ValueError when two overlap or one is
    outside the text."""
    out = sorted(edits, key=lambda e: (e.start, e.end), reverse=True)
    for e in out:
        if e.end > length:
            raise SpanError(f"edit {e.start}..{e.end} outside a text of length {length}")
    for later, earlier in zip(out, out[1:], strict=False):
        if overlaps(earlier.start, earlier.end, later.start, later.end):
            raise ValueError(f"edits {earlier.start}..{earlier.end} and {later.start}..{later.end} overlap")
    return out


def apply_text(text: str, edits: Iterable[Edit]) -> str:
    """``text`` with every edit applied at its own words (non-overlapping edits on ``text``)."""
    for e in _ordered(edits, len(text)):
        text = text[:e.start] + e.text + text[e.end:]
    return text


def count_after(text: str, edits: Iterable[Edit]) -> C.CharCount:
    """The character counts of ``text`` once the edits are applied (what the limit counts)."""
    return C.count(apply_text(text, edits))


def map_offset(edits: Iterable[Edit], x: int, *, side: str = "start") -> int:
    """Where offset ``x`` of the old text is in the edited text, for a position no edit covers.
    An insertion at ``x`` goes before a span starting there (``side="start"``) and after a
    span ending there (``side="end"``)."""
    shift = 0
    for e in edits:
        if e.end < x or (e.end == x and (e.start < e.end or side == "start")):
            shift += e.delta
    return x + shift


def map_span(edits: Sequence[Edit], start: int, end: int) -> tuple[int, int]:
    """A span that overlaps none of ``edits``, carried to the edited text."""
    if start == end:
        at = map_offset(edits, start, side="start")
        return at, at
    return map_offset(edits, start, side="start"), map_offset(edits, end, side="end")


# ------------------------------------------------------------------------------------ blocks

@dataclass
class _Slot:
    container: list          # the list of blocks holding the paragraph (top level or a table cell)
    index: int               # its index in that list
    start: int               # offset of its text in the section's canonical text


def _slots(blocks: list) -> list[_Slot]:
    """Every paragraph in canonical order with its container (empty cells get a paragraph)."""
    out: list[_Slot] = []
    pos = 0

    def walk(container: list) -> None:
        nonlocal pos
        for i, block in enumerate(container):
            if block.get("t") == "table":
                for row in block.get("rows", ()):
                    for k, cell in enumerate(row):
                        if not cell:
                            row[k] = cell = [C.paragraph("")]
                        walk(cell)
            else:
                out.append(_Slot(container, i, pos))
                pos += len(block.get("text", "")) + 1
    walk(blocks)
    return out


def _slot_at(slots: list[_Slot], starts: list[int], x: int) -> int:
    return max(0, bisect.bisect_right(starts, x) - 1)


def span_in_one_container(blocks: list, start: int, end: int) -> bool:
    """Whether ``[start, end)`` of the section's text stays inside one table cell (or outside
    tables): the only spans a suggested edit may replace."""
    slots = _slots(copy.deepcopy(blocks))
    if not slots:
        return start == end == 0
    starts = [s.start for s in slots]
    a, b = slots[_slot_at(slots, starts, start)], slots[_slot_at(slots, starts, end)]
    return a.container is b.container


def apply_to_blocks(blocks: list, edits: Iterable[Edit]) -> list:
    """A new list of blocks with the edits applied (the input is not modified); the canonical
    text of the result is ``apply_text(blocks_text(blocks), edits)``.  SpanError for an edit
    that crosses a table cell."""
    out = copy.deepcopy(blocks) if blocks else [C.paragraph("")]
    slots = _slots(out)
    starts = [s.start for s in slots]
    text = C.blocks_text(blocks or [C.paragraph("")])
    ordered = _ordered(edits, len(text))
    for e in ordered:
        i, j = _slot_at(slots, starts, e.start), _slot_at(slots, starts, e.end)
        first, last = slots[i], slots[j]
        if first.container is not last.container:
            raise SpanError("a suggested edit cannot cross a table cell")
        container = first.container
        head_block = container[first.index]
        tail_block = container[last.index]
        merged = (head_block.get("text", "")[:e.start - first.start] + e.text
                  + tail_block.get("text", "")[e.end - last.start:])
        lines = merged.split("\n")
        new = []
        for k, line in enumerate(lines):
            model = tail_block if k == len(lines) - 1 and k > 0 else head_block
            block = {key: value for key, value in model.items()}
            block["text"] = C.normalize(line)
            new.append(block)
        container[first.index:last.index + 1] = new
    result = C.blocks_text(out)
    expected = C.normalize(apply_text(text, ordered))
    if result != expected:   # pragma: no cover - a guard: never store blocks that disagree with the text
        raise SpanError("the edits could not be applied to the section's structure")
    return out


# ------------------------------------------------------------------------- Word tracked changes

TEXT_KINDS = {"ins": "ins", "moveTo": "ins", "del": "del", "moveFrom": "del"}


@dataclass(frozen=True)
class Proposal:
    """A suggested edit read from a Word tracked change, on the section's base text (every
    pending change rejected, except those ``accept`` took)."""
    section: str
    start: int
    end: int
    quote: str                      # base[start:end]: the words it replaces ("" for an insertion)
    replacement: str                # "" for a deletion
    author: str
    date: datetime | None
    kinds: tuple[str, ...]          # the Word changes it comes from: "del", "ins", "moveFrom", "moveTo"
    word_ids: tuple[str, ...]
    accepted_start: int             # where the change sits in the section's text as Word shows it
    accepted_end: int               #   with the changes accepted
    paragraph_mark: bool = False    # it inserts or deletes a paragraph break
    warnings: tuple[str, ...] = ()

    @property
    def edit(self) -> Edit:
        return Edit(self.start, self.end, self.replacement)


@dataclass(frozen=True)
class ListedChange:
    """A tracked change that is shown but not turned into a proposal, and why."""
    kind: str
    author: str
    date: datetime | None
    text: str
    section: str | None
    why: str                        # formatting | structure | template_text | unplaced | choice_field


@dataclass
class SectionChanges:
    key: str
    accepted_text: str              # the section as Word shows it with the changes accepted
    base_text: str                  # with the pending changes rejected (those ``accept`` took kept)
    base_blocks: list
    proposals: list[Proposal] = field(default_factory=list)
    accepted: list[Revision] = field(default_factory=list)   # taken as they are (``accept``)


@dataclass
class TrackedChanges:
    sections: dict[str, SectionChanges]
    listed: list[ListedChange]
    warnings: list[str]

    @property
    def proposals(self) -> list[Proposal]:
        return [p for s in self.sections.values() for p in s.proposals]


@dataclass
class _Piece:
    """One text change of one section, in the section's accepted-text offsets."""
    order: int
    a_start: int
    a_end: int
    deleted: str        # text absent from the accepted view (deletions)
    inserted: str       # accepted[a_start:a_end] (insertions)
    rev: Revision
    taken: bool         # accepted as it is (no proposal)
    mark: bool
    warnings: list[str] = field(default_factory=list)


def _locate_point(mapping: Mapping, offset: int) -> tuple[str, int] | None:
    hit = mapping.locate(offset)
    if hit is None:
        hit = mapping.locate(offset, end=True)
    return hit


def _text_pieces(doc: Document, mapping: Mapping, accept: Callable[[Revision], bool],
                 listed: list[ListedChange], warnings: list[str]) -> dict[str, list[_Piece]]:
    out: dict[str, list[_Piece]] = {}
    texts = {key: sec.text for key, sec in mapping.sections.items()}
    for order, rev in enumerate(doc.revisions):
        kind = TEXT_KINDS.get(rev.kind)
        if kind is None:
            why = "formatting" if rev.kind in ("rPrChange", "pPrChange", "sectPrChange", "numberingChange",
                                               "tblPrChange", "trPrChange", "tcPrChange") else "structure"
            listed.append(ListedChange(rev.kind, rev.author, rev.date, rev.text, _section_of(mapping, rev), why))
            continue
        taken = bool(accept(rev))
        if kind == "ins":
            if rev.paragraph_mark:
                a = mapping.locate(rev.start, end=True)
                b = mapping.locate(rev.start + 1)
                if not (a is not None and b is not None and a[0] == b[0] and a[0] in texts
                        and b[1] == a[1] + 1 and texts[a[0]][a[1]:a[1] + 1] == "\n"):
                    listed.append(ListedChange(rev.kind, rev.author, rev.date, "\n", _section_of(mapping, rev),
                                               "unplaced"))
                    continue
                key, s, e = a[0], a[1], a[1] + 1
            else:
                if rev.end <= rev.start:
                    warnings.append(f"{rev.author}: an insertion that was deleted again ({rev.text[:40]!r})")
                    continue
                a = mapping.locate(rev.start)
                b = mapping.locate(rev.end, end=True)
                if a is None or b is None or a[0] != b[0]:
                    listed.append(ListedChange(rev.kind, rev.author, rev.date, rev.text, _section_of(mapping, rev),
                                               "template_text" if a is None and b is None else "unplaced"))
                    continue
                key, s, e = a[0], a[1], max(a[1], b[1])
            if key == "_unmapped":
                listed.append(ListedChange(rev.kind, rev.author, rev.date, rev.text, None, "unplaced"))
                continue
            out.setdefault(key, []).append(_Piece(order, s, e, "", texts[key][s:e], rev, taken, rev.paragraph_mark))
        else:
            deleted = "\n" if rev.paragraph_mark else rev.text
            hit = _locate_point(mapping, rev.start)
            if hit is None and deleted.endswith("\n") and rev.start > 0:
                # a whole paragraph deleted just before the next section's question: the same
                # text, written as "\n" + paragraph at the end of the previous paragraph
                hit = mapping.locate(rev.start - 1, end=True)
                if hit is not None:
                    deleted = "\n" + deleted[:-1]
            if hit is None or hit[0] == "_unmapped":
                listed.append(ListedChange(rev.kind, rev.author, rev.date, deleted, _section_of(mapping, rev),
                                           "template_text" if hit is None else "unplaced"))
                continue
            key, s = hit
            if not deleted:
                continue
            out.setdefault(key, []).append(_Piece(order, s, s, deleted, "", rev, taken, rev.paragraph_mark))
    return out


def _section_of(mapping: Mapping, rev: Revision) -> str | None:
    hit = _locate_point(mapping, rev.start)
    return hit[0] if hit is not None and hit[0] != "_unmapped" else mapping.prompt_owner(rev.start)


def _base_and_proposals(key: str, accepted_text: str, accepted_blocks: list, pieces: list[_Piece],
                        warnings: list[str]) -> SectionChanges:
    pieces.sort(key=lambda p: (p.a_start, p.order))
    # A deletion inside a rejected insertion by someone else removed words that were never in
    # the base text: fold it into the insertion (the nearest honest proposal), with a warning.
    kept: list[_Piece] = []
    for p in pieces:
        host = next((q for q in kept if q.inserted and not q.taken and q.a_start < p.a_start < q.a_end
                     and not p.inserted), None)
        if host is not None:
            host.warnings.append(f"{p.rev.author} deleted {p.deleted[:60]!r} inside this insertion "
                                 f"by {host.rev.author}: the proposal is the insertion without those words")
            warnings.append(host.warnings[-1])
            continue
        kept.append(p)
    # Group neighbouring pieces by the same author into one proposal.
    groups: list[list[_Piece]] = []
    for p in kept:
        if p.taken:
            groups.append([p])
            continue
        last = groups[-1] if groups else None
        if last and not last[-1].taken and last[-1].a_end == p.a_start and last[-1].rev.author == p.rev.author:
            last.append(p)
        else:
            groups.append([p])
    inverse: list[Edit] = []
    proposals: list[Proposal] = []
    delta = 0          # base offset - accepted offset, up to here
    taken: list[Revision] = []
    for g in groups:
        a_start, a_end = g[0].a_start, g[-1].a_end
        if g[0].taken:
            taken.append(g[0].rev)
            continue
        deleted = "".join(p.deleted for p in g)
        inserted = accepted_text[a_start:a_end]
        b_start = a_start + delta
        inverse.append(Edit(a_start, a_end, deleted))
        delta += len(deleted) - (a_end - a_start)
        first = g[0].rev
        proposals.append(Proposal(
            section=key, start=b_start, end=b_start + len(deleted), quote=deleted, replacement=inserted,
            author=first.author, date=first.date, kinds=tuple(p.rev.kind for p in g),
            word_ids=tuple(p.rev.id or "" for p in g), accepted_start=a_start, accepted_end=a_end,
            paragraph_mark=any(p.mark for p in g), warnings=tuple(w for p in g for w in p.warnings)))
    try:
        base_blocks = apply_to_blocks(accepted_blocks, inverse)
    except SpanError:
        base_blocks = C.text_blocks(apply_text(accepted_text, inverse))
        warnings.append(f"{key}: a tracked change crosses a table cell; the section's layout was simplified")
    base_text = C.blocks_text(base_blocks)
    return SectionChanges(key, accepted_text, base_text, base_blocks, proposals, taken)


def tracked_changes(doc: Document, mapping: Mapping, *,
                    accept: Callable[[Revision], bool] | None = None) -> TrackedChanges:
    """The pending tracked changes of ``doc`` as proposals per mapped section (module doc).

    ``accept(revision)`` -> True takes a change as it is (it stays in the base text and makes
    no proposal).  Sections without tracked changes are left out."""
    accept = accept or (lambda _rev: False)
    listed: list[ListedChange] = []
    warnings: list[str] = []
    pieces = _text_pieces(doc, mapping, accept, listed, warnings)
    sections = {}
    for key, ps in pieces.items():
        sec = mapping.sections[key]
        sections[key] = _base_and_proposals(key, sec.text, sec.blocks, ps, warnings)
    return TrackedChanges(sections, listed, warnings)


__all__ = [
    "Edit", "SpanError", "overlaps", "choose", "apply_text", "apply_to_blocks", "count_after", "map_offset",
    "map_span", "span_in_one_container", "Proposal", "ListedChange", "SectionChanges", "TrackedChanges",
    "tracked_changes",
]
