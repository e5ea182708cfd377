"""Suggested edits: who may suggest and decide, refusals that store nothing, accepting one or a
batch (one version; overlapping ones outdated; each at its own words; threads follow), editing
the proposal first, rejecting, and what the sign-off page, the matrix and the filters show."""
import pytest
from sqlalchemy import delete, select

from reviewflow import content as C
from reviewflow.extensions import db
from reviewflow.models import Comment, Event, Notification, Thread, Version
from reviewflow.report_templates import load_template
from reviewflow.services import editing, matrix, signoff, suggestions, threads, versions, workspace
from reviewflow.services.errors import Conflict, Forbidden, Invalid, NotFound
from reviewflow.services.workspace import Filters
from tests.helpers.db import rows

KEY = "implementation_status"
TEXT = "Le projet connaît des retards dans la mise en place des comités. Pas de retard ailleurs."
OTHER = "upcoming_events"


@pytest.fixture
def w(world):
    editing.save_sections(world.report, {KEY: C.text_blocks(TEXT), OTHER: C.text_blocks("Atelier en mars.")},
                          actor=world.drafter, roles={"drafter"}, base_number=1)
    db.session.execute(delete(Notification))
    db.session.commit()
    return world


def text_of(report, key=KEY, number=None):
    v = versions.latest_version(report) if number is None else versions.get_version(report, number)
    return versions.version_contents(v)[key].text


def suggest(w, quote, new, who=None, key=KEY, occurrence=0, roles=None, **kw):
    text = text_of(w.report, key)
    at = -1
    for _ in range(occurrence + 1):
        at = text.index(quote, at + 1)
    roles = {"reviewer"} if roles is None else roles
    return suggestions.suggest(w.report, actor=who or w.reviewer, roles=roles, section_key=key,
                               start=at, end=at + len(quote), quote=quote, replacement=new, **kw)


def insert_at(w, after, new, who=None):
    text = text_of(w.report)
    at = text.index(after) + len(after)
    return suggestions.suggest(w.report, actor=who or w.reviewer, roles={"reviewer"}, section_key=KEY, start=at,
                               end=at, replacement=new)


def accept(w, items, **kw):
    return suggestions.accept(w.report, items, actor=kw.pop("who", w.drafter), roles=kw.pop("roles", {"drafter"}),
                              **kw)


def notified(user):
    return sorted(n.kind for n in db.session.scalars(select(Notification).where(Notification.user_id == user.id)))


def actions():
    return [e.action for e in db.session.scalars(select(Event).where(Event.action.like("suggestion.%"))
                                                 .order_by(Event.id))]


# --------------------------------------------------------------------------------------- suggesting

def test_a_reviewer_suggests_on_exact_words_and_the_drafters_hear_of_it(w):
    s = suggest(w, "des retards", "du retard", note="Plus court. @Awa Drafter")
    assert (s.kind, s.quote, s.replacement, s.anchor_status) == ("suggested_edit", "des retards", "du retard", "exact")
    assert s.suggestion_status == "open" and s.severity == "normal" and s.visibility_org_id is None
    assert s.comments[0].body == "Plus court. @Awa Drafter" and s.created_by_id == w.reviewer.id
    assert notified(w.drafter) == ["mention"] and notified(w.drafter2) == ["suggested_edit"]
    assert actions() == ["suggestion.created"]


def test_insertion_and_deletion_are_one_gesture_each(w):
    ins = insert_at(w, "comités", " locaux")
    cut = suggest(w, " ailleurs", "")
    assert (ins.start_offset, ins.end_offset, ins.quote, ins.replacement) == (
        TEXT.index(" des comités") + 12, TEXT.index(" des comités") + 12, "", " locaux")
    assert (cut.quote, cut.replacement) == (" ailleurs", "")


@pytest.mark.parametrize("roles", [{"drafter"}, {"approver"}, set()])
def test_only_reviewers_suggest(w, roles):
    with pytest.raises(Forbidden):
        suggest(w, "des retards", "du retard", who=w.drafter, roles=roles)
    assert rows(Thread) == 0 and rows(Comment) == 0 and rows(Notification) == 0


def test_refusals_store_nothing(w):
    events = rows(Event)
    refusals = [
        (Invalid, dict(quote="des retards", new="x" * 10_001)),            # over the comment length limit
        (Invalid, dict(quote="des retards", new="des retards")),           # equal to the original
    ]
    for exc, kw in refusals:
        with pytest.raises(exc):
            suggest(w, kw["quote"], kw["new"])
    with pytest.raises(Invalid):     # empty: no words and no text
        suggestions.suggest(w.report, actor=w.reviewer, roles={"reviewer"}, section_key=KEY, start=3, end=3,
                            replacement="")
    with pytest.raises(Invalid):     # outside the text
        suggestions.suggest(w.report, actor=w.reviewer, roles={"reviewer"}, section_key=KEY, start=3, end=5000,
                            replacement="x")
    with pytest.raises(Invalid):     # a choice field
        suggestions.suggest(w.report, actor=w.reviewer, roles={"reviewer"}, section_key="report_type", start=0,
                            end=0, replacement="annual")
    with pytest.raises(Invalid):     # a line break in a one-line field
        suggestions.suggest(w.report, actor=w.reviewer, roles={"reviewer"}, section_key="project_title", start=0,
                            end=0, replacement="Deux\nlignes")
    assert rows(Thread) == 0 and rows(Notification) == 0 and rows(Event) == events


def test_words_that_do_not_match_are_refused_with_409_and_the_current_words(w):
    with pytest.raises(Conflict) as exc:
        suggestions.suggest(w.report, actor=w.reviewer, roles={"reviewer"}, section_key=KEY, start=0, end=9,
                            quote="Autre texte", replacement="Le projet")
    assert exc.value.details["current"] == "Le projet" and rows(Thread) == 0


def test_a_range_across_table_cells_is_refused(w):
    blocks = [C.table_block(None, [["Indicateur un", "Cible deux"]])]
    editing.save_sections(w.report, {"results_framework": blocks}, actor=w.drafter, roles={"drafter"},
                          base_number=2)
    text = text_of(w.report, "results_framework")
    with pytest.raises(Invalid):
        suggestions.suggest(w.report, actor=w.reviewer, roles={"reviewer"}, section_key="results_framework",
                            start=text.index("un"), end=text.index("deux"), replacement="x")
    assert rows(Thread) == 0


def test_made_on_an_older_version_it_lands_on_the_latest_when_its_words_did_not_change(w):
    editing.save_sections(w.report, {KEY: C.text_blocks("Depuis mars, " + TEXT)}, actor=w.drafter,
                          roles={"drafter"}, base_number=2)
    at = TEXT.index("Pas de retard")
    s = suggestions.suggest(w.report, actor=w.reviewer, roles={"reviewer"}, section_key=KEY, start=at,
                            end=at + 13, quote="Pas de retard", replacement="Aucun retard", version_number=2)
    assert s.version.number == 3 and text_of(w.report)[s.start_offset:s.end_offset] == "Pas de retard"


def test_made_on_an_older_version_whose_words_changed_it_is_refused_with_the_current_words(w):
    editing.save_sections(w.report, {KEY: C.text_blocks(TEXT.replace("Pas de retard", "Peu de retard"))},
                          actor=w.drafter, roles={"drafter"}, base_number=2)
    at = TEXT.index("Pas de retard")
    with pytest.raises(Conflict) as exc:
        suggestions.suggest(w.report, actor=w.reviewer, roles={"reviewer"}, section_key=KEY, start=at,
                            end=at + 13, quote="Pas de retard", replacement="Aucun retard", version_number=2)
    assert "Peu de retard" in exc.value.details["current"] and rows(Thread) == 0


def test_suggesting_in_a_thread_takes_its_words_and_never_another_organisations_internal_one(w):
    t = threads.open_thread(w.report, actor=w.reviewer, roles={"reviewer"}, section_key=KEY, body="Trop long",
                            start=TEXT.index("des retards"), end=TEXT.index("des retards") + 11, quote="des retards")
    s = suggestions.suggest(w.report, actor=w.reviewer2, roles={"reviewer"}, section_key=KEY, start=None, end=None,
                            replacement="du retard", in_thread=t.id)
    assert (s.quote, s.start_offset) == ("des retards", t.start_offset)
    hidden = threads.open_thread(w.report, actor=w.outsider, roles={"reviewer"}, section_key=KEY, body="Entre nous",
                                 start=0, end=9, quote="Le projet", internal_org_id=w.outsider.organisation_id)
    count = rows(Thread)
    with pytest.raises(NotFound):
        suggestions.suggest(w.report, actor=w.reviewer, roles={"reviewer"}, section_key=KEY, start=None, end=None,
                            replacement="Ce projet", in_thread=hidden.id)
    with pytest.raises(Invalid):     # a range outside the thread's words
        suggestions.suggest(w.report, actor=w.reviewer, roles={"reviewer"}, section_key=KEY, start=60, end=63,
                            replacement="x", in_thread=t.id)
    assert rows(Thread) == count


# ---------------------------------------------------------------------------------------- deciding

def test_accepting_one_makes_the_next_version_and_keeps_it_in_the_history(w):
    s = suggest(w, "des retards", "du retard")
    db.session.execute(delete(Notification))
    result = accept(w, [s], reason="Plus juste")
    assert result.version.number == 3 and result.version.source == "suggestions"
    assert text_of(w.report) == TEXT.replace("des retards", "du retard")
    assert (s.suggestion_status, s.decided_by.id, s.decided_in, s.decision_reason) == ("accepted", w.drafter.id, 3,
                                                                                    "Plus juste")
    assert s.version.number == 2 and s.quote == "des retards"      # it stays on the words it changed
    assert actions() == ["suggestion.created", "suggestion.accepted"]
    assert notified(w.reviewer) == ["suggested_edits_decided"]     # a draft: no "new version" yet


@pytest.mark.parametrize("who, roles", [("reviewer", {"reviewer"}), ("approver", {"approver"})])
def test_only_drafters_decide(w, who, roles):
    s = suggest(w, "des retards", "du retard")
    for decide in (suggestions.accept, suggestions.reject):
        with pytest.raises(Forbidden):
            decide(w.report, [s], actor=getattr(w, who), roles=roles)
    with pytest.raises(Forbidden):
        suggestions.edit_proposal(s, actor=getattr(w, who), roles=roles, replacement="de retard")
    assert s.suggestion_status == "open" and rows(Version) == 2 and actions() == ["suggestion.created"]


def test_nobody_decides_once_the_report_is_approved(w):
    s = suggest(w, "des retards", "du retard")
    w.report.state = "approved"
    with pytest.raises(Forbidden):
        accept(w, [s])
    with pytest.raises(Forbidden):
        suggest(w, "Pas de", "Aucun")


def test_rejecting_keeps_it_with_who_when_and_why(w):
    s = suggest(w, "des retards", "du retard")
    result = suggestions.reject(w.report, [s], actor=w.drafter, roles={"drafter"}, reason="Le pluriel est voulu")
    assert result.version is None and rows(Version) == 2 and text_of(w.report) == TEXT
    assert (s.suggestion_status, s.decided_by.id, s.decision_reason, s.decided_in) == (
        "rejected", w.drafter.id, "Le pluriel est voulu", 2)
    assert suggestions.list_suggestions(w.report, status="rejected") == [s]
    with pytest.raises(Conflict):
        accept(w, [s])


def test_a_batch_is_one_version_with_each_edit_at_its_own_words(w):
    a = suggest(w, "des retards", "du retard")
    b = insert_at(w, "comités", " locaux")
    c = suggest(w, "Pas de", "Aucun", who=w.reviewer2)
    d = suggest(w, "mars", "avril", key=OTHER)
    result = accept(w, [c, a, d, b])
    assert result.version.number == 3 and rows(Version) == 3
    assert text_of(w.report) == "Le projet connaît du retard dans la mise en place des comités locaux. Aucun retard " \
                                "ailleurs."
    assert text_of(w.report, OTHER) == "Atelier en avril."
    assert {s.suggestion_status for s in (a, b, c, d)} == {"accepted"} and {s.decided_in for s in (a, b, c, d)} == {3}
    # one notification per author, however many of theirs were decided
    kinds = notified(w.reviewer)
    assert kinds.count("suggested_edits_decided") == 1
    n = db.session.scalar(select(Notification).where(Notification.user_id == w.reviewer.id,
                                                     Notification.kind == "suggested_edits_decided"))
    assert n.details["counts"] == {"accepted": 3} and n.details["number"] == 3


def test_overlapping_suggestions_are_outdated_never_applied_on_top(w):
    first = suggest(w, "des retards", "du retard")
    same_batch = suggest(w, "retards dans", "délais dans", who=w.reviewer2)
    other = suggest(w, "connaît des", "a des", who=w.reviewer2)
    inside = insert_at(w, "des ret", "x", who=w.reviewer2)
    untouched = suggest(w, "Pas de retard", "Aucun retard", who=w.reviewer2)
    result = accept(w, [first, same_batch])
    assert text_of(w.report) == TEXT.replace("des retards", "du retard")
    assert [s.id for s in result.decided] == [first.id]
    assert {s.id for s in result.outdated} == {same_batch.id, other.id, inside.id}
    for s in (same_batch, other, inside):
        assert s.suggestion_status == "outdated" and s.decided_in == 3 and s.version.number == 2
    by = db.session.scalar(select(Event).where(Event.action == "suggestion.outdated", Event.object_id == other.id))
    assert by.details["by"] == [first.id]
    # the one that overlaps nothing stays open, on its exact words of the new version
    new = text_of(w.report)
    assert untouched.suggestion_status == "open" and untouched.version.number == 3
    assert new[untouched.start_offset:untouched.end_offset] == "Pas de retard" and untouched.anchor_status == "exact"
    again = accept(w, [untouched])
    assert text_of(w.report) == new.replace("Pas de retard", "Aucun retard") and again.version.number == 4


def test_threads_on_the_changed_words_follow_them(w):
    on_words = threads.open_thread(w.report, actor=w.reviewer, roles={"reviewer"}, section_key=KEY, body="Préciser",
                                   start=TEXT.index("des retards"), end=TEXT.index("des retards") + 11,
                                   quote="des retards")
    after = threads.open_thread(w.report, actor=w.reviewer, roles={"reviewer"}, section_key=KEY, body="Source ?",
                                start=TEXT.index("comités"), end=TEXT.index("comités") + 7, quote="comités")
    s = suggest(w, "des retards", "des retards importants")
    accept(w, [s])
    new = text_of(w.report)
    assert on_words.version.number == 3 and on_words.anchor_status in ("exact", "changed")
    assert "retards" in new[on_words.start_offset:on_words.end_offset]
    assert new[after.start_offset:after.end_offset] == "comités" and after.anchor_status == "exact"


def test_accepting_all_of_one_reviewer_or_one_section(w):
    a = suggest(w, "des retards", "du retard")
    b = suggest(w, "Pas de", "Aucun", who=w.reviewer2)
    c = suggest(w, "mars", "avril", key=OTHER)
    by_reviewer = suggestions.decide(w.report, "accept", actor=w.drafter, roles={"drafter"}, author_id=w.reviewer.id)
    assert {s.id for s in by_reviewer.decided} == {a.id, c.id} and by_reviewer.version.number == 3
    assert b.suggestion_status == "open"
    in_section = suggestions.decide(w.report, "reject", actor=w.drafter, roles={"drafter"}, section_key=KEY)
    assert [s.id for s in in_section.decided] == [b.id] and b.suggestion_status == "rejected"


def test_a_batch_selection_leaves_out_what_cannot_be_accepted(w):
    ok = suggest(w, "des retards", "du retard")
    gone = suggest(w, "Pas de retard ailleurs.", "Rien d'autre.")
    editing.save_sections(w.report, {KEY: C.text_blocks(TEXT.replace(" Pas de retard ailleurs.", ""))},
                          actor=w.drafter, roles={"drafter"}, base_number=2)
    assert gone.anchor_status == "orphaned"
    result = suggestions.decide(w.report, "accept", actor=w.drafter, roles={"drafter"}, section_key=KEY)
    assert [s.id for s in result.decided] == [ok.id] and [s.id for s, _why in result.skipped] == [gone.id]
    assert gone.suggestion_status == "open"


def test_accept_refuses_what_needs_confirmation_or_is_orphaned_with_a_reason(w):
    s = suggest(w, "Pas de retard ailleurs.", "Rien d'autre.")
    editing.save_sections(w.report, {KEY: C.text_blocks("Tout autre texte, sans rapport.")}, actor=w.drafter,
                          roles={"drafter"}, base_number=2)
    assert s.anchor_status == "orphaned"
    with pytest.raises(Conflict, match="gone"):
        accept(w, [s])
    s.anchor_status = "needs_confirmation"
    with pytest.raises(Conflict, match="confirm"):
        accept(w, [s])
    assert rows(Version) == 3 and s.decision is None


def test_a_suggestion_whose_words_were_edited_is_refused_with_409_and_the_current_words(w):
    s = suggest(w, "des retards dans la mise en place", "du retard dans la mise en place")
    editing.save_sections(w.report, {KEY: C.text_blocks(TEXT.replace("des retards dans", "de grands retards dans"))},
                          actor=w.drafter, roles={"drafter"}, base_number=2)
    assert s.anchor_status == "changed"
    with pytest.raises(Conflict) as exc:
        accept(w, [s])
    assert "de grands retards" in exc.value.details["current"]
    assert rows(Version) == 3 and s.decision is None and text_of(w.report).count("de grands retards") == 1


def test_the_drafter_edits_the_proposal_before_accepting_it(w):
    s = suggest(w, "des retards", "du retard")
    suggestions.edit_proposal(s, actor=w.drafter, roles={"drafter"}, replacement="quelques retards")
    assert (s.replacement, s.original_replacement, s.replacement_edited_by_id) == ("quelques retards", "du retard",
                                                                                   w.drafter.id)
    with pytest.raises(Invalid):
        suggestions.edit_proposal(s, actor=w.drafter, roles={"drafter"}, replacement="des retards")
    accept(w, [s], replacements={s.id: "certains retards"})
    assert text_of(w.report) == TEXT.replace("des retards", "certains retards")
    assert (s.replacement, s.original_replacement) == ("certains retards", "du retard")
    assert actions() == ["suggestion.created", "suggestion.edited", "suggestion.edited", "suggestion.accepted"]


def test_a_suggested_edit_is_decided_not_resolved_addressed_or_reopened(w):
    s = suggest(w, "des retards", "du retard")
    with pytest.raises(Conflict):
        threads.resolve(s, actor=w.reviewer, roles={"reviewer"})
    with pytest.raises(Conflict):
        threads.mark_addressed(s, actor=w.drafter, roles={"drafter"})
    with pytest.raises(Conflict):
        threads.set_severity(s, actor=w.reviewer, roles={"reviewer"}, severity="blocking")
    threads.reply(s, actor=w.drafter, roles={"drafter"}, body="Je regarde.")
    suggestions.reject(w.report, [s], actor=w.drafter, roles={"drafter"})
    threads.reply(s, actor=w.reviewer, roles={"reviewer"}, body="Dommage.")    # no "reopen?" question
    with pytest.raises(Conflict):
        threads.reopen(s, actor=w.reviewer, roles={"reviewer"})
    assert [c.body for c in s.comments] == ["", "Je regarde.", "Dommage."] and s.suggestion_status == "rejected"


# ------------------------------------------------------------------------------ what a reviewer sees

def test_the_effect_on_the_sections_count(w):
    s = suggest(w, "des retards", "du retard")
    t = insert_at(w, "ailleurs.", " Voir annexe 2.")
    fx = suggestions.effect(s)
    assert (fx.before, fx.after, fx.limit) == (len(TEXT), len(TEXT) - 2, 1500) and not fx.over_after
    both = suggestions.batch_effect(w.report, [s, t])[KEY]
    assert both.after == len(TEXT) - 2 + len(" Voir annexe 2.")


def test_signoff_counts_open_suggestions_and_the_template_decides_whether_they_block(w, monkeypatch):
    suggest(w, "des retards", "du retard")
    latest = versions.latest_version(w.report)
    req = {r.code: r for r in signoff.requirements(w.report, latest)}["open_suggested_edits"]
    assert (req.count, req.blocks, req.met) == (1, False, True)
    template = load_template("pbf")
    monkeypatch.setitem(template.signoff, "open_suggestions_block", True)
    req = {r.code: r for r in signoff.requirements(w.report, latest)}["open_suggested_edits"]
    assert (req.count, req.blocks, req.met) == (1, True, False)


def test_the_matrix_lists_suggestions_with_their_decision(w):
    a = suggest(w, "des retards", "du retard", note="Plus court")
    b = insert_at(w, "comités", " locaux", who=w.reviewer2)
    c = suggest(w, " ailleurs", "")
    suggestions.reject(w.report, [c], actor=w.drafter, roles={"drafter"}, reason="Utile")
    accept(w, [a])
    got = {r.quote: r for r in matrix.rows(w.report, w.reviewer, lang="fr")}
    row = got["des retards"]
    assert (row.proposed, row.reviewer, row.comment, row.status, row.decided_by, row.addressed_in) == (
        "du retard", "Claire Reviewer", "Plus court", "Modification proposée : acceptée", "Awa Drafter", "3")
    assert got[" ailleurs"].proposed == "[suppression]" and got[" ailleurs"].reason == "Utile"
    ins_row = next(r for r in got.values() if r.proposed == " locaux")
    assert ins_row.quote.startswith("[insertion après") and ins_row.status == "Modification proposée : ouverte"
    assert b.suggestion_status == "open"
    en = matrix.rows(w.report, w.reviewer, lang="en")
    assert "Suggested edit: rejected" in {r.status for r in en}
    header = matrix.to_csv(en, lang="en").splitlines()[0]
    assert "Proposed text" in header and "decided by" in header and "Reason" in header


def test_filters_and_counts_include_suggestions(w):
    suggest(w, "des retards", "du retard")
    threads.open_thread(w.report, actor=w.reviewer, roles={"reviewer"}, section_key=KEY, body="Un commentaire")
    page = workspace.report_page(w.report, w.drafter, {"drafter"}, filters=Filters(kind="suggested_edit"))
    assert [t.kind for t in page.threads] == ["suggested_edit"]
    assert page.counts["suggested_edits"] == 1 and page.counts["open"] == 2
    assert Filters.from_args({"kind": "suggested_edit"}).kind == "suggested_edit"
    assert Filters.from_args({"kind": "suggestion"}).kind == ""   # the severity is not a kind


def test_listing_and_json(w):
    a = suggest(w, "des retards", "du retard")
    b = suggest(w, "mars", "avril", key=OTHER)
    assert suggestions.list_suggestions(w.report) == [a, b]
    assert suggestions.list_suggestions(w.report, section_key=OTHER) == [b]
    data = suggestions.as_dict(a)
    assert {k: data[k] for k in ("id", "section", "start", "end", "quote", "replacement", "author", "status")} == {
        "id": a.id, "section": KEY, "start": TEXT.index("des retards"), "end": TEXT.index("des retards") + 11,
        "quote": "des retards", "replacement": "du retard", "author": "Claire Reviewer", "status": "open"}
    with pytest.raises(Invalid):
        suggestions.list_suggestions(w.report, status="resolved")
