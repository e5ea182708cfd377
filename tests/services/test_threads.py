"""Thread life cycle, who may do what, anchor verification, mentions and notifications."""
import pytest
from sqlalchemy import delete, select

from reviewflow import content as C
from reviewflow.extensions import db
from reviewflow.models import Comment, Event, Notification, Thread
from reviewflow.services import editing, threads
from reviewflow.services.errors import Conflict, Forbidden, Invalid, NotFound
from reviewflow.services.threads import ReopenQuestion
from tests.helpers.db import rows

TEXT = "Le projet connaît des retards dans la mise en place des comités. Pas de retard ailleurs."


@pytest.fixture
def w(world):
    editing.save_sections(world.report, {"implementation_status": C.text_blocks(TEXT)}, actor=world.drafter,
                          roles={"drafter"}, base_number=1)
    db.session.execute(delete(Notification))   # start each test with empty inboxes
    db.session.commit()
    return world


def open_on(w, quote, who=None, **kw):
    start = TEXT.index(quote)
    return threads.open_thread(w.report, actor=who or w.reviewer, roles=kw.pop("roles", {"reviewer"}),
                               section_key="implementation_status", body=kw.pop("body", "Justifier"),
                               start=start, end=start + len(quote), quote=quote, **kw)


def kinds_for(user):
    return sorted(n.kind for n in db.session.scalars(select(Notification).where(Notification.user_id == user.id)))


def test_thread_sits_on_exact_words_with_context(w):
    t = open_on(w, "Pas de retard")
    assert (t.quote, t.start_offset, t.end_offset) == ("Pas de retard", TEXT.index("Pas de retard"),
                                                       TEXT.index("Pas de retard") + 13)
    assert t.prefix.endswith("des comités. ") and t.suffix.startswith(" ailleurs")
    assert t.anchor_status == "exact" and t.anchors[0].version.number == 2


def test_quote_mismatch_is_refused_never_stored(w):
    with pytest.raises(Conflict):
        threads.open_thread(w.report, actor=w.reviewer, roles={"reviewer"}, section_key="implementation_status",
                            body="x", start=0, end=9, quote="Autre texte")
    with pytest.raises(Invalid):
        threads.open_thread(w.report, actor=w.reviewer, roles={"reviewer"}, section_key="implementation_status",
                            body="x", start=5, end=5000, quote="x")
    assert rows(Thread) == 0 and rows(Comment) == 0 and rows(Notification) == 0


def test_comment_on_a_stale_version_is_refused(w):
    with pytest.raises(Conflict):
        threads.open_thread(w.report, actor=w.reviewer, roles={"reviewer"}, section_key="implementation_status",
                            body="x", version_number=1, start=0, end=2, quote="Le")
    assert rows(Thread) == 0


def test_section_level_comment(w):
    t = threads.open_thread(w.report, actor=w.reviewer, roles={"reviewer"}, section_key="upcoming_events",
                            body="Respecter la limite de 1000 caractères")
    assert t.anchor_status == "section" and t.quote == ""


def test_full_loop_open_reply_address_resolve(w):
    t = open_on(w, "Le projet connaît des retards")
    assert kinds_for(w.drafter) == ["new_thread"] and kinds_for(w.drafter2) == ["new_thread"]
    threads.reply(t, actor=w.drafter, roles={"drafter"}, body="Fin novembre.")
    assert "reply" in kinds_for(w.reviewer)
    threads.mark_addressed(t, actor=w.drafter, roles={"drafter"}, version_number=2, body="Précisé.")
    assert (t.status, t.addressed_in) == ("addressed", 2)
    assert "addressed" in kinds_for(w.reviewer)
    threads.resolve(t, actor=w.reviewer, roles={"reviewer"}, note="OK")
    assert (t.status, t.resolved_by_id, t.resolution_note) == ("resolved", w.reviewer.id, "OK")
    actions = [e.action for e in db.session.scalars(select(Event).where(Event.object_type == "thread"))]
    assert actions == ["thread.opened", "thread.addressed", "thread.resolved"]


def test_who_may_resolve(w):
    t = open_on(w, "Pas de retard")
    with pytest.raises(Forbidden):
        threads.resolve(t, actor=w.drafter, roles={"drafter"})
    with pytest.raises(Forbidden):   # another reviewer, not lead
        threads.resolve(t, actor=w.reviewer2, roles={"reviewer"})
    from reviewflow.services import accounts
    accounts.add_member(w.report, w.approver, "approver", actor=w.admin, is_lead=True)
    with pytest.raises(Forbidden):   # a lead of another organisation
        threads.resolve(t, actor=w.approver, roles={"approver"})
    assert t.status == "open" and t.resolved_by_id is None
    accounts.add_member(w.report, w.reviewer2, "reviewer", actor=w.admin, is_lead=True)
    threads.resolve(t, actor=w.reviewer2, roles={"reviewer"})
    assert t.status == "resolved"


def test_only_drafters_mark_addressed_and_only_open_threads(w):
    t = open_on(w, "Pas de retard")
    with pytest.raises(Forbidden):
        threads.mark_addressed(t, actor=w.reviewer, roles={"reviewer"})
    assert t.status == "open"
    threads.mark_addressed(t, actor=w.drafter, roles={"drafter"})
    with pytest.raises(Conflict):
        threads.mark_addressed(t, actor=w.drafter, roles={"drafter"})


def test_reply_on_resolved_thread_asks_before_reopening(w):
    t = open_on(w, "Pas de retard")
    threads.resolve(t, actor=w.reviewer, roles={"reviewer"})
    with pytest.raises(ReopenQuestion):
        threads.reply(t, actor=w.drafter, roles={"drafter"}, body="Encore une précision")
    assert t.status == "resolved" and len(t.comments) == 1
    threads.reply(t, actor=w.drafter, roles={"drafter"}, body="Sans rouvrir", reopen=False)
    assert t.status == "resolved" and len(t.comments) == 2
    threads.reply(t, actor=w.drafter, roles={"drafter"}, body="Je rouvre", reopen=True)
    assert t.status == "open" and t.reopened_by_id == w.drafter.id
    assert "reopened" in kinds_for(w.reviewer)


def test_blocking_is_for_reviewers(w):
    with pytest.raises(Forbidden):
        open_on(w, "Pas de retard", who=w.drafter, roles={"drafter"}, severity="blocking")
    assert rows(Thread) == 0
    t = open_on(w, "Pas de retard", severity="blocking")
    threads.set_severity(t, actor=w.reviewer, roles={"reviewer"}, severity="suggestion")
    assert t.severity == "suggestion"
    with pytest.raises(Forbidden):
        threads.set_severity(t, actor=w.drafter, roles={"drafter"}, severity="blocking")
    assert t.severity == "suggestion"


def test_edit_own_comment_keeps_history(w):
    t = open_on(w, "Pas de retard", body="Justifer")
    c = t.comments[0]
    threads.edit_comment(c, actor=w.reviewer, body="Justifier, svp")
    assert c.body == "Justifier, svp" and [e.previous_body for e in c.edits] == ["Justifer"]
    with pytest.raises(Forbidden):
        threads.edit_comment(c, actor=w.reviewer2, body="pas à moi")
    assert c.body == "Justifier, svp" and len(c.edits) == 1


def test_mentions_notify_the_named_member_once(w):
    t = open_on(w, "Pas de retard", body="@Paul Drafter merci de préciser, et @approver@onudc.example pour info")
    assert kinds_for(w.drafter2) == ["mention"]       # not also "new_thread"
    assert kinds_for(w.approver) == ["mention"]
    assert kinds_for(w.drafter) == ["new_thread"]
    assert kinds_for(w.reviewer) == []                # never notified of one's own action
    threads.reply(t, actor=w.drafter, roles={"drafter"}, body="@Claire Reviewer voilà")
    assert kinds_for(w.reviewer) == ["mention"]


def test_internal_threads_are_hidden_from_other_organisations(w):
    t = open_on(w, "Pas de retard", internal_org_id=w.reviewer.organisation_id,
                body="Entre nous : @Awa Drafter ne doit pas voir ceci")
    assert kinds_for(w.drafter) == []                 # neither the mention nor the new thread
    assert "mention" not in kinds_for(w.drafter)
    with pytest.raises(NotFound):
        threads.get_thread(w.report, t.id, viewer=w.drafter)
    assert threads.get_thread(w.report, t.id, viewer=w.reviewer2) is t
    with pytest.raises(Forbidden):
        open_on(w, "Pas de retard", who=w.drafter, roles={"drafter"},
                internal_org_id=w.reviewer.organisation_id)
    assert rows(Thread) == 1


def test_new_version_notifies_reviewers_and_approvers(w):
    from reviewflow.services import transitions
    transitions.act(w.report, "submit", actor=w.drafter, roles={"drafter"})
    db.session.execute(delete(Notification))
    editing.save_sections(w.report, {"implementation_status": C.text_blocks(TEXT + " Ajout.")},
                          actor=w.drafter, roles={"drafter"}, base_number=2)
    assert kinds_for(w.reviewer) == ["new_version"] and kinds_for(w.approver) == ["new_version"]
    assert kinds_for(w.drafter2) == []


def test_open_threads_follow_the_text_and_resolved_ones_stay(w):
    t_open = open_on(w, "Pas de retard")
    t_done = open_on(w, "des comités")
    threads.resolve(t_done, actor=w.reviewer, roles={"reviewer"})
    v3 = editing.save_sections(w.report, {"implementation_status": C.text_blocks("Introduction. " + TEXT)},
                               actor=w.drafter, roles={"drafter"}, base_number=2)
    assert t_open.version_id == v3.id and t_open.quote == "Pas de retard"
    assert t_open.start_offset == len("Introduction. ") + TEXT.index("Pas de retard")
    assert t_done.version.number == 2                 # resolved: keeps pointing at its version
    assert [a.version.number for a in t_open.anchors] == [2, 3]
