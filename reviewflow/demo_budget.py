"""The demo report's budget workbook, written with openpyxl when the demo is loaded.

The layout of the PBF project budget ("Tableau 1 - Budget du projet PBF par résultat, produit et
activité"): a title, a two-row header (the agencies' names under a merged "Budget par agence
récipiendaire en USD"), per outcome its outputs, activities and output totals, the additional
costs, a sub-total, the 7 % indirect costs and the total, the amount allocated to gender equality
and the expenditure to date; a sheet of notes.  Its figures agree with the demo's cover page
(budgets per agency, "Budget genre alloué", the 42 % implementation rate) except for one
deliberate error a reviewer would catch: the total of output 1.2 for OIM Cameroun is 5 000 USD
more than its activities add up to.
"""

from __future__ import annotations

import io
from decimal import ROUND_HALF_UP, Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

FILENAME = "Budget_PBF_transhumance_2024.xlsx"
CENT = Decimal("0.01")
AGENCIES = (
    ("OIM RCA", Decimal("1200000")),
    ("OIM Cameroun", Decimal("800000")),
    ("ONUDC ROSEN", Decimal("600000")),
)
GEWE_ALLOCATED = Decimal("1050000")
SPENT_RATE = Decimal("0.42")
ERROR_OUTPUT, ERROR_AGENCY, ERROR_AMOUNT = "1.2", 1, Decimal("5000")

OUTCOMES = [
    (
        "Les communautés d'éleveurs et d'agriculteurs des zones frontalières gèrent pacifiquement les "
        "conflits liés à la transhumance",
        [
            (
                "Des comités locaux de paix et de transhumance sont mis en place et formés",
                [
                    "Mise en place de 20 comités locaux de paix et de transhumance",
                    "Formation des membres des comités à la médiation des conflits",
                    "Dotation des comités en kits de fonctionnement",
                ],
            ),
            (
                "Les couloirs de transhumance sont balisés et connus des communautés",
                [
                    "Cartographie participative des couloirs et des points d'eau",
                    "Balisage des couloirs avec les autorités locales",
                    "Émission radio hebdomadaire sur la cohabitation pacifique",
                ],
            ),
        ],
    ),
    (
        "Les autorités des deux pays coopèrent pour sécuriser les couloirs de transhumance et lutter contre "
        "le vol de bétail",
        [
            (
                "Un cadre de concertation transfrontalier est opérationnel",
                [
                    "Réunions transfrontalières de sécurité à Béloko et Garoua-Boulaï",
                    "Élaboration et validation du protocole d'accord sur les couloirs",
                ],
            ),
            (
                "Les forces de défense et de sécurité sont formées à la lutte contre le vol de bétail",
                [
                    "Analyse des procédures pénales relatives au vol de bétail",
                    "Ateliers de formation des forces de défense et de sécurité",
                    "Remise de matériel aux postes frontaliers",
                ],
            ),
        ],
    ),
]
ADDITIONAL = (
    "Coûts de personnel supplémentaires",
    "Coûts opérationnels supplémentaires",
    "Budget de suivi",
    "Budget pour l'évaluation finale indépendante",
)


def _split(total: Decimal, n: int) -> list[Decimal]:
    """n unequal amounts in cents adding up exactly to ``total``."""
    weights = [Decimal(4 + (i * 5) % 7) for i in range(n)]
    parts = [(total * w / sum(weights)).quantize(CENT, ROUND_HALF_UP) for w in weights]
    parts[-1] += total - sum(parts)
    return parts


def _pct(v: Decimal) -> Decimal:
    return (v * SPENT_RATE).quantize(CENT, ROUND_HALF_UP)


def demo_workbook() -> bytes:
    """The bytes of the demo's budget workbook (.xlsx)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "1) Budget par résultat"
    n_ag = len(AGENCIES)
    c_ag = [3 + i for i in range(n_ag)]
    c_tot, c_spent, c_notes = 3 + n_ag, 4 + n_ag, 5 + n_ag
    bold = Font(bold=True)
    ws.cell(1, 1, "Tableau 1 - Budget du projet PBF par résultat, produit et activité").font = bold
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=c_notes)
    headers = {
        1: "Numéro de résultat / produit",
        2: "Formulation du résultat/ produit/activité",
        c_ag[0]: "Budget par agence récipiendaire en USD",
        c_tot: "Total",
        c_spent: "Niveau de dépenses/ engagements actuels en USD (à fournir au moment du rapport de projet)",
        c_notes: "Notes",
    }
    for c, text in headers.items():
        ws.cell(3, c, text).font = bold
        ws.cell(3, c).alignment = Alignment(wrap_text=True, vertical="top")
    for i, (name, _b) in enumerate(AGENCIES):
        ws.cell(4, c_ag[i], name).font = bold
    ws.merge_cells(start_row=3, start_column=c_ag[0], end_row=3, end_column=c_ag[-1])
    for c in (1, 2, c_tot, c_spent, c_notes):
        ws.merge_cells(start_row=3, start_column=c, end_row=4, end_column=c)
    ws.column_dimensions["B"].width = 60
    for c in [*c_ag, c_tot, c_spent]:
        ws.column_dimensions[get_column_letter(c)].width = 16

    activities = [a for _o, outputs in OUTCOMES for _p, acts in outputs for a in acts]
    lines, extra, isc = {}, {}, {}
    for name, budget in AGENCIES:
        sub = (budget / Decimal("1.07")).quantize(CENT, ROUND_HALF_UP)
        isc[name] = budget - sub
        add = (sub * Decimal("0.12")).quantize(CENT, ROUND_HALF_UP)
        lines[name] = _split(sub - add, len(activities))
        extra[name] = _split(add, len(ADDITIONAL))

    def amounts(r: int, values: list[Decimal], spent: Decimal | None = None, fmt: str = "#,##0.00") -> None:
        for i, v in enumerate(values):
            ws.cell(r, c_ag[i], float(v)).number_format = fmt
        ws.cell(r, c_tot, float(sum(values, Decimal(0)))).number_format = fmt
        if spent is not None:
            ws.cell(r, c_spent, float(spent)).number_format = fmt

    row, a, spent_total = 5, 0, Decimal(0)
    for k, (outcome, outputs) in enumerate(OUTCOMES, start=1):
        ws.cell(row, 1, str(k)).font = bold
        ws.cell(row, 2, f"RÉSULTAT {k} : {outcome}").font = bold
        row += 1
        for m, (output, acts) in enumerate(outputs, start=1):
            oid = f"{k}.{m}"
            ws.cell(row, 1, oid)
            ws.cell(row, 2, f"Produit {oid} : {output}")
            row += 1
            sums = [Decimal(0)] * n_ag
            out_spent = Decimal(0)
            for j, act in enumerate(acts, start=1):
                vals = [lines[name][a] for name, _b in AGENCIES]
                spent = _pct(sum(vals, Decimal(0)))
                ws.cell(row, 1, f"{oid}.{j}")
                ws.cell(row, 2, f"Activité {oid}.{j} : {act}")
                amounts(row, vals, spent)
                sums = [s + v for s, v in zip(sums, vals, strict=True)]
                out_spent += spent
                row, a = row + 1, a + 1
            stated = list(sums)
            if oid == ERROR_OUTPUT:
                stated[ERROR_AGENCY] += ERROR_AMOUNT  # the deliberate error
            ws.cell(row, 2, f"Total produit {oid}").font = bold
            amounts(row, stated, out_spent)
            spent_total += out_spent
            row += 1
    ws.cell(row, 2, "Coûts additionnels").font = bold
    row += 1
    for n, label in enumerate(ADDITIONAL):
        vals = [extra[name][n] for name, _b in AGENCIES]
        spent = _pct(sum(vals, Decimal(0)))
        ws.cell(row, 2, label)
        amounts(row, vals, spent)
        spent_total += spent
        row += 1
    subs = [sum(lines[name], Decimal(0)) + sum(extra[name], Decimal(0)) for name, _b in AGENCIES]
    ws.cell(row, 2, "Sous-total du budget du projet").font = bold
    amounts(row, subs)
    row += 1
    iscs = [isc[name] for name, _b in AGENCIES]
    isc_spent = _pct(sum(iscs, Decimal(0)))
    ws.cell(row, 2, "Coûts indirects (7 %)")
    amounts(row, iscs, isc_spent)
    spent_total += isc_spent
    row += 1
    ws.cell(row, 2, "TOTAL").font = bold
    amounts(row, [b for _n, b in AGENCIES], spent_total)
    row += 2
    ws.cell(row, 2, "Total $ alloué à l'égalité des sexes").font = bold
    ws.cell(row, c_tot, float(GEWE_ALLOCATED)).number_format = "#,##0.00"

    notes = wb.create_sheet("Notes")
    notes.cell(
        1,
        1,
        "Budget révisé en juillet 2024 (réunion du comité de pilotage) ; dépenses arrêtées au "
        "30 novembre 2024.",
    )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
