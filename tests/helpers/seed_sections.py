"""Turn the shared seed report (a French PBF report flattened to text, reviewer comments inline)
into a ``VersionInput`` for the checks, and print every finding on it.

    .venv/bin/python -m tests.helpers.seed_sections          # prints all findings
    .venv/bin/python -m tests.helpers.seed_sections --json   # the same as JSON lines
    .venv/bin/python -m tests.helpers.seed_sections --markdown   # the table of docs/checks.md

Where the shared folder is: $REVIEWFLOW_SHARED, else <repo>/../shared.  This helper is written
for this one seed (its prompts, in its order); the real importer reads the .docx.
"""
from __future__ import annotations

import csv
import json
import re
import sys
from datetime import date
from pathlib import Path

from reviewflow.content import paragraph, table_block
from tests.helpers.paths import SHARED

SEED_NAME = "seed/pbf-progress-report-2021-rca-cmr.fr.txt"
RF_JSON = "pbf/seed_results_framework.json"
COMMENTS_TSV = "pbf/seed_comments.tsv"


def shared_dir() -> Path:
    return SHARED


def missing_reason() -> str | None:
    base = shared_dir()
    for rel in (SEED_NAME, RF_JSON, COMMENTS_TSV):
        if not (base / rel).is_file():
            return f"seed file {base / rel} not found (set REVIEWFLOW_SHARED to the shared folder)"
    return None


# --------------------------------------------------------------------------- comments
def _comment_continuations(base: Path) -> set[str]:
    """Lines that only continue a multi-paragraph comment (from seed_comments.tsv, where the
    paragraphs of a comment are joined by " ⏎ ")."""
    out = set()
    with open(base / COMMENTS_TSV, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            for part in row["comment_text"].split("⏎")[1:]:
                if part.strip():
                    out.add(re.sub(r"\s+", " ", part).strip())
    return out


def clean_lines(base: Path) -> list[str]:
    cont = _comment_continuations(base)
    out = []
    for raw in (base / SEED_NAME).read_text(encoding="utf-8").split("\n"):
        line = raw.split("\tComment by ", 1)[0]
        line = re.sub(r"\[bookmark: [^\]]*\]", "", line)
        if re.sub(r"\s+", " ", line).strip() in cont:
            continue
        out.append(line)
    return out


# --------------------------------------------------------------------------- sections
# (section key or None, regex of the prompt line).  Searched in this order; the content of a
# section runs from the text after its prompt to the next prompt.
MARKERS = [
    ("country", r"^\s*PAYS\s*:"),
    (None, r"^TYPE DE RAPPORT"),
    ("report_year", r"^ANNEE DE RAPPORT\s*:"),
    ("project_title", r"^\s*Titre du projet\s*:"),
    ("project_numbers", r"Numéro Projet / MPTF Gateway\s*:"),
    (None, r"Si le financement passe par un Fonds Fiduciaire"),
    ("trust_fund_name", r"^Nom du fonds fiduciaire\s*:"),
    ("recipient_orgs", r"Type et nom d.agence récipiendaire\s*:"),
    ("first_transfer_date", r"Date du premier transfert de fonds\s*:"),
    ("project_end_date", r"^Date de fin de projet\s*:"),
    ("in_last_six_months", r"Le projet est-il dans ces six derniers mois de mise en œuvre \?"),
    (None, r"fenêtres prioritaires spécifiques du PBF"),
    ("budget_by_recipient", r"Budget PBF total approuvé \(par agence récipiendaire\)\s*:"),
    ("implementation_rate", r"^Taux de mise en œuvre approximatif.*?:"),
    (None, r"JOINDRE LE BUDGET EXCEL"),
    ("gewe_budget_allocated", r"^Indiquez le montant \(\$\) du budget dans le document de projet.*?femmes\s*:"),
    ("gewe_budget_spent", r"^Indiquez le montant \(\$\) du budget dépensé.*?femmes\s*:"),
    ("gender_marker", r"Marquer de genre du projet\s*:"),
    ("risk_marker", r"Marquer de risque du projet\s*:"),
    ("focus_area", r"PBF focus area\W*\)\s*:"),
    (None, r"Préparation du rapport\s*:"),
    ("report_prepared_by", r"^Rapport préparé par\s*:"),
    ("report_approved_by", r"^Rapport approuvé par\s*:"),
    ("pbf_secretariat_reviewed", r"^Le Secrétariat PBF a-t-il revu le rapport\s*:"),
    (None, r"NOTES POUR REMPLIR LE RAPPORT"),
    (None, r"^Partie 1 : Progrès global du projet"),
    ("implementation_status", r"^Expliquer brièvement l.état global de mise en œuvre.*\(limite de 1500 caractères\)\s*:"),
    ("upcoming_events", r"^Veuillez indiquer tout événement important.*\(limite de 1000 caractères\)\s*:"),
    (None, r"^POUR LES PROJETS DANS LES SIX DERNIERS MOIS"),
    ("structural_change", r"^Résumez le principal changement structurel.*\(limite de 1500 caractères\)\s*:"),
    ("human_impact", r"^En quelques phrases, expliquez comment le projet a eu un impact humain.*\(limite de 2000 caractères\)\s*:"),
    (None, r"^Partie II: Progrès par Résultat du projet"),
]
for _k in (1, 2, 3):
    MARKERS += [
        (f"outcome_{_k}.statement", rf"^Résultat {_k}\s*:"),
        (f"outcome_{_k}.rating", r"^Veuillez évaluer l.état actuel des progrès du résultat\s*:"),
        (f"outcome_{_k}.progress_summary", r"^Résumé de progrès\s*:\s*\(Limite de 3000 caractères\)"),
        (f"outcome_{_k}.gewe_youth", r"^Indiquez toute analyse supplémentaire.*\(Limite de 1000 caractères\)"),
    ]
MARKERS += [
    (None, r"^Partie III: Questions transversales"),
    ("monitoring", r"Suivi: Indiquez les activités de suivi.*\(Limite de 1000 caractères\)"),
    ("baselines_exist", r"Est-ce que les indicateurs des résultats ont des bases de référence\?"),
    ("perception_surveys", r"Le projet a-t-il lancé des enquêtes de perception.*\?"),
    ("evaluation_conducted", r"Evaluation: Est-ce qu.un exercice évaluatif.*\?"),
    ("evaluation_budget", r"Budget pour évaluation finale \(réponse obligatoire\)\s*:"),
    ("evaluation_preparations", r"^Si le projet se termine dans les 6 prochains mois.*\(Limite de 1500 caractères\)\s*:"),
    ("catalytic_financial", r"Effets catalytiques \(financiers\)"),
    ("other", r"Autre: Y a-t-il d.autres points.*\(Limite de 1500 caractères\)"),
    (None, r"^Partie IV: COVID-19"),
    ("covid_monetary", r"^1\) Ajustements financiers.*COVID-19\."),
    ("covid_nonmonetary", r"^2\) Ajustements non-financiers.*financières\."),
    ("covid_categories", r"^3\) Veuillez sélectionner toutes les catégories.*:"),
    ("covid_success_story", r"^Le cas échéant, veuillez partager une histoire de réussite COVID-19.*etc\.\)"),
    (None, r"^Partie V : ÉVALUATION DE LA PERFORMANCE"),
]


def _split(lines):
    """{key: [content lines]} following MARKERS in order; the text after a prompt on its own
    line is the first content line."""
    found = []
    pos = 0
    for key, rx in MARKERS:
        r = re.compile(rx)
        for i in range(pos, len(lines)):
            line = lines[i].strip("\t ")
            m = r.search(line.replace("\u00a0", " "))
            if m:
                found.append((i, key, line[m.end():]))
                pos = i + 1
                break
        else:
            raise AssertionError(f"seed prompt not found: {rx}")
    out = {}
    for n, (i, key, tail) in enumerate(found):
        end = found[n + 1][0] if n + 1 < len(found) else len(lines)
        if key is None:
            continue
        content = ([tail] if tail.strip() else []) + lines[i + 1:end]
        out[key] = content
    return out


def _paragraphs(content: list[str]) -> list[dict]:
    blocks = []
    for line in content:
        t = line.strip("\t ").replace("\t", " ")
        if not t.strip():
            continue
        if t.startswith("·"):
            body = t.lstrip("· \u00a0").strip()
            if body:
                blocks.append(paragraph(body, list=0))
            continue
        blocks.append(paragraph(t.strip()))
    return blocks


def _budget_table(content):
    rows = []
    for line in content:
        t = line.strip()
        if not t or t.startswith("Agence récipiendaire"):
            continue
        parts = re.split(r"\s{2,}", t)
        if len(parts) == 1:
            m = re.match(r"(Total)\s*:\s*(.*)", t)
            parts = [m.group(1), m.group(2)] if m else ["", t]
        rows.append(parts[:2] if len(parts) > 1 else ["", parts[0]])
    return [table_block(["org", "amount_usd"], rows)]


RF_HEADER = ["", "Indicateurs", "Base de donnée", "Cible de fin de projet", "Etapes d’indicateur/ milestone",
             "Progrès actuel de l’indicateur", "Raisons pour les retards ou changements"]


def results_framework(base: Path) -> list[dict]:
    """The Part V table from seed_results_framework.json, in the Word layout: a header row,
    then one row per indicator, the outcome/output statement in the first column of the first
    indicator row of its block (merged cell)."""
    data = json.loads((base / RF_JSON).read_text(encoding="utf-8"))
    rows = [RF_HEADER]
    for r in data:
        rows.append([r.get("row_header", ""), r.get("indicator", ""), r.get("baseline", ""), r.get("target", ""),
                     r.get("milestone", ""), r.get("current", ""), r.get("reasons", "")])
    return [table_block(None, rows)]


def seed_sections(base: Path | None = None) -> dict:
    base = base or shared_dir()
    parts = _split(clean_lines(base))
    sections = {}
    for key, content in parts.items():
        if key == "budget_by_recipient":
            sections[key] = _budget_table(content)
        elif key == "recipient_orgs":
            names = [ln.strip() for ln in content if ln.strip()]
            sections[key] = [table_block(["org"], [[n] for n in names])]
        elif key == "catalytic_financial":
            sections[key] = [table_block(["funder", "amount_usd"], [["", ""]] * 3)]
        else:
            sections[key] = _paragraphs(content)
    sections["results_framework"] = results_framework(base)
    return sections


def load_seed(base: Path | None = None):
    from reviewflow.checks import VersionInput
    return VersionInput(sections=seed_sections(base), report_type="annual", year=2021,
                        first_transfer_date=date(2021, 2, 12), end_date=date(2022, 8, 14),
                        period_end=None, lang="fr")


def seed_findings(base: Path | None = None):
    from reviewflow.checks import run_checks
    from reviewflow.report_templates import load_template
    return run_checks(load_template("pbf"), load_seed(base), strict=True)


# Reviewer comments of seed_comments.tsv that a finding matches: comment id -> (code, section,
# locator or start of the quoted words).  docs/checks.md shows them in its table.
MATCHED = {
    "C02": ("required_empty", "report_approved_by", None),
    "C03": ("char_limit", "implementation_status", None),
    "C04": ("char_limit", "upcoming_events", None),
    "C12": ("acronym_undefined", "outcome_2.progress_summary", "SSRSG"),
    "C14": ("char_limit", "outcome_3.progress_summary", None),
    "C15": ("percent_without_base", "outcome_3.progress_summary", "83%"),
    "C16": ("percent_without_base", "outcome_3.progress_summary", "36%"),
    "C17": ("percent_without_base", "outcome_3.progress_summary", "38%"),
    "C24": ("baseline_missing", "results_framework", "1.2/baseline"),
    "C25": ("required_empty", "monitoring", None),
    "C26": ("evaluation_budget_low", "evaluation_budget", None),
    "C30": ("baseline_missing", "results_framework", "1.2/baseline"),
    "C34": ("disaggregation_missing", "results_framework", "1.3.2/current"),
    "C36": ("reasons_without_variance", "results_framework", "1.3.5/reasons"),
    "C37": ("reasons_without_variance", "results_framework", "2.1/reasons"),
    "C39": ("breakdown_sum", "results_framework", "3.2/current"),
    "C43": ("disaggregation_missing", "results_framework", "3.1.4/current"),
    "C46": ("disaggregation_missing", "results_framework", "3.2.3/current"),
    "C48": ("disaggregation_missing", "results_framework", "3.2.3/current"),
    "C49": ("vague_timing", "results_framework", "3.2.4/reasons"),
}


LOST_DROPDOWNS = {"report_type", "in_last_six_months", "risk_marker", "focus_area", "pbf_secretariat_reviewed",
                  "outcome_1.rating", "outcome_2.rating", "outcome_3.rating", "baselines_exist",
                  "evaluation_conducted"}


def matched_comments(f) -> list[str]:
    return [cid for cid, (code, section, where) in MATCHED.items()
            if f.code == code and f.section == section
            and (where is None or f.locator == where or f.quote.startswith(where))]


def markdown_table(findings) -> str:
    lines = ["| # | severity | code | section [cell] | message (French, shortened) | reviewer comment |",
             "| --- | --- | --- | --- | --- | --- |"]
    for i, f in enumerate(findings, 1):
        where = f.section + (f" [{f.locator}]" if f.locator else "")
        msg = f.message["fr"].replace("|", "\\|")
        if len(msg) > 150:
            msg = msg[:147].rstrip() + "…"
        m = ", ".join(matched_comments(f))
        if not m and f.code == "required_empty" and f.section in LOST_DROPDOWNS:
            m = "— (drop-down lost by the text export)"
        lines.append(f"| {i} | {f.severity} | `{f.code}` | `{where}` | {msg} | {m or '—'} |")
    return "\n".join(lines)


def format_finding(f, lang="fr") -> str:
    where = f.section or "(rapport)"
    if f.locator:
        where += f" [{f.locator}]"
    span = "" if f.start is None else f" @{f.start}-{f.end}"
    return f"{f.severity:7} {f.code:26} {where}{span}: {f.message_in(lang)}"


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    reason = missing_reason()
    if reason:
        print(reason)
        return 1
    findings = seed_findings()
    if "--markdown" in argv:
        print(markdown_table(findings))
        return 0
    for f in findings:
        if "--json" in argv:
            print(json.dumps(f.to_dict(), ensure_ascii=False))
        else:
            print(format_finding(f, "en" if "--en" in argv else "fr"))
    if "--json" not in argv:
        print(f"-- {len(findings)} findings")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
