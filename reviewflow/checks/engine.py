"""Registry of named checks and ``run_checks``.

A check is a function ``check(ctx: Context, **params) -> Iterable[Finding]`` registered under a
name with ``@register("name")``.  The template's top-level "checks" list says which checks run,
in which order, and with which parameters; an entry is either a name or an object
``{"name": "acronyms", "params": {"extra_whitelist": ["PBSO"]}, "severity": {"acronym_undefined":
"info"}}`` (``severity`` re-grades the findings of that check by code).

An unknown name in the list does not stop the run: it yields one ``unknown_check`` finding
(severity info, section "") so that the template author sees the typo; ``unknown_checks()`` lets
a test assert that a template names only registered checks.  A check that raises yields one
``check_failed`` finding (warning) and the others still run, unless ``strict=True``.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from functools import cached_property

from reviewflow.content import blocks_text, iter_paragraphs, paragraph, table_cells

from .model import ERROR, INFO, SEVERITY_RANK, WARNING, Finding, VersionInput
from .rf import RFRow, find_rf_block, rf_rows
from .textutil import fold

REGISTRY: dict[str, Callable] = {}
RF_SECTION = "results_framework"


def register(name: str):
    def deco(fn):
        REGISTRY[name] = fn
        fn.check_name = name
        return fn
    return deco


def _entry(e) -> tuple[str, dict, dict]:
    if isinstance(e, str):
        return e, {}, {}
    return e.get("name", ""), dict(e.get("params") or {}), dict(e.get("severity") or {})


def unknown_checks(template) -> list[str]:
    _load_all()
    return [n for n, _, _ in map(_entry, template.checks) if n not in REGISTRY]


def available_checks() -> list[str]:
    _load_all()
    return sorted(REGISTRY)


def _load_all():
    from . import acronyms, budget, checkboxes, completeness, consistency, limits, outcomes, people, timing, workbook  # noqa: F401


# --------------------------------------------------------------------------- cell offsets
def table_spans(blocks) -> list[list[list[tuple[int, int]]]]:
    """For each top-level table block of a section (in order), the (start, end) of each cell in
    the section's canonical text: ``spans[t][row][col]``.  Mirrors
    ``reviewflow.content.iter_paragraphs`` (an empty cell is one empty paragraph)."""
    out = []
    pos = 0

    def walk(bs, collect):
        nonlocal pos
        for b in bs or ():
            if b.get("t") == "table":
                rows = []
                for row in b.get("rows", ()):
                    r = []
                    for cell in row:
                        start = pos
                        walk(cell if cell else [paragraph("")], None)
                        r.append((start, pos - 1))
                    rows.append(r)
                if collect is not None:
                    collect.append(rows)
            else:
                pos += len(b.get("text", "")) + 1

    walk(blocks, out)
    return out


# --------------------------------------------------------------------------- context
class Context:
    """What a check sees: the template, the version, and derived data computed once."""

    def __init__(self, template, vi: VersionInput, active: Iterable[str] = ()):
        self.template = template
        self.input = vi
        self.sections = vi.sections or {}
        self.active = tuple(active)
        self.check = ""
        self._texts = {}

    # sections ---------------------------------------------------------------
    @cached_property
    def outcomes(self) -> int:
        ks = set()
        for key in self.sections:
            m = re.match(r"outcome_(\d+)\.", key)
            if m:
                ks.add(int(m.group(1)))
        for r in self.rf_rows:
            if r.level == "outcome" and r.id and r.id.isdigit():
                ks.add(int(r.id))
        n = max(ks, default=0)
        n = max(n, self.template.repeat_min)
        return min(n, self.template.repeat_max) if self.template.repeat_max else n

    @cached_property
    def fields(self) -> list:
        return self.template.fields(self.outcomes)

    @cached_property
    def field_map(self) -> dict:
        return {f.key: f for f in self.fields}

    @cached_property
    def order(self) -> dict:
        return {f.key: i for i, f in enumerate(self.fields)}

    def blocks(self, key: str) -> list:
        return self.sections.get(key) or []

    def text(self, key: str) -> str:
        if key not in self._texts:
            self._texts[key] = blocks_text(self.blocks(key))
        return self._texts[key]

    def narrative_keys(self) -> list[str]:
        return [f.key for f in self.fields if f.kind == "text_narrative"]

    def paragraphs(self, key):
        """(start, end, block) of each paragraph of a section."""
        pos = 0
        for p in iter_paragraphs(self.blocks(key)):
            n = len(p.get("text", ""))
            yield pos, pos + n, p
            pos += n + 1

    def narrative_spans(self, key):
        """(start, end) of the text of a section outside tables (paragraphs of narrative)."""
        pos = 0
        for b in self.blocks(key):
            if b.get("t") == "table":
                n = len(blocks_text([b]))
                pos += n + 1
                continue
            n = len(b.get("text", ""))
            yield pos, pos + n
            pos += n + 1

    # tables -----------------------------------------------------------------
    @cached_property
    def rf_block(self) -> dict | None:
        return find_rf_block(self.blocks(RF_SECTION))

    @cached_property
    def rf_pattern(self) -> str | None:
        try:
            f = self.template.field(RF_SECTION)
        except KeyError:
            return None
        return (f.raw.get("row_model") or {}).get("indicator_label_pattern")

    @cached_property
    def rf_rows(self) -> list[RFRow]:
        if not self.rf_block:
            return []
        return rf_rows(self.rf_block, indicator_pattern=self.rf_pattern)

    @cached_property
    def rf_indicators(self) -> list[RFRow]:
        return [r for r in self.rf_rows if r.level == "indicator"]

    def cell_span(self, key: str, table_index: int, row: int, col: int | None):
        if col is None:
            return None, None
        spans = self._table_spans(key)
        try:
            return spans[table_index][row][col]
        except IndexError:
            return None, None

    def _table_spans(self, key):
        k = ("spans", key)
        if k not in self._texts:
            self._texts[k] = table_spans(self.blocks(key))
        return self._texts[k]

    def rf_cell_span(self, row: RFRow, column: str):
        t = self._rf_table_index()
        if t is None:
            return None, None
        return self.cell_span(RF_SECTION, t, row.index, row.cell_index.get(column))

    def _rf_table_index(self):
        n = 0
        for b in self.blocks(RF_SECTION):
            if b is self.rf_block:
                return n
            if b.get("t") == "table":
                n += 1
        return None

    def tables(self, key: str):
        """(table_index, block, rows of cell texts) for each top-level table of a section."""
        n = 0
        for b in self.blocks(key):
            if b.get("t") == "table":
                yield n, b, table_cells(b)
                n += 1

    # dates ------------------------------------------------------------------
    @cached_property
    def period_end(self) -> date | None:
        vi = self.input
        if vi.period_end:
            return vi.period_end
        if vi.report_type == "final":
            return vi.end_date
        if vi.year and vi.report_type == "semi_annual":
            return date(vi.year, 6, 30)
        if vi.year and vi.report_type == "annual":
            return date(vi.year, 11, 30)
        return None

    @cached_property
    def answered_last_six_months(self) -> bool | None:
        if self.input.in_last_six_months is not None:
            return self.input.in_last_six_months
        t = fold(self.text("in_last_six_months")).strip()
        if t.startswith(("oui", "yes")):
            return True
        if t.startswith(("non", "no")):
            return False
        return None

    @cached_property
    def computed_last_six_months(self) -> bool | None:
        end, pe = self.input.end_date, self.period_end
        if not end or not pe:
            return None
        return (end - pe) <= timedelta(days=183)

    @cached_property
    def in_last_six_months(self) -> bool | None:
        a = self.answered_last_six_months
        return a if a is not None else self.computed_last_six_months

    # findings ---------------------------------------------------------------
    def finding(self, code, severity, section, fr, en, *, start=None, end=None, figures=None,
                quote="", locator=None) -> Finding:
        return Finding(code=code, severity=severity, message={"fr": fr, "en": en}, section=section,
                       start=start, end=end, figures=_plain(dict(figures or {})), quote=quote or "",
                       locator=locator, check=self.check)

    def column_label(self, key: str, column: str, lang: str) -> str:
        """The template's label of a table column ("current" -> "Progrès actuel de l'indicateur")."""
        f = self.field_map.get(key)
        for c in (f.raw.get("columns", ()) if f else ()):
            if c.get("id") == column:
                return (c.get("label") or {}).get(lang) or column
        return column

    def where(self, locator: str | None, lang: str, key: str = RF_SECTION) -> str:
        """"Indicateur 1.2, colonne « Cible de fin de projet »" for a locator "1.2/target"."""
        if not locator:
            return ""
        row, _, col = locator.partition("/")
        lab = self.column_label(key, col, lang)
        if lang == "fr":
            return f"Indicateur {row}, colonne « {lab} »" if key == RF_SECTION else f"Ligne {row}, colonne « {lab} »"
        if key == RF_SECTION:
            return f"Indicator {row}, column \u201c{lab}\u201d"
        return f"Row {row}, column \u201c{lab}\u201d"

    def label(self, key: str, lang: str) -> str:
        f = self.field_map.get(key)
        if f is None:
            try:
                f = self.template.field(key)
            except KeyError:
                return key
        return f.label_in(lang)


def _plain(v):
    """Whole floats as ints (45.0 -> 45), recursively: figures read well in JSON and the UI."""
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    return v


# --------------------------------------------------------------------------- run
def run_checks(template, version_input: VersionInput, *, checks=None, params=None,
               strict: bool = False) -> list[Finding]:
    """Run the checks the template names (or ``checks``, a list of names/entries) on one
    version and return the findings sorted by section (template order), offset, severity.

    ``params``: {check name: {param: value}} merged over the template's own parameters.
    ``strict``: re-raise an exception from a check instead of reporting ``check_failed``.
    """
    _load_all()
    entries = [_entry(e) for e in (template.checks if checks is None else checks)]
    names = [n for n, _, _ in entries]
    ctx = Context(template, version_input, names)
    findings: list[Finding] = []
    for name, p, sev in entries:
        fn = REGISTRY.get(name)
        ctx.check = name
        if fn is None:
            findings.append(ctx.finding(
                "unknown_check", INFO, "",
                f"Le modèle demande une vérification inconnue « {name} » ; elle est ignorée.",
                f"The template asks for an unknown check \u201c{name}\u201d; it is skipped.",
                figures={"name": name}, quote=name))
            continue
        kw = dict(p)
        kw.update((params or {}).get(name, {}))
        try:
            produced = list(fn(ctx, **kw))
        except Exception as exc:  # one broken check must not hide the others
            if strict:
                raise
            findings.append(ctx.finding(
                "check_failed", WARNING, "",
                f"La vérification « {name} » a échoué ({type(exc).__name__}) ; ses résultats manquent.",
                f"The check \u201c{name}\u201d failed ({type(exc).__name__}); its findings are missing.",
                figures={"name": name, "error": type(exc).__name__}, quote=name))
            continue
        for f in produced:
            if sev.get(f.code) in (ERROR, WARNING, INFO):
                f = Finding(**{**f.__dict__, "severity": sev[f.code]})
            findings.append(f)
    seen, unique = set(), []
    for f in findings:
        k = (f.fingerprint, f.start, f.end, f.code)
        if k not in seen:
            seen.add(k)
            unique.append(f)
    order = ctx.order
    unique.sort(key=lambda f: (order.get(f.section, -1 if f.section == "" else len(order)),
                               f.section, f.start if f.start is not None else -1,
                               SEVERITY_RANK[f.severity], f.code))
    return unique
