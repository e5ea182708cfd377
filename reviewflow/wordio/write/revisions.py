"""Suggested edits written as Word tracked changes (``w:del`` / ``w:ins`` with ``w:author``,
``w:date`` and unique ``w:id``), so Word and LibreOffice list them in their review pane.

An :class:`~reviewflow.wordio.model.ExportRevision` is "delete ``[start, end)`` of the canonical
text, insert ``text`` at ``end``" (either part may be empty).  The writer places them with the
comment markers (:mod:`.markers`, one pass over the runs): a private start marker at ``start``
and, at ``end``, a private end marker followed by the ``w:ins`` run.  :func:`wrap_deletions`
then turns what lies between the two markers into deleted runs: consecutive runs of one
container go into one ``w:del`` (``w:t`` -> ``w:delText``); a range that crosses paragraphs also
marks the paragraph marks it removes (``w:pPr/w:rPr/w:del``), each element with an id of its own.
Comment reference runs are never deleted: one in the deleted words' container moves after
them; one elsewhere stays, between two ``w:del``.

Overlapping revisions cannot be written as tracked changes: :func:`check_revisions` refuses
them (the service writes the later ones as comments).  A line break in the inserted text is
written as ``w:br`` (read back as "\\n"), a tab as ``w:tab``.
"""
from __future__ import annotations

from copy import deepcopy

from ..model import ExportRevision
from ..oxml import (
    A_AUTHOR,
    A_DATE,
    A_ID,
    BOOKMARKEND,
    BOOKMARKSTART,
    CRE,
    CREF,
    CRS,
    DEL,
    DELINSTRTEXT,
    DELTEXT,
    INSTRTEXT,
    MOVEFROM,
    PPR,
    PPRCHANGE,
    PROOFERR,
    RPR,
    RPRCHANGE,
    RSTYLE,
    SECTPR,
    P,
    R,
    T,
    w,
)
from . import textmap
from .text import attr, clean, escape, utc

_DS_LOCAL, _DE_LOCAL = "x-reviewflow-del-start", "x-reviewflow-del-end"
DS, DE = w(_DS_LOCAL), w(_DE_LOCAL)
INS = w("ins")
_SKIP_IN_GROUP = {BOOKMARKSTART, BOOKMARKEND, CRS, CRE, PROOFERR}


class RevIds:
    """``w:id`` values for tracked changes: after every id the stories and comments use."""

    def __init__(self, used: set[bytes], comment_ids: list[str]):
        top = max([int(x) for x in used if x.isdigit()] + [int(c) for c in comment_ids] + [-1])
        self.n = top + 1

    def next(self) -> str:
        self.n += 1
        return str(self.n - 1)


def check_revisions(revisions) -> list[ExportRevision]:
    """The revisions as a list, in document order, after checking types, ranges and overlaps."""
    out = []
    for n, rv in enumerate(revisions):
        if not isinstance(rv, ExportRevision):
            raise TypeError(f"revision {n} is not an ExportRevision")
        if not (isinstance(rv.start, int) and isinstance(rv.end, int)) or not 0 <= rv.start <= rv.end:
            raise ValueError(f"revision {n}: [{rv.start}, {rv.end}) is not a range")
        if rv.start == rv.end and not rv.text:
            raise ValueError(f"revision {n} changes nothing")
        out.append(rv)
    out.sort(key=lambda r: (r.start, r.end))
    for a, b in zip(out, out[1:], strict=False):
        if b.start < a.end or (b.start == a.end and (a.start == a.end or b.start == b.end)):
            raise ValueError(f"revisions [{a.start}, {a.end}) and [{b.start}, {b.end}) overlap (an insertion "
                             f"must not touch another change)")
    return out


def entries(tm: textmap.TextMap, revisions: list[ExportRevision], ids: RevIds):
    """Marker entries for :func:`.markers.place`: [(spot, sort key, xml, element count)]; the
    deletions to wrap afterwards: [(id, author, date)]; and the ids of the insertions written."""
    out, dels, inserted = [], [], set()
    for k, rv in enumerate(revisions):
        author = clean(rv.author) or "?"
        date = utc(rv.date)
        who = f' w:author="{attr(author)}"' + (f' w:date="{date}"' if date else "")
        end_xml, n = "", 0
        if rv.end > rv.start:
            did = ids.next()
            dels.append((did, author, date))
            out.append((tm.spot(rv.start, textmap.START), (1, -rv.end, 10**9, k),
                        f'<w:{_DS_LOCAL} w:id="{did}"/>', 1))
            end_xml, n = f'<w:{_DE_LOCAL} w:id="{did}"/>', 1
        if rv.text:
            iid = ids.next()
            inserted.add(iid)
            end_xml += f'<w:ins w:id="{iid}"{who}><w:r>{_runs_xml(rv.text)}</w:r></w:ins>'
            n += 1
        # ends sort innermost first; a revision's end goes before the comment ends of its spot
        out.append((tm.spot(rv.end, textmap.END), (0, -rv.start, -1, k), end_xml, n))
    return out, dels, inserted


def _runs_xml(text: str) -> str:
    parts = []
    for i, line in enumerate(clean(text).split("\n")):
        if i:
            parts.append("<w:br/>")
        for j, piece in enumerate(line.split("\t")):
            if j:
                parts.append("<w:tab/>")
            if piece:
                parts.append(f'<w:t xml:space="preserve">{escape(piece)}</w:t>')
    return "".join(parts)


def wrap_deletions(root, dels: list, inserted: set, ids: RevIds) -> None:
    """Between each pair of private markers: the runs deleted, the paragraph marks removed
    marked so; the markers removed; each insertion given the formatting of the run before it."""
    starts = {el.get(A_ID): el for el in root.iter(DS)}
    ends = {el.get(A_ID): el for el in root.iter(DE)}
    for did, author, date in dels:
        ds, de = starts.get(did), ends.get(did)
        if ds is None or de is None:       # pragma: no cover - placed together by construction
            continue
        attrs = {A_AUTHOR: author, **({A_DATE: date} if date else {})}
        runs, paras, refs = _between(ds, de)
        # a comment's reference run inside the words (zero width) moves after them, so the
        # deletion stays one change
        after = de.getnext() if de.getnext() is not None and de.getnext().get(A_ID) in inserted else de
        for ref in refs:
            after.addnext(ref)
            after = ref
        first = True
        for group in _groups(runs):
            d = group[0].makeelement(DEL, {A_ID: did if first else ids.next(), **attrs})
            first = False
            group[0].addprevious(d)
            for el in group:
                d.append(el)
                for t in el.iter(T, INSTRTEXT):
                    t.tag = DELTEXT if t.tag == T else DELINSTRTEXT
        for p in paras:
            _mark_paragraph_deleted(p, {A_ID: ids.next(), **attrs})
        for m in (ds, de):
            _drop(m)
    for ins in root.iter(INS):
        if ins.get(A_ID) not in inserted or len(ins) != 1 or ins[0].tag != R:
            continue
        prev = _run_before(ins)
        if prev is not None:
            rpr = prev.find(RPR)
            if rpr is not None:
                copy = deepcopy(rpr)
                for bad in list(copy.iter(RPRCHANGE, RSTYLE)):
                    if bad.tag == RPRCHANGE or bad.get(w("val")) == "CommentReference":
                        bad.getparent().remove(bad)
                ins[0].insert(0, copy)


def _between(ds, de):
    """The runs strictly between the two markers (document order), the paragraphs whose mark
    lies between them, and the comment reference runs beside the end marker's container."""
    anc = {id(a) for a in de.iterancestors()}
    runs, paras, refs = [], [], []
    parent, cand = ds.getparent(), ds.getnext()
    while True:
        if cand is None:
            if parent.tag == P:
                paras.append(parent)
            cand, parent = parent.getnext(), parent.getparent()
            if parent is None:             # pragma: no cover - de always follows ds
                break
            continue
        if cand is de:
            break
        if id(cand) in anc:
            parent, cand = cand, (cand[0] if len(cand) else None)
            continue
        if cand.tag == R and cand.getparent() is de.getparent() and cand.find(CREF) is not None:
            refs.append(cand)
        else:
            _take(cand, runs, paras)
        cand = cand.getnext()
    return runs, paras, refs


def _deletable(run) -> bool:
    return run.find(f".//{CREF}") is None and any(c.tag != RPR for c in run)


def _take(el, runs: list, paras: list) -> None:
    if el.tag == R:
        if _deletable(el):
            runs.append(el)
        return
    if el.tag in (DEL, MOVEFROM, PPR, RPR):
        return
    for sub in el.iter(R, P, DEL, MOVEFROM):
        if sub.tag == P:
            paras.append(sub)
        elif sub.tag == R and _deletable(sub) and not any(a.tag in (DEL, MOVEFROM) for a in sub.iterancestors()):
            runs.append(sub)


def _groups(runs: list) -> list[list]:
    """Runs that follow each other in one container (with only bookmarks / comment ranges /
    proofing marks between them) form one group: one ``w:del``."""
    groups: list[list] = []
    for r in runs:
        if groups:
            last = groups[-1][-1]
            between = []
            nxt = last.getnext()
            while nxt is not None and nxt is not r and nxt.tag in _SKIP_IN_GROUP:
                between.append(nxt)
                nxt = nxt.getnext()
            if nxt is r:
                groups[-1].extend(between)
                groups[-1].append(r)
                continue
        groups.append([r])
    return groups


def _mark_paragraph_deleted(p, attrs: dict) -> None:
    ppr = p.find(PPR)
    if ppr is None:
        ppr = p.makeelement(PPR, {})
        p.insert(0, ppr)
    rpr = ppr.find(RPR)
    if rpr is None:
        rpr = ppr.makeelement(RPR, {})
        later = next((c for c in ppr if c.tag in (SECTPR, PPRCHANGE)), None)
        if later is not None:
            later.addprevious(rpr)
        else:
            ppr.append(rpr)
    rpr.insert(0, rpr.makeelement(DEL, attrs))


def _run_before(el):
    prev = el.getprevious()
    while prev is not None:
        if prev.tag == R and _deletable(prev):
            return prev
        if prev.tag == DEL:
            inner = [r for r in prev if r.tag == R]
            return inner[-1] if inner else None
        if prev.tag not in _SKIP_IN_GROUP and prev.tag not in (DS, DE):
            return None
        prev = prev.getprevious()
    return None


def _drop(el) -> None:
    parent = el.getparent()
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


__all__ = ["check_revisions", "entries", "wrap_deletions", "RevIds", "DS", "DE"]
