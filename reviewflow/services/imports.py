"""Import a Word file into a report: as the next version (drafters) or as review comments on the
current version (reviewers).  Everything lands in the caller's one transaction, or nothing does.

Comments become threads on the same words; replies stay replies; resolved stays resolved.
Re-importing a file (or a copy that went through Word or LibreOffice) adds only what is new:
comments are recognised by their author, their words and (for the first comment of a thread)
the words they are on.  A drafter's upload never closes a thread by omission.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from .. import content as C
from .. import permissions as P
from ..anchoring import Anchor, Reanchorer, make_anchor
from ..diffing import diff_words
from ..extensions import db
from ..mapping import Mapping, map_document
from ..models import CommentEdit, ImportPlan, Report, Section, SectionContent, Thread, Upload, User, Version
from ..models.thread import SUGGESTED_EDIT
from ..report_templates import Template, load_template
from ..textnorm import norm_quote
from ..timeutil import as_naive_utc, utcnow
from ..wordio import WordFileError, read_docx, refusal_message
from . import audit, notify, provenance
from .accounts import roles_on
from .editing import normalize_blocks, save_sections
from .errors import N_, Conflict, Forbidden, Invalid, NotFound, StaleVersion
from .exports import SYSTEM_AUTHOR, strip_orphan_note
from .threads import create_thread, reply, resolve
from .tracked_changes import import_review_changes, word_decisions
from .types import Roles
from .versions import get_version, latest_version, lock, version_contents
from .workspace import visible_threads

if TYPE_CHECKING:    # annotations only
    from ..wordio import Document, WordComment

FILENAME_MAX = 200
SAMPLES = 50      # an import summary keeps counts of everything and at most this many examples of each list


@dataclass
class ImportSummary:
    mode: str
    filename: str
    upload_id: int | None = None
    version: int | None = None          # the version created (None: the text was unchanged)
    on_version: int | None = None       # the version the comments were placed on
    sections_filled: list = field(default_factory=list)     # keys whose content came from the file
    sections_changed: list = field(default_factory=list)    # ... and differ from the previous version
    sections_not_found: list = field(default_factory=list)  # template fields absent from the file (kept)
    unmapped_chars: int = 0
    unmapped_preview: str = ""
    outcomes_added: int = 0
    comments_in_file: int = 0
    threads_created: int = 0
    replies_added: int = 0
    already_known: int = 0               # comments already in reviewflow (re-import)
    resolved_applied: int = 0
    resolved_not_applied: int = 0
    threads_not_in_file: int = 0         # open threads the file does not carry (kept, re-anchored)
    deleted_in_word: int = 0             # ... when the file is a copy of an export: deleted in Word (kept)
    placed: dict = field(default_factory=dict)              # anchor status -> count for new threads
    unplaced: list = field(default_factory=list)            # comments put on a whole section, and why (SAMPLES)
    unplaced_count: int = 0                                 # ... all of them
    warnings_count: int = 0                                 # notes from the reader (``warnings``: SAMPLES)
    revisions: int = 0
    revision_authors: list = field(default_factory=list)
    suggestions: dict = field(default_factory=dict)       # tracked changes -> suggested edits (tracked_changes)
    form_fields: int = 0
    warnings: list = field(default_factory=list)
    app: str = "unknown"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _author_key(name: str) -> str:
    return norm_quote(re.sub(r"\s*\((?:word|libreoffice)\)\s*$", "", name or "", flags=re.IGNORECASE))


def comment_key(author: str, body: str) -> str:
    """Identity of a comment across exports and re-imports: its author and its words (without the
    note an export adds to a thread whose text was deleted)."""
    key = f"{_author_key(author)}\x1f{norm_quote(strip_orphan_note(body))}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def safe_filename(name: str) -> str:
    name = (name or "document.docx").replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[\x00-\x1f<>:\"|?*]", "_", name).strip() or "document.docx"
    return name[-FILENAME_MAX:]


def read(data: bytes) -> Document:
    """The document, or Invalid with a clear reason (nothing is stored)."""
    try:
        return read_docx(data)
    except WordFileError as exc:
        raise Invalid(refusal_message(exc.code), code=exc.code) from None


def _ensure_outcomes(report: Report, wanted: int, summary: ImportSummary) -> None:
    """A file with more outcome blocks than the report gets the extra Part II sections."""
    template = load_template(report.template_id)
    wanted = min(wanted, template.repeat_max or 0)
    if wanted <= report.outcomes:
        return
    summary.outcomes_added = wanted - report.outcomes
    report.outcomes = wanted
    existing = {s.key: s for s in db.session.scalars(select(Section).where(Section.report_id == report.id))}
    for pos, f in enumerate(template.fields(wanted)):
        s = existing.get(f.key)
        if s is None:
            db.session.add(Section(report_id=report.id, key=f.key, position=pos))
        else:
            s.position = pos
    db.session.flush()


def import_docx(report: Report, data: bytes, filename: str, *, actor: User | None, roles: Roles, mode: str,
                base_number: int | None = None, now: datetime | None = None) -> ImportSummary:
    """Import ``data`` (a .docx) into ``report``.

    mode "version" (drafters): the file's sections become the next version; its comments land on it.
    mode "review" (reviewers): the file's comments land on the current version's words.
    """
    now = now or utcnow()
    if mode not in ("version", "review"):
        raise Invalid(N_("Unknown import mode."))
    if mode == "version" and not P.can_upload_version(roles, report.state):
        raise Forbidden(N_("Only the report's drafters can upload a new version, and only while it is open."))
    if mode == "review" and not P.can_comment(roles):
        raise Forbidden(N_("Only members of this report can import review comments."))
    lock(report)
    filename = safe_filename(filename)
    if not filename.lower().endswith((".docx", ".docm", ".doc", ".dotx")):
        filename += ".docx"
    doc = read(data)
    template = load_template(report.template_id)
    mapping = map_document(doc, template)
    summary = ImportSummary(mode=mode, filename=filename, app=doc.app, warnings=list(doc.warnings)[:SAMPLES],
                            warnings_count=len(doc.warnings), comments_in_file=len(doc.comments),
                            form_fields=len(doc.form_fields))
    rs = doc.revision_summary
    summary.revisions, summary.revision_authors = rs.count, list(rs.authors)[:SAMPLES]
    upload = Upload(report_id=report.id, filename=filename, size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                    data=data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    uploaded_by_id=actor.id if actor else None, created_at=now)
    db.session.add(upload)
    db.session.flush()
    summary.upload_id = upload.id

    previous = latest_version(report)
    if mode == "version":
        if mapping.outcomes:
            _ensure_outcomes(report, mapping.outcomes, summary)
        keys = [f.key for f in template.fields(report.outcomes)]
        changes = {}
        for key in keys:
            sec = mapping.sections.get(key)
            if sec is None:
                summary.sections_not_found.append(key)
                continue
            kept, outside, why = _fit(template, key, sec.blocks or [C.paragraph("")])
            if outside:     # text that cannot live in its field is kept outside the template, said so
                mapping.unmapped.extend(outside)
                summary.warnings.append(f"{key}: {len(C.blocks_text(outside))} characters kept outside the "
                                        f"template ({why}).")
            if kept is None:
                summary.sections_not_found.append(key)
                continue
            changes[key] = kept
            summary.sections_filled.append(key)
        if not mapping.sections:
            summary.warnings_count += 1
            summary.warnings.append("No question of the template was recognised in this file: all its content "
                                    "is kept as unmapped content of the version.")
        before = version_contents(previous)
        summary.sections_changed = [k for k in changes if k not in before
                                    or C.content_hash(changes[k]) != before[k].sha256]
        new_unmapped = bool(mapping.unmapped) and C.content_hash(mapping.unmapped) != C.content_hash(
            previous.unmapped or [])
        version = save_sections(report, changes, actor=actor, roles=roles,
                                base_number=base_number if base_number is not None else previous.number,
                                note=f"Word: {filename}"[:500], source="upload", upload=upload,
                                force=new_unmapped or bool(summary.outcomes_added), now=now)
        target = version or latest_version(report)   # the same text: comments go on the latest version
        summary.suggestions = word_decisions(report, previous, target, doc, mapping, actor=actor, roles=roles,
                                             now=now).as_dict()
        summary.version = version.number if version else None
        if mapping.unmapped:
            text = C.blocks_text(mapping.unmapped)
            summary.unmapped_chars = len(text)
            summary.unmapped_preview = text[:300]
            if version is not None:
                version.unmapped = mapping.unmapped
    else:
        target = previous
    summary.on_version = target.number

    _import_comments(report, target, doc, mapping, summary, actor=actor, roles=roles, mode=mode, now=now)
    if mode == "review":
        summary.suggestions = import_review_changes(report, target, doc, mapping, actor=actor, roles=roles,
                                                    now=now).as_dict()
    if target is not None and mode == "version" and summary.version:
        target.import_summary = summary.as_dict()
    audit.record("import." + mode, actor=actor, report=report, obj=upload,
                 details={k: v for k, v in summary.as_dict().items() if k not in ("warnings", "unmapped_preview")},
                 now=now)
    if mode == "review" and summary.threads_created and actor is not None:
        notify.import_summary(report, actor=actor, excerpt=f"{summary.threads_created} × {filename}", now=now)
    return summary


def _import_comments(report: Report, version: Version, doc: Document, mapping: Mapping,
                     summary: ImportSummary, *, actor: User | None, roles: Roles, mode: str,
                     now: datetime) -> None:
    visible = visible_threads(report, actor) if actor is not None else list(
        db.session.scalars(select(Thread).where(Thread.report_id == report.id)))
    if not doc.comments:
        if mode == "version":
            summary.threads_not_in_file = sum(1 for t in visible if t.status != "resolved")
        return
    template = load_template(report.template_id)
    sections = {s.key: s for s in db.session.scalars(select(Section).where(Section.report_id == report.id))}
    contents = version_contents(version)
    # What reviewflow already has: comment identities, and roots by (author, body).
    known_keys: set[tuple[int, str]] = set()
    roots_by_key: dict[str, list[Thread]] = {}
    existing = visible     # threads the uploader cannot see are never matched, extended or counted
    for t in existing:
        for i, c in enumerate(t.comments):
            k = comment_key(c.author.name if c.author else c.author_name, c.body)
            known_keys.add((t.id, k))
            if i == 0:
                roots_by_key.setdefault(k, []).append(t)
    matched_threads = set()
    reanchorers: dict[str, Reanchorer] = {}

    uploader_keys = {_author_key(actor.name), _author_key(actor.email)} if actor is not None else set()

    def author_of(name: str) -> tuple[User | None, str]:
        """Only the uploader's own comments are attributed to an account: the author field of a
        Word comment is free text, so anyone else is kept as a named external author."""
        if _author_key(name) in uploader_keys:
            return actor, ""
        return None, f"{name or '?'} (Word)"

    for group in doc.threads():
        root, replies = group[0], group[1:]
        k = comment_key(root.author, root.text)
        candidates = [t for t in roots_by_key.get(k, []) if t.id not in matched_threads]
        thread = None
        if candidates:
            same_quote = [t for t in candidates if norm_quote(t.quote) == norm_quote(root.quote)]
            thread = (same_quote or candidates)[0]
            matched_threads.add(thread.id)
            summary.already_known += 1
        else:
            placed = _place(root, mapping, contents, template, reanchorers, mode)
            key, anchor, status, score, why = placed
            if why:
                summary.unplaced_count += 1
                if len(summary.unplaced) < SAMPLES:
                    summary.unplaced.append({"author": root.author, "quote": root.quote[:120], "why": why,
                                             "section": key})
            user, ext_name = author_of(root.author)
            thread = create_thread(report, version, sections[key], anchor, status=status, score=score,
                                   body=root.text or N_("(empty comment)"), author=user, author_name=ext_name,
                                   origin="docx", word_key=k, created_at=as_naive_utc(root.date) or now,
                                   resolved=root.resolved, now=now)
            summary.threads_created += 1
            summary.placed[status] = summary.placed.get(status, 0) + 1
            matched_threads.add(thread.id)
        for c in replies:
            ck = comment_key(c.author, c.text)
            if (thread.id, ck) in known_keys:
                summary.already_known += 1
                continue
            user, ext_name = author_of(c.author)
            reply(thread, actor=None, roles=set(), body=c.text or N_("(empty reply)"), author_name=ext_name,
                  word_key=ck, created_at=as_naive_utc(c.date) or now, now=now)
            if user is not None:
                thread.comments[-1].author_id, thread.comments[-1].author_name = user.id, ""
            known_keys.add((thread.id, ck))
            summary.replies_added += 1
        if root.resolved:
            _resolved_in_word(thread, summary, actor=actor, roles=roles, now=now)
    _count_carried(summary, existing, matched_threads, mode)


def _resolved_in_word(thread: Thread, summary: ImportSummary, *, actor: User | None, roles: Roles,
                      now: datetime) -> None:
    """A thread marked resolved in Word: resolved by the uploader when they may resolve it,
    else counted as not applied (never a suggested edit: those are decided, not resolved)."""
    if thread.status == "resolved" or thread.kind == SUGGESTED_EDIT:
        return
    creator = thread.created_by
    if actor is not None and P.can_resolve(actor.id, roles, thread.created_by_id,
                                           same_org_as_creator=bool(creator and creator.organisation_id ==
                                                                    actor.organisation_id)):
        resolve(thread, actor=actor, roles=roles, note=N_("Resolved in Word"), now=now)
        summary.resolved_applied += 1
    else:
        summary.resolved_not_applied += 1


def _count_carried(summary: ImportSummary, threads, matched: set, mode: str) -> None:
    """The open threads the file does not carry (kept, re-anchored); when the file carries
    threads reviewflow exported, the open ones it lacks were deleted in Word."""
    carried = {t.id for t in threads if t.status != "resolved"} - matched
    if mode == "version":
        summary.threads_not_in_file = len(carried)
    if summary.already_known:
        summary.deleted_in_word = len(carried)
    db.session.flush()


def _place(wc: WordComment, mapping: Mapping, contents: dict[str, SectionContent], template: Template,
           reanchorers: dict[str, Reanchorer], mode: str) -> tuple[str, Anchor, str, float, str]:
    """(section key, anchor, status, score, why-not-exact) for a Word comment."""
    start = mapping.locate(wc.start)
    end = mapping.locate(wc.end, end=True) if wc.end > wc.start else start
    if start is None:
        owner = mapping.prompt_owner(wc.start)
        key = owner if owner in contents else _nearest_section(wc.start, mapping, contents)
        if start is None and end is not None and end[0] == key and key in contents and wc.end > wc.start:
            start = (key, 0)
        else:
            return key, Anchor(0, 0, "", "", ""), "section", 1.0, N_("on the question, not the answer")
    key, s = start
    if key == "_unmapped" or key not in contents:
        near = _nearest_section(wc.start, mapping, contents)
        return near, Anchor(0, 0, "", "", ""), "section", 1.0, N_("on content that matches no field")
    file_text = mapping.sections[key].text
    e = end[1] if end is not None and end[0] == key else len(file_text)
    e = max(s, min(e, len(file_text)))
    s = min(s, e)
    if s == e and wc.end > wc.start:
        return key, Anchor(0, 0, "", "", ""), "section", 1.0, N_("range could not be mapped")
    anchor = make_anchor(file_text, s, e)
    new_text = contents[key].text
    if file_text == new_text:
        if s == e:
            return key, anchor, "section", 1.0, N_("a point comment")
        return key, anchor, "exact", 1.0, ""
    # The file's text differs from the version's (a reviewer's copy with edits): follow the words.
    r = reanchorers.get(key)
    if r is None:
        r = reanchorers[key] = Reanchorer(file_text, new_text)
    result = r.reanchor(anchor)
    if result.anchor is None or result.status == "orphaned":
        return key, Anchor(0, 0, anchor.quote, anchor.prefix, anchor.suffix), "orphaned", result.score, \
            N_("its words are not in this version")
    return key, result.anchor, result.status, result.score, ""


def _nearest_section(offset: int, mapping: Mapping, contents: dict[str, SectionContent]) -> str:
    best, best_d = None, None
    for key, sec in mapping.sections.items():
        if key not in contents:
            continue
        for seg in sec.segments:
            d = seg.doc_start - offset
            if d >= 0 and (best_d is None or d < best_d):
                best, best_d = key, d
    if best is None:
        best = next(iter(contents))
    return best


# ------------------------------------------------------------------------------------------------
# The import plan: read once, preview, then confirm (the version lands whole) or cancel.
#
#   plan = plan_import(report, data, filename, actor=..., mode="version")   # stores the upload
#   plan.summary                    # what the preview shows (``plan_summary``)
#   confirm_import(plan.id, actor=..., choices={"sections": {key: "keep"|"file"|{"edit": text}},
#                                                "authors": {word name: user id}})
#   cancel_import(plan.id, actor=...)
#
# Per section, against the version the file was exported from (its provenance; else the latest):
# changed only in the file -> taken; changed only since the base -> kept; changed on both sides ->
# a conflict the uploader settles (keep the report's text, take the file's, or edit); a field the
# file lacks keeps its value.  Text that cannot live in its field goes to the content outside the
# template, said so.  Comments: known ones (by author and words, edited ones by their earlier
# words) are never duplicated, and an old copy never reopens or overwrites a thread.
# ------------------------------------------------------------------------------------------------

SECTION_STATES = ("unchanged", "taken", "kept", "same", "conflict", "absent")
CONFLICT_CHOICES = ("keep", "file")


def _roles_of(report: Report, actor: User | None, roles: Roles | None) -> Roles:
    if roles is not None:
        return roles
    return roles_on(actor, report) if actor is not None else set()


def _fit(template: Template, key: str, blocks: list) -> tuple[list, list, str]:
    """(blocks the field keeps, blocks that go outside the template, why) for a file's answer."""
    f = template.field(key)
    try:
        kept = normalize_blocks(f, blocks or [C.paragraph("")], strict=False, template=template)
    except Invalid:
        return None, list(blocks), "too_long"
    if f.options:
        allowed = {code for code, _label in template.options(f.options)}
        lost = [p for p in C.iter_paragraphs(blocks) if p.get("text", "").strip()
                and p.get("text", "").strip() not in allowed]
        if lost:
            return kept, [C.paragraph(p.get("text", "")) for p in lost], "not_an_option"
    return kept, [], ""


def _group_payload(group: list, mapping: Mapping, contents: dict, template: Template, mode: str) -> dict:
    root = group[0]
    where = _locate(root, mapping, contents)

    def one(c):
        return {"author": c.author or "", "text": c.text or "", "date": c.date.isoformat() if c.date else None,
                "quote": c.quote or "", "resolved": bool(c.resolved)}
    return {"root": {**one(root), **where}, "replies": [one(c) for c in group[1:]]}


def _locate(wc: WordComment, mapping: Mapping, contents: dict) -> dict:
    """Where a Word comment sits in the file, in the file's section coordinates."""
    start = mapping.locate(wc.start)
    end = mapping.locate(wc.end, end=True) if wc.end > wc.start else start
    if start is None:
        owner = mapping.prompt_owner(wc.start)
        key = owner if owner in contents else _nearest_section(wc.start, mapping, contents)
        if end is not None and end[0] == key and key in contents and wc.end > wc.start:
            start = (key, 0)
        else:
            return {"key": key, "s": 0, "e": 0, "why": N_("on the question, not the answer")}
    key, s = start
    if key == "_unmapped" or key not in contents or key not in mapping.sections:
        near = _nearest_section(wc.start, mapping, contents)
        return {"key": near, "s": 0, "e": 0, "why": N_("on content that matches no field")}
    file_text = mapping.sections[key].text
    e = end[1] if end is not None and end[0] == key else len(file_text)
    e = max(s, min(e, len(file_text)))
    s = min(s, e)
    if s == e and wc.end > wc.start:
        return {"key": key, "s": 0, "e": 0, "why": N_("range could not be mapped")}
    return {"key": key, "s": s, "e": e, "why": ""}


def _member_matches(report: Report, names: list[str], actor: User | None) -> list[dict]:
    """Word authors whose name is a member's (offered for confirmation; the uploader is themself)."""
    by_key: dict[str, User] = {}
    for m in report.memberships:
        by_key.setdefault(_author_key(m.user.name), m.user)
    out = []
    own = {_author_key(actor.name), _author_key(actor.email)} if actor is not None else set()
    for name in dict.fromkeys(names):
        k = _author_key(name)
        if not k or k in own:
            continue
        user = by_key.get(k)
        if user is not None:
            out.append({"word": name, "user_id": user.id, "name": user.name})
    return out


def plan_import(report: Report, data: bytes, filename: str, *, actor: User | None, mode: str,
                roles: Roles | None = None, accept_other_report: bool = False,
                now: datetime | None = None):
    """Read ``data`` once, store the upload and the plan of what confirming it would do.

    Refused (Invalid, nothing stored) for a file the reader refuses, and for a file whose
    provenance says it comes from another report unless ``accept_other_report``.
    """
    now = now or utcnow()
    roles = _roles_of(report, actor, roles)
    if mode not in ("version", "review"):
        raise Invalid(N_("Unknown import mode."))
    if mode == "version" and not P.can_upload_version(roles, report.state):
        raise Forbidden(N_("Only the report's drafters can upload a new version, and only while it is open."))
    if mode == "review" and not P.can_comment(roles):
        raise Forbidden(N_("Only members of this report can import review comments."))
    filename = safe_filename(filename)
    if not filename.lower().endswith((".docx", ".docm", ".doc", ".dotx")):
        filename += ".docx"
    doc = read(data)
    template = load_template(report.template_id)
    mapping = map_document(doc, template)
    numbers = set(db.session.scalars(select(Version.number).where(Version.report_id == report.id)))
    found = provenance.verify(doc.properties, report, numbers)
    warnings = []
    if found.status == "other_report":
        if not accept_other_report:
            raise Invalid(N_("This file was exported from another report (number %(other)s), not from this one. "
                             "Upload it to that report, or confirm that it belongs here."),
                          other=found.report_id, code="other_report")
        warnings.append(N_("This file was exported from another report: it is compared with the latest version."))
    latest = latest_version(report)
    base_number = latest.number
    if found.status == "ok":
        base_contents = version_contents(get_version_by_number(report, found.version))
        if provenance.matches(found, base_contents):
            base_number = found.version
        else:
            found.status, found.warning = "corrupt", provenance.CORRUPT
    if found.warning and found.status == "corrupt":
        warnings.append(found.warning)

    upload = Upload(report_id=report.id, filename=filename, size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                    data=data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    uploaded_by_id=actor.id if actor else None, created_at=now)
    db.session.add(upload)
    db.session.flush()

    outcomes = max(report.outcomes, min(mapping.outcomes, template.repeat_max or 0)) if mode == "version" \
        else report.outcomes
    keys = [f.key for f in template.fields(outcomes)]
    sections, overflow, absent = {}, [], []
    unmapped = list(mapping.unmapped) if mode == "version" else []
    if mode == "version":
        for key in keys:
            sec = mapping.sections.get(key)
            if sec is None:
                absent.append(key)
                continue
            kept, outside, why = _fit(template, key, sec.blocks)
            if outside:
                unmapped.extend(outside)
                overflow.append({"key": key, "chars": len(C.blocks_text(outside)), "why": why})
            if kept is None:
                absent.append(key)
                continue
            sections[key] = {"blocks": kept, "text": C.blocks_text(kept)}
        if not mapping.sections:
            warnings.append(N_("No question of the template was recognised in this file: all its content "
                               "is kept as content outside the template."))
    contents = version_contents(latest)
    groups = [g for g in doc.threads() if not _placeholder(g)]
    placeholders = len(doc.threads()) - len(groups)
    group_payloads = [_group_payload(g, mapping, {**contents, **dict.fromkeys(sections)}, template, mode)
                      for g in groups]
    file_texts = {g["root"]["key"]: mapping.sections[g["root"]["key"]].text for g in group_payloads
                  if g["root"]["key"] in mapping.sections and not g["root"]["why"]}
    by_author: dict[str, int] = {}
    for r in doc.revisions:
        by_author[r.author or "?"] = by_author.get(r.author or "?", 0) + 1
    names = [c.author for c in doc.comments]
    payload = {
        "filename": filename, "mode": mode, "app": doc.app, "warnings": warnings + list(doc.warnings)[:50],
        "provenance": found.as_dict(), "outcomes": outcomes, "sections": sections, "absent": absent,
        "unmapped": unmapped, "overflow": overflow, "groups": group_payloads, "file_texts": file_texts,
        "file_prints": {k: provenance.fingerprint(sec.text) for k, sec in mapping.sections.items()},
        "placeholders": placeholders, "comments_in_file": len(doc.comments), "form_fields": len(doc.form_fields),
        "revisions": {"count": len(doc.revisions), "authors": doc.revision_summary.authors, "by_author": by_author},
        # Reviewers' tracked changes still pending in the file, by author: services/tracked_changes.py
        # turns them into suggested edits (filled there; the preview lists them).
        "pending_tracked_changes": {},
        "authors": _member_matches(report, names, actor),
    }
    plan = ImportPlan(report_id=report.id, upload_id=upload.id, created_by_id=actor.id if actor else None,
                      mode=mode, status="planned", base_number=base_number, latest_number=latest.number,
                      payload=payload, created_at=now)
    db.session.add(plan)
    db.session.flush()
    plan.summary = plan_summary(report, plan, payload, actor=actor)
    audit.record("import.planned", actor=actor, report=report, obj=upload,
                 details={"plan": plan.id, "base": base_number, "provenance": found.status}, now=now)
    db.session.flush()
    return plan


def _placeholder(group: list) -> bool:
    """An empty placeholder comment (no text, no range, no reply) is not a thread; nor is a note
    the service wrote itself (an override's, by ``exports.SYSTEM_AUTHOR``) when nobody replied."""
    root = group[0]
    if len(group) == 1 and root.author == SYSTEM_AUTHOR and root.start == root.end:
        return True
    return len(group) == 1 and not (root.text or "").strip() and root.start == root.end


def get_version_by_number(report: Report, number: int) -> Version:
    return get_version(report, number)


def merge_sections(report: Report, base_number: int, payload: dict, latest: Version | None = None) -> list[dict]:
    """The three-way merge of each section: [{key, state, before, after, base}] in template order.
    ``before`` is the report's latest text, ``after`` the file's, ``base`` the base version's."""
    latest = latest or latest_version(report)
    latest_contents = version_contents(latest)
    base_contents = latest_contents if base_number == latest.number else \
        version_contents(get_version_by_number(report, base_number))
    out = []
    template = load_template(report.template_id)
    prov = payload["provenance"]
    prints = prov.get("fingerprints") or {} if prov["status"] == "ok" and base_number == prov.get("version") else {}
    for f in template.fields(max(report.outcomes, payload.get("outcomes") or 0)):
        key = f.key
        now_text = latest_contents[key].text if key in latest_contents else ""
        base_text = base_contents[key].text if key in base_contents else ""
        sec = payload["sections"].get(key)
        if sec is None:
            if key in payload["absent"] and payload["mode"] == "version":
                out.append({"key": key, "state": "absent", "before": now_text, "after": None, "base": base_text})
            continue
        file_text = sec["text"]
        exported = prints.get(key)
        if exported is not None and payload.get("file_prints", {}).get(key) == exported:
            # the copy shows this section as it was exported: not edited in the file
            out.append({"key": key, "state": "unchanged" if now_text == base_text else "kept",
                        "before": now_text, "after": file_text, "base": base_text})
            continue
        if not file_text.strip() and now_text.strip() and payload["provenance"]["status"] != "ok":
            # an empty answer in a file of unknown origin: the field keeps its value (the
            # drafter may clear it in the preview); a copy of an export that emptied it did so
            out.append({"key": key, "state": "absent", "before": now_text, "after": "", "base": base_text})
            continue
        if file_text == base_text:
            state = "unchanged" if now_text == base_text else "kept"
        elif now_text == base_text:
            state = "taken"
        elif file_text == now_text:
            state = "same"
        else:
            state = "conflict"
        out.append({"key": key, "state": state, "before": now_text, "after": file_text, "base": base_text})
    return out


def _known_comments(report: Report, actor: User | None) -> tuple[list, set, dict]:
    """(visible threads, {(thread id, comment key)}, {root comment key: [threads]}), a comment
    edited in reviewflow being known by its earlier words too."""
    visible = visible_threads(report, actor) if actor is not None else list(
        db.session.scalars(select(Thread).where(Thread.report_id == report.id)))
    comment_ids = [c.id for t in visible for c in t.comments]
    earlier: dict[int, list[str]] = {}
    for cid, body in db.session.execute(select(CommentEdit.comment_id, CommentEdit.previous_body)
                                        .where(CommentEdit.comment_id.in_(comment_ids or [0]))):
        earlier.setdefault(cid, []).append(body)
    known: set[tuple[int, str]] = set()
    roots: dict[str, list[Thread]] = {}
    for t in visible:
        for i, c in enumerate(t.comments):
            author = c.author.name if c.author else c.author_name
            for body in [c.body, *earlier.get(c.id, [])]:
                k = comment_key(author, body)
                known.add((t.id, k))
                if i == 0:
                    roots.setdefault(k, []).append(t)
    return visible, known, roots


def _classify(report: Report, actor: User | None, groups: list[dict]) -> dict:
    """Comments new / known / deleted in Word, as the preview lists them."""
    visible, known, roots = _known_comments(report, actor)
    matched: set[int] = set()
    new, already = 0, 0
    for g in groups:
        root = g["root"]
        k = comment_key(root["author"], root["text"])
        cands = [t for t in roots.get(k, []) if t.id not in matched]
        if cands:
            same = [t for t in cands if norm_quote(t.quote) == norm_quote(root["quote"])]
            t = (same or cands)[0]
            matched.add(t.id)
            already += 1
            already += sum(1 for c in g["replies"] if (t.id, comment_key(c["author"], c["text"])) in known)
        else:
            new += 1
    carried = {t.id for t in visible if t.status != "resolved"} - matched
    return {"new": new, "known": already, "deleted": len(carried) if already else 0,
            "not_in_file": len(carried)}


def plan_summary(report: Report, plan, payload: dict, *, actor: User | None,
                 merge: list[dict] | None = None) -> dict:
    """What the preview and the CLI show of a plan (counts, keys, samples): built in one place."""
    merge = merge if merge is not None else (merge_sections(report, plan.base_number, payload)
                                             if payload["mode"] == "version" else [])
    states: dict[str, list[str]] = {s: [] for s in SECTION_STATES}
    for m in merge:
        states[m["state"]].append(m["key"])
    comments = _classify(report, actor, payload["groups"])
    unmapped_text = C.blocks_text(payload["unmapped"])
    prov = payload["provenance"]
    return {
        "plan": plan.id, "mode": payload["mode"], "filename": payload["filename"], "app": payload["app"],
        "provenance": prov["status"], "base_version": plan.base_number, "latest_version": plan.latest_number,
        "exported_from": prov.get("version"), "exported_at": prov.get("exported"),
        "sections_changed": states["taken"], "sections_kept": states["kept"],
        "sections_kept_absent": states["absent"], "sections_same": states["same"],
        "sections_unchanged": len(states["unchanged"]), "conflicts": states["conflict"],
        "unmapped_chars": len(unmapped_text), "unmapped_preview": unmapped_text[:300],
        "moved_outside": payload["overflow"],
        "comments_in_file": payload["comments_in_file"], "comments_new": comments["new"],
        "already_known": comments["known"], "deleted_in_word": comments["deleted"],
        "threads_not_in_file": comments["not_in_file"], "placeholders_ignored": payload["placeholders"],
        "tracked_changes": payload["revisions"]["count"],
        "tracked_changes_by_author": payload["revisions"]["by_author"],
        "pending_tracked_changes": payload.get("pending_tracked_changes") or {},
        "authors_to_confirm": payload["authors"], "warnings": payload["warnings"],
    }


def get_plan(report: Report, plan_id: int):
    plan = db.session.get(ImportPlan, plan_id) if isinstance(plan_id, int) else None
    if plan is None or plan.report_id != report.id:
        raise NotFound(N_("This import does not exist."))
    return plan


def _open_plan(plan_id: int, actor: User | None):
    plan = db.session.get(ImportPlan, plan_id) if isinstance(plan_id, int) else None
    if plan is None:
        raise NotFound(N_("This import does not exist."))
    if actor is not None and plan.created_by_id not in (None, actor.id):
        raise Forbidden(N_("Only the person who uploaded the file can confirm or cancel its import."))
    if plan.status != "planned":
        raise Conflict(N_("This import was already confirmed or cancelled."), status=plan.status)
    return plan


def cancel_import(plan_id: int, *, actor: User | None, now: datetime | None = None):
    """Nothing of the file lands; only the stored upload remains."""
    now = now or utcnow()
    plan = _open_plan(plan_id, actor)
    report = db.session.get(Report, plan.report_id)
    plan.status, plan.decided_at = "cancelled", now
    audit.record("import.cancelled", actor=actor, report=report, obj=plan.upload,
                 details={"plan": plan.id}, now=now)
    db.session.flush()
    return plan


def confirm_import(plan_id: int, *, actor: User | None, choices: dict | None = None, roles: Roles | None = None,
                   now: datetime | None = None) -> ImportSummary:
    """Land the plan: the version whole, with the uploader's choices, or nothing (Conflict when a
    conflict is left unsettled; StaleVersion when the report changed so that a new conflict
    appears: preview again)."""
    now = now or utcnow()
    choices = choices or {}
    plan = _open_plan(plan_id, actor)
    report = db.session.get(Report, plan.report_id)
    lock(report)
    roles = _roles_of(report, actor, roles)
    payload = plan.payload
    mode = payload["mode"]
    if mode == "version" and not P.can_upload_version(roles, report.state):
        raise Forbidden(N_("Only the report's drafters can upload a new version, and only while it is open."))
    if mode == "review" and not P.can_comment(roles):
        raise Forbidden(N_("Only members of this report can import review comments."))
    upload = plan.upload
    summary = ImportSummary(mode=mode, filename=payload["filename"], app=payload["app"],
                            warnings=list(payload["warnings"])[:SAMPLES], warnings_count=len(payload["warnings"]),
                            comments_in_file=payload["comments_in_file"],
                            form_fields=payload["form_fields"], upload_id=upload.id)
    summary.revisions = payload["revisions"]["count"]
    summary.revision_authors = list(payload["revisions"]["authors"])[:SAMPLES]
    previous = latest_version(report)
    choice_of = dict(choices.get("sections") or {})
    default = choices.get("resolve")
    if mode == "version":
        if payload["outcomes"] > report.outcomes:
            _ensure_outcomes(report, payload["outcomes"], summary)
        merge = merge_sections(report, plan.base_number, payload, previous)
        conflicts = [m for m in merge if m["state"] == "conflict"]
        unsettled = [m["key"] for m in conflicts if m["key"] not in choice_of and default not in CONFLICT_CHOICES]
        if unsettled:
            if previous.number != plan.latest_number:
                raise StaleVersion(N_("Version %(latest)s was saved since the preview and changed the same "
                                      "sections: preview the file again."), latest=previous.number,
                                   base=plan.base_number, conflicts=unsettled)
            raise Conflict(N_("Sections changed both in the file and in the report since version %(base)s "
                              "(%(n)s): choose which text to keep for each."), n=len(unsettled),
                           base=plan.base_number, conflicts=unsettled)
        changes = {}
        for m in merge:
            key = m["key"]
            if m["state"] == "taken":
                changes[key] = payload["sections"][key]["blocks"]
            elif m["state"] == "conflict":
                choice = choice_of.get(key, default)
                if isinstance(choice, dict) and "edit" in choice:
                    changes[key] = C.text_blocks(str(choice["edit"]))
                elif choice == "file":
                    changes[key] = payload["sections"][key]["blocks"]
                elif choice != "keep":
                    raise Invalid(N_("Choose keep, file or an edited text for %(key)s."), key=key)
        for key, choice in choice_of.items():
            if isinstance(choice, dict) and choice.get("clear") and any(
                    m["key"] == key and m["state"] == "absent" for m in merge):
                changes[key] = [C.paragraph("")]     # a field absent from the file, cleared on purpose
        summary.sections_filled = list(payload["sections"])
        before = {k: c.text for k, c in version_contents(previous).items()}
        summary.sections_changed = [k for k in changes if C.blocks_text(changes[k]) != before.get(k, "")]
        summary.sections_not_found = [m["key"] for m in merge if m["state"] == "absent"]
        unmapped = payload["unmapped"]
        new_unmapped = bool(unmapped) and C.content_hash(unmapped) != C.content_hash(previous.unmapped or [])
        version = save_sections(report, changes, actor=actor, roles=roles, base_number=previous.number,
                                note=f"Word: {payload['filename']}"[:500], source="upload", upload=upload,
                                force=new_unmapped or bool(summary.outcomes_added), now=now)
        target = version or previous
        summary.version = version.number if version else None
        if version is not None:
            version.base_number = plan.base_number
        tracked = _tracked_document(report, upload, payload, decisions=True)
        if tracked is not None:    # changes accepted or rejected in Word on a copy of our export
            summary.suggestions = word_decisions(report, previous, target, *tracked, actor=actor, roles=roles,
                                                 now=now).as_dict()
        if unmapped:
            text = C.blocks_text(unmapped)
            summary.unmapped_chars = len(text)
            summary.unmapped_preview = text[:300]
            if version is not None:
                version.unmapped = unmapped
    else:
        target = previous
    summary.on_version = target.number
    attribute = {name: uid for name, uid in (choices.get("authors") or {}).items() if uid}
    _land_comments(report, target, payload, summary, actor=actor, roles=roles, mode=mode, attribute=attribute,
                   now=now)
    if mode == "review":
        tracked = _tracked_document(report, upload, payload)
        if tracked is not None:    # a reviewer's pending changes -> suggested edits
            summary.suggestions = import_review_changes(report, target, *tracked, actor=actor, roles=roles,
                                                        now=now).as_dict()
    if mode == "version" and summary.version:
        target.import_summary = summary.as_dict()
    plan.status, plan.decided_at = "confirmed", now
    plan.version_id = target.id if mode == "version" and summary.version else None
    audit.record("import." + mode, actor=actor, report=report, obj=upload,
                 details={"plan": plan.id, "base": plan.base_number,
                          **{k: v for k, v in summary.as_dict().items() if k not in ("warnings", "unmapped_preview")}},
                 now=now)
    made = summary.threads_created + int((summary.suggestions or {}).get("created") or 0)
    if mode == "review" and made and actor is not None:
        notify.import_summary(report, actor=actor, excerpt=f"{made} × {payload['filename']}", now=now)
    db.session.flush()
    return summary


def _tracked_document(report: Report, upload: Upload, payload: dict, *,
                      decisions: bool = False) -> tuple[Document, Mapping] | None:
    """The uploaded file read again, with its mapping, when it holds tracked changes (the plan
    stores their count, not the changes) or, with ``decisions``, when the report has open
    suggested edits whose fate in Word the file may tell: ``services.tracked_changes`` works on
    the document.  None otherwise, so most confirmations read nothing twice."""
    if not payload["revisions"]["count"] and not (decisions and db.session.scalar(
            select(Thread.id).where(Thread.report_id == report.id, Thread.kind == SUGGESTED_EDIT,
                                    Thread.status != "resolved").limit(1)) is not None):
        return None
    doc = read(upload.data)
    return doc, map_document(doc, load_template(report.template_id))


def _land_comments(report: Report, version: Version, payload: dict, summary: ImportSummary, *,
                   actor: User | None, roles: Roles, mode: str, attribute: dict, now: datetime) -> None:
    """The plan's comments on ``version``: known ones extended with their new replies, new ones
    created on their words; an old copy never reopens a thread nor rewrites a comment."""
    visible, known, roots = _known_comments(report, actor)
    groups = payload["groups"]
    if not groups:
        if mode == "version":
            summary.threads_not_in_file = sum(1 for t in visible if t.status != "resolved")
        return
    sections = {s.key: s for s in db.session.scalars(select(Section).where(Section.report_id == report.id))}
    contents = version_contents(version)
    uploader = {_author_key(actor.name), _author_key(actor.email)} if actor is not None else set()
    members = {}
    if attribute:
        for user in db.session.scalars(select(User).where(User.id.in_(list(attribute.values())))):
            members[user.id] = user

    def author_of(name: str) -> tuple[User | None, str]:
        if _author_key(name) in uploader:
            return actor, ""
        uid = attribute.get(name)
        if uid in members:
            return members[uid], ""
        return None, f"{name or '?'} (Word)"

    def when(c):
        return as_naive_utc(datetime.fromisoformat(c["date"])) if c.get("date") else now
    matched: set[int] = set()
    reanchorers: dict[str, Reanchorer] = {}
    for g in groups:
        root = g["root"]
        k = comment_key(root["author"], root["text"])
        cands = [t for t in roots.get(k, []) if t.id not in matched]
        if cands:
            same = [t for t in cands if norm_quote(t.quote) == norm_quote(root["quote"])]
            thread = (same or cands)[0]
            summary.already_known += 1
        else:
            key, anchor, status, score, why = _place_stored(root, payload, contents, reanchorers)
            if key not in sections:
                key = next(iter(contents))
            if why:
                summary.unplaced_count += 1
                if len(summary.unplaced) < SAMPLES:
                    summary.unplaced.append({"author": root["author"], "quote": root["quote"][:120], "why": why,
                                             "section": key})
            user, ext_name = author_of(root["author"])
            thread = create_thread(report, version, sections[key], anchor, status=status, score=score,
                                   body=root["text"] or N_("(empty comment)"), author=user, author_name=ext_name,
                                   origin="docx", word_key=k, created_at=when(root), resolved=root["resolved"],
                                   now=now)
            summary.threads_created += 1
            summary.placed[status] = summary.placed.get(status, 0) + 1
        matched.add(thread.id)
        for c in g["replies"]:
            ck = comment_key(c["author"], c["text"])
            if (thread.id, ck) in known:
                summary.already_known += 1
                continue
            user, ext_name = author_of(c["author"])
            reply(thread, actor=None, roles=set(), body=c["text"] or N_("(empty reply)"), author_name=ext_name,
                  word_key=ck, created_at=when(c), now=now)
            if user is not None:
                thread.comments[-1].author_id, thread.comments[-1].author_name = user.id, ""
            known.add((thread.id, ck))
            summary.replies_added += 1
        if root["resolved"]:
            _resolved_in_word(thread, summary, actor=actor, roles=roles, now=now)
    _count_carried(summary, visible, matched, mode)


def _place_stored(root: dict, payload: dict, contents: dict, reanchorers: dict) -> tuple:
    """(section key, anchor, status, score, why) of a stored comment on the target version."""
    key, s, e, why = root["key"], root["s"], root["e"], root["why"]
    empty = Anchor(0, 0, "", "", "")
    if why or key not in contents:
        return key, empty, "section", 1.0, why or N_("on content that matches no field")
    file_text = payload["file_texts"].get(key)
    if file_text is None:
        return key, empty, "section", 1.0, N_("range could not be mapped")
    anchor = make_anchor(file_text, s, e)
    new_text = contents[key].text
    if file_text == new_text:
        if s == e:
            return key, anchor, "section", 1.0, N_("a point comment")
        return key, anchor, "exact", 1.0, ""
    r = reanchorers.get(key)
    if r is None:
        r = reanchorers[key] = Reanchorer(file_text, new_text)
    result = r.reanchor(anchor)
    if result.anchor is None or result.status == "orphaned":
        return key, Anchor(0, 0, anchor.quote, anchor.prefix, anchor.suffix), "orphaned", result.score, \
            N_("its words are not in this version")
    return key, result.anchor, result.status, result.score, ""


@dataclass
class PreviewRow:
    """One section of the preview: its field, what happens to it, the texts and their word diff."""
    key: str
    field: Any
    state: str
    before: str
    after: str | None
    ops: list = field(default_factory=list)       # word diff before -> after (the report's text -> the file's)


@dataclass
class Preview:
    plan: Any
    summary: dict
    rows: list                                    # PreviewRow of every section that is not unchanged
    unmapped_text: str = ""


def get_preview(report: Report, plan_id: int, *, viewer: User | None, lang: str = "fr") -> Preview:
    """What the preview page shows of a plan, against the report as it is now."""
    plan = get_plan(report, plan_id)
    payload = plan.payload
    template = load_template(report.template_id)
    merge = merge_sections(report, plan.base_number, payload) if payload["mode"] == "version" else []
    summary = plan_summary(report, plan, payload, actor=viewer, merge=merge)
    rows = []
    for m in merge:
        if m["state"] in ("unchanged", "same"):
            continue
        f = template.field(m["key"])
        before, after = m["before"], m["after"]
        if f.options:
            before = " · ".join(template.option_label(f.options, c, lang) for c in before.split("\n") if c)
            after = None if after is None else " · ".join(
                template.option_label(f.options, c, lang) for c in after.split("\n") if c)
        ops = diff_words(before, after) if after is not None and m["state"] != "kept" else []
        rows.append(PreviewRow(m["key"], f, m["state"], before, after, ops))
    return Preview(plan, summary, rows, C.blocks_text(payload["unmapped"]))
