"""Comments, in two phases around the walk of the body.

1. :func:`read_records` (while the body is parsed in a worker thread): every comment's body,
   author, ids, thread structure (``commentsExtended.xml`` ``w15:paraIdParent`` on the LAST
   paragraph's ``w14:paraId``), resolved flags and dates (``commentsExtensible.xml``
   ``w16cex:dateUtc``, true UTC, preferred to ``w:date``, Word's local time with a false "Z").
2. :func:`anchor_comments` (after the walk): each comment's range in the canonical text, from
   the markers the walker recorded; comments anchored in footnotes/endnotes point at the
   note's reference; Google Docs replies (no thread parts) are grouped by range.
"""
from __future__ import annotations

from datetime import UTC, datetime

from ..model import WordComment
from ..oxml import (
    A_AUTHOR,
    A_CEX_DATEUTC,
    A_CEX_DURABLE,
    A_CID_DURABLE,
    A_CID_PARAID,
    A_DATE,
    A_EX_DONE,
    A_EX_PARAID,
    A_EX_PARENT,
    A_ID,
    A_INITIALS,
    A_PARAID,
    ANNOTATIONREF,
    BOOKMARKEND,
    BOOKMARKSTART,
    COMMENT,
    CRE,
    CREF,
    CRS,
    DEL,
    ENDNOTE,
    FOOTNOTE,
    INS,
    LASTRENDEREDPAGEBREAK,
    MOVEFROM,
    MOVETO,
    PPR,
    PROOFERR,
    RPR,
    P,
    R,
    T,
    onoff,
)
from .dates import parse_word_date
from .styles import Styles
from .text import needs_normalizing, normalize
from .walker import Walker

_PLAIN_RUN_SKIP = {RPR, ANNOTATIONREF, LASTRENDEREDPAGEBREAK}
_PLAIN_PARA_SKIP = {PROOFERR, BOOKMARKSTART, BOOKMARKEND}
_MARK_CHANGES = {DEL, INS, MOVEFROM, MOVETO}


class CommentRecords:
    """Phase 1's result: ``raw`` (id, author, initials, date_raw, text, para_id) per comment in
    file order, with ``dates`` (date, source, durable id), ``done``, ``root_idx`` (index of each
    one's thread root), ``note_of`` (comment id -> (part, note id)) and ``google``."""

    __slots__ = ("raw", "dates", "done", "root_idx", "note_of", "google")

    def __init__(self, raw, dates, done, root_idx, note_of, google):
        self.raw, self.dates, self.done, self.root_idx = raw, dates, done, root_idx
        self.note_of, self.google = note_of, google


def plain_body(comment):
    """Paragraph texts and last w:p of a comment made only of plain runs, else None.

    The common case (``w:p/w:r/w:t``) is read here directly; anything else (fields, tracked
    changes, tabs, breaks, hyperlinks, tables ...) returns None and goes to the full walker.
    """
    paras = []
    last = None
    for p in comment:
        if p.tag != P:
            return None
        parts = []
        for r in p:
            tag = r.tag
            if tag == R:
                for c in r:
                    ctag = c.tag
                    if ctag == T:
                        s = c.text
                        if s:
                            parts.append(s)
                    elif ctag not in _PLAIN_RUN_SKIP:
                        return None
            elif tag == PPR:
                for c in r:
                    if c.tag == RPR:
                        for d in c:
                            if d.tag in _MARK_CHANGES:
                                return None
            elif tag not in _PLAIN_PARA_SKIP:
                return None
        paras.append("".join(parts))
        last = p
    return paras, last


# ---- phase 1: everything that does not depend on the body ----
def read_records(reader, croot, styles: Styles) -> CommentRecords | None:
    """Bodies, thread structure, resolved flags, ids and dates of comments.xml, in order.

    ``reader`` gives the parts (``part``, ``optional``, ``pkg``) and collects ``warnings``.
    """
    if croot is None:
        return None
    warnings = reader.warnings
    ext_root = reader.optional(reader.part("commentsExtended", "word/commentsExtended.xml"))
    ids_root = reader.optional(reader.part("commentsIds", "word/commentsIds.xml"))
    cex_root = reader.optional(reader.part("commentsExtensible", "word/commentsExtensible.xml"))
    raw = _bodies(croot, styles, warnings)
    note_of = _note_anchors(reader)
    parent_idx, done = _parents(raw, ext_root, warnings)
    root_idx = _roots(raw, parent_idx, warnings)
    dates = _dates(raw, _durable_ids(ids_root), _utc_dates(cex_root), warnings)
    # Google Docs exports carry no thread parts (and no docProps): replies are comments
    # on the same range, grouped after anchoring.
    google = ext_root is None and "docProps/app.xml" not in reader.pkg.xml
    return CommentRecords(raw, dates, done, root_idx, note_of, google)


def _bodies(croot, styles: Styles, warnings: list[str]) -> list[tuple]:
    """(id, author, initials, date_raw, text, para_id) of each comment, duplicates skipped."""
    body_walker = Walker(styles, warnings, record=False)
    raw = []
    seen_ids = set()
    for el in croot.iter(COMMENT):
        cid = el.get(A_ID)
        if cid is None:
            warnings.append("A comment without an id was skipped.")
            continue
        if cid in seen_ids:
            warnings.append(f"Comment id {cid} appears twice in comments.xml; the "
                            "second one was skipped.")
            continue
        seen_ids.add(cid)
        plain = plain_body(el)
        if plain is not None:
            paras, last = plain
            body = "\n".join(paras)
            if needs_normalizing(body):
                body = normalize(body)
        else:
            body_walker.reset()
            body_walker.walk_story(el)
            body = body_walker.layout()
            last = None
            for p in el.iter(P):
                last = p
        para_id = last.get(A_PARAID) if last is not None else None
        raw.append((cid, el.get(A_AUTHOR) or "", el.get(A_INITIALS) or "", el.get(A_DATE),
                    body, para_id))
    body_walker.close()
    return raw


def _note_anchors(reader) -> dict[str, tuple[str, str]]:
    """Comment id -> (footnotes|endnotes, note id) for comments anchored inside a note."""
    note_of: dict[str, tuple[str, str]] = {}
    for part, tag in (("footnotes", FOOTNOTE), ("endnotes", ENDNOTE)):
        pname = reader.part(part, f"word/{part}.xml")
        if pname is None or b"commentR" not in reader.pkg.xml[pname]:
            continue
        nroot = reader.optional(pname)
        if nroot is None:
            continue
        for note in nroot.iter(tag):
            nid = note.get(A_ID)
            for m in note.iter(CRS, CRE, CREF):
                note_of.setdefault(m.get(A_ID), (part, nid))
    return note_of


def _durable_ids(ids_root) -> dict[str, str]:
    """paraId (upper case) -> w16cid:durableId, from commentsIds.xml."""
    durable_of: dict[str, str] = {}
    if ids_root is not None:
        for el in ids_root:
            pid = el.get(A_CID_PARAID)
            if pid:
                durable_of[pid.upper()] = el.get(A_CID_DURABLE)
    return durable_of


def _utc_dates(cex_root) -> dict[str, str]:
    """durableId (upper case) -> w16cex:dateUtc as written, from commentsExtensible.xml."""
    utc_of: dict[str, str] = {}
    if cex_root is not None:
        for el in cex_root:
            did = el.get(A_CEX_DURABLE)
            if did and el.get(A_CEX_DATEUTC):
                utc_of[did.upper()] = el.get(A_CEX_DATEUTC)
    return utc_of


def _parents(raw: list[tuple], ext_root, warnings: list[str]) -> tuple[list, list[bool]]:
    """Each comment's parent index (or None) and its w15:done, from commentsExtended.xml.

    Threads: w15:paraId / w15:paraIdParent are the LAST paragraph's w14:paraId."""
    index_of_para: dict[str, int] = {}
    for i, item in enumerate(raw):
        if item[5]:
            index_of_para.setdefault(item[5].upper(), i)
    parent_idx: list[int | None] = [None] * len(raw)
    done = [False] * len(raw)
    if ext_root is None:
        return parent_idx, done
    stale = 0
    for el in ext_root:
        pid = el.get(A_EX_PARAID)
        if not pid:
            continue
        i = index_of_para.get(pid.upper())
        if i is None:
            stale += 1
            continue
        done[i] = onoff(el.get(A_EX_DONE), False)
        parent = el.get(A_EX_PARENT)
        if parent:
            j = index_of_para.get(parent.upper())
            if j is None:
                warnings.append(f"Comment {raw[i][0]} is a reply to a comment that "
                                "no longer exists; it is shown as a new thread.")
            elif j == i:
                warnings.append(f"Comment {raw[i][0]} is marked as a reply to "
                                "itself; it is shown as a new thread.")
            else:
                parent_idx[i] = j
    if stale:
        warnings.append(
            f"{stale} entr{'y' if stale == 1 else 'ies'} of commentsExtended.xml "
            f"refer{'s' if stale == 1 else ''} to no comment (stale) and "
            f"{'was' if stale == 1 else 'were'} ignored.")
    return parent_idx, done


def _roots(raw: list[tuple], parent_idx: list, warnings: list[str]) -> list[int]:
    """Index of each comment's thread root, following parents (a loop makes a new thread)."""
    root_idx = list(range(len(raw)))
    for i in range(len(raw)):
        seen = {i}
        j = i
        while parent_idx[j] is not None:
            j = parent_idx[j]
            if j in seen:
                warnings.append(f"The reply chain of comment {raw[i][0]} loops; it is "
                                "shown as a new thread.")
                j = i
                parent_idx[i] = None
                break
            seen.add(j)
        root_idx[i] = j
    return root_idx


def _dates(raw: list[tuple], durable_of: dict, utc_of: dict, warnings: list[str]) -> list[tuple]:
    """(date, source, durable id) of each comment: w16cex:dateUtc (true UTC) preferred; else
    w:date (local time, false "Z")."""
    invalid_dates = 0
    dates = []
    for _cid, _author, _initials, date_raw, _body, para_id in raw:
        date = date_source = None
        durable = durable_of.get(para_id.upper()) if para_id else None
        utc_raw = utc_of.get(durable.upper()) if durable else None
        if utc_raw:
            date = parse_word_date(utc_raw)
            if date is not None:
                date_source = "utc"
        if date is None and date_raw:
            date = parse_word_date(date_raw)
            if date is not None:
                date_source = "local"
            else:
                invalid_dates += 1
        dates.append((date, date_source, durable))
    if invalid_dates:
        warnings.append(f"{invalid_dates} comment(s) have an invalid date (e.g. "
                        "LibreOffice's 0-00-00T00:00:00Z); their date is unknown.")
    return dates


# ---- phase 2: anchors in the canonical text ----
def anchor_comments(records: CommentRecords | None, walker: Walker, text: str,
                    warnings: list[str]) -> list[WordComment]:
    """The comments with their ranges in ``text`` (the walker's canonical text)."""
    marks_by_id = _marks_by_id(walker.marks)
    if records is None:
        if marks_by_id:
            warnings.append(f"The document has {len(marks_by_id)} comment anchor(s) "
                            "but no comments part; they were ignored.")
        return []
    raw, dates, done, root_idx = records.raw, records.dates, records.done, records.root_idx
    known = {item[0] for item in raw}
    unknown = [cid for cid in marks_by_id if cid not in known]
    if unknown:
        warnings.append(f"{len(unknown)} comment anchor(s) refer to comments that do "
                        f"not exist (ids {', '.join(sorted(unknown)[:10])}); ignored.")
    anchors = [_anchor(cid, marks_by_id.get(cid), records.note_of, walker, warnings)
               for cid, *_rest in raw]
    if records.google and len(raw) > 1:
        _group_by_range(anchors, dates, root_idx)

    out = []
    for i, (cid, author, initials, date_raw, body, para_id) in enumerate(raw):
        start, end, in_part, anchor = anchors[i]
        date, date_source, durable = dates[i]
        r = root_idx[i]
        out.append(WordComment(
            id=cid, author=author, initials=initials, date=date, date_raw=date_raw,
            text=body, start=start, end=end, quote=text[start:end],
            parent=None if r == i else raw[r][0], resolved=done[r], done=done[i],
            para_id=para_id, durable_id=durable, in_part=in_part, date_source=date_source,
            anchor=anchor))
    return out


def _marks_by_id(marks) -> dict[str, list]:
    """Comment id -> [start, end, reference position, has more than one anchor]."""
    marks_by_id: dict[str, list] = {}
    for cid, kind, pos in marks:
        slot = marks_by_id.get(cid)
        if slot is None:
            slot = marks_by_id[cid] = [None, None, None, False]
        if slot[kind] is None:
            slot[kind] = pos
        elif kind != 2:
            slot[3] = True
    return marks_by_id


def _anchor(cid: str, slot, note_of: dict, walker: Walker, warnings: list[str]):
    """(start, end, in_part, anchor kind) of one comment from its markers."""
    resolve = walker.resolve
    in_part = "document"
    anchor = "range"
    if slot is not None and slot[3]:
        warnings.append(f"Comment {cid} has more than one anchor; the first was used.")
    s_pos, e_pos, r_pos = (slot[0], slot[1], slot[2]) if slot else (None, None, None)
    if s_pos is not None and e_pos is not None:
        start, end = resolve(s_pos), resolve(e_pos)
        if end < start:
            warnings.append(f"Comment {cid} ends before it starts; its range was reversed.")
            start, end = end, start
    elif s_pos is not None:
        start = resolve(s_pos)
        end = max(start, walker.para_end(s_pos))
        warnings.append(f"Comment {cid} has no end of range; it was anchored to the "
                        "end of its paragraph.")
    elif e_pos is not None:
        start = end = resolve(e_pos)
        anchor = "point"
        warnings.append(f"Comment {cid} has no start of range; it was anchored at its end.")
    elif r_pos is not None:
        start = end = resolve(r_pos)
        anchor = "point"
    elif cid in note_of:
        in_part, nid = note_of[cid]
        anchor = "point"
        start = end = _note_anchor(cid, in_part, nid, walker, warnings)
    else:
        start = end = 0
        in_part = "unknown"
        anchor = "missing"
        warnings.append(f"Comment {cid} has no anchor in the text; it was anchored at "
                        "the start of the document.")
    return start, end, in_part, anchor


def _note_anchor(cid: str, in_part: str, nid: str, walker: Walker, warnings: list[str]) -> int:
    """The offset of the reference of the note a comment is anchored in (0 if not found)."""
    ref = walker.refs.get((in_part, nid))
    noun = in_part[:-1]
    if ref is not None:
        warnings.append(f"Comment {cid} is anchored inside {noun} {nid}; it was "
                        f"anchored at the {noun} reference in the text.")
        return walker.resolve(ref)
    warnings.append(f"Comment {cid} is anchored inside {noun} {nid}, whose "
                    "reference was not found; it was anchored at the start "
                    "of the document.")
    return 0


def _group_by_range(anchors: list, dates: list, root_idx: list[int]) -> None:
    """Google Docs: comments on the same range form one thread, the earliest its root."""
    groups: dict[tuple[int, int], list[int]] = {}
    for i, a in enumerate(anchors):
        if a[3] != "missing":
            groups.setdefault((a[0], a[1]), []).append(i)
    earliest = datetime.min.replace(tzinfo=UTC)
    for members in groups.values():
        if len(members) < 2:
            continue
        order = sorted(members, key=lambda k: (dates[k][0] is None, dates[k][0] or earliest, k))
        for k in order:
            root_idx[k] = order[0]


__all__ = ["CommentRecords", "read_records", "anchor_comments", "plain_body"]
