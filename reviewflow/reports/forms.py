"""Form parsing for report and section editing (no database access)."""
from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import DateField, IntegerField, StringField
from wtforms.validators import AnyOf, DataRequired, Length, NumberRange, Optional

from .. import content as C
from ..money import parse_money
from ..report_templates import ROW_HEADER, Field
from ..services.errors import N_, Invalid
from ..services.reports import RecipientInput
from ..services.types import Blocks


class NewReportForm(FlaskForm):
    title = StringField("Project title", validators=[DataRequired(), Length(max=400)])
    gateway_numbers = StringField("Project numbers (MPTF Gateway)", validators=[Optional(), Length(max=200)])
    countries = StringField("Countries", validators=[Optional(), Length(max=200)])
    first_transfer_date = DateField("Date of first transfer", validators=[Optional()])
    end_date = DateField("Project end date", validators=[Optional()])
    report_type = StringField("Report type", validators=[AnyOf(("semi_annual", "annual", "final"))])
    year = IntegerField("Year", validators=[DataRequired(), NumberRange(2000, 2100)])
    outcomes = IntegerField("Number of outcomes", validators=[DataRequired(), NumberRange(1, 4)], default=1)


RECIPIENT_ROWS = 4


def recipients_from(form: Mapping[str, str]) -> list[RecipientInput]:
    """Recipient rows of the new-report form: name, type, budget (US dollars), convening."""
    out = []
    for i in range(RECIPIENT_ROWS):
        name = (form.get(f"recipient-{i}-name") or "").strip()
        if not name:
            continue
        out.append(RecipientInput(name=name[:120], budget=budget_from(form.get(f"recipient-{i}-budget")),
                                  org_type=form.get(f"recipient-{i}-type") or "RUNO",
                                  is_convening=form.get("convening") == str(i)))
    return out


def budget_from(text: str | None) -> Decimal | None:
    """A budget in US dollars as typed (None when left empty); Invalid when it is not one."""
    text = (text or "").strip()
    if not text:
        return None
    value = parse_money(text, usd_only=True)
    if value is None:
        raise Invalid(N_("Not an amount: %(text)s"), text=text[:60])
    return value


def table_columns(field: Field, blocks: Blocks | None) -> list[str]:
    """Column ids of a table section: the stored table's own (an imported results framework may
    carry a row-header column), else the template's."""
    table = next((b for b in blocks or () if b.get("t") == "table"), None)
    allowed = set(field.columns) | {ROW_HEADER}
    if table and table.get("columns") and all(c in allowed for c in table["columns"] if c):
        return [c or ROW_HEADER for c in table["columns"]]
    return list(field.columns)


def blocks_from_form(field: Field, form: MultiDict[str, str], previous_blocks: Blocks) -> Blocks:
    """The blocks a section edit form describes, for each kind of template field."""
    if field.is_table:
        allowed = set(field.columns) | {ROW_HEADER}
        columns = [c for c in form.getlist("column") if c in allowed] or table_columns(field, previous_blocks)
        try:
            nrows = max(0, min(int(form.get("rows", "0")), 500))
        except ValueError:
            nrows = 0
        rows = []
        for r in range(nrows):
            if form.get(f"delete-{r}"):
                continue
            rows.append([form.get(f"cell-{r}-{c}", "") for c in range(len(columns))])
        if form.get("add_row"):
            rows.append(["" for _ in columns])
        return [C.table_block(columns, rows or [["" for _ in columns]])]
    if field.kind == "checkbox_set":
        return [C.paragraph(code) for code in form.getlist("choice")] or [C.paragraph("")]
    if field.is_narrative:
        return C.text_blocks(form.get("text", ""), previous_blocks)
    return [C.paragraph(form.get("text", "").strip())]


def table_rows(field: Field, blocks: Blocks) -> list[list[str]]:
    """Cells of a table section as strings, padded to its columns."""
    table = next((b for b in blocks if b.get("t") == "table"), None)
    rows = C.table_cells(table) if table else []
    width = len(table_columns(field, blocks)) or max((len(r) for r in rows), default=1)
    return [(r + [""] * width)[:width] for r in rows] or [[""] * width]
