"""Ids of the comments written: ``w:id`` (0, 1, 2 ... skipping the ids the stories use) and
paraId/durableId: 31-bit, non-zero, unique, below 0x7FFFFFFF, never equal to a hex id already
in the package, and deterministic (drawn from a generator seeded by the input), so the same
input gives the same bytes.
"""
from __future__ import annotations

import hashlib
import random
import re
from collections import Counter

from .comment_parts import Written
from .text import clean, utc

_WID = re.compile(rb'w:id="(\d+)"')
_COMMENT_WID = re.compile(rb'<w:comment(?:RangeStart|RangeEnd|Reference)\b[^>]*?\bw:id="(\d+)"')
# w14:paraId, w14:textId, w16cid:durableId ... (anything "...Id" with a hex value: a literal
# prefix keeps the scan fast; matching a few other ids only excludes a few more values)
_ID_ATTR = re.compile(rb'Id="([0-9A-Fa-f]{1,8})"')


class Ids:
    """31-bit, non-zero, unique hex ids (below 0x7FFFFFFF), avoiding ``taken``."""

    def __init__(self, seed: bytes, taken: set[int]):
        self.rng = random.Random(int.from_bytes(hashlib.sha256(seed).digest()[:8], "big"))
        self.taken = set(taken)

    def next(self) -> str:
        while True:
            value = self.rng.randrange(1, 0x7FFFFFFF)
            if value not in self.taken:
                self.taken.add(value)
                return f"{value:08X}"


def hex_ids(data: bytes) -> set[int]:
    """The hex ids (paraId, textId, durableId ...) of a part's bytes."""
    return {int(m, 16) for m in _ID_ATTR.findall(data)}


def story_wids(stories: list[bytes]) -> set[bytes]:
    """The ``w:id`` values the stories use, except those of the comment markers (removed)."""
    wids = Counter()
    for data in stories:
        wids.update(_WID.findall(data))
        wids.subtract(_COMMENT_WID.findall(data))
    return {k for k, v in wids.items() if v > 0}


def allocate(original: bytes, threads, taken: set, used_wids: set):
    """Comments in the order they are written (document order, as Word does) with their ids;
    and the markers to place: (thread order, comment order, w:id, start, end, point)."""
    order = sorted(range(len(threads)), key=lambda i: (threads[i].start, threads[i].end, i))
    ids = Ids(_seed(original, threads), taken)
    # w:id: 0, 1, 2 ... skipping any w:id already used in the document's stories (bookmarks,
    # tracked changes), so no two annotations share an id whatever the consumer assumes
    next_wid = 0
    written: list[Written] = []
    placed = []
    for ti in order:
        th = threads[ti]
        point = th.point or th.start == th.end
        root_para = None
        for ci, c in enumerate(th.comments):
            w = Written()
            while str(next_wid).encode() in used_wids:
                next_wid += 1
            w.cid = str(next_wid)
            next_wid += 1
            w.author = clean(c.author)
            w.initials = clean(c.initials)
            w.date = utc(c.date)
            w.paras = clean(c.text).split("\n")
            w.para_ids = [ids.next() for _ in w.paras]
            w.durable = ids.next()
            w.parent_para = root_para if ci else None
            w.done = bool(th.resolved)
            if ci == 0:
                root_para = w.para_ids[-1]
            written.append(w)
            placed.append((ti, ci, w.cid, th.start, th.start if point else th.end, point))
    return written, placed


def _seed(original: bytes, threads) -> bytes:
    """A digest of the input: the same file and threads draw the same ids."""
    seed = hashlib.sha256()
    seed.update(len(original).to_bytes(8, "big"))
    for th in threads:
        seed.update(repr((th.start, th.end, th.resolved, th.point,
                          [(c.author, c.initials, c.date, c.text) for c in th.comments]))
                    .encode("utf-8", "surrogatepass"))
    return seed.digest()


__all__ = ["Ids", "allocate", "hex_ids", "story_wids"]
