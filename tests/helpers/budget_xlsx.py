"""Write realistic PBF budget workbooks (and hostile ones) for the tests and the benchmark.

    data = budget_workbook()                       # bytes of an .xlsx, French headers, 3 agencies
    data = budget_workbook(BudgetSpec(lang="en", merged=False, header_row=1, mismatch={"output": "1.1"}))

The layout follows the PBF project budget ("Budget par résultat, produit et activité"): a title,
a two-row header (number, formulation, "Budget par agence récipiendaire" merged over the agencies'
names, total, GEWE %, current expenditure, notes), then per outcome its outputs and activities,
a total per output, additional costs, a sub-total, indirect costs (7 %) and the total; a second
sheet by category with the same total, and a sheet of notes.  Totals are written as formulas
with the values Excel would cache (``formulas="cached"``), as formulas without cached values
(``"uncached"``, what openpyxl alone writes), or as plain values (``"values"``).
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from lxml import etree
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
SEED_AGENCIES = (
    ("ONUDC-ROSEN", Decimal("973520.00")),
    ("OIM-RCA", Decimal("1507352.00")),
    ("OIM-Cameroun", Decimal("621926.00")),
)
CENT = Decimal("0.01")

HEADERS = {
    "fr": {
        "title": "Tableau 1 - Budget du projet PBF par résultat, produit et activité",
        "number": "Numéro de résultat / produit",
        "label": "Formulation du résultat/ produit/activité",
        "group": "Budget par agence récipiendaire en USD",
        "total": "Total",
        "gewe": "Pourcentage du budget pour chaque produit ou activité réservé directement à l'action sur "
        "l'égalité des sexes (le cas échéant)",
        "gewe_amount": "Montant alloué à l'égalité des sexes (USD)",
        "spent": "Niveau de dépenses/ engagements actuels en USD (à fournir au moment du rapport de projet)",
        "notes": "Notes",
        "outcome": "RÉSULTAT {k}",
        "output": "Produit {id}",
        "activity": "Activité {id}",
        "output_total": "Total produit {id}",
        "outcome_total": "Total résultat {k}",
        "additional": "Coûts additionnels",
        "personnel": "Coûts de personnel supplémentaires",
        "operations": "Coûts opérationnels supplémentaires",
        "monitoring": "Budget de suivi",
        "evaluation": "Budget pour l'évaluation finale indépendante",
        "subtotal": "Sous-total du budget du projet",
        "isc": "Coûts indirects (7 %)",
        "grand": "TOTAL",
        "gewe_row": "Total $ alloué à l'égalité des sexes",
        "cat_title": "Tableau 2 - Budget du projet PBF par catégorie de coûts",
        "category": "Catégorie",
        "notes_sheet": "Notes",
    },
    "en": {
        "title": "Table 1 - PBF project budget by outcome, output and activity",
        "number": "Outcome/ Output number",
        "label": "Outcome/ output/ activity formulation",
        "group": "Budget by recipient organization in USD",
        "total": "Total",
        "gewe": "Percent of budget for each output or activity reserved for direct action on gender equality "
        "(if any)",
        "gewe_amount": "Amount allocated to gender equality (USD)",
        "spent": "Level of expenditure/ commitments in USD (to provide at time of project progress "
                 "reporting)",
        "notes": "Notes",
        "outcome": "OUTCOME {k}",
        "output": "Output {id}",
        "activity": "Activity {id}",
        "output_total": "Output {id} total",
        "outcome_total": "Outcome {k} total",
        "additional": "Additional costs",
        "personnel": "Additional personnel costs",
        "operations": "Additional operational costs",
        "monitoring": "Monitoring budget",
        "evaluation": "Budget for independent final evaluation",
        "subtotal": "Sub-total project budget",
        "isc": "Indirect support costs (7%)",
        "grand": "TOTAL",
        "gewe_row": "Total $ allocated to gender equality",
        "cat_title": "Table 2 - PBF project budget by UN cost category",
        "category": "Category",
        "notes_sheet": "Notes",
    },
}
CATEGORIES = {
    "fr": [
        "Personnel et autres employés",
        "Fournitures, produits de base, matériaux",
        "Services contractuels",
        "Voyages",
        "Transferts et subventions",
        "Frais généraux de fonctionnement",
    ],
    "en": [
        "Staff and other personnel",
        "Supplies, commodities, materials",
        "Contractual services",
        "Travel",
        "Transfers and grants to counterparts",
        "General operating and other direct costs",
    ],
}


@dataclass
class BudgetSpec:
    lang: str = "fr"
    agencies: tuple = SEED_AGENCIES  # (name, total budget incl. indirect costs)
    outcomes: int = 3
    outputs: int = 2  # per outcome
    activities: int = 3  # per output
    gewe_share: Decimal = Decimal("0.40")  # GEWE % of each activity (the allocation is then computed)
    gewe: str = "percent"  # "percent" column | "amount" column | "row" (a labelled total) | "none"
    spent_rate: Decimal = Decimal("0.17")  # share of each line spent so far
    spent: bool = True
    header_row: int = 3  # first header row (1 = no title)
    merged: bool = True  # merge the group header and the vertical headers
    output_totals: bool = True
    formulas: str = "cached"  # "cached" | "uncached" | "values"
    category_sheet: bool = True
    notes_sheet: bool = True
    sheet_name: str | None = None
    shared_strings: bool = True  # text in a shared-strings table, as Excel writes it
    gewe_total: Decimal | None = None  # gewe="row": the amount written (default: the lines' share)
    mismatch: dict = field(default_factory=dict)  # {"output": "1.1", "grand": Decimal, "row": "1.1.1"}


@dataclass
class Written:
    data: bytes
    sheet: str
    total: Decimal
    agencies: dict  # name -> total
    gewe: Decimal
    spent: Decimal
    cells: dict  # "grand_total", "output_total:1.1", "row_total:1.1.1" ... -> "F23"
    agency_cols: dict  # name -> column letter


def _split(total: Decimal, n: int) -> list[Decimal]:
    """n positive amounts in cents adding up exactly to ``total``, unequal like real lines."""
    weights = [Decimal(3 + (i * 7) % 5) for i in range(n)]
    s = sum(weights)
    parts = [(total * w / s).quantize(CENT, ROUND_HALF_UP) for w in weights]
    parts[-1] += total - sum(parts)
    return parts


def build(spec: BudgetSpec | None = None) -> Written:
    spec = spec or BudgetSpec()
    h = HEADERS[spec.lang]
    wb = Workbook()
    ws = wb.active
    ws.title = spec.sheet_name or ("1) Budget par résultat" if spec.lang == "fr" else "1) Budget Table A")
    n_ag = len(spec.agencies)
    c_num, c_label = 1, 2
    c_ag = list(range(3, 3 + n_ag))
    c_tot = 3 + n_ag
    c_gewe = c_tot + 1 if spec.gewe in ("percent", "amount") else None
    c_spent = (c_gewe or c_tot) + 1 if spec.spent else None
    c_notes = max(c for c in (c_tot, c_gewe, c_spent) if c) + 1
    L = get_column_letter
    formulas: dict[str, str] = {}
    cells: dict[str, str] = {}
    r0 = spec.header_row
    if r0 > 1:
        ws.cell(1, 1, h["title"])
        if spec.merged:
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=c_notes)
    ws.cell(r0, c_num, h["number"])
    ws.cell(r0, c_label, h["label"])
    ws.cell(r0, c_ag[0], h["group"])
    ws.cell(r0, c_tot, h["total"])
    if c_gewe:
        ws.cell(r0, c_gewe, h["gewe"] if spec.gewe == "percent" else h["gewe_amount"])
    if c_spent:
        ws.cell(r0, c_spent, h["spent"])
    ws.cell(r0, c_notes, h["notes"])
    for i, (name, _t) in enumerate(spec.agencies):
        ws.cell(r0 + 1, c_ag[i], name)
    if spec.merged:
        ws.merge_cells(start_row=r0, start_column=c_ag[0], end_row=r0, end_column=c_ag[-1])
        for c in (c_num, c_label, c_tot, c_gewe, c_spent, c_notes):
            if c:
                ws.merge_cells(start_row=r0, start_column=c, end_row=r0 + 1, end_column=c)

    # amounts: each agency's total = lines + additional costs + 7 % indirect costs
    n_act = spec.outcomes * spec.outputs * spec.activities
    per_agency_lines = {}
    for name, total in spec.agencies:
        sub = (total / Decimal("1.07")).quantize(CENT, ROUND_HALF_UP)
        isc = total - sub
        add = (sub * Decimal("0.12")).quantize(CENT, ROUND_HALF_UP)
        acts = _split(sub - add, n_act)
        per_agency_lines[name] = (acts, _split(add, 4), isc)
    row = r0 + 2
    gewe_total = Decimal(0)
    spent_total = Decimal(0)
    a = 0
    leaf_rows = []

    def put_amounts(r, values):
        for i, v in enumerate(values):
            ws.cell(r, c_ag[i], float(v))
        tot = sum(values, Decimal(0))
        ws.cell(r, c_tot, float(tot))
        formulas[f"{L(c_tot)}{r}"] = f"SUM({L(c_ag[0])}{r}:{L(c_ag[-1])}{r})"
        return tot

    for k in range(1, spec.outcomes + 1):
        ws.cell(row, c_num, str(k))
        ws.cell(row, c_label, h["outcome"].format(k=k) + " : " + f"Les autorités du pays {k} agissent")
        row += 1
        for m in range(1, spec.outputs + 1):
            oid = f"{k}.{m}"
            ws.cell(row, c_num, oid)
            ws.cell(row, c_label, h["output"].format(id=oid) + " : " + "capacités renforcées")
            out_row = row
            row += 1
            first_act = row
            out_sum = [Decimal(0)] * n_ag
            out_spent = Decimal(0)
            for j in range(1, spec.activities + 1):
                aid = f"{oid}.{j}"
                ws.cell(row, c_num, aid)
                ws.cell(row, c_label, h["activity"].format(id=aid) + " : atelier de formation des agents")
                vals = [per_agency_lines[name][0][a] for name, _t in spec.agencies]
                tot = put_amounts(row, vals)
                cells[f"row_total:{aid}"] = f"{L(c_tot)}{row}"
                if spec.mismatch.get("row") == aid:
                    ws.cell(row, c_tot, float(tot + 100))
                    formulas.pop(f"{L(c_tot)}{row}", None)
                if c_gewe and spec.gewe == "percent":
                    ws.cell(row, c_gewe, float(spec.gewe_share))
                    ws.cell(row, c_gewe).number_format = "0%"
                elif c_gewe:
                    ws.cell(row, c_gewe, float((tot * spec.gewe_share).quantize(CENT, ROUND_HALF_UP)))
                gewe_total += (
                    (tot * spec.gewe_share).quantize(CENT, ROUND_HALF_UP)
                    if spec.gewe == "amount"
                    else tot * spec.gewe_share
                )
                if c_spent:
                    sp = (tot * spec.spent_rate).quantize(CENT, ROUND_HALF_UP)
                    ws.cell(row, c_spent, float(sp))
                    out_spent += sp
                    spent_total += sp
                out_sum = [x + v for x, v in zip(out_sum, vals, strict=False)]
                leaf_rows.append(row)
                row += 1
                a += 1
            if spec.output_totals:
                ws.cell(row, c_label, h["output_total"].format(id=oid))
                for i, c in enumerate(c_ag):
                    v = out_sum[i]
                    if spec.mismatch.get("output") == oid and i == 0:
                        v += Decimal(500)
                    ws.cell(row, c, float(v))
                    if not (spec.mismatch.get("output") == oid and i == 0):
                        formulas[f"{L(c)}{row}"] = f"SUM({L(c)}{first_act}:{L(c)}{row - 1})"
                ws.cell(row, c_tot, float(sum(out_sum, Decimal(0))))
                formulas[f"{L(c_tot)}{row}"] = f"SUM({L(c_tot)}{first_act}:{L(c_tot)}{row - 1})"
                if c_spent:
                    ws.cell(row, c_spent, float(out_spent))
                    formulas[f"{L(c_spent)}{row}"] = f"SUM({L(c_spent)}{first_act}:{L(c_spent)}{row - 1})"
                cells[f"output_total:{oid}"] = f"{L(c_ag[0])}{row}"
                row += 1
            del out_row
    ws.cell(row, c_label, h["additional"])
    row += 1
    for n, key in enumerate(("personnel", "operations", "monitoring", "evaluation")):
        ws.cell(row, c_label, h[key])
        vals = [per_agency_lines[name][1][n] for name, _t in spec.agencies]
        tot = put_amounts(row, vals)
        if c_spent:
            sp = (tot * spec.spent_rate).quantize(CENT, ROUND_HALF_UP)
            ws.cell(row, c_spent, float(sp))
            spent_total += sp
        leaf_rows.append(row)
        row += 1
    sub_row = row
    ws.cell(row, c_label, h["subtotal"])
    subs = [
        sum(per_agency_lines[name][0], Decimal(0)) + sum(per_agency_lines[name][1], Decimal(0))
        for name, _t in spec.agencies
    ]
    put_amounts(row, subs)
    row += 1
    ws.cell(row, c_label, h["isc"])
    iscs = [per_agency_lines[name][2] for name, _t in spec.agencies]
    put_amounts(row, iscs)
    if c_spent:
        sp = (sum(iscs, Decimal(0)) * spec.spent_rate).quantize(CENT, ROUND_HALF_UP)
        ws.cell(row, c_spent, float(sp))
        spent_total += sp
    row += 1
    ws.cell(row, c_label, h["grand"])
    totals = [t for _n, t in spec.agencies]
    grand = put_amounts(row, totals)
    for c in c_ag:
        formulas[f"{L(c)}{row}"] = f"{L(c)}{sub_row}+{L(c)}{sub_row + 1}"
    stated_grand = grand + spec.mismatch.get("grand", Decimal(0))
    if "grand" in spec.mismatch:
        ws.cell(row, c_tot, float(stated_grand))
        formulas.pop(f"{L(c_tot)}{row}", None)
    if c_spent:
        ws.cell(row, c_spent, float(spent_total))
    cells["grand_total"] = f"{L(c_tot)}{row}"
    cells["spent_total"] = f"{L(c_spent)}{row}" if c_spent else ""
    gewe_total = gewe_total.quantize(CENT, ROUND_HALF_UP)
    row += 2
    if spec.gewe == "row":
        if spec.gewe_total is not None:
            gewe_total = spec.gewe_total
        ws.cell(row, c_label, h["gewe_row"])
        ws.cell(row, c_tot, float(gewe_total))
        cells["gewe_row"] = f"{L(c_tot)}{row}"
    if spec.category_sheet:
        cs = wb.create_sheet("2) Budget par catégorie" if spec.lang == "fr" else "2) Budget Table B")
        cs.cell(1, 1, h["cat_title"])
        cs.cell(3, 1, h["category"])
        for i, (name, _t) in enumerate(spec.agencies):
            cs.cell(3, 2 + i, name)
        cs.cell(3, 2 + n_ag, h["total"])
        cats = CATEGORIES[spec.lang]
        split = {name: _split(t, len(cats)) for name, t in spec.agencies}
        for j, cat in enumerate(cats):
            cs.cell(4 + j, 1, cat)
            for i, (name, _t) in enumerate(spec.agencies):
                cs.cell(4 + j, 2 + i, float(split[name][j]))
            cs.cell(4 + j, 2 + n_ag, float(sum((split[name][j] for name, _t in spec.agencies), Decimal(0))))
        cs.cell(4 + len(cats), 1, h["grand"])
        for i, (_name, t) in enumerate(spec.agencies):
            cs.cell(4 + len(cats), 2 + i, float(t))
        cs.cell(4 + len(cats), 2 + n_ag, float(grand))
    if spec.notes_sheet:
        ns = wb.create_sheet(h["notes_sheet"])
        ns.cell(
            1,
            1,
            "Ce budget fera l'objet d'une révision au prochain trimestre."
            if spec.lang == "fr"
            else "This budget will be revised next quarter.",
        )
    buf = io.BytesIO()
    wb.save(buf)
    data = buf.getvalue()
    if spec.formulas != "values":
        data = add_formulas(data, "xl/worksheets/sheet1.xml", formulas, cached=spec.formulas == "cached")
    if spec.shared_strings:
        data = share_strings(data)
    return Written(
        data,
        ws.title,
        stated_grand,
        {n: t for n, t in spec.agencies},
        gewe_total,
        spent_total,
        cells,
        {n: L(c_ag[i]) for i, (n, _t) in enumerate(spec.agencies)},
    )


def budget_workbook(spec: BudgetSpec | None = None) -> bytes:
    return build(spec).data


def seed_spec(**kw) -> BudgetSpec:
    """The seed report's budget: ONUDC-ROSEN, OIM-RCA, OIM-Cameroun, $3 102 798, 17 % spent, GEWE
    $1 245 996 (the figures of its cover page)."""
    return BudgetSpec(**{"gewe": "row", "gewe_total": Decimal("1245996.00"), **kw})


# --------------------------------------------------------------------------- package surgery
def rewrite(data: bytes, changes: dict[str, bytes | None], extra: dict[str, bytes] | None = None) -> bytes:
    """A copy of a zip with some members replaced (None: removed) or added."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename in changes:
                if changes[info.filename] is not None:
                    dst.writestr(info.filename, changes[info.filename])
                continue
            dst.writestr(info.filename, src.read(info.filename))
        for name, body in (extra or {}).items():
            dst.writestr(name, body)
    return out.getvalue()


def add_formulas(data: bytes, part: str, formulas: dict[str, str], *, cached: bool) -> bytes:
    """Give cells a formula, keeping the value as Excel's cached value (``cached``) or dropping it
    (a formula never calculated: what openpyxl and other generators write)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    root = etree.fromstring(src.read(part))
    for c in root.iter(f"{{{NS}}}c"):
        f = formulas.get(c.get("r"))
        if f is None:
            continue
        el = etree.Element(f"{{{NS}}}f")
        el.text = f
        c.insert(0, el)
        if not cached:
            for v in c.findall(f"{{{NS}}}v"):
                c.remove(v)
            c.attrib.pop("t", None)
    return rewrite(
        data, {part: etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)}
    )


def share_strings(data: bytes) -> bytes:
    """Move the inline strings openpyxl writes into a shared-strings table, as Excel stores text."""
    src = zipfile.ZipFile(io.BytesIO(data))
    strings: dict[str, int] = {}
    changes: dict[str, bytes] = {}
    for name in src.namelist():
        if not re.fullmatch(r"xl/worksheets/sheet\d+\.xml", name):
            continue
        root = etree.fromstring(src.read(name))
        for c in root.iter(f"{{{NS}}}c"):
            if c.get("t") != "inlineStr":
                continue
            text = "".join(t.text or "" for t in c.iter(f"{{{NS}}}t"))
            for child in list(c):
                c.remove(child)
            c.set("t", "s")
            v = etree.SubElement(c, f"{{{NS}}}v")
            v.text = str(strings.setdefault(text, len(strings)))
        changes[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    if not strings:
        return data
    sst = etree.Element(
        f"{{{NS}}}sst", nsmap={None: NS}, count=str(len(strings)), uniqueCount=str(len(strings))
    )
    for text in strings:
        t = etree.SubElement(etree.SubElement(sst, f"{{{NS}}}si"), f"{{{NS}}}t")
        t.text = text
        if text != text.strip():
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    ct = src.read("[Content_Types].xml").replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
        b'officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    rels = src.read("xl/_rels/workbook.xml.rels").replace(
        b"</Relationships>",
        b'<Relationship Id="rIdSst" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    )
    changes["[Content_Types].xml"] = ct
    changes["xl/_rels/workbook.xml.rels"] = rels
    return rewrite(
        data,
        changes,
        {
            "xl/sharedStrings.xml": etree.tostring(
                sst, xml_declaration=True, encoding="UTF-8", standalone=True
            )
        },
    )


def sheet_xml(data: bytes, part: str = "xl/worksheets/sheet1.xml") -> bytes:
    return zipfile.ZipFile(io.BytesIO(data)).read(part)


def grid_workbook(
    rows: list[list],
    *,
    title: str = "Budget",
    merges=(),
    extra_sheets: dict | None = None,
    shared: bool = True,
) -> bytes:
    """A workbook from a grid of values (None = empty), with optional merged ranges."""
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for r, row in enumerate(rows, 1):
        for c, v in enumerate(row, 1):
            if v is not None:
                ws.cell(r, c, v)
    for m in merges:
        ws.merge_cells(m)
    for name, grid in (extra_sheets or {}).items():
        s = wb.create_sheet(name)
        for r, row in enumerate(grid, 1):
            for c, v in enumerate(row, 1):
                if v is not None:
                    s.cell(r, c, v)
    buf = io.BytesIO()
    wb.save(buf)
    return share_strings(buf.getvalue()) if shared else buf.getvalue()


# --------------------------------------------------------------------------- hostile files
def with_doctype(data: bytes, part: str = "xl/worksheets/sheet1.xml", kind: str = "xxe") -> bytes:
    body = zipfile.ZipFile(io.BytesIO(data)).read(part)
    decl = {
        "xxe": b'<!DOCTYPE worksheet [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        "laughs": b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
                  b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>',
    }[kind]
    body = re.sub(rb"^(<\?xml[^>]*\?>)?", lambda m: (m.group(0) or b"") + decl, body, count=1)
    if kind == "xxe":
        body = body.replace(
            b"<sheetData>",
            b'<sheetData><row r="99"><c r="A99" t="inlineStr"><is><t>&xxe;</t></is></c></row>',
            1,
        )
    return rewrite(data, {part: body})


def as_xlsm(data: bytes, *, content_type_only: bool = False) -> bytes:
    """The same workbook saved "with macros": vbaProject.bin and the macro-enabled content type."""
    src = zipfile.ZipFile(io.BytesIO(data))
    ct = src.read("[Content_Types].xml").replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )
    extra = {} if content_type_only else {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\x00" * 60}
    return rewrite(data, {"[Content_Types].xml": ct}, extra)


def ole_file(stream_names: tuple[str, ...]) -> bytes:
    """A minimal OLE compound file whose directory names the given streams: "EncryptedPackage"
    and "EncryptionInfo" (a password-protected .xlsx), or "Workbook" (an .xls)."""
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHH", header, 24, 0x3E, 3, 0xFFFE)
    directory = bytearray()
    for name in ("Root Entry",) + tuple(stream_names):
        entry = bytearray(128)
        raw = name.encode("utf-16-le")
        entry[: len(raw)] = raw
        struct.pack_into("<H", entry, 64, len(raw) + 2)
        entry[66] = 5 if name == "Root Entry" else 2
        directory += entry
    return bytes(header) + bytes(directory) + b"\x00" * 1024


def zip_bomb(member_mb: int = 4) -> bytes:
    """A valid-looking workbook whose sheet is megabytes of one repeated byte (ratio ~1000)."""
    base = budget_workbook(
        BudgetSpec(category_sheet=False, notes_sheet=False, outcomes=1, outputs=1, activities=1)
    )
    body = sheet_xml(base)
    pad = b" " * (member_mb * 1024 * 1024)
    return rewrite(base, {"xl/worksheets/sheet1.xml": body.replace(b"<sheetData>", b"<sheetData>" + pad, 1)})


def many_rows(n: int = 1_000_000, cols: int = 2) -> bytes:
    """A workbook of ``n`` rows written straight as XML (openpyxl would take minutes)."""
    base = grid_workbook([["Ligne", "Montant"]])
    head = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    )
    out = io.BytesIO()
    src = zipfile.ZipFile(io.BytesIO(base))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                dst.writestr(info.filename, src.read(info.filename))
        with dst.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(head)
            step = 10_000
            for start in range(1, n + 1, step):
                parts = []
                for r in range(start, min(n, start + step - 1) + 1):
                    cells = "".join(
                        f'<c r="{get_column_letter(c + 1)}{r}"><v>{r * (c + 1)}</v></c>' for c in range(cols)
                    )
                    parts.append(f'<row r="{r}">{cells}</row>')
                fh.write("".join(parts).encode())
            fh.write(b"</sheetData></worksheet>")
    return out.getvalue()
