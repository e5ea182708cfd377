"""reviewflow.anchoring: anchors, verification and re-anchoring across versions (no app)."""
import ast
import pathlib
import unicodedata

import pytest
from diff_match_patch import diff_match_patch
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from reviewflow import anchoring, diffing
from reviewflow.anchoring import (
    CHANGED,
    EXACT,
    MOVED,
    NEEDS_CONFIRMATION,
    ORPHANED,
    PLACED,
    STATUSES,
    Anchor,
    Reanchorer,
    Result,
    make_anchor,
    reanchor,
    verify_anchor,
)

NBSP, NNBSP = "\u00a0", "\u202f"

P1 = ("Au cours de la période considérée, le projet a renforcé la cohésion sociale dans les "
      "communes ciblées. Les comités locaux de paix se sont réunis chaque mois.")
P2 = ("Les associations de femmes ont organisé des dialogues intercommunautaires avec l’appui "
      "des autorités locales. Le taux d’exécution budgétaire atteint 87" + NNBSP + "% à la fin "
      "de la période.")
P3 = ("Plusieurs défis persistent" + NBSP + ": l’insécurité, la mobilité du personnel et la "
      "faiblesse des données de référence. Une mission conjointe de suivi a été réalisée en "
      "février.")
P4 = ("La réinsertion socio-économique des jeunes reste la priorité du comité de pilotage pour "
      "la deuxième année du projet.")
TEXT = "\n".join([P1, P2, P3, P4])


def anchor_on(text, quote, occurrence=0):
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(quote, start + 1)
    return make_anchor(text, start, start + len(quote))


def span_of(text, quote, occurrence=0):
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(quote, start + 1)
    return start, start + len(quote)


# ---------------------------------------------------------------- purity and public surface

@pytest.mark.parametrize("module", ["anchoring", "diffing"])
def test_module_is_pure(module):
    """No Flask, no database, no models/extensions/services."""
    path = pathlib.Path(__file__).resolve().parents[2] / "reviewflow" / f"{module}.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            names.add(("." * node.level) + (node.module or ""))
    forbidden = ("flask", "sqlalchemy", "flask_sqlalchemy", ".models", ".extensions", ".services",
                 "reviewflow.models", "reviewflow.extensions", "reviewflow.services")
    assert not [n for n in names if n.startswith(forbidden)], names


def test_statuses_match_the_thread_anchor_vocabulary():
    assert STATUSES == ("exact", "moved", "changed", "orphaned", "needs_confirmation")
    assert {EXACT, MOVED, CHANGED} == PLACED
    assert Result(None, ORPHANED, 0.0).placed is False
    assert Result(None, NEEDS_CONFIRMATION, 0.6).placed is False


# ---------------------------------------------------------------- make_anchor / verify_anchor

def test_make_anchor_takes_quote_and_32_characters_of_context():
    a = anchor_on(TEXT, "la cohésion sociale")
    assert a.quote == "la cohésion sociale"
    assert len(a.prefix) == len(a.suffix) == 32
    assert TEXT[a.start - 32:a.start] == a.prefix and TEXT[a.end:a.end + 32] == a.suffix
    assert a.as_dict()["quote"] == a.quote


def test_make_anchor_at_text_edges_and_points():
    a = make_anchor(TEXT, 0, 2)
    assert (a.quote, a.prefix) == ("Au", "")
    z = make_anchor(TEXT, len(TEXT) - 7, len(TEXT))
    assert (z.quote, z.suffix) == ("projet.", "")
    p = make_anchor(TEXT, 10, 10, context=5)
    assert p.is_point and p.quote == "" and len(p.prefix) == len(p.suffix) == 5
    assert make_anchor("", 0, 0) == Anchor(0, 0, "", "", "")


@pytest.mark.parametrize("start,end", [(-1, 3), (5, 4), (0, len(TEXT) + 1), (True, 3), (1.0, 3),
                                       ("1", 3), (None, 2)])
def test_make_anchor_rejects_bad_bounds(start, end):
    with pytest.raises(ValueError):
        make_anchor(TEXT, start, end)


def test_anchor_validates_itself():
    with pytest.raises(ValueError):
        Anchor(3, 2, "x")
    with pytest.raises(ValueError):
        Anchor(-1, 2, "x")
    with pytest.raises(ValueError):
        Anchor(0, 1, None)


def test_make_anchor_normalises_nfd_text_and_carries_offsets():
    nfd = unicodedata.normalize("NFD", "Le comité a évalué la sécurité.")
    start = nfd.index(unicodedata.normalize("NFD", "évalué"))
    a = make_anchor(nfd, start, start + len(unicodedata.normalize("NFD", "évalué")))
    nfc = "Le comité a évalué la sécurité."
    assert a.quote == "évalué" and nfc[a.start:a.end] == "évalué"
    # a span ending between "e" and its combining accent cannot be expressed in NFC
    with pytest.raises(ValueError):
        make_anchor(nfd, start, start + 1)


def test_verify_anchor_exact():
    a = anchor_on(TEXT, "la cohésion sociale")
    assert verify_anchor(TEXT, a)
    assert not verify_anchor(TEXT, Anchor(a.start + 1, a.end + 1, a.quote, a.prefix, a.suffix))
    assert not verify_anchor(TEXT, Anchor(a.start, a.end, "la cohésion Sociale", a.prefix, a.suffix))
    assert not verify_anchor(TEXT, Anchor(a.start, a.end, a.quote, "autre chose", a.suffix))
    assert not verify_anchor(TEXT, Anchor(a.start, a.end, a.quote, a.prefix, "autre chose"))
    assert not verify_anchor(TEXT[:a.end - 1], a)
    assert not verify_anchor(TEXT, object())


def test_verify_anchor_accepts_shorter_or_empty_context_and_folded_spaces():
    a = anchor_on(TEXT, "défis persistent" + NBSP + ": l’insécurité")
    assert verify_anchor(TEXT, Anchor(a.start, a.end, a.quote, a.prefix[-5:], ""))
    # a browser selection turns the no-break space into a space and Word's ’ may come as '
    browser = Anchor(a.start, a.end, "défis persistent : l'insécurité", a.prefix, a.suffix)
    assert verify_anchor(TEXT, browser)
    # ... but a space is not a letter
    assert not verify_anchor(TEXT, Anchor(a.start, a.end, "défis persistentx: l’insécurité"))


def test_verify_anchor_accepts_an_nfd_quote_from_an_old_client():
    a = anchor_on(TEXT, "réinsertion socio-économique")
    nfd = Anchor(a.start, a.end, unicodedata.normalize("NFD", a.quote),
                 unicodedata.normalize("NFD", a.prefix), a.suffix)
    assert len(nfd.quote) != len(a.quote)
    assert verify_anchor(TEXT, nfd)


# ---------------------------------------------------------------- table: edits around a quote

QUOTE = "le projet a renforcé la cohésion sociale"
Q0, Q1 = span_of(TEXT, QUOTE)


def edit(text, start, end, new):
    return text[:start] + new + text[end:]


CASES = [
    # name, new text, expected status, expected new quote (None: orphaned)
    ("insert before, same sentence", edit(TEXT, Q0, Q0, "comme prévu, "), EXACT, QUOTE),
    ("insert in an earlier paragraph", "Résumé.\n" + TEXT, EXACT, QUOTE),
    ("insert just after", edit(TEXT, Q1, Q1, " durablement"), EXACT, QUOTE),
    ("insert in a later paragraph", TEXT + "\nAnnexe.", EXACT, QUOTE),
    ("delete before", TEXT.replace("Au cours de la période considérée, ", ""), EXACT, QUOTE),
    ("delete after", TEXT.replace(" dans les communes ciblées", ""), EXACT, QUOTE),
    ("delete a later paragraph", TEXT.replace("\n" + P3, ""), EXACT, QUOTE),
    ("insert inside", TEXT.replace("a renforcé la", "a nettement renforcé la"), CHANGED,
     "le projet a nettement renforcé la cohésion sociale"),
    ("delete inside", TEXT.replace("la cohésion sociale", "la cohésion"), CHANGED,
     "le projet a renforcé la cohésion"),
    ("replace a word inside", TEXT.replace("a renforcé", "a consolidé"), CHANGED,
     "le projet a consolidé la cohésion sociale"),
    ("edit the last word", TEXT.replace("cohésion sociale", "cohésion sociales"), CHANGED,
     "le projet a renforcé la cohésion sociales"),
    ("accent added inside", TEXT.replace("renforcé", "renforcée"), CHANGED,
     "le projet a renforcée la cohésion sociale"),
    ("delete the whole quote", edit(TEXT, Q0, Q1 + 1, ""), ORPHANED, None),
    ("delete the sentence", TEXT.replace(P1.split(". ")[0] + ". ", ""), ORPHANED, None),
    ("rewrite the sentence", TEXT.replace(P1.split(". ")[0],
                                          "Les autorités ont ouvert trois nouveaux centres"),
     ORPHANED, None),
    ("empty the section", "", ORPHANED, None),
]


@pytest.mark.parametrize("name,new,status,quote", CASES, ids=[c[0] for c in CASES])
def test_reanchor_table(name, new, status, quote):
    a = make_anchor(TEXT, Q0, Q1)
    result = reanchor(TEXT, new, a)
    assert result.status == status, result
    if quote is None:
        assert result.anchor is None
        return
    assert result.anchor.quote == quote
    assert verify_anchor(new, result.anchor)
    assert 0.0 <= result.score <= 1.0
    if status == EXACT:
        assert result.score == 1.0 and new[result.anchor.start:result.anchor.end] == QUOTE


def test_exact_offsets_follow_edits_elsewhere():
    new = "Résumé exécutif.\n" + TEXT.replace("Les comités", "Tous les comités")
    r = reanchor(TEXT, new, make_anchor(TEXT, Q0, Q1))
    assert (r.anchor.start, r.anchor.end) == (Q0 + 17, Q1 + 17)


def test_same_text_fast_path_computes_no_diff():
    r = Reanchorer(TEXT, TEXT)
    assert r.same and r.diff_seconds == 0.0
    assert r.reanchor(make_anchor(TEXT, Q0, Q1)) == Result(make_anchor(TEXT, Q0, Q1), EXACT, 1.0)
    assert reanchor(TEXT, TEXT, make_anchor(TEXT, Q0, Q1)).status == EXACT


def test_one_diff_shared_by_many_anchors():
    new = "Résumé.\n" + TEXT.replace("87" + NNBSP + "%", "91" + NNBSP + "%")
    r = Reanchorer(TEXT, new)
    anchors = [anchor_on(TEXT, q) for q in ("la cohésion sociale", "chaque mois", "l’insécurité",
                                            "en février", "deuxième année du projet")]
    results = r.reanchor_all(anchors)
    assert [x.status for x in results] == [EXACT] * 5
    assert [x.anchor.quote for x in results] == [a.quote for a in anchors]
    changed = r.reanchor(anchor_on(TEXT, "atteint 87" + NNBSP + "% à la fin"))
    assert changed.status == CHANGED and changed.anchor.quote == "atteint 91" + NNBSP + "% à la fin"


def test_moved_paragraph():
    new = "\n".join([P2, P3, P4, P1])
    r = reanchor(TEXT, new, make_anchor(TEXT, Q0, Q1))
    assert r.status == MOVED and r.placed
    assert (r.anchor.start, r.anchor.end) == span_of(new, QUOTE)
    assert r.score >= anchoring.MIN_SCORE


def test_moved_and_edited_paragraph_is_found_as_changed():
    moved = P1.replace("cohésion sociale", "cohésion sociale durable").replace("chaque mois",
                                                                          "tous les mois")
    new = "\n".join([P2, P3, P4, moved])
    a = anchor_on(TEXT, "le projet a renforcé la cohésion sociale dans les communes ciblées")
    r = reanchor(TEXT, new, a)
    assert r.status == CHANGED
    assert r.anchor.quote == "le projet a renforcé la cohésion sociale durable dans les communes ciblées"


# ---------------------------------------------------------------- repeated quotes

BOILER = "Ces activités contribuent directement au résultat 1 du projet."
REP_LINES = [
    "Le comité a validé le plan de travail annuel et le budget révisé du projet. " + BOILER,
    "Les jeunes médiateurs ont animé quarante séances de dialogue dans les villages. " + BOILER,
    "Les femmes leaders ont obtenu trois sièges dans les conseils communaux de la région. " + BOILER,
    "Un atelier national de capitalisation s’est tenu dans la capitale en novembre.",
    "Les données de suivi sont désormais ventilées par sexe, par âge et par commune.",
]
REP = "\n".join(REP_LINES)


def test_repeated_quote_unchanged_stays_exact_on_its_own_copy():
    a = anchor_on(REP, "contribuent directement", 1)
    new = REP.replace("quarante", "cinquante")
    r = reanchor(REP, new, a)
    assert r.status == EXACT and (r.anchor.start, r.anchor.end) == span_of(new, "contribuent directement", 1)


def test_repeated_quote_context_decides_after_a_move():
    lines = REP_LINES
    new = "\n".join([lines[0], lines[2], lines[3], lines[4], lines[1]])   # the second moves last
    a = anchor_on(REP, "contribuent directement", 1)
    r = reanchor(REP, new, a)
    assert r.status == MOVED
    assert (r.anchor.start, r.anchor.end) == span_of(new, "contribuent directement", 2)


def test_repeated_quote_deleted_copy_is_not_moved_onto_another_copy():
    lines = REP_LINES
    new = "\n".join([lines[0], lines[1].replace(" " + BOILER, "")] + lines[2:])
    a = anchor_on(REP, "contribuent directement", 1)
    r = reanchor(REP, new, a)
    assert not r.placed, r


def test_genuinely_ambiguous_quote_needs_confirmation_never_a_wrong_span():
    long_a = ("Les partenaires de mise en œuvre ont organisé une série d’ateliers de formation "
              "destinés aux membres des comités villageois de paix dans les deux régions, ")
    long_b = (" afin de renforcer leurs capacités de médiation et de prévention des conflits liés "
              "au foncier et à la transhumance, avec l’appui technique des autorités locales.")
    para = long_a + "en particulier les jeunes femmes" + long_b
    # the commented paragraph is deleted; two identical copies appear elsewhere, with the
    # same context as far as the context goes: no way to tell which one the comment is about
    middle = ("Conclusion provisoire du rapport annuel sur la consolidation de la paix.\n"
              "Perspectives pour la prochaine période de programmation.")
    old = "Introduction du rapport.\n" + para + "\n" + middle
    new = "Introduction du rapport.\n" + middle + "\n" + para + "\nAnnexe.\n" + para
    a = anchor_on(old, "en particulier les jeunes femmes")
    r = reanchor(old, new, a)
    assert r.status == NEEDS_CONFIRMATION and not r.placed
    assert r.anchor is not None and r.anchor.quote == a.quote       # a candidate is proposed


def test_short_quote_whose_sentence_was_rewritten_is_not_moved_to_another_occurrence():
    old = "Le projet a renforcé la cohésion. Le comité a validé le budget.\nLe projet continue."
    new = "Le projet a renforcé la cohésion. Trois écoles ont été réhabilitées.\nLe projet continue."
    a = anchor_on(old, "projet", 1) if old.count("projet") > 2 else anchor_on(old, "comité")
    r = reanchor(old, new, a)
    assert not r.placed


# ---------------------------------------------------------------- long quotes (Match_MaxBits)

LONG_PARAS = [
    ("Le premier résultat vise à renforcer les mécanismes communautaires de prévention et de "
     "gestion des conflits fonciers dans les zones frontalières, en s’appuyant sur les comités "
     "villageois de paix, les leaders religieux et les chefs traditionnels, avec une attention "
     "particulière à la participation effective des femmes et des jeunes aux instances de "
     "décision locales, ainsi qu’à la documentation systématique des différends résolus, des "
     "accords signés et des engagements pris par les parties prenantes au cours des sessions de "
     "médiation organisées chaque trimestre par le projet et ses partenaires."),
    "Le deuxième résultat porte sur la réinsertion socio-économique des jeunes à risque.",
    "Le troisième résultat concerne le dialogue entre les forces de sécurité et les populations.",
]
LONG = "\n".join(LONG_PARAS)


def test_quote_longer_than_32_characters_moved():
    quote = "mécanismes communautaires de prévention et de gestion des conflits fonciers"
    assert len(quote) > 32
    new = "\n".join([LONG_PARAS[1], LONG_PARAS[2], LONG_PARAS[0]])
    r = reanchor(LONG, new, anchor_on(LONG, quote))
    assert r.status == MOVED and (r.anchor.start, r.anchor.end) == span_of(new, quote)


def test_500_character_quote_exact_moved_and_changed():
    start = LONG.index("Le premier")
    a = make_anchor(LONG, start, start + 500)
    assert len(a.quote) == 500
    prefixed = "Synthèse.\n" + LONG
    r = reanchor(LONG, prefixed, a)
    assert r.status == EXACT and r.anchor.start == start + 10
    moved = "\n".join([LONG_PARAS[1], LONG_PARAS[2], LONG_PARAS[0]])
    r = reanchor(LONG, moved, a)
    assert r.status == MOVED and r.anchor.quote == a.quote
    edited = LONG.replace("leaders religieux", "responsables religieux")
    r = reanchor(LONG, edited, a)
    assert r.status == CHANGED and "responsables religieux" in r.anchor.quote
    assert r.anchor.start == start and len(r.anchor.quote) == 500 + len("responsables") - len("leaders")


def test_500_character_quote_moved_and_edited_uses_pieces_not_the_whole_quote():
    start = LONG.index("Le premier")
    a = make_anchor(LONG, start, start + 500)
    para = LONG_PARAS[0].replace("chefs traditionnels", "autorités coutumières")
    new = "\n".join([LONG_PARAS[1], LONG_PARAS[2], "Nouvelle section.", para])
    r = reanchor(LONG, new, a)
    assert r.status == CHANGED
    assert "autorités coutumières" in r.anchor.quote
    assert r.anchor.quote.startswith("Le premier résultat vise")


# ---------------------------------------------------------------- Unicode, spaces, tabs

def test_accents_and_nfd_quote_from_an_old_client():
    a = anchor_on(TEXT, "réinsertion socio-économique des jeunes")
    nfd = Anchor(a.start, a.end, unicodedata.normalize("NFD", a.quote),
                 unicodedata.normalize("NFD", a.prefix), unicodedata.normalize("NFD", a.suffix))
    new = "Préambule.\n" + TEXT
    r = reanchor(TEXT, new, nfd)
    assert r.status == EXACT and r.anchor.quote == a.quote
    assert unicodedata.is_normalized("NFC", r.anchor.quote)


def test_nfd_texts_are_normalised_defensively():
    a = anchor_on(TEXT, "la cohésion sociale")
    r = reanchor(unicodedata.normalize("NFD", TEXT), unicodedata.normalize("NFD", "Titre.\n" + TEXT), a)
    assert r.status == EXACT and r.anchor.quote == "la cohésion sociale"


def test_non_breaking_spaces():
    quote = "atteint 87" + NNBSP + "% à la fin"
    a = anchor_on(TEXT, quote)
    r = reanchor(TEXT, TEXT.replace("Les associations", "Toutes les associations"), a)
    assert r.status == EXACT and r.anchor.quote == quote
    # a quote stored with plain spaces (browser selection) is still found, and gets the real text
    plain = Anchor(a.start, a.end, quote.replace(NNBSP, " "), a.prefix, a.suffix)
    r = reanchor(TEXT, "\n".join([P1, P3, P4, P2]), plain)
    assert r.status == MOVED and r.anchor.quote == quote
    # replacing a no-break space by a space inside the quote is an edit of the quote
    r = reanchor(TEXT, TEXT.replace("87" + NNBSP + "%", "87 %"), a)
    assert r.status in (CHANGED, EXACT) and r.anchor.quote == "atteint 87 % à la fin"


def test_tabs_and_paragraph_breaks_in_quotes():
    old = "Indicateur\tCible\tRésultat\nFemmes formées\t200\t187\nJeunes formés\t300\t312"
    a = anchor_on(old, "200\t187\nJeunes")
    r = reanchor(old, "Tableau 1\n" + old, a)
    assert r.status == EXACT and r.anchor.quote == "200\t187\nJeunes"
    r = reanchor(old, old.replace("187", "190"), a)
    assert r.status == CHANGED and r.anchor.quote == "200\t190\nJeunes"


# ---------------------------------------------------------------- edges and points

def test_quote_at_text_start_and_end():
    first = make_anchor(TEXT, 0, len("Au cours de la période"))
    last = make_anchor(TEXT, len(TEXT) - len("deuxième année du projet."), len(TEXT))
    new = TEXT.replace("Les comités", "Tous les comités")
    assert reanchor(TEXT, new, first).status == EXACT
    r = reanchor(TEXT, new, last)
    assert r.status == EXACT and r.anchor.end == len(new)
    # insertions at the very edges stay outside the quote
    r = reanchor(TEXT, "Résumé. " + TEXT, first)
    assert r.status == EXACT and r.anchor.start == 8
    r = reanchor(TEXT, TEXT + " Fin.", last)
    assert r.status == EXACT and r.anchor.quote == last.quote
    # the first paragraph moved to the end: the start-of-text anchor moves with it
    new = "\n".join([P2, P3, P4, P1])
    r = reanchor(TEXT, new, first)
    assert r.status == MOVED and r.anchor.quote == first.quote


def test_point_anchors():
    at = TEXT.index(" dans les communes")
    p = make_anchor(TEXT, at, at)
    r = reanchor(TEXT, "Résumé.\n" + TEXT, p)
    assert r.status == EXACT and r.anchor.start == r.anchor.end == at + 8
    r = reanchor(TEXT, "\n".join([P2, P3, P4, P1]), p)
    assert r.status == MOVED and r.anchor.start == r.anchor.end
    assert r.anchor.prefix.endswith("cohésion sociale")
    r = reanchor(TEXT, TEXT.replace(P1 + "\n", ""), p)
    assert r.status in (ORPHANED, NEEDS_CONFIRMATION) and not r.placed
    assert reanchor(TEXT, "", p).status == ORPHANED


def test_stale_offsets_are_recovered_from_the_quote():
    a = anchor_on(TEXT, "la mobilité du personnel")
    stale = Anchor(a.start + 40, a.end + 40, a.quote, a.prefix, a.suffix)
    r = reanchor(TEXT, "Résumé.\n" + TEXT, stale)
    assert r.placed and r.anchor.quote == a.quote and r.status == MOVED
    assert r.anchor.start == a.start + 8


def test_quote_absent_from_old_text_is_searched_in_the_new_one():
    a = Anchor(0, 5, "mission conjointe de suivi", "Une ", " a été réalisée")
    r = reanchor(TEXT, "Résumé.\n" + TEXT, a)
    assert r.anchor.quote == "mission conjointe de suivi" and r.status != EXACT


def test_degraded_diff_never_places_wrongly():
    old = "\n".join(f"Paragraphe {i} : le comité {i} a examiné le dossier numéro {i * 7}." for i in range(300))
    new = old.replace("Paragraphe 10 :", "Section 10 :").replace("Paragraphe 290 :", "Section 290 :")
    r = Reanchorer(old, new, timeout=1e-9)
    quote = "le comité 150 a examiné le dossier numéro 1050"
    res = r.reanchor(anchor_on(old, quote))
    assert res.anchor.quote == quote and res.status in (EXACT, MOVED)
    assert (res.anchor.start, res.anchor.end) == span_of(new, quote)
    assert isinstance(r.degraded, bool)


def test_xindex_is_diff_match_patch_diff_xindex():
    dmp = diff_match_patch()
    old, new = TEXT, "Résumé.\n" + TEXT.replace("renforcé", "consolidé").replace(P3 + "\n", "")
    diffs, _ = diffing.word_diff(old, new)
    m = anchoring._DiffMap(diffs, old, new)
    for loc in range(len(old) + 1):
        assert m.xindex(loc) == dmp.diff_xIndex(diffs, loc)


# ---------------------------------------------------------------- property-based

WORDS = ["le", "la", "projet", "comité", "paix", "été", "dialogue", "femmes", "jeunes", "a",
         "de", "sécurité", "œuvre", "l’accès", "87" + NNBSP + "%", "réunion", "Noël", "déjà"]
SEPS = [" ", " ", " ", ", ", ". ", "\n", "\t", NBSP + ": "]


@st.composite
def texts(draw, min_words=6, max_words=40):
    n = draw(st.integers(min_words, max_words))
    words = draw(st.lists(st.sampled_from(WORDS), min_size=n, max_size=n))
    seps = draw(st.lists(st.sampled_from(SEPS), min_size=n - 1, max_size=n - 1))
    out = words[0]
    for sep, w in zip(seps, words[1:], strict=False):
        out += sep + w
    return out


def word_spans(text):
    import re
    return [m.span() for m in re.finditer(r"\w+(?:’\w+)?", text)]


@st.composite
def text_span_edit(draw, touching=False):
    """A text, a word-aligned span, and an edit that stays off the span with at least one
    untouched separator character between them."""
    text = draw(texts())
    spans = word_spans(text)
    i = draw(st.integers(0, len(spans) - 1))
    j = draw(st.integers(i, min(len(spans) - 1, i + 4)))
    s, e = spans[i][0], spans[j][1]
    side = draw(st.sampled_from(["before", "after"]))
    if side == "before":
        assume(s >= 2)
        a = draw(st.integers(0, s - 2))
        b = draw(st.integers(a, s - 2))
    else:
        assume(len(text) - e >= 2)
        a = draw(st.integers(e + 1, len(text)))
        b = draw(st.integers(a, len(text)))
    insert = draw(st.sampled_from(["", "nouveau ", " et", "la paix ", "\n", "de la", "projet"]))
    return text, (s, e), (a, b, insert)


PROPERTY = settings(max_examples=400, derandomize=True, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@PROPERTY
@given(text_span_edit())
def test_edits_off_the_quote_never_change_or_orphan_it(case):
    text, (s, e), (a, b, insert) = case
    new = text[:a] + insert + text[b:]
    anchor = make_anchor(text, s, e)
    r = reanchor(text, new, anchor)
    assert r.status != ORPHANED and r.anchor is not None, r
    assert r.anchor.quote == anchor.quote
    assert verify_anchor(new, r.anchor)
    if r.status == EXACT:
        expected = s if a >= e else s + len(insert) - (b - a)
        # the diff may keep a different copy only when the same words repeat around the edit
        assert r.anchor.start == expected or new.count(anchor.quote) > 1


@PROPERTY
@given(texts(), st.data())
def test_deleting_the_whole_quote_never_leaves_it_exact(text, data):
    spans = word_spans(text)
    i = data.draw(st.integers(0, len(spans) - 1))
    j = data.draw(st.integers(i, min(len(spans) - 1, i + 3)))
    s, e = spans[i][0], spans[j][1]
    a = data.draw(st.integers(max(0, s - 6), s))
    b = data.draw(st.integers(e, min(len(text), e + 6)))
    new = text[:a] + data.draw(st.sampled_from(["", " ", "nouveau"])) + text[b:]
    r = reanchor(text, new, make_anchor(text, s, e))
    assert r.status != EXACT, (text, new, r)
    if r.anchor is not None:
        assert verify_anchor(new, r.anchor)


@PROPERTY
@given(texts(), texts())
def test_any_result_is_a_valid_anchor_on_the_new_text(old, new):
    spans = word_spans(old)
    s, e = spans[len(spans) // 3][0], spans[len(spans) // 2][1]
    r = reanchor(old, new, make_anchor(old, s, e))
    assert r.status in STATUSES and 0.0 <= r.score <= 1.0
    assert (r.anchor is None) == (r.status == ORPHANED)
    if r.anchor is not None:
        assert verify_anchor(new, r.anchor)
    if old == new:
        assert r.status == EXACT and (r.anchor.start, r.anchor.end) == (s, e)


@settings(max_examples=60, derandomize=True, deadline=None)
@given(texts(), texts())
def test_xindex_matches_diff_match_patch_on_random_texts(old, new):
    dmp = diff_match_patch()
    diffs, _ = diffing.word_diff(old, new)
    m = anchoring._DiffMap(diffs, old, new)
    for loc in range(0, len(old) + 1, 3):
        assert m.xindex(loc) == dmp.diff_xIndex(diffs, loc)


# ---------------------------------------------------------------- repeated words around edits

def test_deletion_that_may_have_removed_either_copy_needs_confirmation():
    old = ("Le comité a validé le budget. Au niveau national, le bureau a mobilisé les jeunes. "
           "Au niveau national, le gouvernement a élargi la lutte contre les violences.")
    new = ("Le comité a validé le budget. "
           "Au niveau national, le gouvernement a élargi la lutte contre les violences.")
    first = anchor_on(old, "Au niveau")
    r = reanchor(old, new, first)
    assert r.status == NEEDS_CONFIRMATION and r.anchor.quote == "Au niveau"
    # words that survive under either reading are not in doubt
    second = anchor_on(old, "gouvernement a élargi")
    assert reanchor(old, new, second).status == EXACT


def test_insertion_readable_on_either_side_of_the_quote_is_settled_by_context():
    old = ("Les jeunes ont animé des séances dans les zones frontalières. Au cours de la période "
           "considérée, la plateforme communautaire a renforcé la participation des femmes.")
    inserted = ("Au cours de la période considérée, le réseau des médiateurs a organisé des "
                "dialogues au cours de la période considérée. ")
    at = old.index("Au cours")
    new = old[:at] + inserted + old[at:]
    a = anchor_on(old, "la période")
    r = reanchor(old, new, a)
    assert r.placed and r.anchor.quote == "la période"
    assert r.anchor.start == a.start + len(inserted)          # the copy followed by its own words
    assert r.anchor.suffix.startswith(" considérée, la plateforme")


def test_a_moved_copy_of_a_repeated_phrase_is_not_given_to_a_deleted_copy():
    boiler = "Conformément au cadre de résultats, les données sont ventilées par sexe et par âge."
    p1 = "Le comité de pilotage a validé le plan annuel et la stratégie de sortie. " + boiler
    p2 = "Les jeunes médiateurs ont animé quarante séances de dialogue communautaire. " + boiler
    p3 = "Une mission conjointe de suivi a été réalisée dans les trois régions du Nord."
    p4 = "Les leaders religieux ont signé une déclaration commune pour la paix."
    old = "\n".join([p1, p2, p3, p4])
    # p1's copy of the phrase is deleted, and p2 (with its own copy) moves to the end
    new = "\n".join([p1.replace(" " + boiler, ""), p3, p4, p2])
    r = reanchor(old, new, anchor_on(old, "les données sont ventilées", 0))
    assert not r.placed
    moved = reanchor(old, new, anchor_on(old, "les données sont ventilées", 1))
    assert moved.status == MOVED
    assert (moved.anchor.start, moved.anchor.end) == span_of(new, "les données sont ventilées")


def test_changed_span_ends_on_the_right_word_when_the_next_sentence_is_rewritten_too():
    old = ("Les comités ont mis en place le système d’alerte précoce avec un accent particulier "
           "sur les jeunes. Ainsi, les conseils communaux ont facilité l’accès à la justice.")
    new = ("Les comités ont mis en place le système d’alerte précoce avec un accent particulier "
           "envers les jeunes. En particulier, les autorités locales ont réhabilité trois écoles.")
    a = anchor_on(old, "le système d’alerte précoce avec un accent particulier sur les jeunes")
    r = reanchor(old, new, a)
    assert r.status == CHANGED
    assert r.anchor.quote == "le système d’alerte précoce avec un accent particulier envers les jeunes"


def test_same_word_in_a_rewritten_sentence_is_not_the_commented_word():
    old = "Le projet a progressé. Les autorités ont appuyé la réforme du secteur. Fin."
    new = "Le projet a progressé. La réforme a été reportée par le ministère. Fin."
    r = reanchor(old, new, anchor_on(old, "réforme"))
    assert not r.placed


def test_point_anchor_with_text_inserted_at_the_point():
    at = TEXT.index(" dans les communes")
    p = make_anchor(TEXT, at, at)
    r = reanchor(TEXT, TEXT[:at] + " durable et inclusive" + TEXT[at:], p)
    assert r.anchor is not None and r.anchor.start == r.anchor.end
    assert r.anchor.start in (at, at + len(" durable et inclusive"))


# ---------------------------------------------------------------- certainty across versions

def test_a_proposal_is_never_promoted_by_a_later_version():
    from reviewflow.anchoring import keep_certainty
    text = "Le comité a validé le budget. Au niveau national, le gouvernement a élargi la lutte."
    a = anchor_on(text, "Au niveau")
    same = reanchor(text, text, a)
    assert same.status == EXACT                         # on its own: unchanged text, exact
    kept = keep_certainty(NEEDS_CONFIRMATION, same, 0.62)
    assert kept.status == NEEDS_CONFIRMATION and not kept.placed
    assert kept.anchor == same.anchor and kept.score == 0.62
    assert keep_certainty(EXACT, same) == same           # a certain place stays certain
    gone = reanchor(text, "Autre chose entièrement.", a)
    assert keep_certainty(NEEDS_CONFIRMATION, gone, 0.62).status == ORPHANED


# ---------------------------------------------------------------- words that left their section

INTRO = "Le présent rapport couvre la période de janvier à juin 2024 dans les deux pays."
OUTRO = "Les perspectives pour le prochain semestre sont présentées dans la section suivante."
MOVED_P = ("Dans les communes frontalières, le réseau des jeunes médiateurs a organisé douze "
           "dialogues intercommunautaires sur l’accès à la terre, avec l’appui des chefs traditionnels.")
OTHER = "Les femmes leaders ont participé aux comités de gestion des conflits fonciers dans trois régions."


def _elsewhere(old_a, new_a, others, quote):
    from reviewflow.anchoring import Reanchorer, search_elsewhere
    home = Reanchorer(old_a, new_a)
    a = anchor_on(old_a, quote)
    assert home.reanchor(a).status == ORPHANED
    return search_elsewhere(home, a, {k: Reanchorer(o, n) for k, (o, n) in others.items()})


def test_a_paragraph_moved_to_another_section_takes_its_thread_along():
    old_a, new_a = INTRO + "\n" + MOVED_P + "\n" + OUTRO, INTRO + "\n" + OUTRO
    new_b = OTHER + "\n" + MOVED_P
    found = _elsewhere(old_a, new_a, {"b": (OTHER, new_b), "c": ("Rien.", "Rien du tout.")},
                       "douze dialogues intercommunautaires")
    assert found is not None
    key, r = found
    assert key == "b" and r.status == MOVED and r.placed
    assert new_b[r.anchor.start:r.anchor.end] == "douze dialogues intercommunautaires"


def test_words_edited_while_they_moved_are_changed_in_the_other_section():
    old_a, new_a = INTRO + "\n" + MOVED_P + "\n" + OUTRO, INTRO + "\n" + OUTRO
    new_b = OTHER + "\n" + MOVED_P.replace("douze dialogues", "quatorze dialogues")
    key, r = _elsewhere(old_a, new_a, {"b": (OTHER, new_b)}, "a organisé douze dialogues intercommunautaires sur")
    assert key == "b" and r.status == CHANGED
    assert r.anchor.quote == "a organisé quatorze dialogues intercommunautaires sur"


def test_text_the_other_section_already_had_is_not_where_the_words_went():
    old_a, new_a = INTRO + "\n" + MOVED_P + "\n" + OUTRO, INTRO + "\n" + OUTRO
    old_b = OTHER + "\n" + MOVED_P            # the same paragraph was there already, unchanged
    assert _elsewhere(old_a, new_a, {"b": (old_b, old_b + "\nAjout.")}, "douze dialogues intercommunautaires") is None


def test_a_short_quote_in_a_rewritten_sentence_elsewhere_is_not_taken():
    old_a, new_a = INTRO + "\n" + MOVED_P + "\n" + OUTRO, INTRO + "\n" + OUTRO
    new_b = OTHER + " Le comité a examiné les chefs traditionnels et leur rôle."
    assert _elsewhere(old_a, new_a, {"b": (OTHER, new_b)}, "chefs traditionnels") is None


def test_two_sections_receiving_the_words_is_ambiguous():
    old_a, new_a = INTRO + "\n" + MOVED_P + "\n" + OUTRO, INTRO + "\n" + OUTRO
    found = _elsewhere(old_a, new_a, {"b": (OTHER, OTHER + "\n" + MOVED_P), "c": (OUTRO, OUTRO + "\n" + MOVED_P)},
                       "douze dialogues intercommunautaires")
    assert found is None
