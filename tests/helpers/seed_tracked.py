"""The seed report's 24 tracked changes (../shared/pbf/seed_tracked_change_artefacts.tsv) as a
reviewer's Word copy: a PBF report .docx built with python-docx + lxml, each change written as
Word writes it (``w:del`` with ``w:delText``, ``w:ins``) at its place in its section.

The seed shows each artefact as its export flattened it (deleted and inserted words side by
side).  ``CHANGES`` gives, for each id of the TSV, the change itself: the words before it, the
deleted words, the inserted words, the words after it (in the seed's own words where the TSV
gives them; ``ins_first`` when the export shows the insertion first, as Word wrote it).  The
tests read the TSV (and skip without it) to check that this table covers exactly its ids, on
the same fields, and that the accepted text reads as the TSV's ``probable_accepted_text``.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from tests.helpers.paths import SHARED
from tests.helpers.pbf_docx import RF_HEADER, build

TSV = SHARED / "pbf" / "seed_tracked_change_artefacts.tsv"
AUTHOR = "Secrétariat PBF RCA"
DATE = "2021-11-20T10:00:00Z"


@dataclass(frozen=True)
class Change:
    id: str
    field: str               # the TSV's field_id
    before: str
    deleted: str
    inserted: str
    after: str
    ins_first: bool = False
    check_accepted: bool = True   # the TSV's probable_accepted_text is text (not a remark)

    @property
    def original(self) -> str:
        return self.before + self.deleted + self.after

    @property
    def accepted(self) -> str:
        return self.before + self.inserted + self.after


CHANGES = [
    Change("A01", "part1.implementation_status", "",
           " Le projet connaît des retards dans la mise en œuvre … ou au début de l'année prochaine.",
           "En dépit des retards enregistrés dans le recrutement du coordonnateur, les équipes sont "
           "opérationnelles et mettent en œuvre les activités :", "", ins_first=True),
    Change("A02", "part1.implementation_status", "Le comité de pilotage du projet", ". U", ", u",
           "n comité local a été mis en place."),
    Change("A03", "part1.implementation_status", "Il est composé de ", "représentants des ", "",
           "personnes désignées par les autorités."),
    Change("A04", "part1.implementation_status", "Les acteurs concernés par l", "a thématique du projet",
           "es questions de traite", " des personnes ont été formés."),
    Change("A05", "part1.implementation_status", "L'équipe du projet est ", "au complet", "complète", "."),
    Change("A06", "part1.implementation_status", "Le projet appuie les autorités avec ", "son ", "notamment l'",
           "assistance législative."),
    Change("A07", "part1.upcoming_events", "La mise en place du ", "b", "B", "ureau de coordination."),
    Change("A08", "part1.upcoming_events", "Le plan d'action du Bureau de coordination ",
           "pour la lutte contre la traite des personnes ;", "en cours de finalisation.", "", ins_first=True),
    Change("A09", "part1.upcoming_events", "Lancement d", "u", "’un", " kit de sensibilisation."),
    Change("A10", "part1.human_impact", "Chaque victime reçoit un ", "soutien", "appui", " financier."),
    Change("A11", "part2.outcome[1].progress_summary", "Trois ateliers ont été organisés ", "avec", "pour",
           " un total de 45 participants."),
    Change("A12", "part2.outcome[2].progress_summary", "Le comité a examiné le ", "d", "D",
           "raft n°0 du plan national."),
    Change("A13", "part2.outcome[2].progress_summary", "Le texte sera validé avant ", "de la remettre",
           "une remise officielle", " au Président de la République, Chef de l'Etat."),
    Change("A14", "part2.outcome[2].progress_summary", "La cérémonie s'est tenue en présence notamment du",
           " SRSG, du Premier ministre, et de la Ministre de la Famille",
           ". Plusieurs personnalités de haut niveau ont prononcé des discours, dont le SRSG, le Premier "
           "ministre et la Ministre de la Famille", ", et a été clôturée par le Président.", check_accepted=False),
    Change("A15", "part2.outcome[2].progress_summary", "Il faut poursuivre ce travail de réforme.",
           " Les textes seront harmonisés.", "", " Un premier atelier s'est tenu."),
    Change("A16", "part3.other", "La crise a entraîné un retard dans la mise en œuvre des ", "", "activités ",
           "prévues dans le document de projet."),
    Change("A17", "part3.other", "L’équipe du projet a travaill", "e", "é", " avec les partenaires."),
    Change("A18", "part3.other", "Elle a travaillé avec le ", "B", "b", "ureau national."),
    Change("A19", "part4.covid_nonmonetary", "En raison de la pandémie, l’équipe de projet", "a", " n’a",
           " pas encore pu se rendre sur le terrain."),
    Change("A20", "part5.rf[1.2].row_header (Produit 1.2)", "Produit 1.2 : les autorités camerounaises ", "o",
           "pour", " procéder aux identifications."),
    Change("A21", "part5.rf[2.3].reasons", "", "Le retard", "Les délais",
           " dans le recrutement ont ralenti les activités."),
    Change("A22", "part5.rf[2.1.2].reasons", "L’équipe de projet a soutenu la RCA ", "a développé", "à développer",
           " un avant-projet de loi."),
    Change("A23", "part5.rf[3.1].indicator", "% des victimes assistées qui ", "prépondent satisfait",
           "répondent être satisfaites", ""),
    Change("A24", "part5.rf[3.2].current", "2 (RCA : 1", "1", "", " femme et 1 fille)"),
]

# results-framework rows: (row header, indicator, baseline, target, milestone, current, reasons)
RF_ROWS = {
    "1.2": ["A20", "Indicateur 1.2.1 : nombre de victimes identifiées", "0", "100", "50", "40", ""],
    "2.1.2": ["Produit 2.1", "Indicateur 2.1.2 : avant-projet de loi", "0", "1", "1", "0", "A22"],
    "2.3": ["Produit 2.3", "Indicateur 2.3.1 : agents formés", "0", "60", "30", "12", "A21"],
    "3.1": ["Produit 3.1", "A23", "0", "80 %", "50 %", "45 %", ""],
    "3.2": ["Produit 3.2", "Indicateur 3.2.1 : victimes réinsérées", "0", "10", "5", "A24", ""],
}


def missing_reason() -> str | None:
    if not TSV.is_file():
        return f"seed file {TSV} not found (set REVIEWFLOW_SHARED to the shared folder)"
    return None


def seed_rows() -> list[dict]:
    with open(TSV, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def section_key(field_id: str) -> str:
    """The report's section key of a TSV field id (part5.rf[...] -> the results framework)."""
    if field_id.startswith("part5.rf"):
        return "results_framework"
    part, _, rest = field_id.partition(".")
    if rest.startswith("outcome["):
        k = rest[len("outcome["):rest.index("]")]
        return f"outcome_{k}.{rest.split('.', 1)[1]}"
    return rest


def marker(change_id: str) -> str:
    return f"⟦{change_id}⟧"


def _answers() -> dict[str, str]:
    lines: dict[str, list[str]] = {}
    for c in CHANGES:
        key = section_key(c.field)
        if key == "results_framework":
            continue
        lines.setdefault(key, []).append(c.before + marker(c.id) + c.after)
    return {key: "\n".join(ls) for key, ls in lines.items()}


def _rf_rows() -> list[list[str]]:
    by_id = {c.id: c for c in CHANGES}
    rows = [RF_HEADER]
    for cells in RF_ROWS.values():
        rows.append([by_id[v].before + marker(v) + by_id[v].after if v in by_id else v for v in cells])
    return rows


def _run(text: str, deleted: bool = False):
    r = OxmlElement("w:r")
    t = OxmlElement("w:delText" if deleted else "w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = text
    r.append(t)
    return r


def _tracked(kind: str, text: str, rid: int):
    el = OxmlElement(f"w:{kind}")
    el.set(qn("w:id"), str(rid))
    el.set(qn("w:author"), AUTHOR)
    el.set(qn("w:date"), DATE)
    el.append(_run(text, deleted=kind == "del"))
    return el


def _all_paragraphs(document):
    yield from document.paragraphs
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs


def build_docx() -> bytes:
    """The reviewer's copy: the report's answers with the 24 tracked changes, as Word writes them."""
    by_id = {c.id: c for c in CHANGES}
    document = docx.Document(io.BytesIO(build(_answers(), outcomes=2, rf_rows=_rf_rows())))
    rid = 100
    placed = set()
    for paragraph in _all_paragraphs(document):
        for run in list(paragraph.runs):
            if "⟦" not in run.text:
                continue
            head, _, rest = run.text.partition("⟦")
            cid, _, tail = rest.partition("⟧")
            c = by_id[cid]
            run.text = head
            anchor = run._r
            parts = [("del", c.deleted), ("ins", c.inserted)]
            if c.ins_first:
                parts.reverse()
            for kind, text in parts:
                if text:
                    rid += 1
                    el = _tracked(kind, text, rid)
                    anchor.addnext(el)
                    anchor = el
            if tail:
                anchor.addnext(_run(tail))
            placed.add(cid)
    assert placed == set(by_id), f"markers not placed: {set(by_id) - placed}"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def accepted_pieces(row: dict) -> list[str]:
    """The words of the TSV's probable accepted text ("…" separates what it leaves out)."""
    return [p.strip(" ,") for p in row["probable_accepted_text"].split("…") if p.strip(" ,")]


__all__ = ["CHANGES", "Change", "TSV", "AUTHOR", "build_docx", "seed_rows", "section_key", "missing_reason",
           "accepted_pieces"]
