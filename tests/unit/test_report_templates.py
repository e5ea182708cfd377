import json
import os
from pathlib import Path

import pytest

from reviewflow.report_templates import TemplateError, available_templates, load_template

SHARED = Path(os.environ.get("REVIEWFLOW_SHARED", Path(__file__).resolve().parents[2].parent / "shared"))


def test_pbf_template_has_sections_in_template_order_with_both_languages():
    t = load_template("pbf")
    keys = [f.key for f in t.fields(3)]
    assert keys.index("country") < keys.index("implementation_status") < keys.index("outcome_1.statement") \
        < keys.index("outcome_3.gewe_youth") < keys.index("monitoring") < keys.index("covid_monetary") \
        < keys.index("results_framework")
    for f in t.fields(3):
        assert f.label["fr"] and f.label["en"], f.key
    assert t.field("implementation_status").limit == 1500
    assert t.field("upcoming_events").limit == 1000
    assert t.field("outcome_2.progress_summary").limit == 3000
    assert t.field("outcome_2.progress_summary").label_in("fr") == "Résultat 2 : résumé de progrès"
    assert t.field("results_framework").cell_limit == 300
    assert t.field("structural_change").required == "conditional"


def test_repeated_part_follows_the_number_of_outcomes():
    t = load_template("pbf")
    assert sum(1 for f in t.fields(1) if f.outcome) == 4
    assert sum(1 for f in t.fields(4) if f.outcome) == 16
    with pytest.raises(KeyError):
        t.field("outcome_5.statement")


def test_static_guidance_is_not_a_section():
    t = load_template("pbf")
    assert "completion_notes" not in [f.key for f in t.fields(1)]
    assert "completion_notes" in [f.key for f in t.fields(1, include_static=True)]


@pytest.mark.skipif(not (SHARED / "pbf" / "template.json").exists(),
                    reason="../shared/pbf/template.json is not present (set REVIEWFLOW_SHARED)")
def test_field_ids_are_those_of_the_shared_spec():
    spec = json.loads((SHARED / "pbf" / "template.json").read_text(encoding="utf-8"))
    ids = []
    for part in spec["parts"]:
        fields = part["repeat"]["fields"] if part.get("repeat") else part.get("fields", [])
        ids += [f["id"] for f in fields]
    t = load_template("pbf")
    ours = [f["id"] for p in t.parts for f in p.fields]
    assert ours == ids


def test_a_second_template_needs_no_code(tmp_path):
    data = {
        "id": "eu", "names": {"fr": "Rapport UE", "en": "EU report"}, "report_types": ["annual"],
        "vocabularies": {"yn": {"kind": "single_choice", "options": [{"code": "y", "fr": "Oui", "en": "Yes"}]}},
        "parts": [{"id": "main", "label": {"fr": "Principal", "en": "Main"}, "fields": [
            {"id": "summary", "kind": "text_narrative", "label": {"fr": "Résumé", "en": "Summary"}, "limit": 500,
             "required": "always"},
            {"id": "ok", "kind": "single_choice", "label": {"fr": "OK ?", "en": "OK?"}, "options": "yn"}]}],
    }
    (tmp_path / "eu.json").write_text(json.dumps(data), encoding="utf-8")
    t = load_template("eu", str(tmp_path))
    assert [f.key for f in t.fields()] == ["summary", "ok"]
    assert t.options("yn", "en") == [("y", "Yes")]
    assert available_templates(str(tmp_path)) == ["eu"]


def test_a_broken_template_is_refused_with_a_reason(tmp_path):
    (tmp_path / "bad.json").write_text(json.dumps({"id": "bad", "names": {}, "parts": [
        {"id": "p", "fields": [{"id": "x", "kind": "single_choice", "label": {}, "options": "nope"}]}]}))
    with pytest.raises(TemplateError, match="unknown vocabulary"):
        load_template("bad", str(tmp_path))
    with pytest.raises(TemplateError, match="unknown template"):
        load_template("../etc/passwd")
