"""Word exports of a version: the uploaded original with the report's threads written in, or a
clean document generated from the template; options for resolved threads, internal threads and
a clean copy."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from .. import content as C
from ..anchoring import PLACED
from ..extensions import db
from ..mapping import bookmark_name, map_document
from ..models import Comment, Report, Section, SectionContent, Thread, ThreadAnchor, User, Version
from ..models.thread import SUGGESTED_EDIT
from ..report_templates import Field, Template, load_template
from ..timeutil import utcnow
from ..wordio import (
    ExportComment,
    ExportRevision,
    ExportThread,
    GenDocument,
    GenPart,
    GenSection,
    WordFileError,
    annotate_docx,
    generate_docx,
    read_docx,
    refusal_message,
)
from . import audit, provenance
from .errors import N_, Invalid
from .signoff import override_line, overrides_in_force
from .suggestions import author_name
from .types import Blocks, Viewer
from .versions import get_version, latest_version, version_contents
from .workbook_files import format_value
from .workspace import thread_comments, visible_to

Placed = tuple[Thread, ThreadAnchor]      # a thread and where it sits on the exported version
Placer = Callable[[str | None, int, int], tuple[int, int] | None]   # section offsets -> document offsets
ORPHAN_NOTE = {"fr": "[Texte supprimé : « %s »]", "en": "[Deleted text: “%s”]"}
# a thread on a cell of the budget workbook: a comment on the attachment field saying which cell
CELL_NOTE = {"fr": "[Cellule %s du budget Excel]", "en": "[Cell %s of the Excel budget]"}
CELL_GONE_NOTE = {"fr": "[Cellule introuvable dans le budget Excel ; elle était en %s]",
                  "en": "[Cell no longer found in the Excel budget; it was at %s]"}
# a thread resolved on an earlier version whose words are no longer found: a point comment with them
ON_NOTE = {"fr": "[Sur le texte : « %s »]", "en": "[On the text: “%s”]"}
ORPHAN_RE = re.compile(r"^\[(?:(?:Texte supprimé|Deleted text|Sur le texte|On the text)\s*:"
                       r"|(?:Cellule|Cell) .*(?:budget Excel|Excel budget)).*\]$")
# An open suggested edit travels as a Word tracked change (w:del / w:ins, its author and date) on
# its words, and its discussion as a comment on them whose first line says the proposal
# (stripped again when the file comes back); one that overlaps an older one (a tracked change
# cannot) travels as that comment only.
EDIT_NOTE = {
    "fr": {"replace": "[Modification proposée : « %s » → « %s »]",
           "delete": "[Modification proposée : supprimer « %s »]",
           "insert": "[Modification proposée : insérer « %s »]"},
    "en": {"replace": "[Suggested edit: “%s” → “%s”]", "delete": "[Suggested edit: delete “%s”]",
           "insert": "[Suggested edit: insert “%s”]"},
}
EDIT_NOTE_RE = re.compile(r"^\[(?:Modification proposée|Suggested edit)\s*:.*\]$")


@dataclass
class ExportOptions:
    version: int | None = None        # default: the latest
    include_resolved: bool = True
    shared_only: bool = False         # leave out threads internal to an organisation
    clean: bool = False               # no comments at all
    kind: str = "auto"                # auto | original | generated
    lang: str = "fr"


def initials(name: str) -> str:
    parts = [p for p in re.split(r"[\s\-]+", re.sub(r"\(.*?\)", "", name or "")) if p]
    return "".join(p[0].upper() for p in parts[:3]) or "?"


def slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "rapport").encode("ascii", "ignore").decode()
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower()[:60] or "rapport"


def _threads_on(report: Report, version: Version, viewer: Viewer, options: ExportOptions) -> list[Placed]:
    """(thread, anchor on this version) for every thread the viewer may see that existed on it;
    with ``include_resolved``, threads resolved on an earlier version too, on their last known
    words (``_carried``)."""
    # the threads alone (no anchors of every version, no users): their anchor on this version is read next
    visible = {t.id: t for t in db.session.scalars(select(Thread).where(Thread.report_id == report.id,
                                                                        visible_to(viewer)))}
    anchors = db.session.scalars(select(ThreadAnchor).join(Thread, Thread.id == ThreadAnchor.thread_id).where(
        ThreadAnchor.version_id == version.id, Thread.report_id == report.id, visible_to(viewer)))
    out = []
    for a in anchors:
        t = visible[a.thread_id]
        if t.status == "resolved" and not options.include_resolved:
            continue
        if options.shared_only and t.visibility_org_id is not None:
            continue
        out.append((t, a))
    if options.include_resolved:
        out += _carried(report, version, visible, {t.id for t, _a in out}, options)
    out.sort(key=lambda ta: (ta[0].section_id, ta[1].start_offset, ta[0].id))
    return out


def _carried(report: Report, version: Version, visible: dict[int, Thread], placed: set[int],
             options: ExportOptions) -> list[Placed]:
    """Threads resolved on a version before ``version`` (they stay there): on the same words when
    their section's text is unchanged or the words are found once, else as a point comment that
    carries its quote (``ON_NOTE``).  The anchors are built here, not stored."""
    resolved = [t for t in visible.values() if t.id not in placed and t.status == "resolved"
                and not (options.shared_only and t.visibility_org_id is not None)]
    if not resolved:
        return []
    numbers = dict(db.session.execute(select(Version.id, Version.number).where(Version.report_id == report.id)).all())
    last: dict[int, ThreadAnchor] = {}
    for a in db.session.scalars(select(ThreadAnchor).where(ThreadAnchor.thread_id.in_([t.id for t in resolved]))):
        n = numbers.get(a.version_id, 0)
        if n <= version.number and (a.thread_id not in last or numbers[last[a.thread_id].version_id] < n):
            last[a.thread_id] = a
    contents = version_contents(version)
    keys = dict(db.session.execute(select(Section.id, Section.key).where(Section.report_id == report.id)).all())
    texts: dict[int, dict[str, str]] = {}
    out = []
    for t in resolved:
        a = last.get(t.id)
        if a is None or t.anchor_kind == "cell":
            continue
        key = keys.get(a.section_id)
        if key not in contents:
            continue
        now_text = contents[key].text
        if a.version_id not in texts:
            then_version = db.session.get(Version, a.version_id)
            texts[a.version_id] = {k: c.text for k, c in version_contents(then_version).items()}
        then = texts[a.version_id].get(key)
        start, end, status = a.start_offset, a.end_offset, a.status
        if then != now_text:
            quote = a.quote or ""
            at = now_text.find(quote) if quote else -1
            if quote and at >= 0 and now_text.find(quote, at + 1) < 0:
                start, end = at, at + len(quote)
            else:
                start = end = 0
                status = "carried"
        out.append((t, ThreadAnchor(thread_id=t.id, version_id=version.id, section_id=a.section_id,
                                    start_offset=start, end_offset=end, quote=a.quote, status=status,
                                    score=a.score)))
    return out


def edit_note(thread: Thread, lang: str) -> str:
    """The first line of the Word comment that carries a suggested edit."""
    def one_line(text: str) -> str:
        text = " ¶ ".join((text or "").split("\n"))
        return text if len(text) <= 300 else text[:299] + "…"
    old, new = one_line(thread.quote), one_line(thread.replacement or "")
    if not old:
        return EDIT_NOTE[lang]["insert"] % new
    if not new:
        return EDIT_NOTE[lang]["delete"] % old
    return EDIT_NOTE[lang]["replace"] % (old, new)


def _comments(thread: Thread, comments: dict[int, list[Comment]], lang: str,
              orphan_quote: str | None = None, note: str | None = None) -> list[ExportComment]:
    """The thread's comments as Word comments (the first one with the export's note, if any)."""
    out = []
    for i, c in enumerate(comments.get(thread.id, [])):
        body = c.body
        if i == 0 and thread.kind == SUGGESTED_EDIT:
            body = edit_note(thread, lang) + ("\n" + body if body else "")
        if i == 0 and orphan_quote is not None:
            body = ORPHAN_NOTE[lang] % orphan_quote[:200] + "\n" + body
        elif i == 0 and note is not None:
            body = note + "\n" + body
        out.append(ExportComment(author=c.author_display, initials=initials(c.author_display),
                                 date=c.created_at, text=body))
    return out


def _section_threads(pairs: Iterable[Placed], comments: dict[int, list[Comment]], lang: str,
                     keys: dict[int, str], placer: Placer) -> tuple[list[ExportThread], int]:
    """ExportThreads; ``placer(key, start, end) -> (start, end) | None`` maps section offsets."""
    out, unplaced = [], 0
    for t, a in pairs:
        key = keys[t.section_id]
        orphan = a.status in ("orphaned", "carried")
        if t.anchor_kind == "cell":
            body = _comments(t, comments, lang, note=_cell_note(t, a, lang))
        elif a.status == "carried":
            body = _comments(t, comments, lang, note=ON_NOTE[lang] % (a.quote or "")[:200])
        else:
            body = _comments(t, comments, lang, orphan_quote=a.quote if orphan else None)
        if not body:
            continue
        point = orphan or a.status == "section" or a.end_offset <= a.start_offset
        # a point or section comment is written at its own offset (0 for a whole-section one)
        at = 0 if orphan else a.start_offset
        span = placer(key, at, at if point else a.end_offset)
        if span is None:
            unplaced += 1
            span = placer(None, 0, 0) or (0, 0)
            point = True
        out.append(ExportThread(span[0], span[0] if point else span[1], body, resolved=t.status == "resolved",
                                point=point))
    return out, unplaced


def _conflict(s1: int, e1: int, s2: int, e2: int) -> bool:
    """Two tracked changes that cannot both be written: overlapping, or an insertion at or
    inside the other's words."""
    if s1 < e2 and s2 < e1:
        return True
    return (s1 == e1 and s2 <= s1 <= e2) or (s2 == e2 and s1 <= s2 <= e1)


def tracked_revisions(pairs: Iterable[Placed], keys: dict[int, str], placer: Placer) -> list[ExportRevision]:
    """The open suggested edits placed on words of the exported version, as tracked changes at
    document offsets: the oldest first, one that overlaps an earlier one left out."""
    out: list[ExportRevision] = []
    taken: list[tuple[int, int]] = []
    for t, a in sorted(pairs, key=lambda ta: ta[0].id):
        if t.kind != SUGGESTED_EDIT or t.decision is not None or a.status not in PLACED or t.anchor_kind == "cell":
            continue
        span = placer(keys[t.section_id], a.start_offset, a.end_offset)
        if span is None or (span[0] == span[1] and not t.replacement):
            continue
        start, end = span
        if any(_conflict(start, end, s, e) for s, e in taken):
            continue
        taken.append((start, end))
        out.append(ExportRevision(start, end, t.replacement or "", author_name(t), t.created_at))
    return out


def _cell_note(thread: Thread, anchor: ThreadAnchor, lang: str) -> str:
    """Which cell a cell thread is on in the exported version ("[Cellule Budget!F23 — TOTAL : 3 102 798
    du budget Excel]"), or where it was when its cell is gone."""
    where = anchor.cell or thread.cell_locator or ""
    if thread.cell_label:
        where += f" — {thread.cell_label[:120]}"
    if anchor.quote:
        where += (" : " if lang == "fr" else ": ") + format_value(anchor.quote[:120], lang)
    return (CELL_GONE_NOTE if anchor.status == "orphaned" else CELL_NOTE)[lang] % where


def export_docx(report: Report, *, viewer: Viewer, actor: User | None = None,
                options: ExportOptions | None = None, now: datetime | None = None) -> tuple[bytes, str, str]:
    """(bytes, filename, kind) of the export; kind is "original" or "generated"."""
    options = options or ExportOptions()
    version = get_version(report, options.version) if options.version else latest_version(report)
    kind = options.kind
    if kind == "original" and version.upload_id is None:
        raise Invalid(N_("Version %(n)s was not uploaded as a Word file: export the generated document."),
                      n=version.number)
    if kind == "auto":
        kind = "original" if version.upload_id is not None else "generated"
    keys = dict(db.session.execute(select(Section.id, Section.key).where(Section.report_id == report.id)).all())
    pairs = [] if options.clean else _threads_on(report, version, viewer, options)
    comments = thread_comments([t.id for t, _a in pairs])
    if kind == "original":
        try:
            data = _annotated_original(report, version, pairs, comments, keys, options, now)
        except WordFileError as exc:     # a stored original the guard now refuses (unsafe names ...)
            raise Invalid(refusal_message(exc.code), code=exc.code) from None
    else:
        props = provenance.stamp(report, version, version_contents(version), kind=kind, now=now)
        data = _generated(report, version, pairs, comments, keys, options, props)
    audit.record("export.docx", actor=actor, report=report, obj=version,
                 details={"version": version.number, "kind": kind, "threads": len(pairs), "clean": options.clean,
                          "include_resolved": options.include_resolved, "shared_only": options.shared_only},
                 now=now or utcnow())
    suffix = "-propre" if options.clean and options.lang == "fr" else "-clean" if options.clean else ""
    return data, f"{slug(report.project.title)}-v{version.number}{suffix}.docx", kind


def _annotated_original(report: Report, version: Version, pairs: list[Placed],
                        comments: dict[int, list[Comment]], keys: dict[int, str],
                        options: ExportOptions, now: datetime | None) -> bytes:
    original = version.upload.data
    doc = read_docx(original)
    mapping = map_document(doc, load_template(report.template_id))
    contents = version_contents(version)
    props = provenance.stamp(report, version, contents, kind="original", now=now,
                             shown={k: sec.text for k, sec in mapping.sections.items()})

    def placer(key: str | None, start: int, end: int) -> tuple[int, int] | None:
        if key is None:
            return (0, 0)
        if key not in mapping.sections or mapping.sections[key].text != contents[key].text:
            at = mapping.prompt_start(key)
            return None if at is None else (at, at)
        a, b = mapping.doc_offset(key, start), mapping.doc_offset(key, end)
        if a is None or b is None:
            at = mapping.prompt_start(key)
            return None if at is None else (at, at)
        return (a, b)
    threads, _unplaced = _section_threads(pairs, comments, options.lang, keys, placer)
    threads += override_notes(report, options.lang)
    return annotate_docx(original, threads, properties=props, revisions=tracked_revisions(pairs, keys, placer))


SYSTEM_AUTHOR = "reviewflow"     # notes the service writes into a Word file (imports never make them threads)


def override_notes(report: Report, lang: str) -> list[ExportThread]:
    """The approvals given with an override, as notes at the start of an uploaded original (a
    generated document says them under its title): who, when, why."""
    return [ExportThread(0, 0, [ExportComment(author=SYSTEM_AUTHOR, initials="RF", date=s.created_at,
                                              text=override_line(s, lang))], point=True)
            for s in overrides_in_force(report)]


def _display_blocks(template: Template, field: Field, content: SectionContent,
                    lang: str) -> tuple[Blocks, int | None]:
    """What a section shows in a generated document, and how far its canonical text is shifted."""
    if field.options:
        labels = [template.option_label(field.options, p.get("text", ""), lang)
                  for p in C.iter_paragraphs(content.blocks) if p.get("text")]
        return [C.paragraph(" · ".join(labels))], None
    if field.is_table:
        table = next((b for b in content.blocks if b.get("t") == "table"), None)
        if table is not None:
            column_labels = template.column_labels(field.key)
            cols = table.get("columns") or list(field.columns)
            header = [column_labels.get(c, {}).get(lang, c or "") for c in cols]
            shift = len("\n".join(header)) + 1
            with_header = dict(table)
            with_header["rows"] = [[[C.paragraph(h)] for h in header]] + list(table.get("rows", ()))
            return [with_header], shift
    return content.blocks, 0


def _generated(report: Report, version: Version, pairs: list[Placed], comments: dict[int, list[Comment]],
               keys: dict[int, str], options: ExportOptions, props: dict[str, str]) -> bytes:
    template = load_template(report.template_id)
    lang = options.lang
    contents = version_contents(version)
    by_key: dict[str, list[Placed]] = {}
    for t, a in pairs:
        by_key.setdefault(keys[t.section_id], []).append((t, a))
    parts: list[GenPart] = []
    current_part: tuple[str, int | None] | None = None
    for field in template.fields(report.outcomes):
        content = contents.get(field.key)
        if content is None:
            continue
        blocks, shift = _display_blocks(template, field, content, lang)
        length = len(C.blocks_text(blocks))

        def placer(key: str | None, start: int, end: int, shift: int | None = shift,
                   length: int = length) -> tuple[int, int] | None:
            if key is None or shift is None:
                return (0, 0)
            return (min(start + shift, length), min(end + shift, length))
        threads, _u = _section_threads(by_key.get(field.key, []), comments, lang, keys, placer)
        local = (lambda key, start, end: (start, end)) if shift == 0 else (lambda key, start, end: None)
        revisions = tracked_revisions(by_key.get(field.key, []), keys, local)
        part = template.part(field.part_id)
        part_id = (field.part_id, field.outcome)
        if part_id != current_part:
            heading = part.label_in(lang) + (f" — {'Résultat' if lang == 'fr' else 'Outcome'} {field.outcome}"
                                             if field.outcome else "")
            parts.append(GenPart(heading, []))
            current_part = part_id
        parts[-1].sections.append(GenSection(field.label_in(lang), blocks, threads, bookmark=bookmark_name(field.key),
                                             revisions=revisions))
    project = report.project
    subtitle = [f"{project.gateway_numbers}" if project.gateway_numbers else "",
                f"{template.report_name(report.report_type, report.year, lang)} — version {version.number}"]
    subtitle += [override_line(s, lang) for s in overrides_in_force(report)]
    return generate_docx(GenDocument(title=project.title, parts=parts, subtitle=[s for s in subtitle if s],
                                     language="fr-FR" if lang == "fr" else "en-GB"), properties=props)


def strip_orphan_note(body: str) -> str:
    """The body of an exported thread without the note the export added (deleted text, cell; and
    of an exported suggested edit, the line saying the proposal)."""
    first, _, rest = (body or "").partition("\n")
    if ORPHAN_RE.match(first.strip()):
        body = rest
        first, _, rest = body.partition("\n")
    return rest if EDIT_NOTE_RE.match(first.strip()) else body
