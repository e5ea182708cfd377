"""The mapping of a read Word document onto the PBF template's sections (``reviewflow.mapping``).

Each heuristic in turn: how prompts (the template's questions) are recognised in French and
English and with small wording changes, answers written on the prompt's own line, the repeated
outcome blocks of Part II, part headings, tables recognised by their header, form fields, and
what goes to unmapped content.  Traps: words of a prompt at the start of ordinary prose,
near-miss wording, English prompts in a French report.

Most documents are built as ``wordio.Document`` values directly (the mapping reads only their
top-level blocks and form fields); the last tests go through a real .docx made with python-docx
and read by ``wordio.read_docx``.
"""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewflow import content as C
from reviewflow.mapping import map_document, match_prompt, norm, prompts_of
from reviewflow.report_templates import load_template
from reviewflow.wordio import Document, FormField, read_docx
from tests.helpers.checks import RF_HEADER_EN, RF_HEADER_FR

T = load_template("pbf")
PROMPTS = prompts_of(T)


def prompt(key: str, lang: str = "fr") -> str:
    return T.field(key).prompt[lang]


def table(*rows) -> dict:
    return C.table_block(None, [list(r) for r in rows])


def document(*items, form_fields=()) -> Document:
    """A read document: strings are paragraphs, dicts are blocks (tables)."""
    blocks = [C.paragraph(i) if isinstance(i, str) else i for i in items]
    return Document(text=C.blocks_text(blocks), blocks=blocks, form_fields=list(form_fields))


def mapped(*items, form_fields=()):
    d = document(*items, form_fields=form_fields)
    return d, map_document(d, T)


def texts(m) -> dict:
    return {k: s.text for k, s in m.sections.items()}


def unmapped_text(m) -> str:
    return C.blocks_text(m.unmapped)


STATUS = prompt("implementation_status")
EVENTS = prompt("upcoming_events")
PART1 = "Partie 1 : Progrès global du projet"
PART2 = "Partie II: Progrès par Résultat du projet"
PART3 = "Partie III: Questions transversales"


# -- norm ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("Résumé de progrès : (Limite de 3000 caractères)", "résumé de progrès"),
        ("Suivi (limite de 1\u00a0500 caractères) :", "suivi"),
        ("Entrée (300 caractères maximum par entrée)", "entrée"),
        ("Title (limit of 1,500 characters):", "title"),
        ("Summary (1500 character limit)", "summary"),
        ("\u00a0· Pays\u202f:", "pays"),  # bullet, no-break spaces, colon
        ("- Titre du projet *", "titre du projet"),
        ("Titre [sic] du projet", "titre du projet"),
        ("Re\u0301sume\u0301  de   progre\u0300s", "résumé de progrès"),  # NFD and runs of spaces
        ("Domaine de l\u2019intervention \u201cPBF\u201d", 'domaine de l\'intervention "pbf"'),
    ],
)
def test_norm_gives_the_comparable_form_of_a_prompt(raw, expected):
    assert norm(raw) == expected


def test_norm_keeps_words_that_only_look_like_a_limit():
    assert norm("Budget (1500 dollars)") == "budget (1500 dollars)"
    assert norm("Deux (2) réunions") == "deux (2) réunions"


# -- the template's prompts ---------------------------------------------------------------------


def test_every_question_of_the_template_is_a_prompt_in_both_languages():
    by_key: dict = {}
    for p in PROMPTS:
        by_key.setdefault(p.key, set()).add(p.text)
    for field in T.fields(1):
        key = field.key.replace("outcome_1.", "outcome.")
        if field.id == "statement":  # "Résultat {k}:" is recognised by the outcome rule
            assert key not in by_key
            continue
        assert norm(field.prompt["fr"]) in by_key[key], key
        assert norm(field.prompt["en"]) in by_key[key], key


def test_guidance_and_part_introductions_are_static_prompts():
    static = {p.text: p.key for p in PROMPTS if p.kind == "static"}
    assert static[norm("NOTES POUR REMPLIR LE RAPPORT")] == "static:completion_notes"
    item = T.part("notes").fields[0]["items"][0]
    assert static[norm(item["fr"])] == static[norm(item["en"])] == "static:completion_notes"
    assert static[norm(T.part("part2").intro["en"])] == "static:intro:part2"


# -- prompt recognition -------------------------------------------------------------------------

FIELDS = [f for f in T.fields(1) if f.id != "statement"]


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("field", FIELDS, ids=lambda f: f.key)
def test_each_prompt_is_recognised_as_written_and_with_its_limit_suffix(field, lang):
    expected = field.key.replace("outcome_1.", "outcome.")
    text = field.prompt[lang]
    hit = match_prompt(text, PROMPTS)
    assert hit is not None and hit[0].key == expected, text
    limit = field.limit or 1000
    suffix = (
        f" (limite de {limit:,} caractères) :".replace(",", "\u00a0")
        if lang == "fr"
        else f" ({limit} character limit):"
    )
    hit = match_prompt(text + suffix, PROMPTS)
    assert hit is not None and hit[0].key == expected and hit[1] == "", text + suffix


@pytest.mark.parametrize(
    "text, key",
    [
        # a long prompt with small changes: another verb form, "par ex." for "par exemple", straight quotes
        (
            "Expliquez brièvement l'état global de mise en œuvre du projet en termes de cycle de mise en "
            "œuvre, y compris si toutes les activités préparatoires ont été achevées (par ex. "
            "contractualisation des partenaires, recrutement du personnel, etc.)",
            "implementation_status",
        ),
        # a typo and a missing word
        (
            "Veuillez indiquer tout évènement important lié au projet prévu au cours des six prochains mois, "
            "par exemple : les dialogues nationaux, congrès des jeunes, les projections de films",
            "upcoming_events",
        ),
        ("Marqueur de genre du projet", "gender_marker"),
        ("MARQUER DE GENRE DU PROJET", "gender_marker"),
        # short prompts are recognised as written, whatever the case, never by resemblance
        ("PROJECT TITLE", "project_title"),
        ("Titre de projet", None),
        ("Date de fin de la formation : 12 mai", None),
    ],
)
def test_small_wording_changes_in_long_prompts_are_tolerated(text, key):
    hit = match_prompt(text, PROMPTS)
    assert (hit[0].key if hit else None) == key


def test_near_miss_prompts_each_find_their_own_field():
    allocated = prompt("gewe_budget_allocated")
    spent = prompt("gewe_budget_spent")
    assert match_prompt(allocated, PROMPTS)[0].key == "gewe_budget_allocated"
    assert match_prompt(spent, PROMPTS)[0].key == "gewe_budget_spent"
    assert match_prompt(prompt("gewe_budget_spent", "en"), PROMPTS)[0].key == "gewe_budget_spent"


@pytest.mark.parametrize(
    "text",
    [
        # prose that shares many words with a prompt
        "Le projet a lancé des enquêtes de perception auprès de 300 ménages dans les communautés.",
        "Les activités de suivi conduites dans la période du rapport ont été nombreuses.",
        "Le résumé de progrès est présenté ci-dessous pour chaque résultat.",
        "Pour les projets dans les six derniers mois, le changement est visible.",
        "",
        "ok",
    ],
)
def test_prose_is_not_a_prompt(text):
    assert match_prompt(text, PROMPTS) is None


def test_only_prompts_of_the_given_parts_are_considered():
    assert match_prompt("Résumé de progrès", PROMPTS, part={"part2"})[0].key == "outcome.progress_summary"
    assert match_prompt("Résumé de progrès", PROMPTS, part={"part1", "part3"}) is None


# -- a document mapped: prompts, answers, parts -------------------------------------------------


def test_each_answer_goes_to_the_field_of_the_prompt_before_it():
    d, m = mapped(
        PART1,
        STATUS + " (limite de 1500 caractères) :",
        "Le projet avance.",
        "",
        "Deuxième paragraphe.",
        "",
        "",
        EVENTS,
        "Foire en décembre.",
    )
    assert texts(m) == {
        "implementation_status": "Le projet avance.\n\nDeuxième paragraphe.",
        "upcoming_events": "Foire en décembre.",
    }
    assert m.sections["implementation_status"].how == "prompt"
    assert ("implementation_status", "prompt") in m.notes and m.unmapped == []
    # neither the heading nor the questions are answers: they are template text
    assert m.locate(d.text.index("Partie 1")) is None and m.locate(d.text.index("Expliquer")) is None
    assert m.prompt_owner(d.text.index("Expliquer") + 10) == "implementation_status"
    assert m.prompt_start("upcoming_events") == d.text.index("Veuillez indiquer")


def test_an_empty_answer_still_records_that_the_question_is_there():
    _d, m = mapped(STATUS, "", EVENTS, "Foire.")
    assert m.sections["implementation_status"].text == ""
    assert m.sections["upcoming_events"].text == "Foire."


def test_an_english_report_maps_onto_the_same_fields():
    _d, m = mapped(
        "COUNTRY: Central African Republic",
        "PART 1: OVERALL PROJECT PROGRESS",
        prompt("implementation_status", "en") + " (1500 character limit)",
        "The project is on track.",
        "PART II: RESULT PROGRESS BY PROJECT OUTCOME",
        "Outcome 1: Communities settle disputes.",
        prompt("outcome_1.rating", "en") + ": On track",
        "Progress summary",
        "Twenty committees.",
    )
    assert texts(m) == {
        "country": "Central African Republic",
        "implementation_status": "The project is on track.",
        "outcome_1.statement": "Communities settle disputes.",
        "outcome_1.rating": "On track",
        "outcome_1.progress_summary": "Twenty committees.",
    }
    assert m.outcomes == 1


def test_english_prompts_in_a_french_report_are_recognised_and_french_prose_is_not_taken_for_them():
    _d, m = mapped(
        "Project Title: Paix aux frontières",
        STATUS,
        "Le projet avance : le country office et le project title ont été validés.",
        "Progress summary du trimestre : voir plus bas.",
    )
    assert m.sections["project_title"].text == "Paix aux frontières"
    assert m.sections["implementation_status"].text == (
        "Le projet avance : le country office et le project title "
        "ont été validés.\nProgress summary du trimestre : voir "
        "plus bas."
    )


def test_a_prompt_word_inside_prose_does_not_start_a_section():
    _d, m = mapped(
        STATUS,
        "Les comités du pays ont siégé ; le titre du projet reste inchangé.",
        "Le résumé de progrès suit.",
    )
    assert texts(m) == {
        "implementation_status": "Les comités du pays ont siégé ; le titre du projet reste "
        "inchangé.\nLe résumé de progrès suit."
    }


@pytest.mark.parametrize(
    "prose",
    [
        "Pays voisins et partenaires ont participé aux ateliers.",
        "Country office staff were trained in March.",
        "Titre du projet et logo ont été changés en juin.",
        "Rapport approuvé par le comité de pilotage en mai.",
    ],
)
def test_a_paragraph_that_starts_with_a_short_prompt_but_goes_on_as_prose_stays_in_its_answer(prose):
    _d, m = mapped(STATUS, "Le projet avance.", prose, "Suite du texte.")
    assert texts(m) == {"implementation_status": f"Le projet avance.\n{prose}\nSuite du texte."}


def test_a_part_heading_ends_the_answer_before_it():
    d, m = mapped(STATUS, "Le projet avance.", PART2, "Résultat 1: Les communautés gèrent les conflits.")
    assert m.sections["implementation_status"].text == "Le projet avance."
    assert m.locate(d.text.index("Partie II")) is None
    assert m.sections["outcome_1.statement"].text == "Les communautés gèrent les conflits."


def test_a_part_heading_without_its_colon_is_still_a_heading():
    _d, m = mapped(
        STATUS,
        "Le projet avance.",
        "PARTIE II PROGRÈS PAR RÉSULTAT DU PROJET",
        "Résultat 1: Les communautés.",
    )
    assert m.sections["implementation_status"].text == "Le projet avance."
    assert m.sections["outcome_1.statement"].text == "Les communautés."


@pytest.mark.parametrize(
    "prose",
    [
        "Partie 1 de l'étude a été validée en juin.",
        "Part 2 of the survey was delayed by the rains.",
    ],
)
def test_prose_starting_like_a_part_heading_stays_in_its_answer(prose):
    _d, m = mapped(STATUS, "Le projet avance.", prose, "Suite.")
    assert texts(m) == {"implementation_status": f"Le projet avance.\n{prose}\nSuite."}


def test_the_template_guidance_is_neither_an_answer_nor_unmapped():
    notes = T.part("notes").fields[0]
    d, m = mapped(
        "NOTES POUR REMPLIR LE RAPPORT :",
        *("· " + i["fr"] for i in notes["items"]),
        PART1,
        STATUS,
        "Réponse.",
    )
    assert texts(m) == {"implementation_status": "Réponse."} and m.unmapped == []
    first_item = d.text.index(notes["items"][0]["fr"])
    assert m.locate(first_item) is None and m.prompt_owner(first_item) is None
    assert any(start <= first_item <= stop and key == "" for start, stop, key in m.skipped)


# -- inline answers -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "paragraph, key, answer",
    [
        ("PAYS : République centrafricaine", "country", "République centrafricaine"),
        ("Pays: RCA et Cameroun", "country", "RCA et Cameroun"),
        ("COUNTRY: Central African Republic", "country", "Central African Republic"),
        ("ANNEE DE RAPPORT\u00a0: 2021", "report_year", "2021"),
        (
            "Titre du projet: Lutte contre la traite : volet RCA",
            "project_title",
            "Lutte contre la traite : volet RCA",
        ),
        # the prompt has a colon of its own: the answer starts after the colon that ends the prompt
        (
            "Préparation du rapport: Rapport préparé par : Awa Ndiaye (OIM)",
            "report_prepared_by",
            "Awa Ndiaye (OIM)",
        ),
        ("Le projet est-il dans ces six derniers mois de mise en œuvre ? Oui", "in_last_six_months", "Oui"),
        (
            "Taux de mise en œuvre approximatif comme pourcentage du budget total du projet: 17%",
            "implementation_rate",
            "17%",
        ),
        ("Marquer de genre du projet : GM2", "gender_marker", "GM2"),
    ],
)
def test_an_answer_on_the_prompts_own_line_is_split_off(paragraph, key, answer):
    d, m = mapped(paragraph)
    sec = m.sections[key]
    assert sec.text == answer and (key, "inline") in m.notes
    # the answer's words map to the section, the prompt's to nothing (a comment there is on the question)
    at = d.text.rindex(answer)
    assert m.locate(at) == (key, 0) and m.locate(at + len(answer), end=True) == (key, len(answer))
    assert m.doc_offset(key, 0) == at
    assert m.locate(0) is None and m.prompt_owner(0) == key and m.prompt_start(key) == 0


def test_after_a_short_inline_answer_the_next_paragraph_starts_afresh():
    _d, m = mapped("PAYS : RCA", "Texte sans question.", "Titre du projet : Paix", "ANNEE DE RAPPORT : 2021")
    assert texts(m) == {"country": "RCA", "project_title": "Paix", "report_year": "2021"}
    assert unmapped_text(m) == "Texte sans question."


def test_a_short_answer_on_the_next_line_is_taken_too():
    _d, m = mapped("Titre du projet :", "Paix aux frontières", "Numéro Projet / MPTF Gateway :", "00125232")
    assert texts(m) == {"project_title": "Paix aux frontières", "project_numbers": "00125232"}


def test_a_narrative_answer_started_on_the_prompts_line_is_kept_whole():
    d, m = mapped(
        PART2,
        "Résultat 1: Les communautés.",
        "Résumé de progrès : (Limite de 3000 caractères) : Les 20 comités sont fonctionnels.",
        "Ils se réunissent chaque mois.",
        "Résultat 2: Autre.",
    )
    assert m.sections["outcome_1.progress_summary"].text == (
        "Les 20 comités sont fonctionnels.\nIls se réunissent chaque mois."
    )
    at = d.text.index("Les 20 comités")
    assert m.locate(at) == ("outcome_1.progress_summary", 0)


def test_a_limit_after_the_prompts_colon_is_not_an_answer():
    _d, m = mapped(PART2, "Résultat 1: A.", "Résumé de progrès : (Limite de 3000 caractères)", "Les comités.")
    assert m.sections["outcome_1.progress_summary"].text == "Les comités."


def test_a_table_fields_answer_typed_on_its_prompts_line_is_kept():
    _d, m = mapped(
        "Type et nom d’agence récipiendaire : ONUDC (agence coordinatrice)",
        "OIM",
        "Date du premier transfert de fonds : 12/02/2021",
    )
    assert m.sections["recipient_orgs"].text == "ONUDC (agence coordinatrice)\nOIM"
    assert m.sections["first_transfer_date"].text == "12/02/2021"


def test_a_prompt_split_over_its_heading_line_and_its_question_line_is_recognised():
    # the PBF template prints "Préparation du rapport:" and "Rapport préparé par:" on two lines
    _d, m = mapped(
        "Marquer de genre du projet: GM2",
        "Préparation du rapport:",
        "Rapport préparé par: Cassandre AMAH (OIM CAR)",
        "Rapport approuvé par: Marion CLAIN",
        "Budgetisation sensible au genre:",
        "Indiquez le montant ($) du budget dans le document de projet alloué aux activités dédiées à "
        "l’égalité des sexes ou à l’autonomisation des femmes: $1 245 996,00",
    )
    assert m.sections["report_prepared_by"].text == "Cassandre AMAH (OIM CAR)"
    assert m.sections["report_approved_by"].text == "Marion CLAIN"
    assert m.sections["gewe_budget_allocated"].text == "$1 245 996,00"
    assert m.sections["gender_marker"].text == "GM2"


# -- outcome blocks (Part II) -------------------------------------------------------------------


def test_each_outcome_block_gets_its_own_sections():
    rating = prompt("outcome_1.rating")
    d, m = mapped(
        PART2,
        "Résultat 1:  Les communautés gèrent les conflits.",
        rating + " : On track",
        "Résumé de progrès : (Limite de 3000 caractères)",
        "Les 20 comités sont fonctionnels.",
        "Résultat 2 - Les autorités coopèrent.",
        "Résumé de progrès",
        "Deux réunions.",
        PART3,
        prompt("monitoring"),
        "Trois missions.",
    )
    assert texts(m) == {
        "outcome_1.statement": "Les communautés gèrent les conflits.",
        "outcome_1.rating": "On track",
        "outcome_1.progress_summary": "Les 20 comités sont fonctionnels.",
        "outcome_2.statement": "Les autorités coopèrent.",
        "outcome_2.progress_summary": "Deux réunions.",
        "monitoring": "Trois missions.",
    }
    assert m.outcomes == 2
    assert ("outcome_1.statement", "inline") in m.notes
    # "Résultat 1:" is the question of the statement; the statement's words are its answer
    assert m.locate(d.text.index("Résultat 1")) is None
    assert m.prompt_owner(d.text.index("Résultat 1")) == "outcome_1.statement"
    assert m.locate(d.text.index("Les communautés")) == ("outcome_1.statement", 0)


def test_a_statement_on_the_line_after_its_label_is_taken():
    _d, m = mapped(
        PART2,
        "Résultat 1 :",
        "Les communautés gèrent les conflits.",
        prompt("outcome_1.rating"),
        "On track",
        "Outcome 2:",
        "Authorities cooperate.",
    )
    assert m.sections["outcome_1.statement"].text == "Les communautés gèrent les conflits."
    assert m.sections["outcome_1.rating"].text == "On track"
    assert m.sections["outcome_2.statement"].text == "Authorities cooperate."
    assert m.outcomes == 2


def test_outcome_questions_before_any_statement_belong_to_the_first_outcome():
    _d, m = mapped(PART2, "Résumé de progrès", "Les comités.")
    assert texts(m) == {"outcome_1.progress_summary": "Les comités."}


def test_outcome_labels_outside_part_two_are_ordinary_text():
    # the seed report lists its upcoming events by outcome, in Part I
    _d, m = mapped(PART1, EVENTS, "Résultat 1 :", "Atelier à Bouar.", "Résultat 2 : foire.")
    assert texts(m) == {"upcoming_events": "Résultat 1 :\nAtelier à Bouar.\nRésultat 2 : foire."}
    assert m.outcomes == 0


def test_more_outcomes_than_the_template_allows_are_not_outcome_blocks():
    assert T.repeat_max == 4
    _d, m = mapped(PART2, "Résultat 1: Un.", "Résumé de progrès", "Texte.", "Résultat 5: Cinq.")
    assert m.outcomes == 1 and "outcome_5.statement" not in m.sections
    assert m.sections["outcome_1.progress_summary"].text == "Texte.\nRésultat 5: Cinq."


@pytest.mark.parametrize(
    "prose",
    [
        "Outcome 3 of the previous phase was reached in 2020.",
        "Résultat 2 atteint à 80 % grâce aux comités.",
    ],
)
def test_prose_starting_with_an_outcome_number_does_not_open_an_outcome_block(prose):
    _d, m = mapped(
        "PART II: RESULT PROGRESS BY PROJECT OUTCOME",
        "Outcome 1: Communities.",
        "Progress summary",
        "Twenty committees.",
        prose,
        "More text.",
    )
    assert m.outcomes == 1
    assert m.sections["outcome_1.progress_summary"].text == f"Twenty committees.\n{prose}\nMore text."


# -- tables -------------------------------------------------------------------------------------

RF_ROW = ["Résultat 1", "Indicateur 1.1 : Nombre de différends réglés", "0", "100", "30", "27", ""]


@pytest.mark.parametrize("header", [RF_HEADER_FR, RF_HEADER_EN], ids=["fr", "en"])
def test_the_results_table_is_found_by_its_header_wherever_it_is(header):
    d, m = mapped(PART1, STATUS, "Réponse.", table(header, RF_ROW), "Après le tableau.")
    rf = m.sections["results_framework"]
    assert rf.how == "table" and ("results_framework", "table") in m.notes
    # the header row is left out and the columns are named
    assert C.table_cells(rf.blocks[0]) == [RF_ROW]
    assert rf.blocks[0]["columns"] == [
        "row_header",
        "indicator",
        "baseline",
        "target",
        "milestone",
        "current",
        "reasons",
    ]
    assert m.sections["implementation_status"].text == "Réponse."
    # the text after the table belongs to the table's field, and its words map back
    assert rf.text.endswith("\nAprès le tableau.")
    at = d.text.index("Indicateur 1.1")
    key, off = m.locate(at)
    assert key == "results_framework" and rf.text[off : off + 14] == "Indicateur 1.1"
    assert m.locate(d.text.index(header[1])) is None  # a header cell is template text


def test_a_results_table_in_two_pieces_is_one_section():
    _d, m = mapped(
        prompt("results_framework"),
        table(RF_HEADER_FR, RF_ROW),
        table(RF_HEADER_FR, ["Résultat 2", "Indicateur 2.1", "1", "5", "2", "3", "retard"]),
    )
    rf = m.sections["results_framework"]
    assert [C.table_cells(b) for b in rf.blocks] == [
        [RF_ROW],
        [["Résultat 2", "Indicateur 2.1", "1", "5", "2", "3", "retard"]],
    ]


def test_a_table_without_baseline_and_target_headers_is_not_the_results_table():
    _d, m = mapped(STATUS, "Réponse.", table(["Indicateur", "Valeur"], ["Comités", "20"]))
    assert "results_framework" not in m.sections
    assert m.sections["implementation_status"].text == "Réponse.\nIndicateur\nValeur\nComités\n20"


def test_a_table_after_a_table_question_is_that_fields_answer():
    budget = prompt("budget_by_recipient")
    d, m = mapped(
        budget + " :", table(["Agence", "Budget"], ["OIM", "$ 100"]), prompt("implementation_rate") + ": 17%"
    )
    sec = m.sections["budget_by_recipient"]
    assert sec.how == "prompt" and sec.blocks[0]["t"] == "table"
    assert C.table_cells(sec.blocks[0]) == [["Agence", "Budget"], ["OIM", "$ 100"]]
    assert m.sections["implementation_rate"].text == "17%"
    at = d.text.index("OIM")
    assert m.locate(at) == ("budget_by_recipient", sec.text.index("OIM"))


def test_a_comment_on_a_table_cell_after_a_sentence_lands_on_the_cells_words():
    d, m = mapped(
        prompt("budget_by_recipient") + " :",
        "Voir le tableau ci-dessous.",
        table(["Agence", "Budget"], ["OIM", "$ 100"]),
    )
    sec = m.sections["budget_by_recipient"]
    assert sec.text == "Voir le tableau ci-dessous.\nAgence\nBudget\nOIM\n$ 100"
    at = d.text.index("OIM")
    key, off = m.locate(at)
    assert key == "budget_by_recipient" and sec.text[off : off + 3] == "OIM"
    assert m.doc_offset(key, sec.text.index("$ 100")) == d.text.index("$ 100")


def test_a_cover_page_laid_out_in_a_table_is_mapped_cell_by_cell():
    d, m = mapped(
        table(["PAYS : RCA", "ANNEE DE RAPPORT : 2021"], ["Titre du projet", "Paix aux frontières"])
    )
    assert texts(m) == {"country": "RCA", "report_year": "2021", "project_title": "Paix aux frontières"}
    assert m.locate(d.text.index("Paix")) == ("project_title", 0)


# -- form fields and check boxes ----------------------------------------------------------------


def test_a_drop_down_in_the_prompt_gives_the_code_of_the_chosen_option():
    text = "Marquer de genre du projet : "
    ff = FormField(
        kind="dropdown",
        name="Dropdown1",
        value="Gender equality is a significant objective",
        start=len(text),
        end=len(text),
    )
    _d, m = mapped(text, form_fields=[ff])
    sec = m.sections["gender_marker"]
    assert sec.text == "GM2" and sec.how == "form_field" and ("gender_marker", "form_field") in m.notes


@pytest.mark.parametrize("shown, code", [("Oui", "yes"), ("No", "no"), ("Peut-être", "Peut-être")])
def test_a_drop_down_value_outside_the_vocabulary_is_kept_as_shown(shown, code):
    text = prompt("pbf_secretariat_reviewed") + " : "
    _d, m = mapped(text, form_fields=[FormField(kind="dropdown", name="D", value=shown, start=len(text))])
    assert m.sections["pbf_secretariat_reviewed"].text == code


def test_a_typed_answer_wins_over_a_drop_down_and_stray_fields_are_ignored():
    text = "Marquer de genre du projet : "
    fields = [
        FormField(kind="dropdown", name="D1", value="GM1", start=len(text)),
        FormField(kind="dropdown", name="D2", value="GM3", start=len(text) + 200),  # in the prose
        FormField(kind="checkbox", name="C1", value="1", checked=True, start=0),
    ]
    _d, m = mapped(
        text,
        "GM2",
        "Texte libre sans question, assez long pour contenir le second champ de formulaire "
        "qui n'appartient à aucune question du modèle.",
        form_fields=fields,
    )
    assert (
        m.sections["gender_marker"].text
        == "GM2\nTexte libre sans question, assez long pour contenir le second "
        "champ de formulaire qui n'appartient à aucune question du modèle."
    )
    assert set(m.sections) == {"gender_marker"}


def test_ticked_boxes_become_the_codes_of_their_options():
    covid = prompt("covid_categories")
    _d, m = mapped(
        covid,
        "☒ Assurer une réponse et une reprise inclusives et équitables",
        "☐ Lutter contre le discours de haine et la stigmatisation et répondre aux traumatismes",
        "☑ Other (please describe)",
        prompt("covid_success_story"),
        "Histoire.",
    )
    sec = m.sections["covid_categories"]
    assert sec.text == "inclusive_response\nother" and sec.how == "form_field"
    assert m.sections["covid_success_story"].text == "Histoire."


def test_boxes_all_unticked_give_an_empty_answer():
    _d, m = mapped(prompt("trust_fund_type"), "☐ Fonds fiduciaire pays", "□ Fonds fiduciaire régional")
    assert m.sections["trust_fund_type"].text == ""


# -- unmapped content ---------------------------------------------------------------------------


def test_content_before_any_question_is_unmapped_not_dropped():
    d, m = mapped("Note de synthèse", "", "Quelques lignes.", "PAYS : RCA")
    assert unmapped_text(m) == "Note de synthèse\nQuelques lignes."
    assert m.locate(d.text.index("Quelques")) == ("_unmapped", len("Note de synthèse\n"))
    assert texts(m) == {"country": "RCA"}


def test_a_document_without_any_question_is_all_unmapped():
    lines = ["Compte rendu de la réunion", "Présents : Awa, Paul.", "Décisions : aucune."]
    _d, m = mapped(*lines)
    assert m.sections == {} and m.outcomes == 0 and unmapped_text(m) == "\n".join(lines)


def test_trailing_empty_paragraphs_are_trimmed_from_an_answer():
    _d, m = mapped(STATUS, "", "Réponse.", "", "", EVENTS, "Foire.")
    assert m.sections["implementation_status"].text == "Réponse."
    assert [b["text"] for b in m.sections["implementation_status"].blocks] == ["Réponse."]


WORDS = st.sampled_from(
    [
        "comités",
        "réunion",
        "formation",
        "bouar",
        "berberati",
        "femmes",
        "jeunes",
        "2021",
        "ateliers",
        "suivi",
        "paix",
        "frontière",
        "autorités",
        "victimes",
        "12",
        "%",
    ]
)
ANSWER = st.lists(WORDS, min_size=1, max_size=12).map(lambda ws: " ".join(ws).capitalize() + ".")
NARRATIVE = [f.key for f in T.fields(1) if f.kind == "text_narrative" and f.part_id != "part2"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(NARRATIVE),
            st.sampled_from(["fr", "en"]),
            st.booleans(),
            st.lists(ANSWER, min_size=1, max_size=3),
        ),
        min_size=1,
        max_size=6,
        unique_by=lambda x: x[0],
    ),
    st.lists(ANSWER, max_size=2),
)
def test_every_word_of_the_answers_ends_up_in_its_field_or_unmapped(answers, preamble):
    """Nothing is dropped: each answer (on the prompt's line or below it) comes back whole in its field."""
    items = list(preamble)
    for key, lang, inline, paragraphs in answers:
        if inline:
            items.append(prompt(key, lang) + " : " + paragraphs[0])
            items += paragraphs[1:]
        else:
            items.append(prompt(key, lang))
            items += paragraphs
    _d, m = mapped(*items)
    assert unmapped_text(m) == "\n".join(preamble)
    assert texts(m) == {key: "\n".join(paragraphs) for key, _lang, _inline, paragraphs in answers}


# -- through a real .docx -----------------------------------------------------------------------


def _docx(build) -> Document:
    import docx

    d = docx.Document()
    build(d)
    buf = io.BytesIO()
    d.save(buf)
    return read_docx(buf.getvalue())


def test_a_word_file_made_with_python_docx_maps_and_its_comments_land_on_their_words():
    def build(d):
        d.add_heading("Partie 1 : Progrès global du projet", level=1)
        d.add_paragraph(STATUS + " (limite de 1500 caractères) :")
        answer = d.add_paragraph("Le projet connaît des retards ")
        run = answer.add_run("dans le recrutement")
        answer.add_run(".")
        d.add_comment(run, text="Lesquels ?", author="Claire Reviewer", initials="CR")
        d.add_paragraph("Deuxième paragraphe.", style="List Bullet")
        d.add_heading("Partie II: Progrès par Résultat du projet", level=1)
        d.add_paragraph("Résultat 1: Les communautés gèrent les conflits.")
        d.add_paragraph("Résumé de progrès")
        d.add_paragraph("Vingt comités.")
        d.add_paragraph(prompt("results_framework"))
        t = d.add_table(rows=2, cols=7)
        for i, text in enumerate(RF_HEADER_FR):
            t.cell(0, i).text = text
        for i, text in enumerate(RF_ROW):
            t.cell(1, i).text = text

    doc = _docx(build)
    m = map_document(doc, T)
    assert m.sections["implementation_status"].text == (
        "Le projet connaît des retards dans le recrutement.\nDeuxième paragraphe."
    )
    assert m.sections["outcome_1.statement"].text == "Les communautés gèrent les conflits."
    assert m.sections["outcome_1.progress_summary"].text == "Vingt comités."
    assert C.table_cells(m.sections["results_framework"].blocks[0]) == [RF_ROW]
    assert m.outcomes == 1 and m.unmapped == []
    (c,) = doc.comments
    key, start = m.locate(c.start)
    _key, end = m.locate(c.end, end=True)
    assert key == "implementation_status" and m.sections[key].text[start:end] == "dans le recrutement"


def test_a_built_pbf_report_maps_back_field_by_field_in_both_languages():
    from tests.helpers.pbf_docx import build

    answers = {
        f.key: f"Réponse à {f.key}." for f in T.fields(2) if f.kind in ("text_narrative", "text_short")
    }
    answers.update(
        {
            "outcome_1.statement": "Premier résultat.",
            "outcome_2.statement": "Second résultat.",
            "report_year": "2024",
            "first_transfer_date": "12/02/2021",
            "implementation_rate": "17%",
        }
    )
    for lang in ("fr", "en"):
        doc = read_docx(build(answers, outcomes=2, lang=lang))
        m = map_document(doc, T)
        got = {k: m.sections[k].text for k in answers if k in m.sections}
        assert got == answers, lang
        assert m.outcomes == 2 and m.unmapped == []
