"""Plain dicts of what the API answers (shapes in schemas.py): built by hand, not by marshmallow,
because listing 300 threads must stay as cheap as a minimal JSON endpoint (bench/bench_api.py)."""
from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from .. import workflow


def iso(value: datetime | None) -> str | None:
    return value.isoformat() + "Z" if value is not None else None


def person(user) -> dict[str, Any] | None:
    if user is None:
        return None
    org = user.organisation
    return {"id": user.id, "name": user.name, "organisation": org.name if org is not None else None}


def report_summary(report, roles, latest_number: int, open_threads: int) -> dict[str, Any]:
    return {"id": report.id, "title": report.title, "template": report.template_id, "type": report.report_type,
            "year": report.year, "state": report.state, "latest_version": latest_number,
            "roles": sorted(roles), "open_threads": open_threads, "created_at": iso(report.created_at)}


def report_detail(report, roles, latest_number: int, counts: dict[str, int], members, *, is_admin: bool) -> dict:
    out = report_summary(report, roles, latest_number, counts.get("open", 0) + counts.get("addressed", 0))
    out.update(outcomes=report.outcomes, counts=counts,
               members=[{**person(m.user), "role": m.role, "lead": bool(m.is_lead)} for m in members],
               actions=workflow.available_actions(report.state, roles, is_admin=is_admin))
    return out


def version_summary(version, changed: list[str]) -> dict[str, Any]:
    return {"number": version.number, "source": version.source, "base": version.base_number,
            "note": version.note or "", "created_at": iso(version.created_at),
            "created_by": person(version.created_by), "changed": changed}


def section(field, content, lang: str) -> dict[str, Any]:
    return {"key": field.key, "label": field.label_in(lang), "kind": field.kind, "limit": field.limit,
            "text": content.text, "blocks": content.blocks, "chars": content.chars,
            "chars_no_spaces": content.chars_no_spaces, "sha256": content.sha256}


def section_etag(version_number: int, key: str, content) -> str:
    return '"s-' + hashlib.sha256(f"{key}\0{content.sha256}".encode()).hexdigest()[:24] + '"'


def section_state(key: str, version, content) -> dict[str, Any]:
    return {"key": key, "version": version.number, "text": content.text, "blocks": content.blocks,
            "chars": content.chars, "etag": section_etag(version.number, key, content)}


def thread_etag(t) -> str:
    state = f"{t.id}\0{t.status}\0{t.severity}\0{t.version_id}\0{t.anchor_status}\0{t.decision}\0{iso(t.updated_at)}"
    return '"t-' + hashlib.sha256(state.encode()).hexdigest()[:24] + '"'


def thread(t) -> dict[str, Any]:
    return {
        "id": t.id, "kind": t.kind, "section": t.section.key, "version": t.version.number, "status": t.status,
        "severity": t.severity, "internal": t.visibility_org_id is not None,
        "anchor": {"kind": t.anchor_kind, "status": t.anchor_status, "score": float(t.anchor_score or 0),
                   "start": t.start_offset, "end": t.end_offset, "quote": t.quote or "",
                   "cell": f"{t.cell_sheet}!{t.cell_ref}" if t.anchor_kind == "cell" else None},
        "created_by": person(t.created_by), "created_at": iso(t.created_at), "addressed_in": t.addressed_in,
        "resolved_by": person(t.resolved_by), "resolved_at": iso(t.resolved_at),
        "resolution_note": t.resolution_note or "", "replacement": t.replacement, "decision": t.decision,
        "etag": thread_etag(t),
    }


def comment(c) -> dict[str, Any]:
    author = person(c.author) or {"id": None, "name": c.author_display, "organisation": None}
    return {"id": c.id, "author": author, "body": c.body, "created_at": iso(c.created_at),
            "edited_at": iso(c.edited_at)}


def thread_detail(t, comments) -> dict[str, Any]:
    return {**thread(t), "comments": [comment(c) for c in comments]}


def finding(f, lang: str, notes: dict) -> dict[str, Any]:
    note = notes.get(f.fingerprint)
    return {"fingerprint": f.fingerprint, "code": f.code, "severity": f.severity, "section": f.section or None,
            "message": f.message.get(lang) or f.message.get("fr", ""), "start": f.start, "end": f.end,
            "note": getattr(note, "note", None) if note is not None else None}


def requirement(r) -> dict[str, Any]:
    return {"code": r.code, "met": bool(r.met), "count": int(r.count), "blocks": bool(r.blocks)}


def signature(user, s) -> dict[str, Any]:
    return {"approver": person(user), "decision": s.decision if s else None,
            "version": s.version.number if s is not None and s.version is not None else None,
            "at": iso(s.created_at) if s else None}
