"""Projects and reports: creating them (a report starts with version 1 of every section of its
template), listing a user's reports, and the form values they take (dates)."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select

from .. import content as C
from ..extensions import db
from ..models import Membership, Project, Recipient, Report, Section, User
from ..models.report import REPORT_TYPES
from ..report_templates import Field, TemplateError, load_template
from ..timeutil import utcnow
from . import audit
from .errors import N_, Invalid
from .types import Blocks
from .versions import write_version

TITLE_MAX = 400
BUDGET_MAX = Decimal("1e12")


@dataclass
class RecipientInput:
    name: str
    budget: Decimal | None = None
    org_type: str = "RUNO"
    is_convening: bool = False


def format_money(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"${value:,.2f}".replace(",", "\u202f")


def create_project(*, actor: User | None, title: str, gateway_numbers: str = "", countries: str = "",
                   first_transfer_date: date | None = None, end_date: date | None = None,
                   recipients: Iterable[RecipientInput] = (), now: datetime | None = None) -> Project:
    title = (title or "").strip()
    if not title:
        raise Invalid(N_("A project needs a title."))
    if len(title) > TITLE_MAX:
        raise Invalid(N_("The title is too long (at most %(n)s characters)."), n=TITLE_MAX)
    if len(gateway_numbers or "") > 200 or len(countries or "") > 200:
        raise Invalid(N_("Project numbers and countries take at most 200 characters each."))
    if first_transfer_date and end_date and end_date < first_transfer_date:
        raise Invalid(N_("The end date is before the date of first transfer."))
    project = Project(title=title, gateway_numbers=(gateway_numbers or "").strip(),
                      countries=(countries or "").strip(), first_transfer_date=first_transfer_date,
                      end_date=end_date, created_by_id=actor.id if actor else None, created_at=now or utcnow())
    for i, r in enumerate(recipients):
        if not r.name.strip():
            continue
        if r.org_type not in ("RUNO", "NUNO"):
            raise Invalid(N_("Recipient type must be RUNO or NUNO."))
        if r.budget is not None and not 0 <= r.budget <= BUDGET_MAX:
            raise Invalid(N_("Amount out of range: %(text)s"), text=str(r.budget))
        project.recipients.append(Recipient(name=r.name.strip()[:120], budget_usd=r.budget, org_type=r.org_type,
                                            is_convening=r.is_convening, position=i))
    db.session.add(project)
    db.session.flush()
    audit.record("project.created", actor=actor, obj=project, details={"title": title}, now=now)
    return project


def _initial_blocks(field: Field, report: Report, project: Project, lang: str = "fr") -> Blocks:
    """Cover-page fields the system already knows are filled in at creation."""
    t = load_template(report.template_id)
    if field.id == "project_title":
        return [C.paragraph(project.title)]
    if field.id == "project_numbers":
        return [C.paragraph(project.gateway_numbers)]
    if field.id == "country":
        return [C.paragraph(project.countries)]
    if field.id == "report_type":
        return [C.paragraph(report.report_type)]
    if field.id == "report_year":
        return [C.paragraph(str(report.year))]
    if field.id == "first_transfer_date" and project.first_transfer_date:
        return [C.paragraph(project.first_transfer_date.strftime("%d/%m/%Y"))]
    if field.id == "project_end_date" and project.end_date:
        return [C.paragraph(project.end_date.strftime("%d/%m/%Y"))]
    if field.id == "recipient_orgs" and project.recipients:
        rows = [[r.org_type, r.name, "1" if r.is_convening else ""] for r in project.recipients]
        return [C.table_block(field.columns, rows)]
    if field.id == "budget_by_recipient" and project.recipients:
        rows = [[r.name, format_money(r.budget_usd)] for r in project.recipients]
        rows.append([t.field(field.key).raw.get("footer", {}).get("label", {}).get(lang, "Total"),
                     format_money(project.total_budget)])
        return [C.table_block(field.columns, rows)]
    if field.is_table:
        return [C.table_block(field.columns, [["" for _ in field.columns]])]
    return [C.paragraph("")]


def create_report(project: Project, *, actor: User | None, template_id: str = "pbf", report_type: str,
                  year: int | str, outcomes: int | str | None = None, now: datetime | None = None) -> Report:
    try:
        template = load_template(template_id)
    except TemplateError:
        raise Invalid(N_("Unknown report template %(id)s."), id=template_id) from None
    if report_type not in REPORT_TYPES or (template.report_types and report_type not in template.report_types):
        raise Invalid(N_("Report type must be one of %(types)s."),
                      types=", ".join(template.report_types or REPORT_TYPES))
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise Invalid(N_("The year must be a number such as 2021.")) from None
    if not 2000 <= year <= 2100:
        raise Invalid(N_("The year must be between 2000 and 2100."))
    outcomes = template.repeat_min if outcomes is None else int(outcomes)
    if template.repeat_max and not template.repeat_min <= outcomes <= template.repeat_max:
        raise Invalid(N_("A report has between %(min)s and %(max)s outcomes."),
                      min=template.repeat_min, max=template.repeat_max)
    now = now or utcnow()
    report = Report(project=project, template_id=template_id, report_type=report_type, year=year,
                    outcomes=outcomes, state="draft", created_at=now, created_by_id=actor.id if actor else None)
    db.session.add(report)
    db.session.flush()
    contents = {}
    for pos, field in enumerate(template.fields(outcomes)):
        section = Section(report_id=report.id, key=field.key, position=pos)
        db.session.add(section)
        contents[field.key] = _initial_blocks(field, report, project)
    db.session.flush()
    write_version(report, contents, actor=actor, source="created", base_number=None, note="", now=now)
    audit.record("report.created", actor=actor, report=report, obj=report,
                 details={"template": template_id, "type": report_type, "year": year, "outcomes": outcomes}, now=now)
    return report


def reports_for(user: User) -> list[Report]:
    """Reports the user is a member of (admins: every report), newest first."""
    q = select(Report).order_by(Report.created_at.desc(), Report.id.desc())
    if not user.is_admin:
        q = q.where(Report.id.in_(select(Membership.report_id).where(Membership.user_id == user.id)))
    return list(db.session.scalars(q))


def parse_date(text: str | None) -> date | None:
    text = (text or "").strip()
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise Invalid(N_("Not a date: %(text)s (use dd/mm/yyyy)."), text=text)

