"""The checks engine (PURE: no Flask, no database).

    from reviewflow.checks import VersionInput, run_checks
    findings = run_checks(load_template("pbf"), VersionInput(sections=..., report_type="annual", ...))

The template's "checks" list names the checks to run (see ``engine``); each check lives in one
module of this package and registers itself under its name.  Catalogue: docs/checks.md.
"""
from ..money import parse_money
from . import (  # noqa: F401  (register)
    acronyms,
    budget,
    checkboxes,
    completeness,
    consistency,
    limits,
    outcomes,
    people,
    timing,
    workbook,
)
from .engine import REGISTRY, Context, available_checks, register, run_checks, table_spans, unknown_checks
from .model import ERROR, INFO, SEVERITIES, WARNING, Finding, VersionInput, make_fingerprint
from .rf import RF_COLUMNS, RFRow, Value, indicator_head, parse_value, rf_columns, rf_rows

__all__ = [
    "VersionInput", "Finding", "run_checks", "rf_rows", "RFRow", "rf_columns", "RF_COLUMNS",
    "parse_value", "Value", "indicator_head", "parse_money", "register", "REGISTRY", "Context",
    "available_checks", "unknown_checks", "table_spans", "make_fingerprint",
    "ERROR", "WARNING", "INFO", "SEVERITIES",
]
