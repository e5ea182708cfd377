"""Report templates as data (pure; no Flask, no database).

Each template is a JSON file in this folder (``pbf.json`` for the PBF progress report).  The code
reads it and derives the report's sections; a second donor template needs a new file, not code.

Section keys are the template field ids (``implementation_status``, ``results_framework`` ...);
fields of a repeated part (Part II, one block per outcome) get ``outcome_{k}.{field id}``.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
LANGS = ("fr", "en")
# A results-framework table may carry a first column of outcome/output statements.
ROW_HEADER = "row_header"
ROW_HEADER_LABEL = {"fr": "Résultat / produit", "en": "Outcome / output"}


class TemplateError(ValueError):
    pass


@dataclass(frozen=True)
class Field:
    key: str
    id: str
    part_id: str
    kind: str
    label: dict
    prompt: dict
    required: str = "optional"
    condition: str | None = None
    limit: int | None = None
    cell_limit: int | None = None
    options: str | None = None
    columns: tuple = ()
    outcome: int | None = None
    guidance: str | None = None
    raw: dict = field(default_factory=dict, compare=False, repr=False)

    def label_in(self, lang: str) -> str:
        return self.label.get(lang) or self.label.get("fr") or self.key

    def prompt_in(self, lang: str) -> str:
        return self.prompt.get(lang) or self.prompt.get("fr") or ""

    @property
    def is_table(self) -> bool:
        return self.kind == "table"

    @property
    def is_narrative(self) -> bool:
        return self.kind == "text_narrative"


@dataclass(frozen=True)
class Part:
    id: str
    label: dict
    intro: dict | None
    repeat: dict | None
    fields: tuple  # raw field dicts, in order

    def label_in(self, lang):
        return part_title(self.label.get(lang) or self.label.get("fr") or "", lang)


ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV", "5": "V", "6": "VI", "7": "VII", "8": "VIII", "9": "IX"}
_PART_RE = re.compile(r"^\s*(partie|part)\s+([0-9]+|[IVX]+)\s*[:.\-–]?\s*(.*)$", re.I | re.S)


def part_title(text: str, lang: str) -> str:
    """A part's title written one way whatever the template file says: "Partie I : …" in French
    (Roman numeral, a space before the colon), "Part I: …" in English ("Partie 1" beside
    "Partie II" in the PBF template as published)."""
    m = _PART_RE.match(text or "")
    if not m:
        return text
    word, number, rest = m.groups()
    number = ROMAN.get(number, number.upper())
    word = word[0].upper() + word[1:].lower() if not word.isupper() or word.lower() == "partie" else word
    if lang == "fr":
        return f"Partie {number} : {rest}" if rest else f"Partie {number}"
    return f"{word} {number}: {rest}" if rest else f"{word} {number}"


class Template:
    def __init__(self, data: dict):
        self.data = data
        self.id = data["id"]
        self.names = data["names"]
        self.report_types = tuple(data.get("report_types", ()))
        self.vocabularies = data.get("vocabularies", {})
        self.checks = tuple(data.get("checks", ()))
        self.rules = tuple(data.get("rules", ()))
        # How to read the budget workbook attached to a report (reviewflow.workbook.budget), or None.
        self.budget_workbook = data.get("budget_workbook")
        # sign-off options: "open_suggestions_block" (bool): open suggested edits block sign-off
        self.signoff = dict(data.get("signoff") or {})
        self.parts = tuple(
            Part(p["id"], p["label"], p.get("intro"), p.get("repeat"), tuple(p.get("fields", ())))
            for p in data["parts"])
        repeat = next((p.repeat for p in self.parts if p.repeat), None)
        self.repeat_min = repeat["min"] if repeat else 0
        self.repeat_max = repeat["max"] if repeat else 0

    def name_in(self, lang):
        return self.names.get(lang) or self.names.get("fr")

    def _make(self, part: Part, f: dict, k: int | None) -> Field:
        def fmt(d):
            return {lang: (text or "").replace("{k}", str(k)) for lang, text in (d or {}).items()}
        key = f"outcome_{k}.{f['id']}" if k else f["id"]
        return Field(
            key=key, id=f["id"], part_id=part.id, kind=f["kind"], label=fmt(f["label"]),
            prompt=fmt(f.get("prompt")), required=f.get("required", "optional"),
            condition=f.get("condition"), limit=f.get("limit"), cell_limit=f.get("cell_limit"),
            options=f.get("options"), columns=tuple(c["id"] for c in f.get("columns", ())),
            outcome=k, guidance=f.get("guidance"), raw=f)

    def fields(self, outcomes: int | None = None, *, include_static=False) -> list[Field]:
        """Every field in template order; the repeated part once per outcome."""
        outcomes = self.repeat_min if outcomes is None else outcomes
        out = []
        for part in self.parts:
            ks = range(1, outcomes + 1) if part.repeat else (None,)
            for k in ks:
                for f in part.fields:
                    if f["kind"] == "static_guidance" and not include_static:
                        continue
                    out.append(self._make(part, f, k))
        return out

    def field(self, key: str) -> Field:
        if key.startswith("outcome_"):
            head, _, fid = key.partition(".")
            number = head.split("_", 1)[1]
            if not (number.isascii() and number.isdigit()):
                raise KeyError(key)
            k = int(number)
            part = next(p for p in self.parts if p.repeat)
            raw = next((f for f in part.fields if f["id"] == fid), None)
            if raw is None or not (1 <= k <= self.repeat_max):
                raise KeyError(key)
            return self._make(part, raw, k)
        for part in self.parts:
            if part.repeat:
                continue
            for f in part.fields:
                if f["id"] == key:
                    return self._make(part, f, None)
        raise KeyError(key)

    def part(self, part_id: str) -> Part:
        return next(p for p in self.parts if p.id == part_id)

    def options(self, vocab: str, lang: str = "fr") -> list[tuple[str, str]]:
        v = self.vocabularies.get(vocab, {})
        return [(o["code"], o.get(lang) or o.get("en") or o["code"]) for o in v.get("options", ())]

    def option_label(self, vocab: str, code: str, lang: str = "fr") -> str:
        return dict(self.options(vocab, lang)).get(code, code)

    def report_name(self, report_type: str, year: int | str, lang: str = "fr") -> str:
        """ "Rapport annuel 2024" / "Annual report 2024", from the report-type vocabulary."""
        kind = self.option_label("report_type", report_type, lang)
        if lang == "fr":
            return f"Rapport {kind[:1].lower() + kind[1:]} {year}"
        return f"{kind} report {year}"

    def columns(self, key: str) -> list[dict]:
        return list(self.field(key).raw.get("columns", ()))

    def column_labels(self, key: str) -> dict:
        """Column id -> {"fr", "en"} label of a table field (the row-header column included)."""
        labels = {c["id"]: c["label"] for c in self.field(key).raw.get("columns", ())}
        labels.setdefault(ROW_HEADER, ROW_HEADER_LABEL)
        return labels


def _validate(data: dict, name: str):
    for k in ("id", "names", "parts"):
        if k not in data:
            raise TemplateError(f"template {name}: missing {k!r}")
    seen = set()
    for p in data["parts"]:
        for f in p.get("fields", ()):
            for k in ("id", "kind", "label"):
                if k not in f:
                    raise TemplateError(f"template {name}: field without {k!r} in part {p.get('id')}")
            fid = (p.get("repeat") is not None, f["id"])
            if fid in seen:
                raise TemplateError(f"template {name}: duplicate field id {f['id']!r}")
            seen.add(fid)
            if f.get("options") and f["options"] not in data.get("vocabularies", {}):
                raise TemplateError(f"template {name}: unknown vocabulary {f['options']!r}")


@cache
def load_template(template_id: str, folder: str | None = None) -> Template:
    base = Path(folder) if folder else HERE
    path = base / f"{template_id}.json"
    if not template_id.replace("_", "").isalnum() or not path.is_file():
        raise TemplateError(f"unknown template {template_id!r}")
    data = json.loads(path.read_text(encoding="utf-8"))
    _validate(data, template_id)
    return Template(data)


def available_templates(folder: str | None = None) -> list[str]:
    base = Path(folder) if folder else HERE
    return sorted(p.stem for p in base.glob("*.json"))
