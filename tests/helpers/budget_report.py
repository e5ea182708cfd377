"""A report whose cover page matches a generated budget workbook (tests/helpers/budget_xlsx.py):
the recipients' budgets and the total, the implementation rate and the gender allocation, so
that the workbook checks find exactly the mismatches the workbook was built with."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from reviewflow import content as C
from reviewflow.extensions import db
from reviewflow.services import editing
from tests.helpers.budget_xlsx import BudgetSpec, Written, build


def money(v: Decimal) -> str:
    return f"$ {v:.2f}"


def cover_sections(w: Written) -> dict:
    rows = [[name, money(v)] for name, v in w.agencies.items()]
    rows.append(["Total", money(sum(w.agencies.values(), Decimal(0)))])
    rate = (w.spent / sum(w.agencies.values(), Decimal(0)) * 100).quantize(Decimal("1"), ROUND_HALF_UP)
    return {
        "budget_by_recipient": [C.table_block(["org", "amount_usd"], rows)],
        "implementation_rate": [C.paragraph(f"{rate}")],
        "gewe_budget_allocated": [C.paragraph(money(w.gewe))],
    }


def spec(**kw) -> BudgetSpec:
    """A small workbook (quick to build and read) in the seed's layout: 3 agencies, 2 outcomes."""
    base = {
        "outcomes": 2,
        "outputs": 2,
        "activities": 2,
        "category_sheet": False,
        "gewe": "row",
        "gewe_total": None,
    }
    base.update(kw)
    return BudgetSpec(**base)


def with_cover(world, s: BudgetSpec | None = None) -> Written:
    """Save the cover matching ``s``'s workbook as the report's next version; the workbook."""
    w = build(s or spec())
    right = build(BudgetSpec(**{**(s or spec()).__dict__, "mismatch": {}}))
    editing.save_sections(
        world.report,
        cover_sections(right),
        actor=world.drafter,
        roles={"drafter"},
        base_number=world.report.versions[-1].number,
    )
    db.session.commit()
    return w
