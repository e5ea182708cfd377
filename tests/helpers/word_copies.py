"""Word copies as people make them: sections saved in the browser, an export edited paragraph by
paragraph, and the classic stale copy (exported, then the report moved on, then the copy edited)."""
from __future__ import annotations

import io

import docx

from reviewflow import content as C
from reviewflow.extensions import db
from reviewflow.services import editing, exports
from reviewflow.services.versions import latest_version
from tests.helpers.reports import Everyone


def save_texts(w, changes: dict[str, str]) -> None:
    """The drafter saves one paragraph per section, on the latest version, and commits."""
    editing.save_sections(w.report, {k: [C.paragraph(t)] for k, t in changes.items()}, actor=w.drafter,
                          roles={"drafter"}, base_number=latest_version(w.report).number)
    db.session.commit()


def replace_paragraphs(data: bytes, edits: dict[str, str]) -> bytes:
    """The .docx with each paragraph whose text is a key of ``edits`` rewritten (python-docx)."""
    d = docx.Document(io.BytesIO(data))
    for p in d.paragraphs:
        if p.text in edits:
            for r in p.runs[1:]:
                r._r.getparent().remove(r._r)
            p.runs[0].text = edits[p.text]
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def stale_copy(w) -> bytes:
    """A generated export of two outcome statements, then outcome 1 changed in the browser, then
    the old copy edited in both: outcome 1 conflicts, outcome 2 is taken from the file."""
    save_texts(w, {"outcome_1.statement": "Texte A.", "outcome_2.statement": "Texte B."})
    old, _n, _k = exports.export_docx(w.report, viewer=Everyone(), options=exports.ExportOptions(kind="generated"))
    db.session.commit()
    save_texts(w, {"outcome_1.statement": "Texte A du navigateur."})
    return replace_paragraphs(old, {"Texte A.": "Texte A du fichier.", "Texte B.": "Texte B du fichier."})
