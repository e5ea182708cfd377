import ast
import json
import sys
from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest

from reviewflow.checks import (
    INFO,
    Finding,
    VersionInput,
    available_checks,
    make_fingerprint,
    register,
    run_checks,
    table_spans,
    unknown_checks,
)
from reviewflow.checks.engine import REGISTRY
from reviewflow.content import blocks_text, paragraph, table_block, table_cells
from reviewflow.report_templates import Template
from tests.helpers.checks import TEMPLATE, run, sections

REPO = Path(__file__).resolve().parents[3]


def test_pbf_template_names_only_registered_checks():
    assert TEMPLATE.checks, "the PBF template lists its checks"
    assert unknown_checks(TEMPLATE) == []
    for name in ("char_limit", "cell_limit", "required", "conditional", "placeholders", "disaggregation",
                 "breakdown_sum", "narrative_table_consistency", "percent_base", "reasons_column",
                 "acronyms", "budget", "baselines", "indicator_numbering", "dates"):
        assert name in available_checks()


def test_engine_is_pure():
    """reviewflow/checks imports only the standard library, reviewflow.content and
    reviewflow.report_templates (the package reviewflow/__init__ itself builds the Flask app, so
    the imports are read from the source, not from sys.modules)."""
    allowed_internal = {"reviewflow.content", "reviewflow.report_templates"}
    stdlib = set(sys.stdlib_module_names)
    for path in sorted((REPO / "reviewflow" / "checks").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:          # relative: inside reviewflow.checks
                    continue
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                assert top in stdlib or top == "__future__" or name in allowed_internal, f"{path.name}: {name}"


def _template(checks):
    data = json.loads(json.dumps(TEMPLATE.data))
    data["checks"] = checks
    return Template(data)


def test_unknown_check_gives_one_info_finding_and_others_still_run():
    t = _template(["no_such_check", "required"])
    out = run_checks(t, VersionInput(sections={}))
    unknown = [f for f in out if f.code == "unknown_check"]
    assert len(unknown) == 1 and unknown[0].severity == INFO and unknown[0].section == ""
    assert "no_such_check" in unknown[0].message["fr"] and "no_such_check" in unknown[0].message["en"]
    assert any(f.code == "required_empty" for f in out)
    assert unknown_checks(t) == ["no_such_check"]


def test_failing_check_is_reported_unless_strict():
    @register("_test_boom")
    def boom(ctx, **_):
        raise RuntimeError("boom")
    try:
        out = run_checks(TEMPLATE, VersionInput(sections={}), checks=["_test_boom"])
        assert [f.code for f in out] == ["check_failed"]
        assert out[0].figures["error"] == "RuntimeError"
        with pytest.raises(RuntimeError):
            run_checks(TEMPLATE, VersionInput(sections={}), checks=["_test_boom"], strict=True)
    finally:
        REGISTRY.pop("_test_boom")


def test_entry_params_and_severity_override_from_template():
    secs = sections(implementation_status="L'ONUDC et l'OIM ont recruté.")
    t = _template([{"name": "acronyms", "params": {"extra_whitelist": ["OIM"]},
                    "severity": {"acronym_undefined": "info"}}])
    out = run_checks(t, VersionInput(sections=secs), strict=True)
    assert [(f.quote, f.severity) for f in out] == [("ONUDC", "info")]
    # run-time params are merged over the template's
    out = run_checks(t, VersionInput(sections=secs), params={"acronyms": {"extra_whitelist": ["ONUDC"]}})
    assert [f.quote for f in out] == ["OIM"]


def test_findings_sorted_by_template_order_then_offset():
    secs = sections(human_impact="x" * 2001, implementation_status="y" * 1501,
                    outcome_1__progress_summary="z" * 3001)
    out = run(["char_limit"], secs)
    assert [f.section for f in out] == ["implementation_status", "human_impact", "outcome_1.progress_summary"]


def test_finding_is_frozen_hashable_and_fingerprint_ignores_offsets_and_figures():
    a = Finding("placeholder", "warning", {"fr": "a", "en": "a"}, "other", 3, 6, {"n": 1}, quote="TBD")
    b = Finding("placeholder", "warning", {"fr": "b", "en": "b"}, "other", 40, 43, {"n": 2}, quote="  tbd ")
    assert a.fingerprint == b.fingerprint == make_fingerprint("placeholder", "other", None, "TBD")
    c = Finding("placeholder", "warning", {"fr": "a", "en": "a"}, "monitoring", 3, 6, quote="TBD")
    assert c.fingerprint != a.fingerprint
    assert len({a, b, c}) == 3
    with pytest.raises(FrozenInstanceError):
        a.code = "x"
    with pytest.raises(ValueError):
        Finding("x", "fatal", {}, "other")
    assert a.to_dict()["fingerprint"] == a.fingerprint
    assert a.message_in("en") == "a"


def test_fingerprint_is_carried_to_the_next_version_when_the_words_stay():
    v1 = sections(other="Les données seront disponibles en TBD.")
    v2 = sections(other="Un paragraphe ajouté avant.\nLes données seront disponibles en TBD.")
    f1 = run(["placeholders"], v1)[0]
    f2 = run(["placeholders"], v2)[0]
    assert f1.start != f2.start and f1.fingerprint == f2.fingerprint


def test_table_spans_match_canonical_text():
    blocks = [paragraph("Intro"),
              table_block(None, [["a", "b\nc"], ["", "dd"]]),
              paragraph("Milieu"),
              {"t": "table", "rows": [[[], [paragraph("x"), paragraph("y")]]]}]
    text = blocks_text(blocks)
    spans = table_spans(blocks)
    assert len(spans) == 2
    for t, block in ((0, blocks[1]), (1, blocks[3])):
        for r, row in enumerate(table_cells(block)):
            for c, cell in enumerate(row):
                s, e = spans[t][r][c]
                assert text[s:e] == cell


def test_version_input_from_texts():
    vi = VersionInput.from_texts({"other": "Ligne 1\nLigne 2", "monitoring": [paragraph("x")]}, year=2021)
    assert [p["text"] for p in vi.sections["other"]] == ["Ligne 1", "Ligne 2"]
    assert vi.year == 2021 and vi.lang == "fr"
