"""reviewflow.diffing: word diffs as plain data for templates (no app)."""
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewflow import diffing
from reviewflow.anchoring import make_anchor, reanchor
from reviewflow.diffing import (
    DELETE,
    EQUAL,
    INSERT,
    DiffStats,
    Op,
    diff_stats,
    diff_words,
    section_changed,
    similarity,
    span_before_after,
    tokenize,
)

NBSP, NNBSP = "\u00a0", "\u202f"


def old_of(ops):
    return "".join(t for k, t in ops if k != INSERT)


def new_of(ops):
    return "".join(t for k, t in ops if k != DELETE)


def edits(ops):
    """The edits, white space at their edges ignored (" active" and "active " are the same
    insertion placed either side of a space)."""
    return [(k, t if not t.strip() else t.strip(" ")) for k, t in ops if k != EQUAL]


CASES = [
    ("word replaced", "Le projet a renforcé la cohésion sociale.",
     "Le projet a consolidé la cohésion sociale.", [(DELETE, "renforcé"), (INSERT, "consolidé")]),
    ("word inserted", "la participation des femmes", "la participation active des femmes",
     [(INSERT, "active")]),
    ("word deleted", "la participation active des femmes", "la participation des femmes",
     [(DELETE, "active")]),
    ("inflection replaces the whole word", "le projet commun", "le projets commun",
     [(DELETE, "projet"), (INSERT, "projets")]),
    ("accent", "une evaluation finale", "une évaluation finale",
     [(DELETE, "evaluation"), (INSERT, "évaluation")]),
    ("no-break space", "atteint 87 %", "atteint 87" + NNBSP + "%", [(DELETE, " "), (INSERT, NNBSP)]),
    ("paragraph added", "Premier paragraphe.", "Premier paragraphe.\nSecond paragraphe.",
     [(INSERT, "\nSecond paragraphe.")]),
    ("two edits close together read as one", "la participation des femmes",
     "la participation active des jeunes femmes", [(DELETE, "des"), (INSERT, "active des jeunes")]),
    ("identical", "Rien ne change.", "Rien ne change.", []),
    ("emptied", "Tout disparaît.", "", [(DELETE, "Tout disparaît.")]),
    ("from nothing", "", "Tout arrive.", [(INSERT, "Tout arrive.")]),
]


@pytest.mark.parametrize("name,old,new,expected", CASES, ids=[c[0] for c in CASES])
def test_diff_words_table(name, old, new, expected):
    ops = diff_words(old, new)
    assert edits(ops) == expected
    assert old_of(ops) == old and new_of(ops) == new
    assert all(isinstance(op, Op) and op.kind in (EQUAL, INSERT, DELETE) and op.text for op in ops)


def test_unchanged_sentence_between_rewritten_ones_stays_equal():
    keep = "La mise en œuvre se poursuit conformément au plan de travail annuel."
    old = "Les résultats obtenus dépassent les prévisions initiales. " + keep + " Une mission a eu lieu."
    new = "L’équipe du projet a consolidé la gestion des ressources. " + keep + " Trois ateliers ont suivi."
    ops = diff_words(old, new)
    assert Op(EQUAL, " " + keep + " ") in ops or any(keep in t for k, t in ops if k == EQUAL)
    assert old_of(ops) == old and new_of(ops) == new


def test_coincidental_short_words_in_a_rewritten_sentence_are_not_shown_as_kept():
    old = "Les autorités locales ont organisé des dialogues avec les jeunes de la région."
    new = "Le comité de pilotage a validé la stratégie de sortie du projet."
    ops = diff_words(old, new)
    assert [k for k, _ in ops] == [DELETE, INSERT, EQUAL] and ops[-1].text == "."


def test_moved_paragraph_is_a_deletion_and_an_insertion():
    a, b, c = "Premier paragraphe du rapport.", "Deuxième paragraphe.", "Troisième paragraphe, plus long."
    ops = diff_words("\n".join([a, b, c]), "\n".join([b, c, a]))
    assert any(k == DELETE and a in t for k, t in ops)
    assert any(k == INSERT and a in t for k, t in ops)


def test_never_produces_html():
    old = "Budget <b>initial</b> & révisé"
    new = "Budget <i>final</i> & révisé"
    ops = diff_words(old, new)
    assert old_of(ops) == old and new_of(ops) == new
    assert "&amp;" not in "".join(t for _, t in ops) and "<ins>" not in "".join(t for _, t in ops)
    assert "<span" not in "".join(t for _, t in ops)


def test_nfd_input_is_normalised():
    ops = diff_words(unicodedata.normalize("NFD", "Le comité a été créé."), "Le comité a été créé.")
    assert edits(ops) == []


def test_diff_stats():
    ops = diff_words("la participation des femmes du Nord", "la participation active des femmes du Sud")
    stats = diff_stats(ops)
    assert stats == DiffStats(inserted=len(" active") + len("Sud"), deleted=len("Nord"),
                              unchanged=len("la participation des femmes du "), inserted_words=2,
                              deleted_words=1)
    assert stats.changed
    assert not diff_stats(diff_words("même texte", "même texte")).changed
    assert diff_stats([("delete", "abc def")]).deleted_words == 2
    with pytest.raises(ValueError):
        diff_stats([("replace", "x")])


def test_section_changed_is_cheap_and_normalising():
    assert not section_changed("Le comité a été créé.", "Le comité a été créé.")
    assert not section_changed(unicodedata.normalize("NFD", "été"), "été")
    assert not section_changed("a\r\nb", "a\nb")
    assert not section_changed(None, "")
    assert section_changed("a b", "a  b")
    assert section_changed("87 %", "87" + NNBSP + "%")


def test_span_before_after_for_a_changed_comment():
    old = "Au cours de la période, le projet a renforcé la cohésion sociale dans trois communes."
    new = old.replace("a renforcé", "a nettement renforcé")
    a = make_anchor(old, old.index("le projet"), old.index(" dans"))
    r = reanchor(old, new, a)
    change = span_before_after(old, new, a, r.anchor)
    assert change.before == "le projet a renforcé la cohésion sociale"
    assert change.after == "le projet a nettement renforcé la cohésion sociale"
    assert edits(change.ops) == [(INSERT, "nettement")]
    assert change.changed and not change.gone
    assert change.context_after.startswith(" dans trois")
    assert change.stats.inserted_words == 1


def test_span_before_after_unchanged_and_gone():
    old = "Le projet a renforcé la cohésion sociale. Une mission a eu lieu."
    a = make_anchor(old, 0, old.index("."))
    same = span_before_after(old, "Résumé. " + old, a, reanchor(old, "Résumé. " + old, a).anchor)
    assert not same.changed and edits(same.ops) == []
    gone = span_before_after(old, "Une mission a eu lieu.", a, None)
    assert gone.gone and gone.changed and gone.after is None
    assert gone.ops == [Op(DELETE, "Le projet a renforcé la cohésion sociale")]


def test_similarity():
    assert similarity("la cohésion sociale", "la cohésion sociale") == 1.0
    assert similarity("", "abc") == 0.0
    assert similarity("projet", "projets") > 0.9
    assert similarity("la mise en œuvre du projet", "la mise en œuvre du programme") > 0.6
    a = "Le projet a renforcé la participation des femmes dans les comités locaux de paix."
    b = "Les autorités locales ont organisé des dialogues intercommunautaires avec les jeunes."
    assert similarity(a, b) < 0.2


def test_tokenize_keeps_words_whole():
    assert tokenize("l’action, 87" + NNBSP + "%\tfin\n") == [
        "l", "’", "action", ",", " ", "87", NNBSP, "%", "\t", "fin", "\n"]


def test_degraded_flag_on_timeout():
    old = " ".join(f"mot{i}" for i in range(3000))
    new = " ".join(f"mot{i * 7 % 3001}" for i in range(3000))
    diffs, degraded = diffing.word_diff(old, new, timeout=1e-6)
    assert degraded
    assert "".join(t for op, t in diffs if op != 1) == old
    assert "".join(t for op, t in diffs if op != -1) == new


# ---------------------------------------------------------------- properties

PIECES = st.sampled_from(list("ab é,.:") + ["\n", "\t", NBSP, "’", "œ", "e\u0301", "le ", "la "])
TEXTS = st.lists(PIECES, max_size=40).map("".join)


@settings(max_examples=150, derandomize=True, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS, TEXTS)
def test_diff_words_reconstructs_both_texts(old, new):
    ops = diff_words(old, new)
    nold = unicodedata.normalize("NFC", old)
    nnew = unicodedata.normalize("NFC", new)
    assert old_of(ops) == nold and new_of(ops) == nnew
    assert all(op.text for op in ops)
    stats = diff_stats(ops)
    assert stats.unchanged + stats.deleted == len(nold)
    assert stats.unchanged + stats.inserted == len(nnew)
    assert section_changed(old, new) == (nold != nnew)


@settings(max_examples=150, derandomize=True, deadline=None)
@given(TEXTS)
def test_units_split_and_join_back(text):
    assert "".join(tokenize(text)) == text
    for pattern in diffing._LEVELS:
        assert "".join(pattern.findall(text)) == text


def _reference_cleanup(dmp, diffs, keep):
    """diff-match-patch's own loop (with rescans), with the keep rule: what cleanup_semantic
    must equal."""
    changes, equalities, last, pointer = False, [], None, 0
    ins1 = del1 = ins2 = del2 = 0
    while pointer < len(diffs):
        op, text = diffs[pointer]
        if op == 0:
            equalities.append(pointer)
            ins1, ins2, del1, del2 = ins2, 0, del2, 0
            last = text
        else:
            if op == 1:
                ins2 += len(text)
            else:
                del2 += len(text)
            if last and len(last) < keep and len(last) <= max(ins1, del1) and len(last) <= max(ins2, del2):
                diffs.insert(equalities[-1], (-1, last))
                diffs[equalities[-1] + 1] = (1, diffs[equalities[-1] + 1][1])
                equalities.pop()
                if equalities:
                    equalities.pop()
                pointer = equalities[-1] if equalities else -1
                ins1 = del1 = ins2 = del2 = 0
                last = None
                changes = True
        pointer += 1
    if changes:
        dmp.diff_cleanupMerge(diffs)
    dmp.diff_cleanupSemanticLossless(diffs)


@settings(max_examples=400, deadline=None)
@given(ops=st.lists(st.tuples(st.sampled_from([-1, 0, 1]),
                                 st.lists(st.sampled_from(["de", "la", " ", "le projet", "jeunes", ".", "x" * 45]),
                                           min_size=1, max_size=4).map("".join)), max_size=40),
        keep=st.sampled_from([3, 10, 40, 100]))
def test_the_semantic_cleanup_without_rescans_gives_the_librarys_result(ops, keep):
    from diff_match_patch import diff_match_patch
    dmp = diff_match_patch()
    ours, theirs = list(ops), list(ops)
    diffing.cleanup_semantic(dmp, ours, keep=keep)
    _reference_cleanup(dmp, theirs, keep)
    assert ours == theirs

