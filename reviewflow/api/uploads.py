"""Word uploads through the API, as on the pages: post a .docx and get its import plan (the
preview: what would change, conflicts, comments, tracked changes), then confirm it with the
choices for its conflicts, or cancel it.  Nothing lands before the confirmation."""
from __future__ import annotations

from flask import request

from ..extensions import db
from ..services import imports, workspace
from ..services.errors import N_, Invalid
from . import schemas as S
from .blueprint import bp, user
from .reads import doc, ok

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BODY = {"required": True, "description": "the .docx file itself (curl --data-binary @file.docx)",
        "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
                    DOCX: {"schema": {"type": "string", "format": "binary"}}}}


@bp.route("/reports/<int:report_id>/uploads", methods=["POST"])
@bp.arguments(S.UploadArgs, location="query")
@bp.response(201, S.ImportPlanOut)
@bp.doc(requestBody=BODY, **doc(400, 403, 404, 409, 413, 415, 422))
def plan_upload(args, report_id: int):
    """Upload a .docx: the import plan (stored, nothing landed yet); confirm or cancel it next."""
    u = user()
    report, roles = workspace.load_for(u, report_id)
    if request.mimetype not in ("application/octet-stream", DOCX):
        raise Invalid(N_("Send the .docx file itself as the request body (Content-Type: %(type)s)."), type=DOCX)
    data = request.get_data(cache=False)
    if not data:
        raise Invalid(N_("Send the .docx file itself as the request body (Content-Type: %(type)s)."), type=DOCX)
    mode = args.get("mode") or ("version" if "drafter" in roles else "review")
    plan = imports.plan_import(report, data, args["filename"], actor=u, roles=roles, mode=mode,
                               accept_other_report=args["accept_other_report"])
    db.session.commit()
    return ok({"report": report.id, **dict(plan.summary)}, status=201)


@bp.route("/reports/<int:report_id>/uploads/<int:plan_id>")
@bp.response(200, S.ImportPlanOut)
@bp.doc(**doc(404))
def get_upload(report_id: int, plan_id: int):
    """An upload's plan and its state (planned, confirmed, cancelled)."""
    u = user()
    report, _roles = workspace.load_for(u, report_id)
    plan = imports.get_plan(report, plan_id)
    return ok({"report": report.id, **dict(plan.summary), "state": plan.status})


@bp.route("/reports/<int:report_id>/uploads/<int:plan_id>/confirm", methods=["POST"])
@bp.arguments(S.ConfirmImport)
@bp.response(200, S.ImportDone)
@bp.doc(**doc(400, 403, 404, 409, 413, 415, 422))
def confirm_upload(data, report_id: int, plan_id: int):
    """Land the plan: the version whole with these choices, or nothing (409 while a conflict is
    left unsettled, with the list)."""
    u = user()
    report, roles = workspace.load_for(u, report_id)
    plan = imports.get_plan(report, plan_id)
    sections: dict = dict(data["sections"])
    sections.update({key: {"edit": text} for key, text in data["edits"].items()})
    summary = imports.confirm_import(plan.id, actor=u, roles=roles,
                                     choices={"resolve": data["resolve"], "sections": sections,
                                              "authors": data["authors"]})
    db.session.commit()
    return ok({"landed": True, **summary.as_dict()})


@bp.route("/reports/<int:report_id>/uploads/<int:plan_id>/cancel", methods=["POST"])
@bp.response(200, S.StateOut)
@bp.doc(**doc(403, 404, 409))
def cancel_upload(report_id: int, plan_id: int):
    """Cancel the plan: nothing of the file lands (the stored upload stays, listed in the history)."""
    u = user()
    report, _roles = workspace.load_for(u, report_id)
    plan = imports.get_plan(report, plan_id)
    imports.cancel_import(plan.id, actor=u)
    db.session.commit()
    return ok({"id": plan.id, "state": "cancelled", "actions": []})
