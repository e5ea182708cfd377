"""The budget workbook: attach one to the next version, download a version's, comment on a cell.

Thin views (parse, load, authorise, call one service, commit, render).  The report page shows
the workbook through ``workspace.report_page`` (``page.workbook``) and the include
``templates/reports/_workbook.html``.
"""

from __future__ import annotations

from io import BytesIO

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from .. import permissions as P
from ..errors import int_arg, translated
from ..extensions import db
from ..formatting import lang
from ..models import Report, Thread
from ..safeurl import safe_next
from ..services import threads, workbook_files, workbooks, workspace
from ..services import versions as version_service
from ..services.errors import N_, Forbidden, Invalid, StaleVersion

bp = Blueprint("budget", __name__)


@bp.before_request
@login_required
def require_login() -> None:
    return None


@bp.app_template_filter("amount")
def amount(value: object) -> str:
    """An amount in the reader's language: 1 245 996 / 1 245 996,50 (French), 1,245,996.50 (English)."""
    if value is None or value == "":
        return ""
    try:
        integral = value == int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError, OverflowError):
        return str(value)
    return format_decimal(value, format="#,##0" if integral else "#,##0.00")


bp.add_app_template_filter(translated, "translated")


@bp.app_template_filter("cell_value")
def cell_value(value: str | None) -> str:
    """A cell's value as stored with a thread (text), numbers in the reader's language."""
    return workbook_files.format_value(value or "", lang())


def _report_page(report: Report, thread: Thread | None = None) -> WerkzeugResponse:
    anchor = f"#t-{thread.id}" if thread is not None else "#workbook"
    target = safe_next(request.form.get("back") or "")
    if target and target.startswith(f"/reports/{report.id}"):
        return redirect(target.split("#")[0] + anchor)
    return redirect(url_for("reports.show", report_id=report.id) + anchor)


@bp.route("/reports/<int:report_id>/workbook", methods=["GET", "POST"])
def attach(report_id: int) -> ResponseReturnValue:
    """Attach a budget workbook (.xlsx) to the next version (drafters)."""
    report, roles = workspace.load_for(current_user, report_id)
    latest = version_service.latest_version(report)
    can_attach = P.can_upload_version(roles, report.state)
    current = workbook_files.workbook_of(latest)
    if request.method == "GET":
        return render_template(
            "reports/workbook.html", report=report, latest=latest, current=current, can_attach=can_attach
        )
    if not can_attach:
        raise Forbidden(
            N_(
                "Only the report's drafters can attach the budget workbook, and only while the "
                "report can be edited."
            )
        )
    f = request.files.get("file")
    status = 400
    if f is None or not f.filename:
        flash(_("Choose the budget workbook (.xlsx) to attach."), "error")
    else:
        data = f.read()
        base = int_arg(request.form.get("base_version"), "base_version", latest.number)
        try:
            result = workbooks.attach_workbook(
                report, data, f.filename, actor=current_user, roles=roles, base_number=base
            )
        except (Invalid, StaleVersion) as exc:
            db.session.rollback()
            flash(translated(exc), "error")
            status = 409 if isinstance(exc, StaleVersion) else 400
        else:
            db.session.commit()
            if result.unchanged:
                flash(
                    _(
                        "This workbook is already attached to version %(n)s: no new version was created.",
                        n=result.on_version,
                    ),
                    "info",
                )
            else:
                found = len(result.tables)
                flash(
                    ngettext(
                        "Budget workbook attached: version %(n)s created, %(num)s budget table found.",
                        "Budget workbook attached: version %(n)s created, %(num)s budget tables found.",
                        found,
                        n=result.version,
                    ),
                    "info" if found else "warning",
                )
            if result.warnings:
                flash(
                    ngettext(
                        "The workbook gave %(num)s warning: see the budget section.",
                        "The workbook gave %(num)s warnings: see the budget section.",
                        len(result.warnings),
                    ),
                    "warning",
                )
            return _report_page(report)
    return render_template(
        "reports/workbook.html", report=report, latest=latest, current=current, can_attach=can_attach
    ), status


@bp.route("/reports/<int:report_id>/versions/<int:number>/workbook")
def download(report_id: int, number: int) -> ResponseReturnValue:
    """The workbook a version carries, byte for byte as it was uploaded."""
    report, _roles = workspace.load_for(current_user, report_id)
    data, name = workbook_files.download(report, version_service.get_version(report, number))
    return send_file(
        BytesIO(data), mimetype=workbook_files.XLSX_MIME, as_attachment=True, download_name=name, max_age=0
    )


@bp.route("/reports/<int:report_id>/cell-threads", methods=["POST"])
def open_cell_thread(report_id: int) -> ResponseReturnValue:
    """Open a thread on a cell or range of the latest version's workbook."""
    report, roles = workspace.load_for(current_user, report_id)
    f = request.form
    thread = threads.open_thread(
        report,
        actor=current_user,
        roles=roles,
        section_key="",
        body=f.get("body", ""),
        version_number=int_arg(f.get("version"), "version"),
        severity=f.get("severity") or "normal",
        internal_org_id=current_user.organisation_id if f.get("internal") else None,
        cell=(f.get("sheet", "")[:100], f.get("cell", "")[:40]),
    )
    db.session.commit()
    flash(_("Comment added."), "info")
    return _report_page(report, thread)


@bp.route("/reports/<int:report_id>/threads/<int:thread_id>/reattach-cell", methods=["POST"])
def reattach_cell(report_id: int, thread_id: int) -> ResponseReturnValue:
    """Put a thread on a workbook cell (orphaned, or on the wrong cell) on the cell chosen."""
    report, roles = workspace.load_for(current_user, report_id)
    thread = threads.get_thread(report, thread_id, viewer=current_user)
    f = request.form
    threads.reattach_cell(
        thread,
        actor=current_user,
        roles=roles,
        sheet=f.get("sheet", "")[:100],
        ref=f.get("cell", "")[:40],
        version_number=int_arg(f.get("version"), "version"),
    )
    db.session.commit()
    flash(_("The thread is on its new cell."), "info")
    return _report_page(report, thread)
