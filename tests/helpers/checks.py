"""Small builders for the checks tests."""
from __future__ import annotations

from reviewflow.checks import VersionInput, run_checks
from reviewflow.content import blocks_text, table_block, text_blocks
from reviewflow.report_templates import load_template

TEMPLATE = load_template("pbf")
RF_HEADER_FR = ["", "Indicateurs", "Base de donnée", "Cible de fin de projet", "Etapes d’indicateur/ milestone",
                "Progrès actuel de l’indicateur", "Raisons pour les retards ou changements"]
RF_HEADER_EN = ["", "Indicators", "Indicator Baseline", "End of project Indicator Target", "Indicator Milestone",
                "Current indicator progress", "Reasons for Variance/ Delay (if any)"]


def rf(rows, header=RF_HEADER_FR):
    """A results-framework section (7 columns, header row first)."""
    return [table_block(None, ([header] if header else []) + [list(r) for r in rows])]


def sections(**texts):
    """Keyword args with "__" for "." (outcome_1__progress_summary): text -> blocks."""
    out = {}
    for k, v in texts.items():
        key = k.replace("__", ".")
        out[key] = v if isinstance(v, list) else text_blocks(v)
    return out


def run(checks, secs, **kw):
    vi = VersionInput(sections=secs, **kw)
    return run_checks(TEMPLATE, vi, checks=checks, strict=True)


def by_code(findings, code):
    return [f for f in findings if f.code == code]


def quoted(f, secs):
    """The text a finding points at, read back from the section's canonical text."""
    return blocks_text(secs[f.section])[f.start:f.end]
