from reviewflow.checks import RF_COLUMNS, indicator_head, parse_value, rf_columns, rf_rows
from reviewflow.content import table_block
from tests.helpers.checks import RF_HEADER_EN, RF_HEADER_FR


def _levels(rows):
    return [(r.level, r.id, r.parent) for r in rows]


def test_word_layout_with_merged_row_header_fr():
    block = table_block(None, [
        RF_HEADER_FR,
        ["Résultat 1: Les autorités coordonnent mieux", "Indicateur 1.1\n# de réunions", "0", "6", "3", "4", ""],
        ["", "Indicateur 1.2 : % de femmes parmi les participants", "0%", "30%", "15%", "20%", ""],
        ["Produit 1.1\nUn bureau est opérationnel", "Indicateur  1.1.1\n: # de participants", "0", "60", "20",
         "23", "Pas de retard."],
        ["", "Indicateur 1.1.2. # de sessions", "0", "4", "2", "1", "Retard du consultant"],
    ])
    rows = rf_rows(block)
    assert _levels(rows) == [("header", None, None), ("outcome", "1", None), ("indicator", "1.1", "1"),
                             ("indicator", "1.2", "1"), ("output", "1.1", "1"), ("indicator", "1.1.1", "1.1"),
                             ("indicator", "1.1.2", "1.1")]
    out1 = rows[1]
    assert out1.label == "Résultat 1" and out1.title == "Les autorités coordonnent mieux"
    assert out1.index == rows[2].index == 1            # merged cell: two typed rows, one table row
    ind = rows[5]
    assert ind.label == "Indicateur  1.1.1" and ind.title == "# de participants"
    assert ind.cells["current"] == "23" and ind.cells["reasons"] == "Pas de retard."
    assert "row_header" not in ind.cells
    assert ind.cell_index == {"indicator": 1, "baseline": 2, "target": 3, "milestone": 4, "current": 5, "reasons": 6}
    assert rows[6].title == "# de sessions" and ind.outcome == "1"


def test_six_columns_and_hierarchy_rows_en():
    block = table_block(None, [
        RF_HEADER_EN[1:],
        ["Outcome 2: Courts try trafficking cases", "", "", "", "", ""],
        ["Indicator 2.1 Number of cases tried", "0", "10", "4", "2", "Judges on strike"],
        ["Output 2.1 Judges are trained", "", "", "", "", ""],
        ["Indicator 2.1.1: # of judges trained (sex, age)", "0", "40", "20", "25 (10 women / 15 men)", ""],
    ])
    assert rf_columns(block) == RF_COLUMNS[1:]
    rows = rf_rows(block)
    assert _levels(rows) == [("header", None, None), ("outcome", "2", None), ("indicator", "2.1", "2"),
                             ("output", "2.1", "2"), ("indicator", "2.1.1", "2.1")]
    assert rows[1].title == "Courts try trafficking cases"
    assert rows[4].cells["current"] == "25 (10 women / 15 men)"


def test_explicit_columns_no_header_and_unnumbered_rows():
    block = table_block(["indicator", "baseline", "target", "milestone", "current", "reasons"], [
        ["Outcome", "", "", "", "", ""],
        ["Output", "", "", "", "", ""],
        ["# of radio programmes", "0", "12", "6", "7", ""],
        ["", "", "", "", "", ""],
    ])
    rows = rf_rows(block)
    assert _levels(rows) == [("outcome", None, None), ("output", None, None), ("indicator", None, None)]
    assert rows[2].title == "# of radio programmes" and rows[2].locator == "row3"


def test_prose_starting_with_result_word_is_not_a_hierarchy_row():
    block = table_block(None, [["Résultats obtenus grâce aux formations", "0", "1", "1", "1", ""]])
    rows = rf_rows(block)
    assert [r.level for r in rows] == ["indicator"]


def test_template_indicator_pattern_is_used():
    block = table_block(None, [RF_HEADER_FR, ["", "Indicateur 3.2.4. # de victimes", "0", "40", "5", "3", ""]])
    rows = rf_rows(block, indicator_pattern=r"^Indicat(eur|or)\s*(?P<id>\d+(\.\d+){1,2})\.?\s*:?")
    assert rows[-1].id == "3.2.4" and rows[-1].title == "# de victimes"


def test_parse_value():
    assert parse_value("23").total == 23
    v = parse_value("83%")
    assert v.total == 83 and v.percent
    assert parse_value("126 : 34 femmes et 92 hommes (RCA)").total == 126
    assert parse_value("9 (RCA)\n1 (Cameroun)").total == 10
    assert parse_value("5 cas par trimestre").total == 5
    assert parse_value("2000 (RCA 1000, CMR 1000)").total == 2000
    assert parse_value("1 (étude réalisée au Cameroun)").total == 1
    assert parse_value("TBD") is None and parse_value("") is None
    assert parse_value("Activité 1.1.1 en cours") is None
    assert parse_value("12/02/2021") is None


def test_indicator_head():
    assert indicator_head("# de participants aux  réunions") == ("count", "participant", "aux  réunions")
    assert indicator_head("% des victimes assistés qui répondent")[:2] == ("percent", "victime")
    assert indicator_head("Number of focal points trained")[:2] == ("count", "focal point")
    assert indicator_head("augmentation de la confiance (par âge / sexe)")[:2] == (None, None)
