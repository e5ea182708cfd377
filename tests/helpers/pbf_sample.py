"""Sample content of a PBF report: answers to a few sections, a results-framework table and
the Word comments a reviewer put on them (for ``pbf_docx.build``)."""
from __future__ import annotations

from tests.helpers.pbf_docx import RF_HEADER, WComment

STATUS = ("Le projet connaît des retards dans la mise en place des comités.\n"
          "Pas de retard pour les formations : 62 membres formés.")
ANSWERS = {
    "project_title": "Projet transfrontalier de test",
    "implementation_status": STATUS,
    "upcoming_events": "Foire transfrontalière de la paix en décembre.",
    "human_impact": "Avant, ce genre d'affaire finissait à la machette.",
    "outcome_1.statement": "Les communautés gèrent pacifiquement les conflits.",
    "outcome_1.progress_summary": "Les 20 comités sont fonctionnels.",
    "outcome_2.statement": "Les autorités coopèrent.",
    "outcome_2.progress_summary": "Deux réunions de sécurité ont été tenues.",
}
RF = [RF_HEADER, ["Résultat 1", "Indicateur 1.1 : Nombre de différends réglés", "TBD", "100", "30", "27", ""]]
COMMENTS = [
    WComment("implementation_status", "Le projet connaît des retards", "Justifier : quels retards ?",
             replies=[("UNODC/IOM PBF", "Fin novembre.")]),
    WComment("implementation_status", "Pas de retard", "Supprimer « Pas de retard ».", author="Cedric Teyonou",
             resolved=True),
    WComment("human_impact", "la machette", "Citation à sourcer.", author="Claire Reviewer"),
]
