"""Demo data: a PBF progress report in French, its people, and a first round of review.

The report is invented (written for reviewflow in the style of real PBF reports): a cross-border
project between the Central African Republic and Cameroon.  Some sections are over their limit,
a baseline is left as "TBD", a breakdown does not add up and Part IV is empty, so that the
checks and the reviewers have something to find.  Its budget workbook (reviewflow/demo_budget.py,
written with openpyxl at load) agrees with the cover page except for one output total, which a
check finds and a reviewer comments on, on its cell.
"""
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from . import content as C
from .demo_budget import FILENAME as BUDGET_FILENAME
from .demo_budget import demo_workbook
from .extensions import db
from .models import Project
from .services import accounts, editing, reports, threads, transitions, versions, workbooks
from .services.errors import NotFound
from .timeutil import utcnow
from .workbook import split_locator

DEMO_TITLE = ("Gestion communautaire et transfrontalière de la transhumance pour la paix "
              "entre la RCA et le Cameroun (démonstration)")
PASSWORD = "demo-reviewflow"

USERS = [
    # email, name, organisation, kind, role on the demo report, lead, admin
    ("admin@demo.reviewflow.org", "Administratrice Démo", "Secrétariat PBF RCA", "secretariat", None, False, True),
    ("awa.ndiaye@oim-rca.demo", "Awa Ndiaye", "OIM RCA", "agency", "drafter", False, False),
    ("paul.mbarga@oim-cmr.demo", "Paul Mbarga", "OIM Cameroun", "agency", "drafter", False, False),
    ("claire.fofana@pbf-rca.demo", "Claire Fofana", "Secrétariat PBF RCA", "secretariat", "reviewer", True, False),
    ("jean.koyassoum@pbf-rca.demo", "Jean Koyassoum", "Secrétariat PBF RCA", "secretariat", "reviewer", False, False),
    ("marie.sanou@onudc.demo", "Marie Sanou", "ONUDC ROSEN", "agency", "approver", False, False),
]

IMPLEMENTATION_STATUS = (
    "Le projet est dans son troisième trimestre de mise en œuvre. Les deux bureaux de l'OIM (Bouar et "
    "Garoua-Boulaï) sont opérationnels et l'équipe est au complet depuis le mois de mars, à l'exception du poste "
    "de chargé de suivi et évaluation, dont le recrutement est en phase finale.\n"
    "Le projet connaît des retards dans la mise en place des comités locaux de transhumance, en raison de la "
    "saison des pluies qui a rendu plusieurs axes impraticables entre juin et août. Les activités ont été "
    "reprogrammées au dernier trimestre sans incidence sur le budget.\n"
    "Au cours de la période, les réalisations suivantes ont été enregistrées :\n"
    "- 12 comités locaux de paix et de transhumance ont été mis en place dans les préfectures de la "
    "Nana-Mambéré et de la Mambéré-Kadéï, et 8 dans la région de l'Est Cameroun ;\n"
    "- 62 membres des comités (20 femmes / 38 hommes) ont été formés à la médiation des conflits entre "
    "éleveurs et agriculteurs ;\n"
    "- un protocole d'accord transfrontalier sur les couloirs de transhumance a été validé par les autorités "
    "administratives des deux pays lors de la réunion de Garoua-Boulaï du 14 mai ;\n"
    "- l'étude de base sur les dynamiques de conflit le long des couloirs a été finalisée et partagée avec "
    "les partenaires.\n"
    "La coordination entre les trois agences se fait au travers d'une réunion mensuelle et d'un plan de travail "
    "conjoint révisé en juillet. L'ONUDC a lancé l'appui aux services de police et de gendarmerie frontaliers "
    "sur la lutte contre le vol de bétail, en lien avec le Ministère de l'Élevage et les autorités locales, "
    "ce qui permettra d'harmoniser les procédures de part et d'autre de la frontière."
)

UPCOMING_EVENTS = (
    "Au cours des six prochains mois, le projet prévoit :\n"
    "- la foire transfrontalière de la paix à Garoua-Boulaï (décembre), qui réunira éleveurs, agriculteurs, "
    "autorités traditionnelles et commerçants des deux pays autour de débats publics et d'activités culturelles ;\n"
    "- la signature officielle du protocole transfrontalier sur les couloirs de transhumance par les préfets de "
    "la Nana-Mambéré et du Lom-et-Djérem, en présence des ministres de l'Élevage ;\n"
    "- le lancement d'une émission radio hebdomadaire en sango, en fulfulde et en français sur la cohabitation "
    "pacifique, produite par des jeunes reporters formés par le projet ;\n"
    "- la première session du cadre de concertation régional réunissant les comités locaux des deux pays ;\n"
    "- des ateliers de formation des forces de défense et de sécurité sur le vol de bétail et la protection des "
    "victimes, et la remise de matériel aux postes frontaliers de Béloko et de Garoua-Boulaï, prévue en février ;\n"
    "- la publication des résultats de l'enquête de perception et leur restitution aux comités locaux."
)

HUMAN_IMPACT = (
    "À Abba, dans la Nana-Mambéré, le comité local de transhumance a réglé en avril un différend entre un "
    "éleveur peul et une coopérative de femmes maraîchères dont les champs avaient été détruits par un troupeau. "
    "La médiation a abouti à une indemnisation et à la délimitation d'un passage pour le bétail. « Avant, ce genre "
    "d'affaire finissait à la machette ; aujourd'hui on s'assoit et on parle », explique Hadja Aïssatou, "
    "présidente de la coopérative."
)

OUTCOMES = [
    {
        "statement": "Les communautés d'éleveurs et d'agriculteurs des zones frontalières gèrent pacifiquement "
                     "les conflits liés à la transhumance.",
        "rating": "on_track",
        "progress_summary": (
            "Les 20 comités locaux mis en place sont fonctionnels : 34 différends ont été portés devant eux "
            "depuis mars, dont 27 ont été réglés à l'amiable. Les comités comptent 35 % de femmes et 30 % de "
            "jeunes de moins de 30 ans, conformément aux critères du document de projet.\n"
            "L'enquête de perception menée en juin auprès de 420 ménages (52 % de femmes) montre que 61 % des "
            "répondants font confiance aux comités pour régler un conflit lié au bétail, contre 38 % lors de "
            "l'étude de base."
        ),
        "gewe_youth": (
            "Les femmes sont représentées dans tous les comités et deux comités sont présidés par des femmes. "
            "Une attention particulière a été accordée à la participation des jeunes."
        ),
    },
    {
        "statement": "Les autorités des deux pays coopèrent pour sécuriser les couloirs de transhumance et "
                     "lutter contre le vol de bétail.",
        "rating": "on_track",
        "progress_summary": (
            "Le protocole d'accord sur les couloirs de transhumance a été validé par les autorités "
            "administratives des deux pays. Deux réunions transfrontalières de sécurité ont été tenues à Béloko "
            "et à Garoua-Boulaï, réunissant 45 participants, dont 9 femmes.\n"
            "L'analyse des procédures pénales relatives au vol de bétail est en cours et servira de base aux "
            "formations prévues au prochain semestre."
        ),
        "gewe_youth": "Les formations des forces de sécurité incluront un module sur les violences basées sur le "
                      "genre.",
    },
]

RF_COLUMNS = ("indicator", "baseline", "target", "milestone", "current", "reasons")
RESULTS_FRAMEWORK = [
    ["Résultat 1 : " + OUTCOMES[0]["statement"], "", "", "", "", ""],
    ["Indicateur 1.1 : Pourcentage de la population des zones ciblées qui fait confiance aux mécanismes locaux "
     "pour régler les conflits liés à la transhumance (par sexe et âge)", "38 %", "70 %", "55 %",
     "61 % (enquête de juin, 420 ménages)", ""],
    ["Indicateur 1.2 : Nombre de différends réglés à l'amiable par les comités", "TBD", "100", "30",
     "27 différends réglés sur 34", "Pas de retard"],
    ["Produit 1.1 : Des comités locaux de paix et de transhumance sont mis en place et formés", "", "", "", "", ""],
    ["Indicateur 1.1.1 : Nombre de membres des comités formés à la médiation (par sexe)", "0", "120", "60",
     "62 (20 femmes / 38 hommes)", ""],
    ["Résultat 2 : " + OUTCOMES[1]["statement"], "", "", "", "", ""],
    ["Indicateur 2.1 : Protocole transfrontalier sur les couloirs signé et appliqué", "Non", "Oui", "Validé",
     "Validé le 14 mai, signature prévue en décembre", ""],
    ["Indicateur 2.2 : Nombre de participants aux réunions transfrontalières de sécurité", "0", "80", "40",
     "23", ""],
]

THREADS = [
    # section, quote (first occurrence), reviewer email, body, severity, replies [(email, body)], resolved
    ("implementation_status", "Le projet connaît des retards", "claire.fofana@pbf-rca.demo",
     "Justifier : quels retards exactement, et quand les comités seront-ils tous en place ?", "blocking",
     [("awa.ndiaye@oim-rca.demo", "Les 6 comités restants seront installés d'ici fin novembre ; nous précisons "
       "dans la prochaine version.")], False),
    ("upcoming_events", None, "claire.fofana@pbf-rca.demo",
     "Aussi nécessaire de respecter la limite de 1000 caractères. Garder les événements qui peuvent faire "
     "l'objet d'une couverture médiatique ; les ateliers classiques ne sont pas utiles ici.", "normal", [], False),
    ("outcome_1.gewe_youth", "Une attention particulière a été accordée à la participation des jeunes.",
     "jean.koyassoum@pbf-rca.demo", "Trop général : combien de jeunes, avec quel rôle dans les comités ?",
     "normal", [], False),
    ("results_framework", "TBD", "claire.fofana@pbf-rca.demo",
     "Attention ! Les études de base doivent avoir été réalisées : compléter la base de référence.", "blocking",
     [], False),
    ("human_impact", "Hadja Aïssatou", "jean.koyassoum@pbf-rca.demo",
     "Très bon exemple. Avons-nous son accord pour la citer nommément ?", "suggestion",
     [("awa.ndiaye@oim-rca.demo", "Oui, accord écrit obtenu le 3 mai.")], True),
]


def _para_blocks(text):
    return C.text_blocks(text)


def demo_contents():
    """Section key -> blocks for the demo report's first full draft."""
    s = {
        "report_type": [C.paragraph("annual")],
        "report_year": [C.paragraph("2024")],
        "in_last_six_months": [C.paragraph("no")],
        "trust_fund_name": [C.paragraph("")],
        "priority_windows": [C.paragraph("cross_border")],
        "implementation_rate": [C.paragraph("42")],
        "budget_attachment": [C.paragraph(BUDGET_FILENAME)],
        "gewe_budget_allocated": [C.paragraph("$1 050 000,00")],
        "gewe_budget_spent": [C.paragraph("$402 315.50")],
        "gender_marker": [C.paragraph("GM2")],
        "risk_marker": [C.paragraph("1")],
        "focus_area": [C.paragraph("2.3")],
        "report_prepared_by": [C.paragraph("Awa Ndiaye (OIM RCA), Paul Mbarga (OIM Cameroun)")],
        "report_approved_by": [C.paragraph("")],
        "pbf_secretariat_reviewed": [C.paragraph("yes")],
        "implementation_status": _para_blocks(IMPLEMENTATION_STATUS),
        "upcoming_events": _para_blocks(UPCOMING_EVENTS),
        "human_impact": _para_blocks(HUMAN_IMPACT),
        "monitoring": _para_blocks(
            "Deux missions conjointes de suivi (avril et juillet) dans les sites de Bouar, Abba et Garoua-Boulaï ; "
            "enquête de perception en juin ; réunions mensuelles du comité de pilotage."),
        "baselines_exist": [C.paragraph("yes")],
        "perception_surveys": [C.paragraph("yes")],
        "evaluation_conducted": [C.paragraph("no")],
        "evaluation_budget": [C.paragraph("$45 000")],
        "other": _para_blocks("Le recrutement du chargé de suivi et évaluation a pris plus de temps que prévu ; "
                              "l'intérim est assuré par le bureau régional de l'OIM."),
        "covid_monetary": [C.paragraph("$0")],
        "results_framework": [C.table_block(RF_COLUMNS, RESULTS_FRAMEWORK)],
    }
    for k, o in enumerate(OUTCOMES, start=1):
        s[f"outcome_{k}.statement"] = [C.paragraph(o["statement"])]
        s[f"outcome_{k}.rating"] = [C.paragraph(o["rating"])]
        s[f"outcome_{k}.progress_summary"] = _para_blocks(o["progress_summary"])
        s[f"outcome_{k}.gewe_youth"] = _para_blocks(o["gewe_youth"])
    return s


def logins():
    return {"password": PASSWORD,
            "users": [(email, "admin" if admin else ((role or "") + (" (lead)" if lead else "")))
                      for email, _n, _o, _k, role, lead, admin in USERS]}


def load_demo(now=None):
    """(created?, logins).  Idempotent: an existing demo project is left as it is."""
    if db.session.scalar(select(Project).where(Project.title == DEMO_TITLE)) is not None:
        return False, logins()
    now = now or utcnow()
    people = {}
    for email, name, org, kind, _role, _lead, admin in USERS:
        try:
            user = accounts.user_by_email(email)
        except NotFound:
            user = accounts.create_user(email, name=name, password=PASSWORD, org_name=org, is_admin=admin,
                                        now=now)
            user.organisation.kind = kind
        people[email] = user
    admin = people[USERS[0][0]]
    project = reports.create_project(
        actor=admin, title=DEMO_TITLE, gateway_numbers="00131245 (RCA) et 00131246 (Cameroun)",
        countries="République centrafricaine (RCA) et Cameroun", first_transfer_date=date(2024, 1, 15),
        end_date=date(2025, 12, 31), now=now,
        recipients=[reports.RecipientInput("OIM RCA", Decimal("1200000"), "RUNO", True),
                    reports.RecipientInput("OIM Cameroun", Decimal("800000"), "RUNO"),
                    reports.RecipientInput("ONUDC ROSEN", Decimal("600000"), "RUNO")])
    report = reports.create_report(project, actor=admin, report_type="annual", year=2024, outcomes=2,
                                   now=now - timedelta(days=20))
    for email, _n, _o, _k, role, lead, _a in USERS:
        if role:
            accounts.add_member(report, people[email], role, actor=admin, is_lead=lead, now=now)
    drafter = people["awa.ndiaye@oim-rca.demo"]
    editing.save_sections(report, demo_contents(), actor=drafter, roles={"drafter"}, base_number=1,
                          note="Premier projet complet", now=now - timedelta(days=14))
    budget = workbooks.attach_workbook(report, demo_workbook(), BUDGET_FILENAME, actor=drafter,
                                       roles={"drafter"}, now=now - timedelta(days=14) + timedelta(hours=1))
    transitions.act(report, "submit", actor=drafter, roles={"drafter"}, now=now - timedelta(days=13))
    transitions.act(report, "start_review", actor=people["claire.fofana@pbf-rca.demo"], roles={"reviewer"},
                    now=now - timedelta(days=12))
    latest = versions.latest_version(report)
    texts = versions.version_contents(latest)
    for i, (key, quote, email, body, severity, replies, resolved) in enumerate(THREADS):
        reviewer = people[email]
        start = end = None
        if quote:
            start = texts[key].text.index(quote)
            end = start + len(quote)
        when = now - timedelta(days=10 - i)
        t = threads.open_thread(report, actor=reviewer, roles={"reviewer"}, section_key=key, body=body,
                                start=start, end=end, severity=severity, now=when)
        for j, (who, text) in enumerate(replies):
            threads.reply(t, actor=people[who], roles={"drafter"}, body=text, now=when + timedelta(days=1 + j))
        if resolved:
            threads.resolve(t, actor=reviewer, roles={"reviewer"}, note="Accord obtenu.", now=when + timedelta(days=3))
        if key == "implementation_status":
            threads.mark_addressed(t, actor=drafter, roles={"drafter"}, now=when + timedelta(days=2))
    # A reviewer's thread on the workbook's cell that does not add up (the check finds it too).
    wrong = split_locator(next(s for t in budget.tables for s in t["sum_mismatches"])["locator"])
    threads.open_thread(report, actor=people["jean.koyassoum@pbf-rca.demo"], roles={"reviewer"},
                        section_key="", severity="blocking", cell=wrong, now=now - timedelta(days=4),
                        body="Le total du produit 1.2 pour l'OIM Cameroun ne correspond pas à la somme de "
                             "ses activités (écart de 5 000 USD) : lequel des deux est juste ?")
    # The drafter's next version: a sentence added before the commented words (the thread follows
    # them), and the vague sentence on youth rewritten (its thread now shows before -> after).
    texts = versions.version_contents(versions.latest_version(report))
    status = C.editor_text(texts["implementation_status"].blocks)
    youth = C.editor_text(texts["outcome_1.gewe_youth"].blocks)
    editing.save_sections(report, {
        "implementation_status": C.text_blocks("Point d'étape au 30 novembre 2024.\n" + status.replace(
            "entre juin et août.", "entre juin et août ; les 6 comités restants seront installés d'ici fin novembre.")),
        "outcome_1.gewe_youth": C.text_blocks(youth.replace(
            "Une attention particulière a été accordée à la participation des jeunes.",
            "Une attention particulière a été accordée à la participation des jeunes : 41 des 130 membres "
            "des comités ont moins de 30 ans.")),
    }, actor=drafter, roles={"drafter"}, base_number=latest.number, note="Réponses aux commentaires",
        now=now - timedelta(days=2))
    return True, logins()


EXTRA_BODIES = (
    "Préciser la source de ce chiffre et la période couverte.",
    "Ventiler par sexe et par âge, comme le demande le modèle.",
    "Reformuler : la phrase décrit une activité, pas un changement.",
    "Quel est le lien avec le résultat attendu ?",
    "Donner la date prévue et la personne responsable.",
    "À raccourcir : la section dépasse la limite de caractères.",
)


def add_review_threads(report, count, *, now=None):
    """``count`` more review threads on the latest version, spread over the narrative sections,
    each on a sentence (or a whole section), every third with a drafter's reply: a long review
    to try the report page on (``flask demo load --threads 300``)."""
    now = now or utcnow()
    reviewers = [accounts.user_by_email(e) for e in ("claire.fofana@pbf-rca.demo", "jean.koyassoum@pbf-rca.demo")]
    drafter = accounts.user_by_email("awa.ndiaye@oim-rca.demo")
    latest = versions.latest_version(report)
    texts = versions.version_contents(latest)
    spots = []
    for key, content in texts.items():
        if key == "results_framework" or len(content.text) < 80:
            continue
        pos = 0
        for sentence in content.text.replace("\n", ". ").split(". "):
            if len(sentence) > 20:
                start = content.text.find(sentence[:40], pos)
                if start >= 0:
                    spots.append((key, start, start + len(sentence[:40])))
                    pos = start + 1
    made = []
    for i in range(count):
        key, start, end = spots[i % len(spots)]
        whole = i % 10 == 9
        reviewer = reviewers[i % 2]
        t = threads.open_thread(report, actor=reviewer, roles={"reviewer"}, section_key=key,
                                body=f"{EXTRA_BODIES[i % len(EXTRA_BODIES)]} (n° {i + 1})",
                                start=None if whole else start, end=None if whole else end,
                                severity="blocking" if i % 25 == 0 else "normal", now=now)
        if i % 3 == 0:
            threads.reply(t, actor=drafter, roles={"drafter"}, body="Nous complétons dans la prochaine version.",
                          now=now)
        made.append(t)
    return made


def demo_report():
    """The demo project's report (NotFound before ``load_demo``)."""
    project = db.session.scalar(select(Project).where(Project.title == DEMO_TITLE))
    if project is None or not project.reports:
        raise NotFound("The demo is not loaded.")
    return project.reports[0]
