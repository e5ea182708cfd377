"""Build reviewflow/report_templates/pbf.json from the shared PBF spec (../shared/pbf/template.json).

Run once when the spec changes:  python tools/build_pbf_template.py ../shared/pbf/template.json
The output is the file the application reads; it keeps the spec's field ids, labels (fr/en),
kinds, limits, required/conditional flags, vocabularies, the results-framework columns and the
cross-field rules, drops provenance notes, strips "[sic ...]" remarks from the labels, and adds
short labels for the user interface and the list of checks the template asks for.
"""
import json
import re
import sys
from pathlib import Path

# Column labels the spec leaves out (it names these columns only by their id).
COLUMN_LABELS = {
    "org_type": ("Type d'organisation", "Organisation type"),
    "org_name": ("Organisation récipiendaire", "Recipient organisation"),
}

SHORT = {
    "country": ("Pays", "Country"),
    "report_type": ("Type de rapport", "Report type"),
    "report_year": ("Année du rapport", "Report year"),
    "project_title": ("Titre du projet", "Project title"),
    "project_numbers": ("Numéros de projet (MPTF Gateway)", "Project numbers (MPTF Gateway)"),
    "trust_fund_type": ("Fonds fiduciaire", "Trust fund"),
    "trust_fund_name": ("Nom du fonds fiduciaire", "Name of recipient fund"),
    "recipient_orgs": ("Agences récipiendaires", "Recipient organisations"),
    "first_transfer_date": ("Date du premier transfert", "Date of first transfer"),
    "project_end_date": ("Date de fin de projet", "Project end date"),
    "in_last_six_months": ("Six derniers mois de mise en œuvre ?", "Within six months of completion?"),
    "priority_windows": ("Fenêtres prioritaires", "Priority windows"),
    "budget_by_recipient": ("Budget par agence", "Budget by recipient"),
    "implementation_rate": ("Taux de mise en œuvre (%)", "Implementation rate (%)"),
    "budget_attachment": ("Budget Excel joint", "Excel budget attached"),
    "gewe_budget_allocated": ("Budget genre alloué ($)", "Gender budget allocated ($)"),
    "gewe_budget_spent": ("Budget genre dépensé ($)", "Gender budget spent ($)"),
    "gender_marker": ("Marqueur de genre", "Gender marker"),
    "risk_marker": ("Marqueur de risque", "Risk marker"),
    "focus_area": ("Domaine de priorité PBF", "PBF focus area"),
    "report_prepared_by": ("Rapport préparé par", "Report prepared by"),
    "report_approved_by": ("Rapport approuvé par", "Report approved by"),
    "pbf_secretariat_reviewed": ("Revu par le Secrétariat PBF ?", "Reviewed by the PBF Secretariat?"),
    "implementation_status": ("État global de mise en œuvre", "Overall implementation status"),
    "upcoming_events": ("Événements des six prochains mois", "Events in the next six months"),
    "structural_change": ("Changement structurel", "Structural change"),
    "human_impact": ("Impact humain", "Human impact"),
    "statement": ("Résultat {k}", "Outcome {k}"),
    "rating": ("Résultat {k} : évaluation", "Outcome {k}: rating"),
    "progress_summary": ("Résultat {k} : résumé de progrès", "Outcome {k}: progress summary"),
    "gewe_youth": ("Résultat {k} : genre et jeunesse", "Outcome {k}: gender and youth"),
    "monitoring": ("Suivi", "Monitoring"),
    "baselines_exist": ("Bases de référence ?", "Baselines?"),
    "perception_surveys": ("Enquêtes de perception ?", "Perception surveys?"),
    "evaluation_conducted": ("Évaluation conduite ?", "Evaluation conducted?"),
    "evaluation_budget": ("Budget d'évaluation finale ($)", "Final evaluation budget ($)"),
    "evaluation_preparations": ("Préparatifs de l'évaluation", "Evaluation preparations"),
    "catalytic_financial": ("Effets catalytiques (financiers)", "Catalytic effects (financial)"),
    "other": ("Autre", "Other"),
    "covid_monetary": ("COVID-19 : ajustements financiers ($)", "COVID-19: monetary adjustments ($)"),
    "covid_nonmonetary": ("COVID-19 : ajustements non financiers", "COVID-19: non-monetary adjustments"),
    "covid_categories": ("COVID-19 : catégories", "COVID-19: categories"),
    "covid_success_story": ("COVID-19 : histoire de réussite", "COVID-19: success story"),
    "results_framework": ("Cadre de résultats", "Results framework"),
}

SIC = re.compile(r"\s*\[sic[^\]]*\]")


def clean(label):
    return SIC.sub("", label or "").strip()


def required_of(value):
    value = (value or "").strip()
    for word in ("always", "conditional", "optional"):
        if value.startswith(word):
            return word
    return "optional"


def field_of(f):
    short = SHORT.get(f["id"], (clean(f["fr_label"]), clean(f["en_label"])))
    out = {
        "id": f["id"],
        "kind": f["kind"],
        "label": {"fr": short[0], "en": short[1]},
        "prompt": {"fr": clean(f["fr_label"]), "en": clean(f["en_label"])},
        "required": required_of(f.get("required")),
    }
    if f["kind"] == "static_guidance":
        if f.get("items"):
            out["items"] = [{"fr": i["fr"], "en": i["en"]} for i in f["items"]]
        return out
    if f.get("required") and f.get("required") not in ("always", "conditional", "optional"):
        out["required_note"] = f["required"]
    if f.get("condition"):
        out["condition"] = f["condition"]
    limit = f.get("char_limit")
    if isinstance(limit, dict):
        if limit.get("scope") == "field":
            out["limit"] = limit["value"]
        else:
            out["cell_limit"] = limit["value"]
    if f.get("options_ref"):
        out["options"] = f["options_ref"]
    if isinstance(f.get("guidance"), str):
        out["guidance"] = f["guidance"]
    if f["kind"] == "table":
        cols = []
        for c in f.get("columns", []):
            fr, en = COLUMN_LABELS.get(c["id"], (clean(c.get("fr", c["id"])), clean(c.get("en", c["id"]))))
            col = {"id": c["id"], "kind": c.get("kind", "text"), "label": {"fr": fr, "en": en}}
            for key in ("options_ref", "reject_values", "disaggregation", "condition"):
                if key in c:
                    col[key.replace("options_ref", "options")] = c[key]
            if c.get("required") is not None:
                col["required"] = c["required"]
            cols.append(col)
        out["columns"] = cols
        if f.get("footer"):
            out["footer"] = {"id": f["footer"]["id"], "label": {"fr": f["footer"]["fr"], "en": f["footer"]["en"]}}
        if f.get("row_model"):
            rm = f["row_model"]
            out["row_model"] = {
                "levels": [{"level": h["level"], "label": {"fr": h["fr"], "en": h["en"]}} for h in rm["hierarchy"]],
                "indicator_label_pattern": rm["indicator_label_pattern"],
            }
        if f.get("rows_in_template"):
            out["rows"] = f["rows_in_template"]
    return out


def main(src, dst):
    spec = json.loads(Path(src).read_text(encoding="utf-8"))
    vocab = {}
    for code, v in spec["vocabularies"].items():
        opts = []
        for o in v["options"]:
            fr = re.sub(r"\s*\((probable wording|French template keeps[^)]*)\)", "", o.get("fr") or o.get("en"))
            opts.append({"code": o["code"], "fr": fr, "en": o["en"]})
        vocab[code] = {"kind": v["kind"], "options": opts}
    parts = []
    for p in spec["parts"]:
        label = {"fr": clean(p["fr_label"]), "en": clean(p["en_label"])}
        if p["id"] == "cover":
            label = {"fr": "Page de garde", "en": "Cover page"}
        part = {"id": p["id"], "label": label}
        if p.get("intro"):
            part["intro"] = {"fr": p["intro"]["fr"], "en": p["intro"]["en"]}
        if p.get("repeat"):
            r = p["repeat"]
            part["repeat"] = {"name": r["name"], "min": r["min"], "max": r["max"]}
            part["fields"] = [field_of(f) for f in r["fields"]]
        else:
            part["fields"] = [field_of(f) for f in p.get("fields", [])]
        parts.append(part)
    cc = spec["conventions"]["char_count"]["recommendation"]
    out = {
        "id": "pbf",
        "spec_id": spec["template"]["id"],
        "schema_version": 1,
        "names": spec["template"]["names"],
        "languages": spec["template"]["languages"],
        "report_types": spec["template"]["report_types"],
        "char_count": {"rule": cc["primary"], "also_show": cc["also_show"], "severity": cc["severity"]},
        "vocabularies": vocab,
        "parts": parts,
        "checks": [
            "char_limit", "cell_limit", "required", "conditional", "placeholders", "disaggregation",
            "breakdown_sum", "narrative_table_consistency", "percent_base", "reasons_column",
            "acronyms", "budget", "baselines", "indicator_numbering", "dates", "checkboxes",
            "outcome_statements", "vague_timing", "budget_workbook",
        ],
        "rules": [{"id": r["id"], "rule": r["rule"], "severity": r["severity"]} for r in spec["cross_field_rules"]],
    }
    # Blocks that are reviewflow's own data, not derived from the spec, are kept from the current file
    # ("budget_workbook": how to read the budget workbook, see reviewflow/workbook/budget.py;
    # "signoff": sign-off options, e.g. whether open suggested edits block it).
    if Path(dst).is_file():
        current = json.loads(Path(dst).read_text(encoding="utf-8"))
        for key in ("budget_workbook", "signoff"):
            if key in current:
                out[key] = current[key]
    Path(dst).write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/pbf/template.json",
         sys.argv[2] if len(sys.argv) > 2 else "reviewflow/report_templates/pbf.json")
