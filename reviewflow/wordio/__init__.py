"""Pure Word I/O: bytes in, dataclasses out.  No Flask, no database.

    from reviewflow.wordio import read_docx
    doc = read_docx(data)          # raises WordFileError (with .code) only for refused files
    doc.text, doc.blocks, doc.comments, doc.revisions, doc.form_fields, doc.warnings, doc.app

    data = annotate_docx(original, threads)   # comments written into the original (writer)
    data = annotate_docx(original, threads, revisions=[ExportRevision(...)])  # + tracked changes

``document_to_json(doc)`` gives the JSON of ``flask docx inspect`` (docs/docx-inspect.md).

Inside: ``oxml`` (namespaces, the tag vocabulary, hardened parsers), ``model`` (the dataclasses
of both directions), ``errors`` (refusals and their messages), ``read/`` and ``write/``.
Callers outside wordio import from here only.
"""
from __future__ import annotations

from .errors import (
    REFUSALS,
    CorruptError,
    DoctypeError,
    EncryptedError,
    LegacyDocError,
    MacroError,
    NotDocxError,
    NotZipError,
    TooLargeError,
    TruncatedError,
    WordFileError,
    ZipBombError,
    ZipEncryptedError,
    refusal_message,
)
from .model import (
    Document,
    ExportComment,
    ExportRevision,
    ExportThread,
    FormField,
    GenDocument,
    GenPart,
    GenSection,
    Revision,
    RevisionSummary,
    WordComment,
    summarize_revisions,
)
from .read import Package, check_package, parse_word_date, read_docx
from .write import annotate_docx, generate_docx, matrix_docx


def _iso(dt):
    if dt is None:
        return None
    return dt.isoformat().replace("+00:00", "Z")


def document_to_json(doc: Document) -> dict:
    """The JSON-able dict of ``docx inspect``; schema in docs/docx-inspect.md."""
    summary = doc.revision_summary
    return {
        "app": doc.app,
        "text": doc.text,
        "blocks": doc.blocks,
        "comments": [
            {
                "id": c.id, "author": c.author, "initials": c.initials, "date": _iso(c.date),
                "date_source": c.date_source, "date_raw": c.date_raw, "text": c.text,
                "start": c.start, "end": c.end, "quote": c.quote, "parent": c.parent,
                "resolved": c.resolved, "done": c.done, "para_id": c.para_id,
                "durable_id": c.durable_id, "in_part": c.in_part, "anchor": c.anchor,
            }
            for c in doc.comments
        ],
        "revisions": [
            {
                "kind": r.kind, "author": r.author, "date": _iso(r.date), "text": r.text,
                "start": r.start, "end": r.end, "id": r.id, "paragraph_mark": r.paragraph_mark,
            }
            for r in doc.revisions
        ],
        "revision_summary": {"count": summary.count, "authors": summary.authors,
                             "by_kind": summary.by_kind, "text": str(summary)},
        "form_fields": [
            {
                "kind": f.kind, "name": f.name, "value": f.value, "options": list(f.options),
                "checked": f.checked, "start": f.start, "end": f.end, "source": f.source,
            }
            for f in doc.form_fields
        ],
        "warnings": list(doc.warnings),
    }


__all__ = [
    "read_docx", "check_package", "document_to_json", "parse_word_date", "Package",
    "Document", "WordComment", "Revision", "FormField", "RevisionSummary", "summarize_revisions",
    "WordFileError", "NotZipError", "TruncatedError", "EncryptedError", "ZipEncryptedError",
    "LegacyDocError", "MacroError", "ZipBombError", "TooLargeError", "NotDocxError",
    "DoctypeError", "CorruptError", "REFUSALS", "refusal_message",
    "annotate_docx", "generate_docx", "ExportComment", "ExportThread", "ExportRevision", "GenDocument", "GenPart",
    "GenSection", "matrix_docx",
]
