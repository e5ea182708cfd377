"""Report pages: my reports, new report, the report and its versions, section editing."""
from __future__ import annotations

from datetime import date

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from .. import content as C
from .. import permissions as P
from .. import workflow
from ..diffing import diff_words
from ..errors import int_arg, translated
from ..extensions import db
from ..formatting import lang
from ..models import Report
from ..rendering import section_html
from ..report_templates import Field, load_template
from ..services import accounts, audit, editing, exports, imports, reports, signoff, workspace
from ..services import compare as comparing
from ..services import matrix as matrix_service
from ..services import suggestions as suggestion_service
from ..services import versions as version_service
from ..services.errors import N_, Conflict, Forbidden, Invalid, StaleVersion
from ..services.types import Blocks
from .forms import RECIPIENT_ROWS, NewReportForm, blocks_from_form, recipients_from, table_columns, table_rows

bp = Blueprint("reports", __name__)
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@bp.before_request
@login_required
def require_login() -> None:
    return None


@bp.route("/")
def index() -> ResponseReturnValue:
    mine = reports.reports_for(current_user)
    roles = {r.id: accounts.roles_on(current_user, r) for r in mine}
    open_counts = workspace.open_thread_counts([r.id for r in mine], current_user)
    latest = {r.id: version_service.latest_version(r) for r in mine}
    return render_template("reports/index.html", reports=mine, roles=roles, open_counts=open_counts,
                           latest=latest, can_create=P.can_create_report(current_user.is_admin,
                                                                         current_user.organisation_id))


@bp.route("/reports/new", methods=["GET", "POST"])
def new_report() -> ResponseReturnValue:
    if not P.can_create_report(current_user.is_admin, current_user.organisation_id):
        raise Forbidden(N_("Only members of an organisation can create reports."))
    form = NewReportForm()
    if request.method == "GET":
        form.year.data = form.year.data or date.today().year
    status = 200
    if form.validate_on_submit():
        try:
            project = reports.create_project(
                actor=current_user, title=form.title.data, gateway_numbers=form.gateway_numbers.data,
                countries=form.countries.data, first_transfer_date=form.first_transfer_date.data,
                end_date=form.end_date.data, recipients=recipients_from(request.form))
            report = reports.create_report(project, actor=current_user, report_type=form.report_type.data,
                                           year=form.year.data, outcomes=form.outcomes.data)
            accounts.add_member(report, current_user, "drafter", actor=current_user)
        except Invalid as exc:
            db.session.rollback()
            flash(translated(exc), "error")
            return render_template("reports/new.html", form=form, rows=RECIPIENT_ROWS), 400
        db.session.commit()
        flash(_("Report created. You are its drafter; an administrator can add reviewers and approvers."), "info")
        return redirect(url_for("reports.show", report_id=report.id))
    elif request.method == "POST":
        status = 400
    return render_template("reports/new.html", form=form, rows=RECIPIENT_ROWS), status


def _page(report_id: int, number: int | None = None) -> ResponseReturnValue:
    report, roles = workspace.load_for(current_user, report_id)
    filters = workspace.Filters.from_args(request.args)
    tid = _small_int(request.args.get("t", ""))
    if tid is not None and not filters.section:   # a line of the pane: its section, at its card
        filters.section = workspace.thread_section_key(report, current_user, tid) or ""
    # A long review: the thread cards come when their section is scrolled to (the review pane
    # lists them all); a short one, or one section (CARDS_PAGE cards at a time), has its cards in the page.
    page = workspace.report_page(report, current_user, roles, number, filters,
                                 start=_small_int(request.args.get("start", "")) or 0, focus=tid)
    if audit.admin_read_internal(report, current_user, page.threads):    # an admin reads another org's threads
        db.session.commit()
    shown = page.cards + page.elsewhere
    comments = workspace.thread_comments([t.id for t in shown])
    pane: dict[str, list[workspace.PaneItem]] = {}
    for item in workspace.pane_items(page.threads, page.keys):
        pane.setdefault(item.section_key, []).append(item)
    on_latest = page.version.id == page.latest.id
    ctx = dict(page=page, comments=comments, section_html=section_html, lazy=page.lazy, pane=pane,
               folded=_folded_parts(page),
               wide={pv.part.id for pv in page.parts if any(s.field.is_table and s.field.key == "results_framework"
                                                            for s in pv.sections)},
               can_edit=P.can_edit_sections(roles, report.state) and on_latest,
               can_comment=P.can_comment(roles) and on_latest,
               is_reviewer=bool(roles & {"reviewer", "approver"}), is_drafter="drafter" in roles,
               resolvable=workspace.resolvable(shown, current_user, roles, report),
               actions=workflow.available_actions(report.state, roles) if on_latest else [],
               since=comparing.last_reviewed_version(report, current_user)
               if roles & {"reviewer", "approver"} else None,
               override=signoff.overrides_in_force(report),
               **_suggested_edits(report, shown, roles, on_latest, page.filters))
    if (request.headers.get("HX-Request") == "true" and not request.headers.get("HX-Boosted")
            and not request.headers.get("HX-History-Restore-Request")):   # back button: the whole page
        resp = make_response(render_template("reports/_filtered.html", **ctx))
    else:
        resp = make_response(render_template("reports/show.html", **ctx))
    resp.vary.add("HX-Request")      # one address, two answers: caches must keep them apart
    return resp


def _small_int(raw: str) -> int | None:
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None


def _folded_parts(page: workspace.ReportPage) -> set[str]:
    """Parts shown folded at first: the cover page once every required field of it is filled
    (and no thread is left on it)."""
    empty = set(page.required_empty)
    out = set()
    for pv in page.parts:
        if pv.part.id == "cover" and not any(s.field.key in empty or s.threads for s in pv.sections):
            out.add(pv.part.id)
    return out


@bp.route("/reports/<int:report_id>/versions/<int:number>/cards")
def cards(report_id: int, number: int) -> ResponseReturnValue:
    """Thread cards for a set of ids (``?ids=1,2,3``: the review pane asks for them), or the next
    cards of one section's column (``?section=key&start=50`` and the page's filters: a lazy column
    asks for them when it is scrolled to, CARDS_PAGE at a time)."""
    report, roles = workspace.load_for(current_user, report_id)
    key = request.args.get("section", "")[:80]
    if key:
        view = workspace.section_cards(report, current_user, roles, key, workspace.Filters.from_args(request.args),
                                       _small_int(request.args.get("start", "")) or 0, number)
    else:
        raw = request.args.get("ids", "")[:4000].split(",")
        ids = [int(x) for x in raw if x.isascii() and x.isdigit() and len(x) < 10]
        view = workspace.thread_cards(report, current_user, roles, ids, number)
    on_latest = view.version.id == view.latest.id
    return render_template("reports/_cards.html", page=view, comments=view.comments,
                           can_comment=P.can_comment(roles) and on_latest,
                           is_reviewer=bool(roles & {"reviewer", "approver"}), is_drafter="drafter" in roles,
                           resolvable=view.resolvable, back=url_for("reports.show", report_id=report.id),
                           **_suggested_edits(report, view.threads, roles, on_latest))


def _suggested_edits(report, threads, roles: set[str], on_latest: bool,
                     filters: workspace.Filters | None = None) -> dict:
    """What the page shows of suggested edits: who may suggest or decide, each open one's effect
    on its section's count, and how many are open per section (for the batch decisions)."""
    shown = [t for t in threads if t.kind == "suggested_edit" and t.decision is None]
    can_decide = P.can_decide_suggested_edit(roles, report.state) and on_latest
    return {"can_suggest": P.can_suggest_edit(roles, report.state) and on_latest, "can_decide": can_decide,
            "suggestion_effects": suggestion_service.effects(shown),
            "open_edits": suggestion_service.open_counts(report, current_user,
                                                         author_id=filters.reviewer if filters else None)
            if can_decide else {}}


@bp.route("/reports/<int:report_id>")
def show(report_id: int) -> ResponseReturnValue:
    return _page(report_id)


@bp.route("/reports/<int:report_id>/versions/<int:number>")
def show_version(report_id: int, number: int) -> ResponseReturnValue:
    return _page(report_id, number)


@bp.route("/reports/<int:report_id>/versions/<int:number>/unmapped")
def unmapped(report_id: int, number: int) -> ResponseReturnValue:
    """A version's content that matches no question of the template, a page at a time."""
    report, _roles = workspace.load_for(current_user, report_id)
    part = workspace.unmapped(version_service.get_version(report, number),
                              _small_int(request.args.get("start", "")) or 0)
    if part is None:
        abort(404)
    return render_template("reports/unmapped.html", report=report, part=part, section_html=section_html,
                           page_size=workspace.UNMAPPED_PAGE)


@bp.route("/reports/<int:report_id>/compare")
def compare(report_id: int) -> ResponseReturnValue:
    report, roles = workspace.load_for(current_user, report_id)
    latest = version_service.latest_version(report)
    to = int_arg(request.args.get("to"), "to", latest.number)
    frm = int_arg(request.args.get("from"), "from", max(1, to - 1))
    a, b, diffs = comparing.compare(report, frm, to, only=request.args.get("section") or None, lang=lang())
    return render_template("reports/compare.html", report=report, a=a, b=b, diffs=diffs, latest=latest,
                           numbers=list(range(1, latest.number + 1)))


@bp.route("/reports/<int:report_id>/versions")
def versions(report_id: int) -> ResponseReturnValue:
    report, roles = workspace.load_for(current_user, report_id)
    return render_template("reports/versions.html", report=report, history=workspace.history(report),
                           template=load_template(report.template_id))


@bp.route("/reports/<int:report_id>/sections/<path:key>/edit", methods=["GET", "POST"])
def edit_section(report_id: int, key: str) -> ResponseReturnValue:
    report, roles = workspace.load_for(current_user, report_id)
    if not P.can_edit_sections(roles, report.state):
        raise Forbidden(N_("Only the report's drafters can edit it, and only while it is not approved or withdrawn."))
    field, latest, content = workspace.section_for_edit(report, key)
    open_threads = workspace.section_threads(report, current_user, latest, key)
    chosen = {int(x) for x in request.form.getlist("addressed") if x.isascii() and x.isdigit() and len(x) < 10}
    chosen &= {t.id for t in open_threads if t.status == "open"}
    ctx = dict(report=report, field=field, latest=latest, base=latest.number, conflict=None,
               options=_options(report, field), columns=_column_labels(report, field, content.blocks),
               open_threads=open_threads, first_words=workspace.first_words([t.id for t in open_threads]),
               addressed=chosen)
    if request.method == "GET":
        return render_template("reports/edit.html", text=C.editor_text(content.blocks),
                               rows=table_rows(field, content.blocks), selected=_selected(field, content.blocks),
                               **ctx)
    base = int_arg(request.form.get("base_version"), "base_version")
    if base is None:
        abort(400)
    blocks = blocks_from_form(field, request.form, content.blocks)
    if request.form.get("add_row"):  # a new empty table row: show the form again, nothing saved
        return render_template("reports/edit.html", text="", rows=table_rows(field, blocks), selected=[],
                               **{**ctx, "base": base})
    try:
        version = editing.save_sections(report, {key: blocks}, actor=current_user, roles=roles, base_number=base,
                                        note=request.form.get("note", "")[:500], addressed=sorted(chosen))
    except StaleVersion as exc:
        db.session.rollback()
        if "theirs" not in exc.details:   # saved at the same instant: read what won
            _f, now_latest, now_content = workspace.section_for_edit(report, key)
            exc.details.update(latest=now_latest.number, theirs={key: now_content.text})
            latest = now_latest
        theirs = exc.details["theirs"].get(key, "")
        ctx.update(conflict=exc, base=latest.number, latest=latest)
        return render_template("reports/edit.html", text=C.editor_text(blocks), rows=table_rows(field, blocks),
                               selected=_selected(field, blocks), theirs=theirs,
                               ops=diff_words(theirs, C.blocks_text(blocks)), **ctx), 409
    except Invalid as exc:
        db.session.rollback()
        flash(translated(exc), "error")
        return render_template("reports/edit.html", text=C.editor_text(blocks), rows=table_rows(field, blocks),
                               selected=_selected(field, blocks), **{**ctx, "base": base}), 400
    db.session.commit()
    if version is None:
        flash(_("Nothing changed: no new version was created."), "info")
        if chosen:
            flash(_("No thread was marked as addressed: there is no new version to address them in."), "warning")
    else:
        marked = sum(1 for t in open_threads if t.id in chosen)
        if marked:
            flash(ngettext("%(num)s thread marked as addressed in version %(v)s.",
                           "%(num)s threads marked as addressed in version %(v)s.", marked, v=version.number),
                  "info")
        count = C.count(C.blocks_text(blocks))
        if field.limit and count.with_spaces > field.limit:
            flash(_("Saved as version %(n)s. This section is over its limit: %(count)s / %(limit)s characters.",
                    n=version.number, count=count.with_spaces, limit=field.limit), "warning")
        else:
            flash(_("Saved as version %(n)s.", n=version.number), "info")
    return redirect(url_for("reports.show", report_id=report.id) + "#s-" + key.replace(".", "-"))


def _column_labels(report: Report, field: Field, blocks: Blocks) -> list[tuple[str, str]]:
    """(id, label) of each column of a table section, in the user's language."""
    if not field.is_table:
        return []
    labels = load_template(report.template_id).column_labels(field.key)
    return [(cid, labels.get(cid, {"fr": cid, "en": cid}).get(lang()) or cid)
            for cid in table_columns(field, blocks)]


def _options(report: Report, field: Field) -> list[tuple[str, str]]:
    if not field.options:
        return []
    return load_template(report.template_id).options(field.options, lang())


def _selected(field: Field, blocks: Blocks) -> list[str]:
    return [p.get("text", "") for p in C.iter_paragraphs(blocks) if p.get("text")]


@bp.route("/reports/<int:report_id>/upload", methods=["GET", "POST"])
def upload(report_id: int) -> ResponseReturnValue:
    """Upload a Word file: drafters as a new version, reviewers as review comments."""
    report, roles = workspace.load_for(current_user, report_id)
    latest = version_service.latest_version(report)
    can_version = P.can_upload_version(roles, report.state)
    if request.method == "GET":
        return render_template("reports/upload.html", report=report, latest=latest, can_version=can_version,
                               roles=roles)
    f = request.files.get("file")
    mode = request.form.get("mode") or ("version" if can_version else "review")
    status, other_report = 400, False
    if f is None or not f.filename:
        flash(_("Choose a Word file (.docx) to upload."), "error")
    else:
        data = f.read()
        try:
            plan = imports.plan_import(report, data, f.filename, actor=current_user, roles=roles, mode=mode,
                                       accept_other_report=request.form.get("accept_other_report") == "1")
        except (Invalid, StaleVersion) as exc:
            db.session.rollback()
            flash(translated(exc), "error")
            other_report = exc.details.get("code") == "other_report"
            status = 409 if isinstance(exc, StaleVersion) else 400
        else:
            db.session.commit()
            return redirect(url_for("reports.import_preview", report_id=report.id, plan_id=plan.id))
    return render_template("reports/upload.html", report=report, latest=latest, can_version=can_version,
                           roles=roles, other_report=other_report), status


@bp.route("/reports/<int:report_id>/imports/<int:plan_id>")
def import_preview(report_id: int, plan_id: int) -> ResponseReturnValue:
    """What an uploaded file would change, before anything lands: confirm or cancel."""
    report, roles = workspace.load_for(current_user, report_id)
    preview = imports.get_preview(report, plan_id, viewer=current_user, lang=lang())
    if preview.plan.status == "confirmed":
        return redirect(url_for("reports.upload_summary", report_id=report.id, upload_id=preview.plan.upload_id))
    if preview.plan.status == "cancelled":
        return redirect(url_for("reports.show", report_id=report.id))
    return render_template("reports/import_preview.html", report=report, p=preview, s=preview.summary,
                           template=load_template(report.template_id))


@bp.route("/reports/<int:report_id>/imports/<int:plan_id>/confirm", methods=["POST"])
def import_confirm(report_id: int, plan_id: int) -> ResponseReturnValue:
    report, roles = workspace.load_for(current_user, report_id)
    plan = imports.get_plan(report, plan_id)
    form = request.form
    sections: dict = {}
    for name, value in form.items():
        if name.startswith("choice:"):
            key = name.split(":", 1)[1]
            if value == "edit":
                sections[key] = {"edit": form.get("edit:" + key, "")}
            elif value in ("keep", "file"):
                sections[key] = value
        elif name.startswith("clear:") and value == "1":
            sections[name.split(":", 1)[1]] = {"clear": True}
    authors = {}
    for name, value in form.items():
        if name.startswith("author:") and value.isdigit():
            authors[name.split(":", 1)[1]] = int(value)
    try:
        summary = imports.confirm_import(plan.id, actor=current_user, roles=roles,
                                         choices={"sections": sections, "authors": authors})
    except (Conflict, Invalid) as exc:
        db.session.rollback()
        flash(translated(exc), "error")
        preview = imports.get_preview(report, plan_id, viewer=current_user, lang=lang())
        return render_template("reports/import_preview.html", report=report, p=preview, s=preview.summary,
                               template=load_template(report.template_id)), 409 if isinstance(exc, Conflict) else 400
    db.session.commit()
    return redirect(url_for("reports.upload_summary", report_id=report.id, upload_id=summary.upload_id))


@bp.route("/reports/<int:report_id>/imports/<int:plan_id>/cancel", methods=["POST"])
def import_cancel(report_id: int, plan_id: int) -> ResponseReturnValue:
    report, roles = workspace.load_for(current_user, report_id)
    plan = imports.get_plan(report, plan_id)
    imports.cancel_import(plan.id, actor=current_user)
    db.session.commit()
    flash(_("Import cancelled: nothing changed in the report (the file is kept with the uploads)."), "info")
    return redirect(url_for("reports.show", report_id=report.id))


@bp.route("/reports/<int:report_id>/uploads/<int:upload_id>")
def upload_summary(report_id: int, upload_id: int) -> ResponseReturnValue:
    report, roles = workspace.load_for(current_user, report_id)
    event, version, summary = workspace.upload_summary(report, upload_id)
    return render_template("reports/upload_summary.html", report=report, s=summary, event=event, version=version,
                           template=load_template(report.template_id))


@bp.route("/reports/<int:report_id>/matrix.<fmt>")
def matrix(report_id: int, fmt: str) -> ResponseReturnValue:
    """The comment–response matrix (CSV or Word), filtered like the report page."""
    report, roles = workspace.load_for(current_user, report_id)
    if fmt not in ("csv", "docx"):
        abort(404)
    args = request.args.to_dict()
    args.setdefault("status", "all")
    rows = matrix_service.iter_rows(report, current_user, lang=lang(), filters=workspace.Filters.from_args(args),
                                    shared_only=args.get("shared") == "1")
    name = f"matrice-rapport-{report.id}" if lang() == "fr" else f"matrix-report-{report.id}"
    if fmt == "csv":   # streamed: the rows are loaded and written a chunk at a time
        return Response(stream_with_context(matrix_service.iter_csv_lines(rows, lang=lang())),
                        mimetype="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
    return Response(matrix_service.to_docx(report, rows, lang=lang()), mimetype=DOCX_MIME,
                    headers={"Content-Disposition": f'attachment; filename="{name}.docx"'})


@bp.route("/reports/<int:report_id>/export.docx")
def export_docx(report_id: int) -> ResponseReturnValue:
    """A Word file of a version with its threads (the uploaded original, or a generated document)."""
    report, roles = workspace.load_for(current_user, report_id)
    a = request.args
    number = int_arg(a.get("version"), "version")
    kind = a.get("kind", "auto")
    options = exports.ExportOptions(version=number, include_resolved=a.get("resolved", "1") == "1",
                                    shared_only=a.get("shared") == "1", clean=a.get("clean") == "1",
                                    kind=kind if kind in ("original", "generated") else "auto", lang=lang())
    data, filename, _kind = exports.export_docx(report, viewer=current_user, actor=current_user, options=options)
    db.session.commit()
    return Response(data, mimetype=DOCX_MIME, headers={"Content-Disposition": f'attachment; filename="{filename}"'})
