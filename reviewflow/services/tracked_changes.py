"""Word tracked changes in an upload, turned into suggested edits.

A reviewer's copy (import mode "review"): every pending ``w:ins``, ``w:del``,
``w:moveFrom``/``w:moveTo`` and inserted or deleted paragraph mark becomes a suggested edit with
its Word author and date, anchored on the words of the version the file was given on
(``suggesting.tracked_changes`` reads them on the section's text with the changes rejected --
the text the reviewer was given; when that text differs from the version's, each one follows
its words, and one whose words are gone is kept orphaned, never dropped).  Formatting-only
changes (``w:rPrChange``, ``w:pPrChange`` ...) are listed, not turned into suggestions; so is a
change on the template's own text.  Changes nested in ways Word cannot produce come as the
nearest honest suggestion with a warning (``suggesting``).

Re-import: a change reviewflow already holds as a suggested edit (same section, same author,
same words and proposal -- the rule of comments: recognised by author and words) is not
duplicated, so a reviewer's copy of an export comes back adding only what is new.

A drafter's upload of an export (import mode "version"): each open suggested edit whose change
was accepted in Word (no longer pending; its new words in place) is recorded as accepted by the
uploader in the version the upload made, each one rejected in Word (its old words in place) as
rejected; untouched ones (still pending in the file) stay open; one whose words were changed
otherwise stays open with a warning (``word_decisions``).

``import_review_changes`` and ``word_decisions`` are called by ``services.imports`` (one call
each); they flush, never commit.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select

from .. import permissions as P
from ..anchoring import CONTEXT, EXACT, MOVED, ORPHANED, Anchor, Reanchorer
from ..extensions import db
from ..models import Comment, Report, Section, Thread, ThreadAnchor, User, Version
from ..models.thread import SUGGESTED_EDIT
from ..suggesting import tracked_changes
from ..textnorm import norm_quote
from ..timeutil import as_naive_utc, utcnow
from .suggestions import author_name as suggestion_author
from .suggestions import record_word_decision
from .types import Roles
from .versions import version_contents

if TYPE_CHECKING:
    from ..mapping import Mapping
    from ..wordio import Document


@dataclass
class TrackedImport:
    """What an upload's tracked changes became."""
    created: int = 0                                   # new suggested edits
    accepted_in_word: int = 0                          # drafter's upload: decided in Word
    rejected_in_word: int = 0
    still_open: int = 0                                # ... still pending in the file
    already_known: int = 0                             # ... already in reviewflow (re-import)
    orphaned: int = 0                                  # new ones whose words are not in the version
    by_author: dict = field(default_factory=dict)      # Word author -> pending changes in the file
    listed: list = field(default_factory=list)         # formatting-only and unplaced changes: kind, author, why
    warnings: list = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _key(section_key: str, author: str, quote: str, replacement: str) -> tuple[str, str, str, str]:
    return (section_key, norm_quote(_bare(author)), norm_quote(quote), norm_quote(replacement))


def _bare(name: str) -> str:
    name = (name or "").strip()
    for tail in (" (Word)", " (word)", " (LibreOffice)"):
        if name.endswith(tail):
            return name[: -len(tail)]
    return name


def _known(report: Report) -> Counter:
    """How many suggested edits reviewflow holds (every status) by section, author and words
    (two queries, whatever their number)."""
    keys = dict(db.session.execute(select(Section.id, Section.key).where(Section.report_id == report.id)).all())
    rows = db.session.execute(select(Thread.id, Thread.section_id, Thread.quote, Thread.replacement,
                                     Thread.original_replacement, User.name).outerjoin(
        User, User.id == Thread.created_by_id).where(Thread.report_id == report.id,
                                                     Thread.kind == SUGGESTED_EDIT)).all()
    if not rows:
        return Counter()
    first: dict[int, str] = {}
    for tid, name in db.session.execute(select(Comment.thread_id, Comment.author_name).where(
            Comment.thread_id.in_([r[0] for r in rows])).order_by(Comment.id)):
        first.setdefault(tid, name)
    out: Counter = Counter()
    for tid, section_id, quote, replacement, original, user_name in rows:
        author = user_name if user_name is not None else first.get(tid, "")
        texts = {replacement or ""} | ({original} if original is not None else set())
        for text in texts:
            out[_key(keys[section_id], author, quote, text)] += 1
    return out


def import_review_changes(report: Report, version: Version, doc: Document, mapping: Mapping, *,
                          actor: User | None, roles: Roles, now: datetime | None = None) -> TrackedImport:
    """The pending tracked changes of a reviewer's upload as suggested edits on ``version``."""
    now = now or utcnow()
    result = TrackedImport()
    if not doc.revisions:
        return result
    changes = tracked_changes(doc, mapping)
    result.listed = [{"kind": c.kind, "author": c.author, "section": c.section, "why": c.why,
                      "text": (c.text or "")[:120]} for c in changes.listed]
    result.warnings = list(changes.warnings)[:50]
    for p in changes.proposals:
        result.by_author[p.author] = result.by_author.get(p.author, 0) + 1
    if not changes.proposals:
        return result
    if actor is not None and not P.can_suggest_edit(roles, report.state):
        result.warnings.append("Only the report's reviewers' tracked changes become suggested edits, while it is "
                               "under review: these are listed only.")
        return result
    contents = version_contents(version)
    sections = {s.key: s for s in db.session.scalars(select(Section).where(Section.report_id == report.id))}
    known = _known(report)
    made: list = []
    uploader = {norm_quote(actor.name), norm_quote(actor.email)} if actor is not None else set()
    for key, sc in changes.sections.items():
        if key not in contents or key not in sections:
            continue
        text = contents[key].text
        follow = None if sc.base_text == text else Reanchorer(sc.base_text, text)
        for p in sc.proposals:
            k = _key(key, p.author, p.quote, p.replacement)
            if known[k] > 0:             # one already held: not duplicated (each match used once)
                known[k] -= 1
                result.already_known += 1
                continue
            base = sc.base_text            # canonical already: no normalisation of the section per change
            anchor, status, score = _placed(Anchor(p.start, p.end, base[p.start:p.end],
                                                   base[max(0, p.start - CONTEXT):p.start],
                                                   base[p.end:p.end + CONTEXT]), follow)
            made.append((sections[key], anchor, status, score, p, norm_quote(p.author) in uploader))
            result.orphaned += status == ORPHANED
            result.warnings.extend(p.warnings)
    result.created = len(made)
    _create(report, version, made, actor, now)
    return result


def _create(report: Report, version: Version, made: list, actor: User | None, now: datetime) -> None:
    """The suggested edits, their first anchor and opening comment, as ``threads.create_thread``
    makes them, but as three bulk inserts whatever their number (a copy may hold thousands)."""
    if not made:
        return
    db.session.flush()
    rows = []
    for section, anchor, status, score, p, mine in made:
        rows.append(dict(report_id=report.id, section_id=section.id, version_id=version.id,
                         start_offset=anchor.start, end_offset=anchor.end, quote=anchor.quote, prefix=anchor.prefix,
                         suffix=anchor.suffix, anchor_status=status, anchor_score=score, status="open",
                         severity="normal", created_by_id=actor.id if mine and actor is not None else None,
                         created_at=as_naive_utc(p.date) or now, origin="docx", updated_at=now,
                         kind=SUGGESTED_EDIT, replacement=p.replacement))
    ids = list(db.session.scalars(insert(Thread).returning(Thread.id, sort_by_parameter_order=True), rows))
    anchors, comments = [], []
    for tid, row, (section, anchor, status, score, p, _mine) in zip(ids, rows, made, strict=True):
        anchors.append(dict(thread_id=tid, version_id=version.id, section_id=section.id, start_offset=anchor.start,
                            end_offset=anchor.end, quote=anchor.quote, status=status, score=score, created_at=now))
        comments.append(dict(thread_id=tid, author_id=row["created_by_id"],
                             author_name="" if row["created_by_id"] else f"{p.author or '?'} (Word)", body="",
                             created_at=row["created_at"]))
    db.session.execute(insert(ThreadAnchor), anchors)
    db.session.execute(insert(Comment), comments)


WORD_CONTEXT = 40


def word_decisions(report: Report, previous: Version, version: Version, doc: Document, mapping: Mapping, *,
                   actor: User | None, roles: Roles, now: datetime | None = None) -> TrackedImport:
    """A drafter's upload made ``version`` from a copy of ``previous``: the open suggested edits
    that were on ``previous`` and were accepted or rejected in Word, recorded so (module doc)."""
    now = now or utcnow()
    result = TrackedImport()
    if actor is None or not P.can_decide_suggested_edit(roles, report.state):
        return result
    keys = dict(db.session.execute(select(Section.id, Section.key).where(Section.report_id == report.id)).all())
    opened = list(db.session.scalars(select(Thread).where(
        Thread.report_id == report.id, Thread.kind == SUGGESTED_EDIT, Thread.decision.is_(None))))
    if not opened:
        return result
    on_previous = {a.thread_id: a for a in db.session.scalars(select(ThreadAnchor).where(
        ThreadAnchor.version_id == previous.id, ThreadAnchor.thread_id.in_([t.id for t in opened])))}
    changes = tracked_changes(doc, mapping)
    pending = {_key(p.section, p.author, p.quote, p.replacement) for p in changes.proposals}
    for p in changes.proposals:
        result.by_author[p.author] = result.by_author.get(p.author, 0) + 1
    before = version_contents(previous)
    spans: dict[str, list[tuple[int, int]]] = {}
    for t in opened:
        a = on_previous.get(t.id)
        if a is not None and a.status in (EXACT, MOVED, "changed"):
            spans.setdefault(keys[t.section_id], []).append((a.start_offset, a.end_offset))
    decided: list[tuple[Thread, str]] = []
    for t in opened:
        a = on_previous.get(t.id)
        key = keys[t.section_id]
        if a is None or a.status not in (EXACT, MOVED, "changed") or key not in before:
            continue
        if _key(key, suggestion_author(t), a.quote, t.replacement or "") in pending:
            result.still_open += 1
            continue
        sc = changes.sections.get(key)
        file_text = sc.base_text if sc is not None else (mapping.sections[key].text if key in mapping.sections
                                                          else None)
        if file_text is None:
            continue
        verdict = _verdict(before[key].text, a.start_offset, a.end_offset, t.replacement or "", file_text,
                           spans.get(key, []))
        if verdict is None:
            result.warnings.append(f"{key}: the words of a suggested edit ({a.quote[:60]!r}) were changed in Word "
                                   "in another way: it stays open.")
            continue
        decided.append((t, verdict))
    for t, verdict in decided:
        record_word_decision(report, t, verdict, actor=actor, version_number=version.number, now=now)
        if verdict == "accepted":
            result.accepted_in_word += 1
        else:
            result.rejected_in_word += 1
    db.session.flush()
    return result


def _verdict(text: str, start: int, end: int, replacement: str, file_text: str,
             spans: list[tuple[int, int]]) -> str | None:
    """"accepted" when the file reads the new words where the suggested edit was, "rejected"
    when it reads the old ones, None when neither (or both) can be told.  The context around
    the words stops at the other suggested edits' words (they may have been decided too)."""
    lo = max([e for s, e in spans if e <= start and (s, e) != (start, end)] + [max(0, start - WORD_CONTEXT)])
    hi = min([s for s, e in spans if s >= end and (s, e) != (start, end)] + [min(len(text), end + WORD_CONTEXT)])
    left, right = text[lo:start], text[end:hi]
    new = (left + replacement + right) in file_text
    old = (left + text[start:end] + right) in file_text
    if new and not old:
        return "accepted"
    if old and not new:
        return "rejected"
    return None


def _placed(anchor: Anchor, follow: Reanchorer | None) -> tuple[Anchor, str, float]:
    """The anchor on the version's text: as it is when the texts agree; else following its
    words (exact or moved with the same words), or orphaned (kept, visible, never dropped)."""
    if follow is None:
        return anchor, EXACT, 1.0
    r = follow.reanchor(anchor)
    if r.anchor is not None and r.status in (EXACT, MOVED) and r.anchor.quote == anchor.quote:
        return r.anchor, r.status, r.score
    return Anchor(0, 0, anchor.quote, anchor.prefix, anchor.suffix), ORPHANED, r.score


__all__ = ["TrackedImport", "import_review_changes", "word_decisions"]
