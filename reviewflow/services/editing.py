"""Editing a report's sections: ``save_sections`` makes the next version from changes (merged
per section against the version the edit started from) and does what a new version implies:
re-anchor the threads, void the signatures on earlier versions, notify.

The top of the services for versions: it orchestrates ``versions.write_version``,
``threads.reanchor_threads`` and ``signoff_invalidation``; the Word import calls it too.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from .. import content as C
from ..models import Report, SectionContent, Upload, User, Version, WorkbookFile
from ..permissions import can_edit_sections
from ..report_templates import Field, Template, load_template
from ..timeutil import utcnow
from . import audit, notify
from .errors import N_, Forbidden, Invalid, StaleVersion
from .signoff_invalidation import invalidate_for_new_version
from .threads import get_thread, mark_addressed, reanchor_threads
from .types import Blocks, Roles
from .versions import get_version, latest_version, lock, version_contents, write_version


def normalize_blocks(field: Field, blocks: Blocks, *, strict: bool = True,
                     template: Template | None = None) -> Blocks:
    """Validate and normalise content for a field of the template.  Choice fields hold codes of
    the template's vocabulary: an unknown code is refused (``strict``) or dropped (imports)."""
    if not isinstance(blocks, list):
        raise Invalid(N_("Section content must be a list of blocks."))
    if field.options:
        allowed = {code for code, _label in (template or load_template("pbf")).options(field.options)}
        codes = [p.get("text", "").strip() for p in C.iter_paragraphs(blocks) if p.get("text", "").strip()]
        unknown = [c for c in codes if c not in allowed]
        if unknown and strict:
            raise Invalid(N_("%(field)s: %(value)s is not one of the template's answers."), field=field.key,
                          value=unknown[0][:60])
        codes = [c for c in codes if c in allowed]
        if field.kind == "checkbox_set":
            return [C.paragraph(c) for c in dict.fromkeys(codes)] or [C.paragraph("")]
        return [C.paragraph(codes[0] if codes else "")]
    text = C.blocks_text(blocks)
    if len(text) > 200_000:
        raise Invalid(N_("%(field)s: the text is too long to be stored (over 200,000 characters)."), field=field.key)
    if field.kind in ("text_short", "money", "percent", "date", "year", "attachment", "single_choice"):
        if "\n" in text:
            text = " ".join(text.split("\n"))
        if len(text) > 2000:
            raise Invalid(N_("%(field)s: at most 2,000 characters in this field."), field=field.key)
        return [C.paragraph(text.strip())]
    return blocks


EMPTY_SHA = C.content_hash([C.paragraph("")])


def _sha(contents: dict[str, SectionContent], key: str) -> str:
    """sha256 of a section's content in a version (a section added later counts as empty)."""
    row = contents.get(key)
    return row.sha256 if row is not None else EMPTY_SHA


def save_sections(report: Report, changes: dict[str, Blocks], *, actor: User | None, base_number: int | None,
                  roles: Roles, note: str = "", source: str = "browser", upload: Upload | None = None,
                  force: bool = False, addressed: Iterable[int] = (), workbook: WorkbookFile | None = None,
                  now: datetime | None = None) -> Version | None:
    """Create the next version with ``changes`` (section key -> blocks), carrying ``workbook``
    (a new budget workbook) when given, else the latest version's.

    ``addressed``: ids of open threads the drafter marks "addressed in this new version", in
    the same transaction (nothing is marked when nothing changed, or when the save is refused).

    Refused (StaleVersion) when a changed section was modified by someone else after
    ``base_number``; sections nobody else touched are merged onto the latest version, so two
    drafters can work on different sections at once.  Returns None when nothing changed
    (unless ``force``: an upload whose only news is content outside the template's fields).
    """
    now = now or utcnow()
    lock(report)
    if not can_edit_sections(roles, report.state):
        if "drafter" in set(roles):
            raise Forbidden(N_("The report is %(state)s: it can no longer be edited."),
                            state=report.state.replace("_", " "))
        raise Forbidden(N_("Only the report's drafters can edit its sections."))
    template = load_template(report.template_id)
    normalized = {}
    for key, blocks in changes.items():
        try:
            field = template.field(key)
        except KeyError:
            raise Invalid(N_("Unknown section %(key)s."), key=key) from None
        normalized[key] = normalize_blocks(field, blocks, template=template, strict=source != "upload")
    latest = latest_version(report)
    latest_contents = version_contents(latest)
    if base_number != latest.number:
        if base_number is None or not 1 <= base_number < latest.number:
            raise Invalid(N_("The version this edit started from is unknown."))
        base_contents = version_contents(get_version(report, base_number))
        conflicts = [key for key in normalized
                     if _sha(base_contents, key) != _sha(latest_contents, key)
                     and C.content_hash(normalized[key]) != _sha(latest_contents, key)]
        if conflicts:
            raise StaleVersion(
                N_("Version %(latest)s was saved after you started editing (from version %(base)s) "
                   "and changed the same section."), conflicts=conflicts, latest=latest.number, base=base_number,
                theirs={k: latest_contents[k].text for k in conflicts if k in latest_contents},
                base_texts={k: base_contents[k].text for k in conflicts if k in base_contents})
    effective = {k: b for k, b in normalized.items() if C.content_hash(b) != _sha(latest_contents, k)}
    if not effective and not force:
        return None
    version = write_version(report, effective, actor=actor, source=source, base_number=base_number, note=note,
                             now=now, previous=latest, upload=upload, workbook=workbook)
    audit.record("version.created", actor=actor, report=report, obj=version,
                 details={"number": version.number, "sections": sorted(effective), "source": source,
                          "base": base_number}, now=now)
    reanchor_threads(report, latest, version, now=now)
    invalidate_for_new_version(report, version, now=now)
    notify.new_version(report, version, actor=actor, now=now)
    for thread_id in dict.fromkeys(addressed):
        thread = get_thread(report, thread_id, viewer=actor)
        if thread.status == "open" and actor is not None:
            mark_addressed(thread, actor=actor, roles=roles, version_number=version.number, now=now)
    return version
