"""GET endpoints: who I am, reports, versions, comparisons, threads, findings, sign-off status,
exports.  Each loads the report with the pages' own ``workspace.load_for`` (404 when it is not
yours) and reads through the same services as the pages."""
from __future__ import annotations

from typing import Any

from flask import Response, g, jsonify

from ..formatting import lang
from ..report_templates import load_template
from ..services import api_reads, exports, findings, reports, signoff, suggestions, threads, versions, workspace
from ..services import compare as comparing
from ..services import matrix as matrix_service
from . import schemas as S
from . import serialize as J
from .blueprint import BEARER, bp, paginate, user

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def doc(*codes: int) -> dict[str, Any]:
    """The problem responses an endpoint may answer, for the OpenAPI document."""
    names = {400: "Bad request", 401: "No valid token", 403: "Not allowed", 404: "Not found, or not shared with you",
             409: "Conflict with the report's state", 412: "The object changed since you read it (current state)",
             413: "Body too large", 415: "Not JSON", 422: "Invalid data (errors per field)",
             428: "If-Match required", 429: "Too many requests (Retry-After)"}
    return {"security": BEARER, "responses": {
        str(c): {"description": names[c], "content": {"application/problem+json": {"schema": S.Problem}}}
        for c in sorted({401, 429, *codes})}}


def ok(data: Any, status: int = 200, etag: str | None = None) -> Response:
    response = jsonify(data)
    response.status_code = status
    if etag:
        response.headers["ETag"] = etag
    return response


@bp.route("/me")
@bp.response(200, S.Me)
@bp.doc(**doc())
def me():
    """The token's user and the token itself."""
    u, t = user(), g.api_token
    return ok({**J.person(u), "email": u.email, "language": u.language, "is_admin": bool(u.is_admin),
               "token": {"id": t.id, "name": t.name, "scope": t.scope, "expires_at": J.iso(t.expires_at)}})


@bp.route("/reports")
@bp.arguments(S.PageArgs, location="query")
@bp.response(200, S.ReportPage)
@bp.doc(**doc(400, 422))
def list_reports(args):
    """The reports you are a member of (administrators: every report), newest first."""
    u = user()
    mine = reports.reports_for(u)
    counts = workspace.open_thread_counts([r.id for r in mine], u)
    latest = api_reads.latest_numbers([r.id for r in mine])
    roles = api_reads.roles_by_report(u, [r.id for r in mine])

    def dump(r):
        return J.report_summary(r, roles.get(r.id, set()), latest.get(r.id, 0), counts.get(r.id, 0))
    return ok(paginate(mine, args, key=lambda r: r.id, dump=dump, descending=True))


@bp.route("/reports/<int:report_id>")
@bp.response(200, S.ReportDetail)
@bp.doc(**doc(404))
def get_report(report_id: int):
    """A report: its state, members, thread counts and the workflow actions open to you."""
    u = user()
    report, roles = workspace.load_for(u, report_id)
    latest = versions.latest_version(report)
    counts, _open = workspace.review_counts(report, u, latest)
    return ok(J.report_detail(report, roles, latest.number, counts, workspace.members(report), is_admin=u.is_admin))


@bp.route("/reports/<int:report_id>/versions")
@bp.arguments(S.PageArgs, location="query")
@bp.response(200, S.VersionPage)
@bp.doc(**doc(400, 404, 422))
def list_versions(args, report_id: int):
    """Every version, newest first, with who made it and which sections it changed."""
    report, _roles = workspace.load_for(user(), report_id)
    history = workspace.history(report)
    return ok(paginate(history, args, key=lambda vc: vc[0].number, dump=lambda vc: J.version_summary(*vc),
                       descending=True))


@bp.route("/reports/<int:report_id>/versions/<int:number>")
@bp.response(200, S.VersionDetail)
@bp.doc(**doc(404))
def get_version(report_id: int, number: int):
    """A version with every section's canonical text (paragraphs joined by "\\n", the offsets of
    threads) and its structure (blocks)."""
    report, _roles = workspace.load_for(user(), report_id)
    version = versions.get_version(report, number)
    contents = versions.version_contents(version)
    template = load_template(report.template_id)
    language = lang()
    sections = [J.section(f, contents[f.key], language) for f in template.fields(report.outcomes) if f.key in contents]
    return ok({**J.version_summary(version, versions.changed_sections(version)), "sections": sections})


@bp.route("/reports/<int:report_id>/compare")
@bp.arguments(S.CompareArgs, location="query")
@bp.response(200, S.Comparison)
@bp.doc(**doc(400, 404, 422))
def compare(args, report_id: int):
    """The word diff between two versions, per section that differs."""
    report, _roles = workspace.load_for(user(), report_id)
    language = lang()
    a, b, diffs = comparing.compare(report, args["from_"], args["to"], only=args.get("section") or None,
                                    lang=language)
    return ok({"from": a.number, "to": b.number, "sections": [
        {"key": d.field.key, "label": d.field.label_in(language), "chars_before": d.chars_before,
         "chars_after": d.chars_after, "ops": [{"op": op.kind, "text": op.text} for op in d.ops]}
        for d in diffs]})


def _filters(args) -> workspace.Filters:
    return workspace.Filters(status=args.get("status", ""), mine=bool(args.get("mine")),
                             reviewer=args.get("reviewer"), section=args.get("section", ""),
                             blocking=bool(args.get("blocking")), kind=args.get("kind", ""))


@bp.route("/reports/<int:report_id>/threads")
@bp.arguments(S.ThreadArgs, location="query")
@bp.response(200, S.ThreadPage)
@bp.doc(**doc(400, 404, 422))
def list_threads(args, report_id: int):
    """The threads you may see (internal threads of other organisations never), filtered as on
    the report page: by default what is left to do."""
    u = user()
    report, _roles = workspace.load_for(u, report_id)
    chosen = api_reads.filtered_threads(report, u, _filters(args), version_number=args.get("version"))
    return ok(paginate(chosen, args, key=lambda t: t.id, dump=J.thread))


@bp.route("/reports/<int:report_id>/threads/<int:thread_id>")
@bp.response(200, S.ThreadDetail)
@bp.doc(**doc(404))
def get_thread(report_id: int, thread_id: int):
    """A thread with its comments; its ETag is the If-Match of its state changes."""
    u = user()
    report, _roles = workspace.load_for(u, report_id)
    t = threads.get_thread(report, thread_id, viewer=u)
    comments = workspace.thread_comments([t.id]).get(t.id, [])
    return ok(J.thread_detail(t, comments), etag=J.thread_etag(t))


@bp.route("/reports/<int:report_id>/suggestions")
@bp.arguments(S.PageArgs, location="query")
@bp.response(200, S.ThreadPage)
@bp.doc(**doc(400, 404, 422))
def list_suggestions(args, report_id: int):
    """Suggested edits (threads of kind suggested_edit), open and decided."""
    u = user()
    report, _roles = workspace.load_for(u, report_id)
    items = sorted(suggestions.list_suggestions(report, viewer=u), key=lambda t: t.id)
    return ok(paginate(items, args, key=lambda t: t.id, dump=J.thread))


@bp.route("/reports/<int:report_id>/versions/<int:number>/findings")
@bp.response(200, S.Findings)
@bp.doc(**doc(404))
def version_findings(report_id: int, number: int):
    """What the template's checks find on a version, with the drafters' explanations."""
    report, _roles = workspace.load_for(user(), report_id)
    version = versions.get_version(report, number)
    found = findings.findings_for(report, version)
    notes = findings.notes(report)
    language = lang()
    return ok({"version": version.number, "summary": findings.summary(found),
               "items": [J.finding(f, language, notes) for f in found]})


@bp.route("/reports/<int:report_id>/signoff")
@bp.response(200, S.SignoffStatus)
@bp.doc(**doc(404))
def signoff_status(report_id: int):
    """Sign-off requirements on the latest version and who signed what."""
    report, _roles = workspace.load_for(user(), report_id)
    people, latest = signoff.signed_version_state(report)
    return ok({"state": report.state, "version": latest.number,
               "requirements": [J.requirement(r) for r in signoff.requirements(report, latest)],
               "signatures": [J.signature(p, s) for p, s in people], "all_signed": signoff.all_signed(report, latest)})


def _matrix_rows(report_id: int):
    u = user()
    report, _roles = workspace.load_for(u, report_id)
    language = lang()
    return report, language, matrix_service.rows(report, u, lang=language, filters=workspace.Filters(status="all"))


@bp.route("/reports/<int:report_id>/matrix")
@bp.response(200, S.MatrixOut)
@bp.doc(**doc(404))
def matrix(report_id: int):
    """The comment–response matrix (every thread you may see): its columns and rows."""
    _report, language, rows = _matrix_rows(report_id)
    return ok({"columns": list(matrix_service.HEADERS[language]), "rows": [r.cells() for r in rows]})


@bp.route("/reports/<int:report_id>/matrix.csv")
@bp.response(200, content_type="text/csv", description="The comment–response matrix as CSV")
@bp.doc(**doc(404))
def matrix_csv(report_id: int):
    """The comment–response matrix as CSV (as the page's download)."""
    report, language, rows = _matrix_rows(report_id)
    return Response(matrix_service.to_csv(rows, lang=language), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="matrix-report-{report.id}.csv"'})


@bp.route("/reports/<int:report_id>/export.docx")
@bp.arguments(S.ExportArgs, location="query")
@bp.response(200, content_type=DOCX_MIME, description="The Word file with the threads as comments")
@bp.doc(**doc(404, 422))
def export_docx(args, report_id: int):
    """A Word file of a version with the threads you may see as Word comments."""
    u = user()
    report, _roles = workspace.load_for(u, report_id)
    options = exports.ExportOptions(version=args.get("version"), include_resolved=args["resolved"],
                                    lang=lang())
    data, filename, _kind = exports.export_docx(report, viewer=u, actor=u, options=options)
    return Response(data, mimetype=DOCX_MIME, headers={"Content-Disposition": f'attachment; filename="{filename}"'})

