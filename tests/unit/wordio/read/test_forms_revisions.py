"""Form fields (legacy and content controls) and the tracked-change list."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from reviewflow.wordio import Revision, summarize_revisions
from tests.helpers.docxbuild import dele, ins, p, read, t, tbl
from tests.helpers.wordio import check


def legacy(ffdata: str, instr: str, result: str = "", bookmark: str | None = None) -> str:
    bm = f'<w:bookmarkStart w:id="9" w:name="{bookmark}"/>' if bookmark else ""
    res = f"<w:r><w:t>{result}</w:t></w:r>" if result else ""
    return (f'<w:r><w:fldChar w:fldCharType="begin"><w:ffData>{ffdata}</w:ffData></w:fldChar></w:r>'
            f'{bm}<w:r><w:instrText xml:space="preserve"> {instr} </w:instrText></w:r>'
            f'<w:r><w:fldChar w:fldCharType="separate"/></w:r>{res}'
            f'<w:r><w:fldChar w:fldCharType="end"/></w:r>' + ('<w:bookmarkEnd w:id="9"/>' if bm else ""))


@pytest.mark.parametrize("inner,checked", [
    ('<w:checkBox><w:sizeAuto/><w:default w:val="0"/></w:checkBox>', False),
    ('<w:checkBox><w:sizeAuto/><w:default w:val="1"/></w:checkBox>', True),
    ('<w:checkBox><w:default w:val="0"/><w:checked/></w:checkBox>', True),
    ('<w:checkBox><w:default w:val="1"/><w:checked w:val="0"/></w:checkBox>', False),
    ('<w:checkBox><w:default w:val="1"/><w:checked w:val="false"/></w:checkBox>', False),
])
def test_legacy_checkbox(inner, checked):
    doc = check(read(p("Oui ", legacy(f'<w:name w:val="Check1"/><w:enabled/>{inner}', "FORMCHECKBOX"), " fin")))
    assert doc.text == "Oui  fin"
    (f,) = doc.form_fields
    assert (f.kind, f.name, f.checked, f.value, f.source, f.start) == (
        "checkbox", "Check1", checked, "1" if checked else "0", "legacy", 4)


def test_legacy_checkbox_name_falls_back_to_bookmark():
    doc = check(read(p(legacy('<w:name w:val=""/><w:checkBox><w:default w:val="0"/></w:checkBox>',
                              "FORMCHECKBOX", bookmark="Case3"))))
    assert doc.form_fields[0].name == "Case3"


def test_legacy_dropdown_uses_result_index():
    ff = ('<w:name w:val="Statut"/><w:ddList><w:result w:val="2"/><w:listEntry w:val="Non démarré"/>'
          '<w:listEntry w:val="En cours"/><w:listEntry w:val="Achevé"/></w:ddList>')
    doc = check(read(p("Statut : ", legacy(ff, "FORMDROPDOWN"))))
    (f,) = doc.form_fields
    assert (f.kind, f.name, f.value, f.options) == ("dropdown", "Statut", "Achevé",
                                                    ["Non démarré", "En cours", "Achevé"])


def test_legacy_dropdown_without_result_is_first_entry():
    ff = '<w:name w:val="D"/><w:ddList><w:listEntry w:val="A"/><w:listEntry w:val="B"/></w:ddList>'
    assert check(read(p(legacy(ff, "FORMDROPDOWN")))).form_fields[0].value == "A"


def test_legacy_text_field_value_is_its_result():
    ff = '<w:name w:val="Montant"/><w:textInput><w:type w:val="number"/></w:textInput>'
    doc = check(read(p("Montant : ", legacy(ff, "FORMTEXT", result="125 000"), " USD")))
    assert doc.text == "Montant : 125 000 USD"
    (f,) = doc.form_fields
    assert (f.kind, f.name, f.value, f.start, f.end) == ("text", "Montant", "125 000", 10, 17)


def test_w14_checkbox_content_control():
    def sdt(checked, glyph):
        return ('<w:sdt><w:sdtPr><w:alias w:val="Genre"/><w:tag w:val="genre_f"/><w14:checkbox>'
                f'<w14:checked w14:val="{checked}"/><w14:checkedState w14:val="2612"/>'
                '<w14:uncheckedState w14:val="2610"/></w14:checkbox></w:sdtPr><w:sdtContent>'
                f"{t(glyph)}</w:sdtContent></w:sdt>")
    doc = check(read(p(sdt(1, "☒"), " Femmes ", sdt(0, "☐"), " Hommes")))
    assert doc.text == "☒ Femmes ☐ Hommes"
    assert [(f.kind, f.name, f.checked, f.value, f.source) for f in doc.form_fields] == [
        ("checkbox", "genre_f", True, "1", "sdt"), ("checkbox", "genre_f", False, "0", "sdt")]


def test_sdt_dropdown_and_combo_box_show_displayed_text():
    items = ('<w:listItem w:value="Choisir"/><w:listItem w:displayText="Oui" w:value="Y"/>'
             '<w:listItem w:displayText="Non" w:value="N"/>')
    chosen = (f'<w:sdt><w:sdtPr><w:alias w:val="Risque"/><w:dropDownList>{items}</w:dropDownList>'
              f'</w:sdtPr><w:sdtContent>{p("Oui")}</w:sdtContent></w:sdt>')
    placeholder = (f'<w:sdt><w:sdtPr><w:tag w:val="r2"/><w:showingPlcHdr/><w:comboBox>{items}'
                   f'</w:comboBox></w:sdtPr><w:sdtContent>{p("Choisir un élément.")}</w:sdtContent></w:sdt>')
    doc = check(read(chosen + placeholder))
    assert doc.text == "Oui\nChoisir un élément."
    a, b = doc.form_fields
    assert (a.kind, a.name, a.value, a.options) == ("dropdown", "Risque", "Oui", ["Choisir", "Oui", "Non"])
    assert (b.name, b.value) == ("r2", "")


def test_plain_text_content_control_is_a_text_field():
    sdt = ('<w:sdt><w:sdtPr><w:tag w:val="budget"/><w:text/></w:sdtPr><w:sdtContent>'
           + t("1 200 000") + "</w:sdtContent></w:sdt>")
    (f,) = check(read(p("Budget : ", sdt))).form_fields
    assert (f.kind, f.name, f.value, f.source) == ("text", "budget", "1 200 000", "sdt")


def test_checkbox_in_table_cell():
    cb = legacy('<w:name w:val="C"/><w:checkBox><w:default w:val="1"/></w:checkBox>', "FORMCHECKBOX")
    doc = check(read(tbl(["Atteint", [p(cb)]])))
    assert doc.form_fields[0].checked is True


# ---- revisions ---------------------------------------------------------------------------

def test_revision_kinds_dates_and_paragraph_marks():
    rpr_change = ('<w:r><w:rPr><w:b/><w:rPrChange w:id="4" w:author="Chloé" '
                  'w:date="2026-03-05T08:00:00Z"><w:rPr/></w:rPrChange></w:rPr><w:t>gras</w:t></w:r>')
    ppr = ('<w:pStyle w:val="Titre1"/><w:rPr><w:ins w:id="5" w:author="Ana"/></w:rPr>'
           '<w:pPrChange w:id="6" w:author="Ben" w:date="2026-03-06T08:00:00Z"><w:pPr/></w:pPrChange>')
    body = p("Un ", ins("deux ", rid=1), dele("trois ", rid=2), rpr_change, ppr=ppr) + p("fin")
    doc = check(read(body))
    assert doc.text == "Un deux gras\nfin"
    kinds = [(r.kind, r.author, r.text, r.paragraph_mark) for r in doc.revisions]
    assert kinds == [
        ("pPrChange", "Ben", "Un deux gras", False),
        ("ins", "Ana", "deux ", False),
        ("del", "Ben", "trois ", False),
        ("rPrChange", "Chloé", "gras", False),
        ("ins", "Ana", "\n", True),
    ]
    rpr = doc.revisions[3]
    assert doc.text[rpr.start:rpr.end] == "gras"
    assert rpr.date == datetime(2026, 3, 5, 8, 0, tzinfo=UTC) and rpr.id == "4"
    summary = doc.revision_summary
    assert (summary.count, summary.authors) == (5, ["Ben", "Ana", "Chloé"])
    assert str(summary) == "5 unaccepted changes by 3 authors"
    assert summary.by_kind == {"pPrChange": 1, "ins": 2, "del": 1, "rPrChange": 1}


def test_summary_wording():
    assert str(summarize_revisions([])) == "no unaccepted changes"
    one = Revision(kind="ins", author="A", date=None, text="x", start=0, end=1)
    assert str(summarize_revisions([one])) == "1 unaccepted change by 1 author"


def test_cell_level_revisions():
    body = ('<w:tbl><w:tr><w:tc><w:tcPr><w:cellIns w:id="1" w:author="A"/></w:tcPr>' + p("nouvelle")
            + '</w:tc><w:tc><w:tcPr><w:cellDel w:id="2" w:author="A"/></w:tcPr>' + p("partie")
            + "</w:tc></w:tr></w:tbl>")
    doc = check(read(body))
    assert doc.text == "nouvelle"
    assert [(r.kind, r.text) for r in doc.revisions] == [("cellIns", "nouvelle"), ("cellDel", "partie")]
