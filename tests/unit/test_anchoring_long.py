"""Long sections stay exact: up to the 200,000-character cap, with repeated sentences and random
edits whose ground truth is tracked (tests/helpers/long_sections.py), re-anchoring puts no
comment on wrong words, places at least 99 % of those whose words survive, and gives the same
answer whatever time a diff would have been allowed."""
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewflow import anchoring, diffing
from tests.helpers.long_sections import SECTION_CAP, long_case, long_section, score


def _run(case, **kw):
    r = anchoring.Reanchorer(case.old, case.new, **kw)
    return r, [r.reanchor(anchoring.make_anchor(case.old, s, e)) for s, e in case.spans]


def test_the_generator_writes_long_sections_with_repeated_sentences_and_tracks_the_truth():
    rng = random.Random(5)
    text = long_section(rng, SECTION_CAP)
    assert 0.95 * SECTION_CAP < len(text) <= SECTION_CAP
    sentences = [s for p in text.split("\n") for s in p.split(". ")]
    repeated = sum(1 for s in set(sentences) if sentences.count(s) >= 10)
    assert repeated >= 10                                  # the same sentence, ten times or more
    case = long_case(random.Random(5), 40_000, comments=60)
    assert case.new != case.old and sum(case.edits.values()) >= 10
    kept = [(s, e, t) for (s, e), t, ed in zip(case.spans, case.truths, case.edited, strict=True)
            if t is not None and not ed]
    assert len(kept) >= 40
    assert all(case.new[t[0]:t[1]] == case.old[s:e] for s, e, t in kept)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), chars=st.sampled_from([30_000, 100_000, SECTION_CAP]),
       repeat=st.sampled_from([0.2, 0.4]))
def test_long_sections_never_put_a_comment_on_wrong_words(seed, chars, repeat):
    case = long_case(random.Random(seed), chars, comments=80, repeat_share=repeat)
    r, results = _run(case)
    tally = score(case, results)
    assert tally["wrong"] == 0, [(case.old[case.spans[i][0]:case.spans[i][1]][:60], results[i])
                                 for i in tally["wrong_items"]]
    assert not r.degraded


def test_at_least_99_percent_right_at_the_cap():
    right = survive = wrong = 0
    for seed in range(3):
        case = long_case(random.Random(1000 + seed), SECTION_CAP, comments=120, repeat_share=0.3)
        _, results = _run(case)
        tally = score(case, results)
        right, survive, wrong = right + tally["right"], survive + tally["survive"], wrong + tally["wrong"]
    assert wrong == 0
    assert right / survive >= 0.99, (right, survive)


def test_no_time_limit_decides_where_a_thread_goes():
    """The same texts give the same places whether a diff was allowed a second or a microsecond
    (a loaded machine): there is no clock in the diff, only sizes."""
    case = long_case(random.Random(77), SECTION_CAP, comments=60)
    case.new = case.new.replace("\u2019", "'")      # a copy that changed every apostrophe
    _, patient = _run(case, timeout=5.0)
    _, hurried = _run(case, timeout=1e-6)
    assert patient == hurried
    diffs, degraded = diffing.word_diff(case.old, case.new, timeout=1e-6)
    assert not degraded and diffs == diffing.word_diff(case.old, case.new)[0]


def test_a_rewritten_stretch_too_large_to_align_is_coarse_by_size_and_never_wrong(monkeypatch):
    monkeypatch.setattr(diffing, "MAX_ALIGN_UNITS", 50)
    case = long_case(random.Random(3), 20_000, comments=60, rate=0.15)
    r, results = _run(case)
    assert r.degraded                                  # some stretches were not aligned
    tally = score(case, results)
    assert tally["wrong"] == 0
    assert tally["right"] >= 0.5 * tally["survive"]    # found again by search


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), repeat=st.sampled_from([0.2, 0.4]))
def test_words_moved_to_another_section_are_found_there_and_never_on_wrong_words(seed, repeat):
    from tests.helpers.long_sections import move_case
    case = move_case(random.Random(seed), 40_000, repeat_share=repeat)
    home = anchoring.Reanchorer(case.old_a, case.new_a)
    others = {"b": anchoring.Reanchorer(case.old_b, case.new_b)}
    found = wrong = moved = 0
    for (s, e), truth in zip(case.spans, case.truths, strict=True):
        a = anchoring.make_anchor(case.old_a, s, e)
        r = home.reanchor(a)
        where = ("a", r.anchor.start, r.anchor.end) if r.placed else None
        if r.status == anchoring.ORPHANED:
            hit = anchoring.search_elsewhere(home, a, others)
            if hit is not None:
                assert hit[1].placed
                where = (hit[0], hit[1].anchor.start, hit[1].anchor.end)
        moved += truth[0] == "b"
        if where is not None:
            if where == truth:
                found += truth[0] == "b"
            else:
                wrong += 1
    assert wrong == 0
    assert found >= 0.8 * moved, (found, moved)
