"""A stateful property test of the Word loop (hypothesis ``RuleBasedStateMachine``): random
sequences of browser edits, exports, drafters' uploads of current and stale copies (edited or
not), reviewers' copies with new comments, resolves and reopens.  After every step: no thread
or comment lost, every open thread placed or visibly orphaned on the latest version, and no
section back to an older text unless a person chose it (a conflict settled with "file")."""
import io
import itertools

import docx
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from sqlalchemy import select, text

from reviewflow import content as C
from reviewflow.extensions import db
from reviewflow.models import Comment, Thread, ThreadAnchor
from reviewflow.services import accounts, editing, exports, imports, reports, threads
from reviewflow.services.errors import Conflict
from reviewflow.services.versions import latest_version, version_contents
from tests.helpers.reports import Everyone

KEYS = ("outcome_1.statement", "outcome_2.statement", "upcoming_events")


def _empty_tables():
    for t in reversed(db.metadata.sorted_tables):
        db.session.execute(text(f'DELETE FROM "{t.name}"'))
    db.session.commit()


def _edited(data: bytes, old: str, new: str, comment: str | None = None) -> bytes:
    d = docx.Document(io.BytesIO(data))
    for p in d.paragraphs:
        if p.text == old and p.runs:
            for r in p.runs[1:]:
                r._r.getparent().remove(r._r)
            p.runs[0].text = new
            if comment:
                d.add_comment(runs=[p.runs[0]], text=comment, author="Jean Relecteur", initials="JR")
            break
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


class WordLoop(RuleBasedStateMachine):
    copies = Bundle("copies")

    def __init__(self):
        super().__init__()
        _empty_tables()
        pw = "password123"
        admin = accounts.create_user("admin@example.org", name="Admin", password=pw, org_name="Secrétariat",
                                     is_admin=True)
        self.drafter = accounts.create_user("d@oim.example", name="Awa Drafter", password=pw, org_name="OIM")
        self.reviewer = accounts.create_user("r@pbf.example", name="Claire Reviewer", password=pw,
                                             org_name="Secrétariat")
        project = reports.create_project(actor=admin, title="Projet")
        self.report = reports.create_report(project, actor=admin, report_type="annual", year=2024, outcomes=2)
        accounts.add_member(self.report, self.drafter, "drafter", actor=admin)
        accounts.add_member(self.report, self.reviewer, "reviewer", actor=admin)
        db.session.commit()
        self.n = itertools.count(1)
        self.expected = {}          # section -> the text it must have (what a person last chose)
        self.history = {}           # section -> every text it had
        self.threads = self.comments = 0
        self._save({k: f"Texte {next(self.n)} de départ." for k in KEYS})

    def _save(self, changes):
        editing.save_sections(self.report, {k: [C.paragraph(v)] for k, v in changes.items()}, actor=self.drafter,
                              roles={"drafter"}, base_number=latest_version(self.report).number)
        db.session.commit()
        for k, v in changes.items():
            self.expected[k] = v
            self.history.setdefault(k, []).append(v)

    @rule(key=st.sampled_from(KEYS))
    def browser_edit(self, key):
        self._save({key: f"Texte {next(self.n)} du navigateur."})

    @rule(target=copies)
    def export(self):
        data, _n, _k = exports.export_docx(self.report, viewer=Everyone(), options=exports.ExportOptions(
            kind="generated"))
        db.session.commit()
        return (data, dict(self.expected))

    @rule(copy=copies, key=st.sampled_from(KEYS), edit=st.booleans(), resolve=st.sampled_from([None, "keep", "file"]))
    def drafter_upload(self, copy, key, edit, resolve):
        data, at_export = copy
        new = f"Texte {next(self.n)} du fichier."
        if edit:
            data = _edited(data, at_export[key], new)
        plan = imports.plan_import(self.report, data, "copie.docx", actor=self.drafter, mode="version")
        db.session.commit()
        conflicts = plan.summary["conflicts"]
        changed_since = edit and self.expected[key] != at_export[key]
        assert conflicts == ([key] if changed_since and self.expected[key] != new else [])
        try:
            imports.confirm_import(plan.id, actor=self.drafter, choices={"resolve": resolve})
        except Conflict:
            db.session.rollback()
            assert conflicts and resolve is None
            return
        db.session.commit()
        if edit and (not changed_since or resolve == "file"):
            self.expected[key] = new
            self.history[key].append(new)

    @rule(copy=copies, key=st.sampled_from(KEYS))
    def reviewer_copy_with_a_comment(self, copy, key):
        data, at_export = copy
        data = _edited(data, at_export[key], at_export[key], comment=f"Question {next(self.n)} ?")
        plan = imports.plan_import(self.report, data, "relecture.docx", actor=self.reviewer, mode="review")
        db.session.commit()
        summary = imports.confirm_import(plan.id, actor=self.reviewer)
        db.session.commit()
        assert summary.threads_created == 1

    @rule(data=st.data())
    def resolve_or_reopen(self, data):
        ts = list(db.session.scalars(select(Thread).where(Thread.report_id == self.report.id).order_by(Thread.id)))
        if not ts:
            return
        t = data.draw(st.sampled_from(ts))
        if t.status == "resolved":
            threads.reopen(t, actor=self.reviewer, roles={"reviewer"})
        else:
            threads.resolve(t, actor=self.reviewer, roles={"reviewer"}, note="Vu")
        db.session.commit()

    @invariant()
    def nothing_lost_nothing_reverted(self):
        n_threads = db.session.query(Thread).count()
        n_comments = db.session.query(Comment).count()
        assert n_threads >= self.threads and n_comments >= self.comments
        self.threads, self.comments = n_threads, n_comments
        latest = latest_version(self.report)
        texts = {k: c.text for k, c in version_contents(latest).items()}
        for key in KEYS:
            assert texts[key] == self.expected[key], (key, texts[key], self.expected[key])
        placed = set(db.session.scalars(select(ThreadAnchor.thread_id).where(ThreadAnchor.version_id == latest.id)))
        for t in db.session.scalars(select(Thread).where(Thread.report_id == self.report.id, Thread.status != "resolved")):
            assert t.id in placed or t.anchor_status == "orphaned", (t.id, t.anchor_status)


def test_the_word_loop_never_loses_or_reverts_anything(app):
    run_state_machine_as_test(WordLoop, settings=settings(
        max_examples=12, stateful_step_count=10, deadline=None, database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]))
