"""Write endpoints (a read-write token): threads, suggested edits, section edits, sign-off,
workflow.  Parse, authorise with the pages' predicates (in the services), call one service,
commit once, answer the new state."""
from __future__ import annotations

from flask import request

from .. import content as C
from .. import permissions as P
from .. import workflow
from ..extensions import db
from ..services import editing, signoff, suggestions, threads, transitions, workspace
from ..services.errors import N_, Forbidden, Invalid, PreconditionFailed, PreconditionRequired, StaleVersion
from . import schemas as S
from . import serialize as J
from .blueprint import bp, user
from .reads import doc, ok


def _thread_answer(report, thread_id: int, status: int = 200):
    u = user()
    t = threads.get_thread(report, thread_id, viewer=u)
    comments = workspace.thread_comments([t.id]).get(t.id, [])
    return ok(J.thread_detail(t, comments), status=status, etag=J.thread_etag(t))


def _check_if_match(current_etag: str, current: dict, *, required: bool = False) -> None:
    given = request.headers.get("If-Match")
    if not given:
        if required:
            raise PreconditionRequired(N_("Send If-Match with the ETag you read, so that no one's change is lost."),
                                       current=current)
        return
    tags = [t.strip() for t in given.split(",")]
    if "*" not in tags and current_etag not in tags and f"W/{current_etag}" not in tags:
        raise PreconditionFailed(N_("This changed since you read it: read it again (its current state is attached)."),
                                 current=current)


def _load_thread(report_id: int, thread_id: int):
    u = user()
    report, roles = workspace.load_for(u, report_id)
    t = threads.get_thread(report, thread_id, viewer=u)
    _check_if_match(J.thread_etag(t), J.thread(t))
    return report, roles, t


@bp.route("/reports/<int:report_id>/threads", methods=["POST"])
@bp.arguments(S.NewThread)
@bp.response(201, S.ThreadDetail)
@bp.doc(**doc(400, 403, 404, 409, 413, 415, 422))
def create_thread(data, report_id: int):
    """Open a thread on words [start, end) of a section (the quote must be the words there:
    refused otherwise, never stored on the wrong words), or on the whole section."""
    u = user()
    report, roles = workspace.load_for(u, report_id)
    has_range = data.get("start") is not None or data.get("end") is not None
    t = threads.open_thread(report, actor=u, roles=roles, section_key=data["section"], body=data["body"],
                            version_number=data.get("version"), start=data.get("start"), end=data.get("end"),
                            quote=data.get("quote") if has_range else None, severity=data["severity"],
                            internal_org_id=u.organisation_id if data["internal"] else None)
    db.session.commit()
    return _thread_answer(report, t.id, 201)


@bp.route("/reports/<int:report_id>/threads/<int:thread_id>/replies", methods=["POST"])
@bp.arguments(S.Reply)
@bp.response(201, S.ThreadDetail)
@bp.doc(**doc(400, 403, 404, 409, 412, 413, 415, 422))
def reply(data, report_id: int, thread_id: int):
    """Reply; on a resolved thread say whether the reply reopens it (``reopen``), else 409."""
    report, roles, t = _load_thread(report_id, thread_id)
    threads.reply(t, actor=user(), roles=roles, body=data["body"], reopen=data["reopen"])
    db.session.commit()
    return _thread_answer(report, t.id, 201)


@bp.route("/reports/<int:report_id>/threads/<int:thread_id>/address", methods=["POST"])
@bp.arguments(S.Address)
@bp.response(200, S.ThreadDetail)
@bp.doc(**doc(400, 403, 404, 409, 412, 413, 415, 422))
def address(data, report_id: int, thread_id: int):
    """A drafter marks the thread addressed (in a version), optionally with a reply."""
    report, roles, t = _load_thread(report_id, thread_id)
    threads.mark_addressed(t, actor=user(), roles=roles, version_number=data.get("version"), body=data["body"])
    db.session.commit()
    return _thread_answer(report, t.id)


@bp.route("/reports/<int:report_id>/threads/<int:thread_id>/resolve", methods=["POST"])
@bp.arguments(S.Note)
@bp.response(200, S.ThreadDetail)
@bp.doc(**doc(400, 403, 404, 409, 412, 413, 415, 422))
def resolve(data, report_id: int, thread_id: int):
    """The reviewer who opened it (or a reviewer lead of the same organisation) resolves it."""
    report, roles, t = _load_thread(report_id, thread_id)
    threads.resolve(t, actor=user(), roles=roles, note=data["note"])
    db.session.commit()
    return _thread_answer(report, t.id)


@bp.route("/reports/<int:report_id>/threads/<int:thread_id>/reopen", methods=["POST"])
@bp.arguments(S.Note)
@bp.response(200, S.ThreadDetail)
@bp.doc(**doc(400, 403, 404, 409, 412, 413, 415, 422))
def reopen(data, report_id: int, thread_id: int):
    """Reopen a resolved thread."""
    report, roles, t = _load_thread(report_id, thread_id)
    threads.reopen(t, actor=user(), roles=roles, note=data["note"])
    db.session.commit()
    return _thread_answer(report, t.id)


@bp.route("/reports/<int:report_id>/suggestions", methods=["POST"])
@bp.arguments(S.NewSuggestion)
@bp.response(201, S.ThreadDetail)
@bp.doc(**doc(400, 403, 404, 409, 413, 415, 422))
def suggest(data, report_id: int):
    """A reviewer suggests new words for [start, end) of a section ("" deletes; start == end inserts)."""
    u = user()
    report, roles = workspace.load_for(u, report_id)
    t = suggestions.suggest(report, actor=u, roles=roles, section_key=data["section"], start=data["start"],
                            end=data["end"], replacement=data["replacement"], quote=data.get("quote"),
                            version_number=data.get("version"), note=data["note"])
    db.session.commit()
    return _thread_answer(report, t.id, 201)


@bp.route("/reports/<int:report_id>/suggestions/decide", methods=["POST"])
@bp.arguments(S.Decide)
@bp.response(200, S.DecisionOut)
@bp.doc(**doc(400, 403, 404, 409, 413, 415, 422))
def decide(data, report_id: int):
    """A drafter accepts (one new version for the batch) or rejects suggested edits: ``ids``, or
    every open one of a ``reviewer`` and/or a ``section``."""
    u = user()
    report, roles = workspace.load_for(u, report_id)
    d = suggestions.decide(report, data["decision"], actor=u, roles=roles, viewer=u, ids=data.get("ids") or None,
                           author_id=data.get("reviewer"), section_key=data.get("section"), reason=data["reason"],
                           replacement=data.get("replacement"))
    db.session.commit()
    return ok({"decision": d.decision, "version": d.number, "decided": [t.id for t in d.decided],
               "skipped": [t.id for t, _why in d.skipped]})


def _section_current(report, key: str):
    _field, latest, content = workspace.section_for_edit(report, key)
    return _field, latest, content, J.section_state(key, latest, content)


@bp.route("/reports/<int:report_id>/sections/<path:key>")
@bp.response(200, S.SectionState)
@bp.doc(**doc(404))
def get_section(report_id: int, key: str):
    """A section of the latest version, with the ETag to send as If-Match when you save it."""
    report, _roles = workspace.load_for(user(), report_id)
    _f, _latest, _content, state = _section_current(report, key)
    return ok(state, etag=state["etag"])


@bp.route("/reports/<int:report_id>/sections/<path:key>", methods=["PUT"])
@bp.arguments(S.SectionEdit)
@bp.response(200, S.SectionSaved)
@bp.doc(**doc(400, 403, 404, 409, 412, 413, 415, 422, 428))
def save_section(data, report_id: int, key: str):
    """Save a section as the next version (drafters).  If-Match is required: 412 with the
    section's current state when someone saved it since you read it (nothing is lost)."""
    u = user()
    report, roles = workspace.load_for(u, report_id)
    if not P.can_edit_sections(roles, report.state):
        raise Forbidden(N_("Only the report's drafters can edit it, and only while it is not approved or withdrawn."))
    field, latest, content, state = _section_current(report, key)
    _check_if_match(state["etag"], state, required=True)
    if field.is_table:
        if "rows" not in data or "text" in data:
            raise Invalid(N_("A table section takes rows (lists of cells), not text."))
        columns = list(field.columns) or [str(i) for i in range(max((len(r) for r in data["rows"]), default=1))]
        blocks = [C.table_block(columns, [list(r)[:len(columns)] + [""] * (len(columns) - len(r))
                                          for r in data["rows"]] or [["" for _ in columns]])]
    else:
        if "text" not in data or "rows" in data:
            raise Invalid(N_("This section takes text."))
        blocks = (C.text_blocks(data["text"], content.blocks) if field.is_narrative
                  else [C.paragraph(data["text"].strip())])
    try:
        version = editing.save_sections(report, {key: blocks}, actor=u, roles=roles, base_number=latest.number,
                                        note=data["note"])
    except StaleVersion:
        db.session.rollback()
        _f, _l, _c, now_state = _section_current(report, key)
        raise PreconditionFailed(N_("This changed since you read it: read it again (its current state is attached)."),
                                 current=now_state) from None
    db.session.commit()
    _f, _l, _c, new_state = _section_current(report, key)
    return ok({**new_state, "created": version is not None}, etag=new_state["etag"])


@bp.route("/reports/<int:report_id>/signoff", methods=["POST"])
@bp.arguments(S.Sign)
@bp.response(201, S.SignatureDone)
@bp.doc(**doc(400, 403, 404, 409, 413, 415, 422))
def sign(data, report_id: int):
    """An approver signs (or rejects) the latest version, named by its number."""
    u = user()
    report, roles = workspace.load_for(u, report_id)
    s = signoff.sign(report, actor=u, roles=roles, version_number=data["version"], decision=data["decision"],
                     note=data["note"], override=data["override"])
    db.session.commit()
    return ok({"id": s.id, "decision": s.decision, "version": data["version"], "state": report.state}, status=201)


@bp.route("/reports/<int:report_id>/workflow", methods=["POST"])
@bp.arguments(S.WorkflowAction)
@bp.response(200, S.StateOut)
@bp.doc(**doc(400, 403, 404, 409, 413, 415, 422))
def workflow_action(data, report_id: int):
    """A workflow action (submit, start_review, request_changes, resubmit, withdraw, reopen ...)."""
    u = user()
    report, roles = workspace.load_for(u, report_id)
    transitions.act(report, data["action"], actor=u, roles=roles, note=data["note"])
    db.session.commit()
    return ok({"id": report.id, "state": report.state,
               "actions": workflow.available_actions(report.state, roles, is_admin=u.is_admin)})

