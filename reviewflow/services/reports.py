"""Projects, reports, sections and versions."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select

from .. import content as C
from ..extensions import db
from ..models import Membership, Project, Recipient, Report, Section, Version
from ..models.report import REPORT_TYPES
from ..permissions import can_edit_sections
from ..report_templates import TemplateError, load_template
from ..timeutil import utcnow
from . import audit, notify
from .errors import N_, Forbidden, Invalid, StaleVersion
from .versions import get_version, latest_version, lock, version_contents, write_version

TITLE_MAX = 400
BUDGET_MAX = Decimal("1e12")


@dataclass
class RecipientInput:
    name: str
    budget: Decimal | None = None
    org_type: str = "RUNO"
    is_convening: bool = False


def format_money(value) -> str:
    if value is None:
        return ""
    return f"${value:,.2f}".replace(",", "\u202f")


def create_project(*, actor, title, gateway_numbers="", countries="", first_transfer_date=None,
                   end_date=None, recipients=(), now=None) -> Project:
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


def _initial_blocks(field, report: Report, project: Project, lang="fr"):
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


def create_report(project: Project, *, actor, template_id="pbf", report_type, year, outcomes=None,
                  now=None) -> Report:
    try:
        template = load_template(template_id)
    except TemplateError:
        raise Invalid(N_("Unknown report template %(id)s."), id=template_id) from None
    if report_type not in REPORT_TYPES or (template.report_types and report_type not in template.report_types):
        raise Invalid(N_("Report type must be one of %(types)s."), types=", ".join(template.report_types or REPORT_TYPES))
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise Invalid(N_("The year must be a number such as 2021.")) from None
    if not 2000 <= year <= 2100:
        raise Invalid(N_("The year must be between 2000 and 2100."))
    outcomes = template.repeat_min if outcomes is None else int(outcomes)
    if template.repeat_max and not template.repeat_min <= outcomes <= template.repeat_max:
        raise Invalid(N_("A report has between %(min)s and %(max)s outcomes."), min=template.repeat_min, max=template.repeat_max)
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


def normalize_blocks(field, blocks, *, strict=True, template=None):
    """Validate and normalise content for a field of the template.  Choice fields hold codes of
    the template's vocabulary: an unknown code is refused (``strict``) or dropped (imports)."""
    if not isinstance(blocks, list):
        raise Invalid(N_("Section content must be a list of blocks."))
    if field.options:
        allowed = {code for code, _label in (template or load_template("pbf")).options(field.options)}
        codes = [p.get("text", "").strip() for p in C.iter_paragraphs(blocks) if p.get("text", "").strip()]
        unknown = [c for c in codes if c not in allowed]
        if unknown and strict:
            raise Invalid(N_("%(field)s: %(value)s is not one of the template's answers."), field=field.key,
                          value=unknown[0][:60])
        codes = [c for c in codes if c in allowed]
        if field.kind == "checkbox_set":
            return [C.paragraph(c) for c in dict.fromkeys(codes)] or [C.paragraph("")]
        return [C.paragraph(codes[0] if codes else "")]
    text = C.blocks_text(blocks)
    if len(text) > 200_000:
        raise Invalid(N_("%(field)s: the text is too long to be stored (over 200,000 characters)."), field=field.key)
    if field.kind in ("text_short", "money", "percent", "date", "year", "attachment", "single_choice"):
        if "\n" in text:
            text = " ".join(text.split("\n"))
        if len(text) > 2000:
            raise Invalid(N_("%(field)s: at most 2,000 characters in this field."), field=field.key)
        return [C.paragraph(text.strip())]
    return blocks


EMPTY_SHA = C.content_hash([C.paragraph("")])


def _sha(contents, key):
    """sha256 of a section's content in a version (a section added later counts as empty)."""
    row = contents.get(key)
    return row.sha256 if row is not None else EMPTY_SHA


def save_sections(report, changes: dict, *, actor, base_number: int, roles, note="", source="browser",
                  upload=None, force=False, now=None) -> Version | None:
    """Create the next version with ``changes`` (section key -> blocks).

    Refused (StaleVersion) when a changed section was modified by someone else after
    ``base_number``; sections nobody else touched are merged onto the latest version, so two
    drafters can work on different sections at once.  Returns None when nothing changed
    (unless ``force``: an upload whose only news is content outside the template's fields).
    """
    now = now or utcnow()
    lock(report)
    if not can_edit_sections(roles, report.state):
        if "drafter" in set(roles):
            raise Forbidden(N_("The report is %(state)s: it can no longer be edited."), state=report.state.replace("_", " "))
        raise Forbidden(N_("Only the report's drafters can edit its sections."))
    template = load_template(report.template_id)
    normalized = {}
    for key, blocks in changes.items():
        try:
            field = template.field(key)
        except KeyError:
            raise Invalid(N_("Unknown section %(key)s."), key=key) from None
        normalized[key] = normalize_blocks(field, blocks, template=template, strict=source != "upload")
    latest = latest_version(report)
    latest_contents = version_contents(latest)
    if base_number != latest.number:
        if base_number is None or not 1 <= base_number < latest.number:
            raise Invalid(N_("The version this edit started from is unknown."))
        base_contents = version_contents(get_version(report, base_number))
        conflicts = [key for key in normalized
                     if _sha(base_contents, key) != _sha(latest_contents, key)
                     and C.content_hash(normalized[key]) != _sha(latest_contents, key)]
        if conflicts:
            raise StaleVersion(
                N_("Version %(latest)s was saved after you started editing (from version %(base)s) "
                   "and changed the same section."), conflicts=conflicts, latest=latest.number, base=base_number,
                theirs={k: latest_contents[k].text for k in conflicts if k in latest_contents},
                base_texts={k: base_contents[k].text for k in conflicts if k in base_contents})
    effective = {k: b for k, b in normalized.items() if C.content_hash(b) != _sha(latest_contents, k)}
    if not effective and not force:
        return None
    version = write_version(report, effective, actor=actor, source=source, base_number=base_number, note=note,
                             now=now, previous=latest, upload=upload)
    audit.record("version.created", actor=actor, report=report, obj=version,
                 details={"number": version.number, "sections": sorted(effective), "source": source,
                          "base": base_number}, now=now)
    from .threads import reanchor_threads  # late import: threads depends on this module
    reanchor_threads(report, latest, version, now=now)
    from .signoff_invalidation import invalidate_for_new_version
    invalidate_for_new_version(report, version, now=now)
    notify.new_version(report, version, actor=actor, now=now)
    return version


def reports_for(user):
    """Reports the user is a member of (admins: every report), newest first."""
    q = select(Report).order_by(Report.created_at.desc(), Report.id.desc())
    if not user.is_admin:
        q = q.where(Report.id.in_(select(Membership.report_id).where(Membership.user_id == user.id)))
    return list(db.session.scalars(q))


def parse_date(text) -> date | None:
    text = (text or "").strip()
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise Invalid(N_("Not a date: %(text)s (use dd/mm/yyyy)."), text=text)

