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
from ..extensions import db
from ..mapping import Mapping, map_document
from ..models import Report, Section, SectionContent, Thread, Upload, User, Version
from ..models.thread import SUGGESTED_EDIT
from ..report_templates import Template, load_template
from ..textnorm import norm_quote
from ..timeutil import as_naive_utc, utcnow
from ..wordio import WordFileError, read_docx, refusal_message
from . import audit, notify
from .editing import normalize_blocks, save_sections
from .errors import N_, Forbidden, Invalid
from .exports import strip_orphan_note
from .threads import create_thread, reply, resolve
from .tracked_changes import import_review_changes, word_decisions
from .types import Roles
from .versions import latest_version, lock, version_contents
from .workspace import visible_threads

if TYPE_CHECKING:    # annotations only
    from ..wordio import Document, WordComment

FILENAME_MAX = 200


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
    unplaced: list = field(default_factory=list)            # comments put on a whole section, and why
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
    summary = ImportSummary(mode=mode, filename=filename, app=doc.app, warnings=list(doc.warnings)[:50],
                            comments_in_file=len(doc.comments), form_fields=len(doc.form_fields))
    rs = doc.revision_summary
    summary.revisions, summary.revision_authors = rs.count, rs.authors
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
            changes[key] = normalize_blocks(template.field(key), sec.blocks or [C.paragraph("")], strict=False,
                                            template=template)
            summary.sections_filled.append(key)
        if not mapping.sections:
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
        if root.resolved and thread.status != "resolved" and thread.kind != SUGGESTED_EDIT:
            creator = thread.created_by
            if actor is not None and P.can_resolve(actor.id, roles, thread.created_by_id,
                                                   same_org_as_creator=bool(creator and creator.organisation_id ==
                                                                            actor.organisation_id)):
                resolve(thread, actor=actor, roles=roles, note=N_("Resolved in Word"), now=now)
                summary.resolved_applied += 1
            else:
                summary.resolved_not_applied += 1
    carried = {t.id for t in existing if t.status != "resolved"} - matched_threads
    if mode == "version":
        summary.threads_not_in_file = len(carried)
    if summary.already_known:
        # The file carries threads reviewflow exported: the open ones it lacks were deleted in Word.
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
