"""flask commands: users, reports, members, demo (and Word import/export where available).

Every command commits once at the end, prints JSON or one line, and exits non-zero with a
one-line reason (no traceback) when the input is wrong.
"""

import click
from flask.cli import AppGroup
from sqlalchemy import select

from . import jobs
from .cli_docx import docx_cli
from .cli_suggestions import COMMANDS as SUGGESTION_COMMANDS
from .cli_tokens import tokens_cli
from .clitools import emit
from .clitools import read_file as _read_file
from .extensions import db
from .services import accounts, reports, versions
from .services.errors import ServiceError

users_cli = AppGroup("users", help="Manage user accounts.")
reports_cli = AppGroup("reports", help="Create and inspect reports.")
members_cli = AppGroup("members", help="Give users a role on a report.")
demo_cli = AppGroup("demo", help="Demo data.")
jobs_cli = AppGroup("jobs", help="The job queue (RQ on Redis when REVIEWFLOW_REDIS_URL is set).")


def fail(message):
    db.session.rollback()
    raise click.ClickException(message)


@users_cli.command("create")
@click.argument("email")
@click.option("--name", required=True)
@click.option("--org", "org", default=None, help="Organisation name (created if new).")
@click.option("--password", required=True)
@click.option("--admin", is_flag=True, default=False)
@click.option("--lang", "language", type=click.Choice(["fr", "en"]), default="fr")
def users_create(email, name, org, password, admin, language):
    """Create a user account."""
    try:
        user = accounts.create_user(email, name=name, password=password, org_name=org, is_admin=admin,
                                    language=language)
    except ServiceError as exc:
        fail(str(exc))
    db.session.commit()
    emit({"id": user.id, "email": user.email, "name": user.name,
          "organisation": user.organisation.name if user.organisation else None, "admin": user.is_admin})


@reports_cli.command("create")
@click.option("--project", "project_title", required=True, help="Project title (an existing project is reused).")
@click.option("--template", "template_id", default="pbf", show_default=True)
@click.option("--type", "report_type", type=click.Choice(["semi_annual", "annual", "final"]), required=True)
@click.option("--year", type=int, required=True)
@click.option("--outcomes", type=int, default=None, help="Number of outcomes (Part II blocks).")
def reports_create(project_title, template_id, report_type, year, outcomes):
    """Create a report (and its project if new); prints the report as JSON."""
    from .models import Project
    try:
        project = db.session.scalar(select(Project).where(Project.title == project_title.strip()))
        if project is None:
            project = reports.create_project(actor=None, title=project_title)
        report = reports.create_report(project, actor=None, template_id=template_id, report_type=report_type,
                                       year=year, outcomes=outcomes)
    except ServiceError as exc:
        fail(str(exc))
    db.session.commit()
    emit(report_json(report))


def report_json(report):
    latest = versions.latest_version(report)
    return {"id": report.id, "project": report.project.title, "project_id": report.project_id,
            "template": report.template_id, "type": report.report_type, "year": report.year,
            "state": report.state, "outcomes": report.outcomes, "version": latest.number if latest else None,
            "sections": [s.key for s in report.sections]}


def _report_and_actor(report_id, email):
    report = versions.get_report(report_id)
    actor = accounts.user_by_email(email) if email else None
    roles = accounts.roles_on(actor, report) if actor else set()
    return report, actor, roles


@reports_cli.command("checks")
@click.argument("report_id", type=int)
@click.option("--version", "number", type=int, default=None, help="Version number (default: the latest).")
def reports_checks(report_id, number):
    """Print the template checks' findings on a version as JSON."""
    from .services import findings
    try:
        report = versions.get_report(report_id)
        version = versions.get_version(report, number) if number else versions.latest_version(report)
        found = findings.findings_for(report, version)
    except ServiceError as exc:
        fail(str(exc))
    emit({"report": report.id, "version": version.number, "summary": findings.summary(found),
          "findings": [f.to_dict() for f in found]})


@reports_cli.command("status")
@click.argument("report_id", type=int)
def reports_status(report_id):
    """Print the workflow state, thread counts and the sign-off requirements as JSON."""
    from .models import Thread
    from .services import signoff
    try:
        report = versions.get_report(report_id)
    except ServiceError as exc:
        fail(str(exc))
    latest = versions.latest_version(report)
    counts = {"by_status": {}, "by_severity": {}, "by_anchor": {}}
    edits: dict[str, int] = {}
    for t in db.session.scalars(select(Thread).where(Thread.report_id == report.id)):
        if t.suggestion_status is not None:
            edits[t.suggestion_status] = edits.get(t.suggestion_status, 0) + 1
        counts["by_status"][t.status] = counts["by_status"].get(t.status, 0) + 1
        if t.status != "resolved":
            counts["by_severity"][t.severity] = counts["by_severity"].get(t.severity, 0) + 1
            counts["by_anchor"][t.anchor_status] = counts["by_anchor"].get(t.anchor_status, 0) + 1
    people, _latest = signoff.signed_version_state(report)
    emit({"report": report.id, "state": report.state, "version": latest.number, "threads": counts,
          "suggested_edits": edits,
          "signoff": {"requirements": [{"code": r.code, "met": r.met, "count": r.count, "blocks": r.blocks}
                                       for r in signoff.requirements(report, latest)],
                      "approvers": [{"email": u.email, "decision": s.decision if s else None,
                                     "version": s.version.number if s else None,
                                     "override": bool(s and s.override_justification)} for u, s in people]}})


@reports_cli.command("workflow")
@click.argument("report_id", type=int)
@click.argument("action", type=click.Choice(["submit", "start_review", "request_changes", "resubmit", "reopen",
                                             "withdraw", "restore"]))
@click.option("--as", "email", required=True, help="E-mail of the member who acts.")
@click.option("--note", default="")
def reports_workflow(report_id, action, email, note):
    """Move a report through its workflow as one of its members."""
    from .services import transitions
    from .workflow import WorkflowError
    try:
        report, actor, roles = _report_and_actor(report_id, email)
        transitions.act(report, action, actor=actor, roles=roles, note=note)
    except (ServiceError, WorkflowError) as exc:
        fail(str(exc))
    db.session.commit()
    emit({"report": report.id, "state": report.state})


@reports_cli.command("signoff")
@click.argument("report_id", type=int)
@click.option("--as", "email", required=True, help="E-mail of the approver.")
@click.option("--version", "number", type=int, default=None, help="Version to sign (default: the latest).")
@click.option("--decision", type=click.Choice(["approve", "reject"]), default="approve")
@click.option("--note", default="")
@click.option("--override", default="", help="Written justification to sign while requirements fail.")
def reports_signoff(report_id, email, number, decision, note, override):
    """Sign off (or reject) a version as an approver."""
    from .services import signoff
    from .workflow import WorkflowError
    try:
        report, actor, roles = _report_and_actor(report_id, email)
        number = number or versions.latest_version(report).number
        s = signoff.sign(report, actor=actor, roles=roles, version_number=number, decision=decision, note=note,
                         override=override)
    except (ServiceError, WorkflowError) as exc:
        fail(str(exc))
    db.session.commit()
    emit({"report": report.id, "version": number, "decision": s.decision, "override": bool(s.override_justification),
          "state": report.state})


@members_cli.command("add")
@click.argument("report_id", type=int)
@click.argument("email")
@click.option("--role", type=click.Choice(["drafter", "reviewer", "approver"]), required=True)
@click.option("--lead", is_flag=True, default=False, help="Reviewer lead (may resolve colleagues' threads).")
def members_add(report_id, email, role, lead):
    """Give a user a role on a report."""
    try:
        report = versions.get_report(report_id)
        user = accounts.user_by_email(email)
        m = accounts.add_member(report, user, role, actor=None, is_lead=lead)
    except ServiceError as exc:
        fail(str(exc))
    db.session.commit()
    emit({"report": report.id, "user": user.email, "role": m.role, "lead": m.is_lead})


@demo_cli.command("load")
@click.option("--threads", "extra_threads", type=click.IntRange(0, 5000), default=0,
              help="Add this many review threads to the demo report (to try a long review).")
@click.option("--url", default=None, help="The address the demo is served on (printed with the logins).")
def demo_load(extra_threads, url):
    """Create the demo project, report and users (once; running it again changes nothing)."""
    from .demo import add_review_threads, demo_report, load_demo
    try:
        created, logins = load_demo()
        if extra_threads and created:   # once, with the demo (make run again adds nothing)
            add_review_threads(demo_report(), extra_threads)
    except ServiceError as exc:
        fail(str(exc))
    db.session.commit()
    click.echo("Demo data " + ("created." if created else "already present (nothing changed)."))
    if extra_threads and created:
        click.echo(f"{extra_threads} review threads added to the demo report.")
    from flask import current_app
    url = url or current_app.config.get("BASE_URL") or "http://127.0.0.1:5000"
    click.echo("Log in at {} with one of these accounts (password: {}):".format(url, logins["password"]))
    for email, role in logins["users"]:
        click.echo(f"  {email:32} {role}")


@reports_cli.command("import-docx")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--report", "report_id", type=int, required=True)
@click.option("--as", "email", required=True, help="E-mail of the member who imports.")
@click.option("--mode", type=click.Choice(["version", "review"]), default=None,
              help="version: the file becomes the next version (drafters; the default for them); "
                   "review: its comments go on the current version (reviewers).")
@click.option("--dry-run", is_flag=True, default=False, help="Print the plan as JSON; land nothing, store nothing.")
@click.option("--resolve", type=click.Choice(["keep", "file"]), default=None,
              help="Sections changed both in the file and in the report: keep the report's text or take the file's. "
                   "Without it, a conflict lands nothing and exits 1.")
@click.option("--accept-other-report", is_flag=True, default=False,
              help="Import a file whose provenance names another report.")
@click.option("--attribute-authors", is_flag=True, default=False,
              help="Attribute comments of Word authors named like a member of the report to that member.")
def reports_import_docx(path, report_id, email, mode, dry_run, resolve, accept_other_report, attribute_authors):
    """Import a .docx as the next version of a report (or as review comments), merged per section against the
    version it was exported from; prints the plan and what landed as JSON."""
    from .services import imports
    data = _read_file(path)
    try:
        report, actor, roles = _report_and_actor(report_id, email)
        mode = mode or ("version" if "drafter" in roles else "review")
        plan = imports.plan_import(report, data, path, actor=actor, roles=roles, mode=mode,
                                   accept_other_report=accept_other_report)
        planned = dict(plan.summary)
        out = {"report": report.id, **planned, "threads_created": planned["comments_new"]}
        if dry_run:
            db.session.rollback()
            emit({**out, "dry_run": True})
            return
        if planned["conflicts"] and resolve is None:
            db.session.rollback()
            emit({**out, "landed": False})
            raise SystemExit(1)
        authors = {a["word"]: a["user_id"] for a in planned["authors_to_confirm"]} if attribute_authors else {}
        summary = imports.confirm_import(plan.id, actor=actor, roles=roles,
                                         choices={"resolve": resolve, "authors": authors})
    except ServiceError as exc:
        fail(str(exc))
    db.session.commit()
    emit({**out, **summary.as_dict(), "landed": True, "sections_kept_absent": planned["sections_kept_absent"],
          "conflicts": planned["conflicts"], "resolved_as": resolve if planned["conflicts"] else None})


@reports_cli.command("attach-budget")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--report", "report_id", type=int, required=True)
@click.option("--as", "email", required=True, help="E-mail of the drafter who attaches it.")
@click.option("--base", "base_number", type=int, default=None,
              help="Version the drafter started from (default: the latest).")
def reports_attach_budget(path, report_id, email, base_number):
    """Attach a budget workbook (.xlsx) as the next version; prints what was found as JSON
    (version, workbook, sheets, tables, figures, warnings)."""
    from .services import workbooks
    data = _read_file(path)
    try:
        report, actor, roles = _report_and_actor(report_id, email)
        result = workbooks.attach_workbook(report, data, path, actor=actor, roles=roles,
                                           base_number=base_number)
    except ServiceError as exc:
        fail(str(exc))
    db.session.commit()
    emit(result.as_dict())


@reports_cli.command("export-budget")
@click.argument("report_id", type=int)
@click.option("--version", "number", type=int, default=None, help="Version (default: the latest).")
@click.option("--out", "out", type=click.Path(dir_okay=False), required=True)
def reports_export_budget(report_id, number, out):
    """Write the budget workbook a version carries, byte for byte as it was uploaded."""
    from .services import workbook_files
    try:
        report = versions.get_report(report_id)
        version = versions.get_version(report, number) if number else versions.latest_version(report)
        data, name = workbook_files.download(report, version)
    except ServiceError as exc:
        fail(str(exc))
    with open(out, "wb") as fh:
        fh.write(data)
    emit({"report": report.id, "version": version.number, "filename": name, "out": out, "bytes": len(data)})


class _Everyone:
    """The audience of a command-line export without --as: every thread, internal ones too."""
    id = None
    organisation_id = None
    is_admin = True


@reports_cli.command("export-docx")
@click.argument("report_id", type=int)
@click.option("--version", "number", type=int, default=None, help="Version (default: the latest).")
@click.option("--include-resolved/--open-only", default=True, help="Resolved threads too (default) or not.")
@click.option("--clean", is_flag=True, default=False, help="No comments at all.")
@click.option("--shared-only", is_flag=True, default=False, help="Leave out threads internal to an organisation.")
@click.option("--kind", type=click.Choice(["auto", "original", "generated"]), default="auto",
              help="original: the uploaded file annotated; generated: built from the template.")
@click.option("--as", "email", default=None, help="Export only what this member may see.")
@click.option("--lang", type=click.Choice(["fr", "en"]), default="fr")
@click.option("--out", "out", type=click.Path(dir_okay=False), required=True)
def reports_export_docx(report_id, number, include_resolved, clean, shared_only, kind, email, lang, out):
    """Write a version of a report as a Word file with its threads."""
    from .services import exports
    try:
        report, actor, _roles = _report_and_actor(report_id, email)
        data, _name, made = exports.export_docx(report, viewer=actor or _Everyone(), actor=actor, options=(
            exports.ExportOptions(version=number, include_resolved=include_resolved, shared_only=shared_only,
                                  clean=clean, kind=kind, lang=lang)))
    except ServiceError as exc:
        fail(str(exc))
    with open(out, "wb") as fh:
        fh.write(data)
    db.session.commit()
    emit({"report": report.id, "out": out, "kind": made, "bytes": len(data)})


@reports_cli.command("export-matrix")
@click.argument("report_id", type=int)
@click.option("--format", "fmt", type=click.Choice(["docx", "csv"]), required=True)
@click.option("--out", "out", type=click.Path(dir_okay=False), required=True)
@click.option("--as", "email", default=None, help="Export only what this member may see.")
@click.option("--lang", type=click.Choice(["fr", "en"]), default="fr")
@click.option("--status", type=click.Choice(["all", "open", "addressed", "resolved", "orphaned"]), default="all")
@click.option("--section", default="", help="Only this section (template field id).")
@click.option("--shared-only", is_flag=True, default=False, help="Leave out threads internal to an organisation.")
def reports_export_matrix(report_id, fmt, out, email, lang, status, section, shared_only):
    """Write the comment–response matrix of a report as a Word table or CSV."""
    from .services import matrix
    from .services.workspace import Filters
    try:
        report, actor, _roles = _report_and_actor(report_id, email)
        rows = matrix.rows(report, actor or _Everyone(), lang=lang, filters=Filters(status=status, section=section),
                           shared_only=shared_only)
    except ServiceError as exc:
        fail(str(exc))
    data = matrix.to_csv(rows, lang=lang).encode("utf-8") if fmt == "csv" else matrix.to_docx(report, rows, lang=lang)
    with open(out, "wb") as fh:
        fh.write(data)
    emit({"report": report.id, "rows": len(rows), "out": out, "format": fmt})


@jobs_cli.command("worker")
@click.option("--burst", is_flag=True, default=False, help="Stop once the queue is empty.")
def jobs_worker(burst):
    """Run the jobs of the queue (e-mails...), retrying failed ones with back-off."""
    from flask import current_app
    app = current_app._get_current_object()
    if jobs.queue(app) is None:
        raise click.ClickException("REVIEWFLOW_REDIS_URL is not set: jobs run in-process after each commit, "
                                   "no worker is needed")
    try:
        jobs.run_worker(app, burst=burst)
    except Exception as exc:  # noqa: BLE001 - one line, not a traceback
        from redis.exceptions import RedisError
        if isinstance(exc, RedisError):
            raise click.ClickException(f"the job queue is unreachable: {exc}") from None
        raise


@jobs_cli.command("status")
def jobs_status():
    """Jobs waiting, running, scheduled for a retry and failed, as JSON."""
    from flask import current_app
    q = jobs.queue(current_app._get_current_object())
    if q is None:
        emit({"backend": "in-process"})
        return
    emit({"backend": "rq", "queue": q.name, "queued": q.count, "started": q.started_job_registry.count,
          "scheduled": q.scheduled_job_registry.count, "failed": q.failed_job_registry.count})


def register(app):
    for command in SUGGESTION_COMMANDS:      # flask reports suggest / suggestions / suggestion-decide ...
        reports_cli.add_command(command)
    app.cli.add_command(users_cli)
    app.cli.add_command(reports_cli)
    app.cli.add_command(members_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(docx_cli)
    app.cli.add_command(jobs_cli)
    app.cli.add_command(tokens_cli)
