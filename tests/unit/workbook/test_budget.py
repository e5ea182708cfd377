"""Understanding a budget workbook: tables found by their headers (French or English, merged or
not, on row 1 or row 3, on any sheet), figures with the cells they come from, sums inside."""

import copy
from decimal import Decimal

import pytest

from reviewflow.report_templates import load_template
from reviewflow.workbook import find_budget, read_budget, read_workbook
from reviewflow.workbook.spec import Spec, agency_tokens, match_agencies
from reviewflow.workbook.text import norm, parse_amount
from tests.helpers.budget_xlsx import BudgetSpec, build, grid_workbook

T = load_template("pbf")
SHEET_FR = "'1) Budget par résultat'"


def understand(spec=None, **kw):
    w = build(spec or BudgetSpec(**kw))
    return w, read_budget(w.data, T)


def test_the_default_french_workbook():
    w, b = understand()
    p = b.primary
    assert p.sheet == "1) Budget par résultat" and (p.header_first, p.header_last) == (3, 4)
    roles = {c.letter: (c.role, c.name) for c in p.columns}
    assert roles["C"] == ("recipient", "ONUDC-ROSEN") and roles["E"] == ("recipient", "OIM-Cameroun")
    assert roles["F"][0] == "total" and roles["G"][0] == "gewe_percent" and roles["H"][0] == "spent"
    assert b.total.value == w.total == Decimal("3102798.00")
    assert b.total.locator == f"{SHEET_FR}!{w.cells['grand_total']}" and b.total.how == "cell"
    assert {a.name: a.figure.value for a in b.agencies} == w.agencies
    assert b.agencies[1].figure.locator == f"{SHEET_FR}!D{int(w.cells['grand_total'][1:])}"
    assert b.gewe.value == w.gewe and b.gewe.how == "percent" and b.gewe.locator.startswith(f"{SHEET_FR}!G")
    assert b.spent.value == w.spent and b.spent.locator == f"{SHEET_FR}!{w.cells['spent_total']}"
    assert not b.sum_mismatches and b.sums_checked > 40
    kinds = [r.kind for r in p.rows]
    assert kinds.count("outcome") == 3 and kinds.count("output") == 6 and kinds.count("activity") == 18
    assert [r.id for r in p.rows if r.kind == "output"][:2] == ["1.1", "1.2"]
    assert b.warnings == ()


def test_several_sheets_two_tables_the_main_one_first():
    _w, b = understand()
    assert [t.sheet for t in b.tables] == ["1) Budget par résultat", "2) Budget par catégorie"]
    assert b.primary is b.tables[0]
    assert [s["tables"] for s in b.sheets] == [1, 1, 0]


def test_english_headers_on_row_1_without_merges():
    w, b = understand(lang="en", merged=False, header_row=1)
    p = b.primary
    assert (p.header_first, p.header_last) == (1, 2)
    assert [a.name for a in b.agencies] == ["ONUDC-ROSEN", "OIM-RCA", "OIM-Cameroun"]
    assert b.total.value == w.total and b.gewe.value == w.gewe and b.spent.value == w.spent
    assert not b.sum_mismatches
    assert [r.scope for r in p.rows if r.kind == "total"][:2] == ["output", "output"]  # "Output 1.1 total"


def test_merged_headers_with_and_without_merge_information_agree():
    _w, merged = understand(merged=True)
    _w, plain = understand(merged=False)
    assert [(c.letter, c.role, c.name) for c in merged.primary.columns] == [
        (c.letter, c.role, c.name) for c in plain.primary.columns
    ]


def test_a_table_only_on_a_later_sheet():
    notes = [["Budget du projet"], ["Voir la feuille suivante."]]
    grid = [
        ["Agence", "Budget (USD)", "Dépenses à ce jour"],
        ["OIM", 1000, 200],
        ["ONUDC", 500, 50],
        ["Total", 1500, 250],
    ]
    data = grid_workbook(notes, title="Lisez-moi", extra_sheets={"Budget 2021": grid})
    b = read_budget(data, T)
    assert b.primary.sheet == "Budget 2021"
    assert b.total.value == 1500 and b.total.locator == "'Budget 2021'!B4"
    assert b.spent.value == 250
    assert [(a.name, a.figure.value, a.figure.locator) for a in b.agencies] == [
        ("OIM", 1000, "'Budget 2021'!B2"),
        ("ONUDC", 500, "'Budget 2021'!B3"),
    ]  # agencies as rows


def test_formulas_without_cached_values_fall_back_on_the_lines_and_warn():
    w, b = understand(formulas="uncached")
    assert "formula_no_cache" in b.warning_codes()
    assert b.total.value == w.total and b.total.how == "sum"
    assert b.agencies[0].figure.how == "sum" and b.agencies[0].figure.locator.startswith(f"{SHEET_FR}!C7:C")


def test_deliberate_mismatches_are_found_with_their_cells():
    w, b = understand(mismatch={"output": "1.1", "grand": Decimal(1000)})
    bad = {s.locator: s for s in b.sum_mismatches}
    out = bad[f"{SHEET_FR}!{w.cells['output_total:1.1']}"]
    assert out.label == "Total produit 1.1" and out.stated - out.computed == 500 and out.scope == "total"
    assert out.lines == f"{SHEET_FR}!C7:C9" and out.count == 3
    grand = bad[f"{SHEET_FR}!{w.cells['grand_total']}"]
    assert grand.stated - grand.computed == 1000
    w, b = understand(mismatch={"row": "1.2.1"})
    bad = {s.locator: s for s in b.sum_mismatches}
    row = bad[f"{SHEET_FR}!{w.cells['row_total:1.2.1']}"]
    assert row.scope == "row" and row.stated - row.computed == 100


def test_gewe_amount_column_and_labelled_gewe_row():
    w, b = understand(gewe="amount")
    assert b.gewe.value == w.gewe and b.gewe.how == "sum"
    w, b = understand(gewe="row", gewe_total=Decimal("1245996.00"))
    assert b.gewe.value == Decimal("1245996.00") and b.gewe.how == "cell"
    assert b.gewe.label == "Total $ alloué à l'égalité des sexes"


def test_gewe_percentages_written_as_whole_numbers():
    grid = [
        ["Activité", "OIM", "Total", "% genre"],
        ["Activité 1.1.1 : atelier", 1000, 1000, 30],
        ["Activité 1.1.2 : radio", 3000, 3000, 50],
        ["Total", 4000, 4000, None],
    ]
    b = read_budget(grid_workbook(grid), T)
    assert b.gewe.value == Decimal("1800.00") and b.gewe.how == "percent"


def test_amounts_written_as_text():
    grid = [
        ["Agence récipiendaire", "Budget total"],
        ["OIM-RCA", "$ 1 507 352,00"],
        ["ONUDC", "973,520.00 USD"],
        ["Total", "$2 480 872"],
    ]
    b = read_budget(grid_workbook(grid), T)
    assert b.total.value == Decimal("2480872") and not b.sum_mismatches


def test_a_workbook_without_budget_headers_says_so():
    b = read_budget(grid_workbook([["Nom", "Prénom"], ["Awa", "Ndiaye"]]), T)
    assert b.primary is None and b.warning_codes() == ["no_budget_table"]
    assert "Aucun tableau" in b.warnings[0].message["fr"]


def test_tables_that_disagree_are_pointed_out():
    main = [
        ["Agence", "OIM", "ONUDC", "Total"],
        ["Activité 1.1.1 : x", 100, 50, 150],
        ["Total", 100, 50, 150],
    ]
    other = [["Catégorie", "OIM", "ONUDC", "Total"], ["Voyages", 100, 60, 160], ["Total", 100, 60, 160]]
    b = read_budget(grid_workbook(main, extra_sheets={"Catégories": other}), T)
    [w] = [w for w in b.warnings if w.code == "tables_disagree"]
    assert w.locator == "Catégories!D3"


def test_another_donor_needs_only_another_block():
    """A donor whose workbook says "Partner" / "Allocation" / "Disbursed": data, not code."""
    block = copy.deepcopy(T.budget_workbook)
    block["columns"] = [
        {"id": "spent", "kind": "amount", "synonyms": ["disbursed"]},
        {"id": "recipient", "kind": "amount", "synonyms": ["partner"]},
        {"id": "total", "kind": "amount", "synonyms": ["allocation"]},
        {"id": "label", "kind": "text", "synonyms": ["budget heading"]},
    ]
    grid = [
        ["Budget heading", "Partner A", "Partner B", "Allocation", "Disbursed"],
        ["Activity 1.1.1 : training", 10, 20, 30, 3],
        ["Activity 1.1.2 : radio", 5, 5, 10, 1],
        ["Grand total", 15, 25, 40, 4],
    ]
    wb = read_workbook(grid_workbook(grid))
    b = find_budget(wb, block)
    assert b.total.value == 40 and b.spent.value == 4
    assert [a.name for a in b.agencies] == ["Partner A", "Partner B"]


def test_cover_hints_recognise_columns_headed_only_by_a_name():
    grid = [
        ["Ligne", "Bureau Alpha", "Bureau Beta", "Total"],
        ["Activité 1.1.1 : x", 10, 20, 30],
        ["Total", 10, 20, 30],
    ]
    data = grid_workbook(grid)
    assert [a.name for a in read_budget(data, T, agencies=["Bureau Alpha", "Bureau Beta"]).agencies] == [
        "Bureau Alpha",
        "Bureau Beta",
    ]


@pytest.mark.parametrize(
    "a,b,expected",
    [
        (
            ["ONUDC-ROSEN", "OIM-RCA", "OIM-Cameroun"],
            ["UNODC", "IOM RCA", "IOM Cameroun"],
            {0: 0, 1: 1, 2: 2},
        ),
        (["OIM-RCA", "OIM-Cameroun"], ["OIM"], {}),  # ambiguous: left out
        (["PNUD"], ["UNDP Budget (USD)"], {0: 0}),
        (["ONU Femmes"], ["UN Women"], {0: 0}),
        (["UNICEF"], ["OIM"], {}),
    ],
)
def test_agency_matching(a, b, expected):
    assert match_agencies(a, b, Spec(T.budget_workbook)) == expected


def test_matching_tokens():
    spec = Spec(T.budget_workbook)
    assert agency_tokens("Organisation récipiendaire 1 : IOM-RCA", spec) == frozenset({"oim", "rca"})


def test_text_helpers():
    assert norm("Numéro de Résultat/ produit 1.2.3 :") == "numero de resultat produit 1.2.3"
    assert parse_amount("(1 200,50)") == Decimal("-1200.50") and parse_amount("abc") is None


def test_to_dict_is_json_ready():
    import json

    _w, b = understand(mismatch={"grand": Decimal(5)})
    d = json.loads(json.dumps(b.to_dict()))
    assert d["total"]["locator"].endswith("!F45") and d["tables"][0]["sum_mismatches"]
    assert d["sheets"][0]["name"] == "1) Budget par résultat"


ANNEX_EN = [
    ["Table 1 - PBF project budget by Outcome, output and activity"],
    [
        "Outcome/ Output number",
        "Outcome/ output/ activity formulation:",
        "UNDP (budget in USD)",
        "UNICEF (budget in USD)",
        "Total",
        "% of budget per activity allocated to Gender Equality and Women's Empowerment (GEWE) (if any):",
        "Level of expenditure/ commitments in USD (to provide at time of project progress reporting):",
        "Notes",
    ],
    ["OUTCOME 1:", "Youth take part in local peace committees"],
    ["Output 1.1:", "Committees set up"],
    ["Activity 1.1.1:", "Train members", 10000, 5000, 15000, 0.5, 2000],
    ["Activity 1.1.2:", "Radio shows", 4000, 6000, 10000, 0.2, 1000],
    [None, "Output Total", 14000, 11000, 25000, None, 3000],
    ["Output 1.2:", "Dialogue"],
    ["Activity 1.2.1:", "Meetings", 3000, 2000, 5000, 0.3, 500],
    [None, "Output Total", 3000, 2000, 5000, None, 500],
    [None, "Outcome Total", 17000, 13000, 30000, None, 3500],
    ["Additional personnel costs", None, 1000, 1000, 2000, None, 0],
    ["Budget for independent final evaluation", None, 500, 500, 1000, None, 0],
    ["Total Additional Costs", None, 1500, 1500, 3000, None, 0],
    [],
    [None, "Totals", "UNDP", "UNICEF", "Totals"],
    [None, "Sub-Total Project Budget", 18500, 14500, 33000],
    [None, "Indirect support costs (7%):", 1295, 1015, 2310],
    [None, "Total", 19795, 15515, 35310],
]


def test_the_pbf_annex_layout_labels_in_the_number_column_and_a_totals_block():
    """Hierarchy written in the number column ("Activity 1.1.1:"), "Output Total" rows without a
    number, agencies named in the header with "(budget in USD)", additional costs with their own
    total, and the grand total in a separate "Totals" block below (sub-total + 7 % + total)."""
    b = read_budget(grid_workbook(ANNEX_EN, title="1) Budget Table A"), T)
    p = b.primary
    assert [(r.kind, r.id, r.scope) for r in p.rows][:7] == [
        ("outcome", "1", None),
        ("output", "1.1", None),
        ("activity", "1.1.1", None),
        ("activity", "1.1.2", None),
        ("total", None, "output"),
        ("output", "1.2", None),
        ("activity", "1.2.1", None),
    ]
    assert not b.sum_mismatches and b.warnings == ()
    assert b.total.value == 35310 and b.total.locator == "'1) Budget Table A'!E19"
    assert [(a.name, a.figure.value, a.figure.locator) for a in b.agencies] == [
        ("UNDP (budget in USD)", 19795, "'1) Budget Table A'!C19"),
        ("UNICEF (budget in USD)", 15515, "'1) Budget Table A'!D19"),
    ]
    assert b.gewe.value == Decimal("11000.00") and b.spent.value == 3500
    assert b.match_agencies(["PNUD", "UNICEF"]) == {0: b.agencies[0], 1: b.agencies[1]}


def test_a_wrong_additional_costs_total_in_the_annex_layout():
    grid = [list(r) for r in ANNEX_EN]
    grid[13] = ["Total Additional Costs", None, 1500, 1500, 3100, None, 0]
    b = read_budget(grid_workbook(grid, title="Budget"), T)
    [bad] = b.sum_mismatches  # one finding: the row's total against its agencies
    assert bad.locator == "Budget!E14" and bad.computed == 3000 and bad.lines == "Budget!C14:D14"
    grid[13] = ["Total Additional Costs", None, 1600, 1500, 3100, None, 0]  # the agency cell is wrong
    [bad] = read_budget(grid_workbook(grid, title="Budget"), T).sum_mismatches
    assert bad.locator == "Budget!C14" and bad.computed == 1500 and bad.lines == "Budget!C12:C13"
