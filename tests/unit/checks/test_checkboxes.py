"""Rules R07 and R08 of the template notes: check boxes the rest of the cover page calls for."""

from tests.helpers.checks import by_code, run, sections


def test_r07_trust_fund_named_without_a_box_fr():
    secs = sections(
        trust_fund_name="Fonds d'affectation spéciale régionale", trust_fund_type="|_| Pays\n|_| Régional"
    )
    [f] = run(["checkboxes"], secs)
    assert f.code == "checkbox_unticked" and f.severity == "warning" and f.section == "trust_fund_type"
    assert "« Fonds d'affectation spéciale régionale »" in f.message["fr"]
    assert "« Fonds fiduciaire régional »" in f.message["fr"]  # the name says which box
    assert "\u201cRegional Trust Fund\u201d" in f.message["en"]


def test_r07_english_country_fund():
    secs = sections(trust_fund_name="Somalia Country Trust Fund", trust_fund_type="")
    [f] = run(["checkboxes"], secs)
    assert f.code == "checkbox_unticked" and "\u201cCountry Trust Fund\u201d" in f.message["en"]


def test_r07_traps_box_ticked_or_no_name():
    assert run(["checkboxes"], sections(trust_fund_name="Fonds régional", trust_fund_type="regional")) == []
    assert (
        run(
            ["checkboxes"],
            sections(trust_fund_name="Fonds régional", trust_fund_type="☒ Fonds fiduciaire régional"),
        )
        == []
    )
    assert run(["checkboxes"], sections(trust_fund_name="", trust_fund_type="")) == []
    assert (
        run(["checkboxes"], sections(trust_fund_name="TBD", trust_fund_type="")) == []
    )  # a placeholder is no name


def test_r07_replaces_the_conditional_info_when_both_run():
    secs = sections(trust_fund_name="Fonds d'affectation spéciale régionale", trust_fund_type="")
    both = run(["conditional", "checkboxes"], secs)
    assert [f.code for f in both] == ["checkbox_unticked"]
    alone = run(["conditional"], secs)
    assert [f.code for f in alone] == ["conditional_field"]  # unchanged without the new check


def test_r08_two_countries_without_the_cross_border_box_fr():
    secs = sections(country="République centrafricaine (RCA) et Cameroun", priority_windows="")
    [f] = run(["checkboxes"], secs)
    assert f.code == "cross_border_unticked" and f.section == "priority_windows" and f.severity == "warning"
    assert "2 pays" in f.message["fr"] and "« Projet transfrontalier ou régional »" in f.message["fr"]
    assert f.figures["countries"] == 2


def test_r08_english_three_countries():
    secs = sections(country="Burkina Faso, Mali and Niger", priority_windows="gpi")
    [f] = run(["checkboxes"], secs)
    assert f.figures["countries"] == 3 and "\u201cCross-border or regional project\u201d" in f.message["en"]


def test_r08_traps():
    # ticked (stored as its code, or as Word text), one country, country names holding "et"/"and"
    assert run(["checkboxes"], sections(country="RCA et Cameroun", priority_windows="cross_border")) == []
    assert (
        run(
            ["checkboxes"],
            sections(country="RCA et Cameroun", priority_windows="☒ Projet transfrontalier ou régional"),
        )
        == []
    )
    for one in (
        "Cameroun",
        "République démocratique du Congo",
        "Trinité et Tobago",
        "Bosnia and Herzegovina",
        "Sao Tomé et Principe",
        "Guinée-Bissau",
        "",
    ):
        assert (
            by_code(run(["checkboxes"], sections(country=one, priority_windows="")), "cross_border_unticked")
            == []
        ), one
    # an unticked box written as Word text is not ticked
    secs = sections(country="Mali et Niger", priority_windows="☐ Projet transfrontalier ou régional")
    assert [f.code for f in run(["checkboxes"], secs)] == ["cross_border_unticked"]
