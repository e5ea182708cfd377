"""Suggested edits: reviewers propose a change to exact words; drafters accept it (the next
version), reject it, or edit the proposal first.

A suggested edit is a thread of kind "suggested_edit" (models/thread.py): its anchor is a
thread's anchor, re-anchored on every version by ``threads.reanchor_threads`` with the same
statuses; its replies are comments; it is filtered, counted, listed in the matrix and notified
like any thread.  ``replacement`` is the proposed text ("" deletes; an empty range inserts).
A decided one is a resolved thread (it stays on the version it was decided on), with
``decision`` accepted / rejected / outdated and ``decided_in`` the version number.  It is not
the severity "suggestion" a reviewer gives a comment.

Accepting any number of them is one version (``editing.save_sections``): in each section the
accepted edits are applied at their own words, from the end of the text backwards
(``suggesting.apply_to_blocks``); suggested edits that overlap an accepted one are outdated,
never applied on top; the others open in those sections are placed on the new version at their
exact new offsets.  Who may do what: reviewers suggest, drafters decide, approvers neither
(``permissions``).
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select

from .. import content as C
from .. import permissions as P
from ..anchoring import EXACT, MOVED, NEEDS_CONFIRMATION, ORPHANED, PLACED, Anchor, Reanchorer, make_anchor
from ..extensions import db
from ..models import Report, Section, Thread, ThreadAnchor, User, Version
from ..models.thread import SUGGESTED_EDIT, SUGGESTION_STATUSES
from ..report_templates import load_template
from ..suggesting import Edit, SpanError, apply_to_blocks, choose, count_after, map_span, overlaps
from ..suggesting import span_in_one_container as _one_container
from ..timeutil import utcnow
from . import audit, notify, threads
from .editing import save_sections
from .errors import N_, REASON_MAX, Conflict, Forbidden, Invalid, NotFound, bounded
from .types import Roles, Viewer
from .versions import get_version, latest_version, lock, version_contents

REPLACEMENT_MAX = threads.BODY_MAX        # the comment length limit
ONE_LINE_KINDS = ("text_short", "money", "percent", "date", "year", "attachment")


@dataclass
class Effect:
    """What accepting does to a section's count: "accepting brings it to 1 482 / 1 500"."""
    section: str
    before: int
    after: int
    limit: int | None

    @property
    def over_after(self) -> bool:
        return self.limit is not None and self.after > self.limit

    def as_dict(self) -> dict[str, Any]:
        return {"section": self.section, "before": self.before, "after": self.after, "limit": self.limit}


@dataclass
class Decision:
    """What a decision did: the version accepting made (None when rejecting), the suggested
    edits decided as asked, those outdated by the accepted ones, and those left open (batch
    selections only) with the reason."""
    decision: str                                   # accepted | rejected
    version: Version | None
    decided: list[Thread] = field(default_factory=list)
    outdated: list[Thread] = field(default_factory=list)
    skipped: list[tuple[Thread, str]] = field(default_factory=list)

    @property
    def number(self) -> int | None:
        return self.version.number if self.version is not None else None


# ---------------------------------------------------------------------------------------- reading

def is_suggested_edit(thread: Thread) -> bool:
    return thread.kind == SUGGESTED_EDIT


def get_suggestion(report: Report, suggestion_id: int, *, viewer: Viewer | None = None) -> Thread:
    """The suggested edit, or NotFound (not in this report, not visible, or a comment thread)."""
    thread = threads.get_thread(report, suggestion_id, viewer=viewer)
    if thread.kind != SUGGESTED_EDIT:
        raise NotFound(N_("This suggested edit does not exist."))
    return thread


def find_suggestion(suggestion_id: int) -> Thread:
    """A suggested edit by id alone (the command line), or NotFound."""
    thread = db.session.get(Thread, suggestion_id) if isinstance(suggestion_id, int) else None
    if thread is None or thread.kind != SUGGESTED_EDIT:
        raise NotFound(N_("This suggested edit does not exist."))
    return thread


def list_suggestions(report: Report, *, viewer: Viewer | None = None, status: str | None = None,
                     section_key: str | None = None, author_id: int | None = None) -> list[Thread]:
    """The report's suggested edits (visible to ``viewer``), in template order then position."""
    if status is not None and status not in SUGGESTION_STATUSES:
        raise Invalid(N_("The status must be one of %(values)s."), values=", ".join(SUGGESTION_STATUSES))
    q = select(Thread).where(Thread.report_id == report.id, Thread.kind == SUGGESTED_EDIT)
    if status == "open":
        q = q.where(Thread.decision.is_(None))
    elif status is not None:
        q = q.where(Thread.decision == status)
    if author_id is not None:
        q = q.where(Thread.created_by_id == author_id)
    sections = {s.id: s for s in db.session.scalars(select(Section).where(Section.report_id == report.id))}
    if section_key:
        sid = next((i for i, s in sections.items() if s.key == section_key), None)
        if sid is None:
            raise NotFound(N_("This report has no section %(key)s."), key=section_key)
        q = q.where(Thread.section_id == sid)
    out = [t for t in db.session.scalars(q) if viewer is None or P.can_see_thread(
        viewer.organisation_id, t.visibility_org_id, viewer.is_admin)]
    out.sort(key=lambda t: (sections[t.section_id].position, t.start_offset, t.id))
    return out


def open_counts(report: Report, viewer: Viewer | None = None, *, author_id: int | None = None) -> dict[str, int]:
    """Open suggested edits per section key (of one reviewer with ``author_id``)."""
    out: dict[str, int] = {}
    for t in list_suggestions(report, viewer=viewer, status="open", author_id=author_id):
        key = t.section.key
        out[key] = out.get(key, 0) + 1
    return out


def author_name(thread: Thread) -> str:
    if thread.created_by is not None:
        return thread.created_by.name
    first = thread.comments[0] if thread.comments else None
    return first.author_display if first is not None else "?"


def as_dict(thread: Thread) -> dict[str, Any]:
    """The JSON of a suggested edit (command line, and the API to come)."""
    key = db.session.get_one(Section, thread.section_id).key
    return {
        "id": thread.id, "section": key, "start": thread.start_offset, "end": thread.end_offset,
        "quote": thread.quote, "replacement": thread.replacement or "", "author": author_name(thread),
        "status": thread.suggestion_status, "anchor": thread.anchor_status, "version": thread.version.number,
        "created_at": thread.created_at.isoformat(timespec="seconds") + "Z",
        "original_replacement": thread.original_replacement,
        "decided_by": thread.decided_by.name if thread.decided_by else None,
        "decided_at": thread.decided_at.isoformat(timespec="seconds") + "Z" if thread.decided_at else None,
        "reason": thread.decision_reason, "decided_in": thread.decided_in,
    }


def effect(thread: Thread, *, contents: dict | None = None) -> Effect:
    """The section's count (with spaces, as the limit counts) now and once this suggested edit
    is accepted, on the version it sits on."""
    return effects([thread], contents=contents)[thread.id]


def effects(suggestions: Iterable[Thread], *, contents: dict | None = None) -> dict[int, Effect]:
    """Effect of each suggested edit alone (thread id -> Effect), for the suggestions that sit
    on words (orphaned ones have none); ``contents`` of their version may be passed."""
    out: dict[int, Effect] = {}
    items = [t for t in suggestions if t.kind == SUGGESTED_EDIT and t.anchor_status != ORPHANED]
    if not items:
        return out
    report = db.session.get_one(Report, items[0].report_id)
    template = load_template(report.template_id)
    keys = dict(db.session.execute(select(Section.id, Section.key).where(Section.report_id == report.id)).all())
    by_version: dict[int, dict] = {}
    for t in items:
        if contents is None and t.version_id not in by_version:
            by_version[t.version_id] = version_contents(db.session.get_one(Version, t.version_id))
        rows = contents if contents is not None else by_version[t.version_id]
        key = keys[t.section_id]
        row = rows.get(key)
        if row is None or t.end_offset > len(row.text):
            continue
        try:
            limit = template.field(key).limit
        except KeyError:
            limit = None
        after = count_after(row.text, [Edit(t.start_offset, t.end_offset, t.replacement or "")]).with_spaces
        out[t.id] = Effect(key, row.chars, after, limit)
    return out


def batch_effect(report: Report, suggestions: Sequence[Thread]) -> dict[str, Effect]:
    """Per section, the count once all these (open, placed) suggested edits are accepted together
    (overlapping ones as ``accept`` would choose: the oldest wins)."""
    latest = latest_version(report)
    contents = version_contents(latest)
    template = load_template(report.template_id)
    keys = dict(db.session.execute(select(Section.id, Section.key).where(Section.report_id == report.id)).all())
    out = {}
    for key, group in _by_section([s for s in suggestions if s.decision is None and s.version_id == latest.id
                                   and s.anchor_status in PLACED], keys).items():
        kept, _lost = choose((s, s.start_offset, s.end_offset) for s in sorted(group, key=lambda s: s.id))
        row = contents[key]
        after = count_after(row.text, [Edit(s.start_offset, s.end_offset, s.replacement or "") for s in kept])
        try:
            limit = template.field(key).limit
        except KeyError:
            limit = None
        out[key] = Effect(key, row.chars, after.with_spaces, limit)
    return out


# --------------------------------------------------------------------------------------- suggesting

def _clean_replacement(text: str | None, field_kind: str) -> str:
    text = C.normalize(text or "")
    if len(text) > REPLACEMENT_MAX:
        raise Invalid(N_("A suggested edit takes at most %(n)s characters."), n=REPLACEMENT_MAX)
    if "\n" in text and field_kind in ONE_LINE_KINDS:
        raise Invalid(N_("This field holds one line: the proposed text cannot contain a line break."))
    return text


def _check_proposal(anchor_quote: str, replacement: str) -> None:
    if not anchor_quote and not replacement:
        raise Invalid(N_("An empty suggested edit: select words to replace or delete, or type the text to "
                         "insert."))
    if replacement == anchor_quote:
        raise Invalid(N_("The proposed text is the same as the words it replaces."))


def _anchor_on(text: str, start: int | None, end: int | None) -> Anchor:
    if start is None or end is None:
        raise Invalid(N_("The selected range is not inside this section's text."))
    try:
        return make_anchor(text, int(start), int(end))
    except (TypeError, ValueError):
        raise Invalid(N_("The selected range is not inside this section's text.")) from None


def _locate(text: str, quote: str | None) -> tuple[int, int]:
    """Where the words typed (or pasted) by a reviewer without JavaScript are in the section: they
    must be there exactly once."""
    words = C.normalize(quote or "").strip()
    if not words:
        raise Invalid(N_("Type (or paste) the words to change, as the section reads them."))
    found, at = 0, text.find(words)
    first = at
    while at >= 0 and found < 2:
        found += 1
        at = text.find(words, at + 1)
    if found == 0:
        raise Invalid(N_("These words are not in the section: “%(words)s”. Copy them as the text reads."),
                      words=words[:300])
    if found > 1:
        raise Invalid(N_("These words occur several times in the section: give a few more words so that "
                         "they are found once."))
    return first, first + len(words)


def _words_changed(current: str) -> Conflict:
    return Conflict(N_("The words of this suggested edit changed since it was made: they now read "
                       "“%(current)s”. Nothing was changed; reload and suggest again."), current=current[:300])


def suggest(report: Report, *, actor: User, roles: Roles, section_key: str, start: int | None,
            end: int | None, replacement: str, quote: str | None = None, version_number: int | None = None,
            note: str = "", in_thread: int | None = None, insert_after: bool = False,
            now: datetime | None = None) -> Thread:
    """A reviewer proposes to replace ``[start, end)`` of a section by ``replacement``.

    The offsets are on version ``version_number`` (default: the latest) and ``quote`` must be
    the words there (else 409 with the words found).  Made on an earlier version, the words are
    carried to the latest: unchanged, the suggestion lands there; changed, it is refused (409,
    with the current words).  ``in_thread``: suggest on the words of that thread (its range by
    default; a range given must lie inside it); another organisation's internal thread is not
    found (404).  Without offsets (the form that needs no JavaScript), ``quote`` is looked up in
    the section: it must occur exactly once (else refused, saying how often it does);
    ``insert_after`` then proposes to insert ``replacement`` right after those words.  Refused,
    nothing stored: a proposed text over the comment length limit, a
    proposal equal to the words, an empty one (no words and no text), a choice field, a range
    across table cells.  Suggested edits are always shared with the drafters (who decide)."""
    now = now or utcnow()
    if not P.can_suggest_edit(roles, report.state):
        if "reviewer" in set(roles):
            raise Forbidden(N_("The report is %(state)s: it can no longer be edited."),
                            state=report.state.replace("_", " "))
        raise Forbidden(N_("Only the report's reviewers can suggest edits."))
    template = load_template(report.template_id)
    try:
        field_ = template.field(section_key)
    except KeyError:
        raise NotFound(N_("This report has no section %(key)s."), key=section_key) from None
    if field_.options:
        raise Invalid(N_("Edits can be suggested on text, not on a choice: comment on this field instead."))
    replacement = _clean_replacement(replacement, field_.kind)
    note = (note or "").replace("\r\n", "\n").strip()
    if len(note) > threads.BODY_MAX:
        raise Invalid(N_("A comment takes at most %(n)s characters."), n=threads.BODY_MAX)
    latest = latest_version(report)
    section = db.session.scalar(select(Section).where(Section.report_id == report.id, Section.key == section_key))
    if section is None:
        raise NotFound(N_("This report has no section %(key)s."), key=section_key)
    base = latest if version_number in (None, latest.number) else get_version(report, int(version_number))
    base_contents = version_contents(base)
    if section_key not in base_contents:
        raise NotFound(N_("This report has no section %(key)s."), key=section_key)
    base_text = base_contents[section_key].text
    if in_thread is not None:
        host = threads.get_thread(report, in_thread, viewer=actor)   # another organisation's internal: 404
        if host.section_id != section.id:
            raise Invalid(N_("This thread is on another section."))
        if host.version_id != latest.id or base.id != latest.id:
            raise Conflict(N_("This thread is not on the latest version: reload the page and try again."))
        if start is None and end is None:
            if host.anchor_status not in PLACED:
                raise Invalid(N_("Select the words to change: this thread is not placed on words."))
            start, end = host.start_offset, host.end_offset
            quote = host.quote if quote is None else quote
        elif start is None or end is None:
            raise Invalid(N_("The selected range is not inside this section's text."))
        elif host.anchor_status in PLACED and not host.start_offset <= start <= end <= host.end_offset:
            raise Invalid(N_("The selected words are not inside this thread's words."))
    if start is None and end is None and in_thread is None:
        start, end = _locate(base_text, quote)
        if insert_after:
            start, quote = end, ""
    anchor = _anchor_on(base_text, start, end)
    if quote is not None and C.normalize(quote) != anchor.quote:
        raise Conflict(N_("The selected text does not match this version of the section: it reads "
                          "“%(current)s”. Reload and select again."), current=anchor.quote[:300])
    _check_proposal(anchor.quote, replacement)
    if not _one_container(base_contents[section_key].blocks, anchor.start, anchor.end):
        raise Invalid(N_("A suggested edit cannot span several table cells: suggest one per cell."))
    if base.id != latest.id:
        new_text = version_contents(latest)[section_key].text
        result = Reanchorer(base_text, new_text).reanchor(anchor)
        if result.anchor is None or result.status not in (EXACT, MOVED) or result.anchor.quote != anchor.quote:
            raise _words_changed(result.anchor.quote if result.anchor is not None else "")
        anchor = result.anchor
    thread = threads.create_thread(report, latest, section, anchor, status=EXACT, body=note, author=actor,
                                   now=now)
    thread.kind, thread.replacement = SUGGESTED_EDIT, replacement
    db.session.flush()
    audit.record("suggestion.created", actor=actor, report=report, obj=thread,
                 details={"section": section_key, "quote": anchor.quote[:200], "replacement": replacement[:200],
                          "version": latest.number, "thread": in_thread}, now=now)
    notify.suggested_edit(report, thread, note, actor=actor, now=now)
    return thread


def edit_proposal(suggestion: Thread, *, actor: User, roles: Roles, replacement: str,
                  now: datetime | None = None) -> Thread:
    """A drafter edits the proposed text before deciding; the author's proposal stays visible
    (``original_replacement``) and the audit trail keeps every edit."""
    now = now or utcnow()
    report = threads.thread_report(suggestion)
    _may_decide(roles, report)
    if suggestion.decision is not None:
        raise Conflict(N_("This suggested edit was already decided (%(decision)s)."), decision=suggestion.decision)
    template = load_template(report.template_id)
    key = db.session.get_one(Section, suggestion.section_id).key
    text = _clean_replacement(replacement, template.field(key).kind)
    _check_proposal(suggestion.quote, text)
    _record_edit(suggestion, text, actor=actor, report=report, now=now)
    return suggestion


def _record_edit(suggestion: Thread, text: str, *, actor: User, report: Report, now: datetime) -> None:
    if text == suggestion.replacement:
        return
    before = suggestion.replacement or ""
    if suggestion.original_replacement is None:
        suggestion.original_replacement = before
    suggestion.replacement = text
    suggestion.replacement_edited_by_id, suggestion.replacement_edited_at = actor.id, now
    suggestion.updated_at = now
    db.session.flush()
    audit.record("suggestion.edited", actor=actor, report=report, obj=suggestion,
                 details={"from": before[:500], "to": text[:500]}, now=now)


# --------------------------------------------------------------------------------------- deciding

def _may_decide(roles: Roles, report: Report) -> None:
    if not P.can_decide_suggested_edit(roles, report.state):
        if "drafter" in set(roles):
            raise Forbidden(N_("The report is %(state)s: it can no longer be edited."),
                            state=report.state.replace("_", " "))
        raise Forbidden(N_("Only the report's drafters can accept or reject suggested edits."))


def _unique(items: Iterable[Thread]) -> list[Thread]:
    """The suggested edits, each once, as the database holds them now: called under the
    report's lock, so a decision another request just committed is seen (never applied twice)."""
    seen: dict[int, Thread] = {}
    for t in items:
        if t.kind != SUGGESTED_EDIT:
            raise NotFound(N_("This suggested edit does not exist."))
        seen.setdefault(t.id, t)
    if seen:
        db.session.execute(select(Thread).where(Thread.id.in_(list(seen)))
                           .execution_options(populate_existing=True)).all()
    return list(seen.values())


def _by_section(items: Iterable[Thread], keys: dict[int, str]) -> dict[str, list[Thread]]:
    out: dict[str, list[Thread]] = {}
    for t in items:
        out.setdefault(keys[t.section_id], []).append(t)
    return out


def _made_on(items: Sequence[Thread]) -> dict[int, str]:
    """The words each suggested edit was made on (its first anchor), in one query."""
    out: dict[int, str] = {}
    if items:
        for tid, quote in db.session.execute(select(ThreadAnchor.thread_id, ThreadAnchor.quote).where(
                ThreadAnchor.thread_id.in_([t.id for t in items])).order_by(ThreadAnchor.id)):
            out.setdefault(tid, quote)
    return out


def _acceptable(s: Thread, latest: Version, text: str, made_on: str | None = None) -> None:
    """Conflict (409) unless ``s`` can be applied to its words of the latest version."""
    if s.decision is not None:
        raise Conflict(N_("This suggested edit was already decided (%(decision)s)."), decision=s.decision)
    if s.version_id != latest.id:
        raise Conflict(N_("Version %(latest)s is now the latest: reload the page and try again."),
                       latest=latest.number)
    if s.anchor_status == ORPHANED:
        raise Conflict(N_("The words this suggested edit replaces are gone from the text: it cannot be "
                          "accepted. Reject it, or suggest the change again."))
    if s.anchor_status == NEEDS_CONFIRMATION:
        raise Conflict(N_("Where this suggested edit applies is uncertain (its words were edited or are "
                          "repeated): a reviewer must confirm its place before it can be accepted; or reject it."))
    if s.anchor_status not in PLACED:
        raise Conflict(N_("This suggested edit is not placed on words: it cannot be accepted."))
    if made_on is None:
        made_on = s.anchors[0].quote if s.anchors else s.quote
    current = text[s.start_offset:s.end_offset] if s.end_offset <= len(text) else ""
    if current != s.quote or s.quote != made_on:
        raise _words_changed(current)


def _decide(items: Iterable[Thread], decision: str, *, actor: User | None, reason: str, now: datetime) -> None:
    for s in items:
        s.decision = decision
        s.status, s.resolved_by_id, s.resolved_at = "resolved", actor.id if actor else None, now
        s.resolution_note = bounded(reason, REASON_MAX)
        s.updated_at = now


def record_word_decision(report: Report, s: Thread, decision: str, *, actor: User, version_number: int,
                         now: datetime | None = None) -> None:
    """A decision taken in Word on an exported suggested edit, found in a drafter's upload that
    made version ``version_number`` (the text is already the file's: nothing is applied here);
    the caller checked that the uploader may decide."""
    now = now or utcnow()
    _decide([s], decision, actor=actor, reason=N_("Decided in Word"), now=now)
    s.decided_in = version_number
    key = db.session.get_one(Section, s.section_id).key
    audit.record(f"suggestion.{decision}", actor=actor, report=report, obj=s,
                 details={"section": key, "quote": s.quote[:200], "replacement": (s.replacement or "")[:200],
                          "version": version_number, "in_word": True}, now=now)
    notify.suggested_edits_decided(report, [(s, decision)], actor=actor, version_number=version_number, now=now)


def accept(report: Report, suggestions: Iterable[Thread], *, actor: User, roles: Roles, reason: str = "",
           replacements: dict[int, str] | None = None, strict: bool = True,
           now: datetime | None = None) -> Decision:
    """Accept suggested edits: ONE new version holding all of them.

    Each is applied at its own words.  Among those given, when two overlap the older one wins
    and the other is outdated; open suggested edits of other reviewers that overlap an accepted
    one are outdated too (shown as such, never applied on top).  ``replacements`` (id -> text):
    the drafter's edit of a proposal, recorded before it is applied.  ``strict``: any suggested
    edit that cannot be accepted (decided, orphaned, needing confirmation, its words changed:
    409) refuses the whole request, nothing stored; otherwise (a selection "all of a reviewer's",
    "all in a section") it is left open and listed in ``Decision.skipped``."""
    now = now or utcnow()
    lock(report)
    _may_decide(roles, report)
    reason = (reason or "").strip()[:2000]
    replacements = dict(replacements or {})
    items = _unique(suggestions)
    latest = latest_version(report)
    contents = version_contents(latest)
    template = load_template(report.template_id)
    keys = dict(db.session.execute(select(Section.id, Section.key).where(Section.report_id == report.id)).all())
    pool: list[Thread] = []
    skipped: list[tuple[Thread, str]] = []
    texts: dict[int, str] = {}
    first_quotes = _made_on(items)
    for s in items:
        key = keys[s.section_id]
        try:
            _acceptable(s, latest, contents[key].text, first_quotes.get(s.id))
            text = s.replacement or ""
            if s.id in replacements:
                text = _clean_replacement(replacements[s.id], template.field(key).kind)
                _check_proposal(s.quote, text)
            if not _one_container(contents[key].blocks, s.start_offset, s.end_offset):
                raise Invalid(N_("A suggested edit cannot span several table cells: suggest one per cell."))
        except (Conflict, Invalid) as exc:
            if strict:
                raise
            skipped.append((s, str(exc)))
            continue
        texts[s.id] = text
        pool.append(s)
    if not pool:
        if strict:
            raise Invalid(N_("No suggested edit to accept."))
        return Decision("accepted", None, [], [], skipped)
    accepted: list[Thread] = []
    outdated: list[Thread] = []
    edits_by_key: dict[str, list[Edit]] = {}
    changes = {}
    for key, group in _by_section(pool, keys).items():
        kept, lost = choose((s, s.start_offset, s.end_offset) for s in sorted(group, key=lambda s: s.id))
        edits = [Edit(s.start_offset, s.end_offset, texts[s.id]) for s in kept]
        try:
            changes[key] = apply_to_blocks(contents[key].blocks, edits)
        except SpanError:
            raise Invalid(N_("A suggested edit cannot span several table cells: suggest one per cell.")) from None
        edits_by_key[key] = edits
        accepted.extend(kept)
        outdated.extend(lost)
    chosen = {s.id for s in pool}
    section_ids = {sid for sid, key in keys.items() if key in edits_by_key}
    others = [t for t in db.session.scalars(select(Thread).where(
        Thread.report_id == report.id, Thread.kind == SUGGESTED_EDIT, Thread.decision.is_(None),
        Thread.version_id == latest.id, Thread.section_id.in_(section_ids))) if t.id not in chosen]
    remaining: list[tuple[Thread, int, int, str]] = []
    for t in others:
        if t.anchor_status not in (*PLACED, NEEDS_CONFIRMATION):
            continue
        edits = edits_by_key[keys[t.section_id]]
        if any(overlaps(t.start_offset, t.end_offset, e.start, e.end) for e in edits):
            outdated.append(t)
        elif t.anchor_status in PLACED:
            remaining.append((t, t.start_offset, t.end_offset, t.quote))
    for s in accepted:
        if texts[s.id] != (s.replacement or ""):
            _record_edit(s, texts[s.id], actor=actor, report=report, now=now)
    _decide(accepted, "accepted", actor=actor, reason=reason, now=now)
    _decide(outdated, "outdated", actor=actor, reason="", now=now)
    db.session.flush()
    ids = ", ".join(f"#{s.id}" for s in accepted)
    version = save_sections(report, changes, actor=actor, base_number=latest.number, roles=roles,
                            note=f"Suggested edits accepted: {ids}"[:500], source="suggestions", now=now)
    number = version.number if version is not None else latest.number
    for s in accepted + outdated:
        s.decided_in = number
    if version is not None:
        _place_exactly(remaining, version, edits_by_key, keys, now=now)
    for s in accepted:
        audit.record("suggestion.accepted", actor=actor, report=report, obj=s,
                     details={"section": keys[s.section_id], "quote": s.quote[:200],
                              "replacement": (s.replacement or "")[:200], "version": number, "reason": reason},
                     now=now)
    for s in outdated:
        by = [w.id for w in accepted if w.section_id == s.section_id
              and overlaps(w.start_offset, w.end_offset, s.start_offset, s.end_offset)]
        audit.record("suggestion.outdated", actor=actor, report=report, obj=s,
                     details={"section": keys[s.section_id], "quote": s.quote[:200], "version": number,
                              "by": by}, now=now)
    db.session.flush()
    notify.suggested_edits_decided(report, [(s, "accepted") for s in accepted] + [(s, "outdated") for s in outdated],
                                   actor=actor, version_number=number, now=now)
    return Decision("accepted", version, accepted, outdated, skipped)


def _place_exactly(remaining: list[tuple[Thread, int, int, str]], version: Version,
                   edits_by_key: dict[str, list[Edit]], keys: dict[int, str], *, now: datetime) -> None:
    """The open suggested edits of the edited sections, at the offsets the accepted edits give
    them (no diff can be surer): re-anchoring proposed the same place, or needed a person."""
    if not remaining:
        return
    contents = version_contents(version)
    for t, start, end, quote in remaining:
        key = keys[t.section_id]
        ns, ne = map_span(edits_by_key[key], start, end)
        text = contents[key].text
        if text[ns:ne] != quote or (t.version_id == version.id and (t.start_offset, t.end_offset) == (ns, ne)
                                    and t.anchor_status in PLACED):
            continue
        status = t.anchor_status if t.anchor_status in (EXACT, MOVED) else EXACT
        threads.place(t, version, make_anchor(text, ns, ne), status, 1.0, now=now)


def reject(report: Report, suggestions: Iterable[Thread], *, actor: User, roles: Roles, reason: str = "",
           strict: bool = True, now: datetime | None = None) -> Decision:
    """Reject suggested edits (kept in the history, with who, when and the reason)."""
    now = now or utcnow()
    lock(report)
    _may_decide(roles, report)
    reason = (reason or "").strip()[:2000]
    items = _unique(suggestions)
    rejected, skipped = [], []
    for s in items:
        if s.decision is not None:
            exc = Conflict(N_("This suggested edit was already decided (%(decision)s)."), decision=s.decision)
            if strict:
                raise exc
            skipped.append((s, str(exc)))
            continue
        rejected.append(s)
    if not rejected:
        if strict:
            raise Invalid(N_("No suggested edit to reject."))
        return Decision("rejected", None, [], [], skipped)
    number = latest_version(report).number
    _decide(rejected, "rejected", actor=actor, reason=reason, now=now)
    keys = dict(db.session.execute(select(Section.id, Section.key).where(Section.report_id == report.id)).all())
    for s in rejected:
        s.decided_in = number
        audit.record("suggestion.rejected", actor=actor, report=report, obj=s,
                     details={"section": keys[s.section_id], "quote": s.quote[:200],
                              "replacement": (s.replacement or "")[:200], "version": number, "reason": reason},
                     now=now)
    db.session.flush()
    notify.suggested_edits_decided(report, [(s, "rejected") for s in rejected], actor=actor,
                                   version_number=number, now=now)
    return Decision("rejected", None, rejected, [], skipped)


def decide(report: Report, decision: str, *, actor: User, roles: Roles, viewer: Viewer | None = None,
           ids: Sequence[int] | None = None, author_id: int | None = None, section_key: str | None = None,
           reason: str = "", replacement: str | None = None, now: datetime | None = None) -> Decision:
    """One entry point for the forms, the command line and the API: accept or reject the
    suggested edits ``ids`` (strict: all or nothing), or every open one of a reviewer
    (``author_id``) and/or a section (``section_key``), leaving out those that cannot be
    accepted.  ``replacement``: the drafter's edit of the proposal (one id only)."""
    if decision not in ("accept", "reject"):
        raise Invalid(N_("The decision must be accept or reject."))
    if ids:
        items = [get_suggestion(report, i, viewer=viewer) for i in ids]
        strict = True
    else:
        if author_id is None and not section_key:
            raise Invalid(N_("Say which suggested edits: one, a reviewer's, or a section's."))
        items = list_suggestions(report, viewer=viewer, status="open", section_key=section_key or None,
                                 author_id=author_id)
        strict = False
    if replacement is not None and len(items) != 1:
        raise Invalid(N_("A proposal can be edited only when one suggested edit is accepted."))
    if decision == "accept":
        edits = {items[0].id: replacement} if replacement is not None else None
        return accept(report, items, actor=actor, roles=roles, reason=reason, replacements=edits, strict=strict,
                      now=now)
    return reject(report, items, actor=actor, roles=roles, reason=reason, strict=strict, now=now)
