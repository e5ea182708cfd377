"""Differences between versions of a report, per section, for the pages that show them."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from ..diffing import DiffStats, Op, diff_stats, diff_words
from ..extensions import db
from ..models import Event, Report, SectionContent, User, Version
from ..report_templates import Field, Template, load_template
from .errors import N_, Invalid
from .versions import changed_between, get_version, latest_version, version_contents


@dataclass
class SectionDiff:
    field: Field
    ops: list[Op]
    stats: DiffStats
    chars_before: int
    chars_after: int


def compare(report: Report, number_from: int, number_to: int, *,
            only: str | None = None, lang: str = "fr") -> tuple[Version, Version, list[SectionDiff]]:
    """(version a, version b, [SectionDiff]) for the sections that differ, in template order;
    a choice field compares its options' labels in ``lang``, never their codes."""
    if number_from == number_to:
        raise Invalid(N_("Choose two different versions to compare."))
    a, b = get_version(report, number_from), get_version(report, number_to)
    template = load_template(report.template_id)
    ca, cb = version_contents(a), version_contents(b)
    out = []
    for key in changed_between(report, a, b):
        if only and key != only:
            continue
        try:
            field = template.field(key)
        except KeyError:
            continue
        old, new = ca.get(key), cb.get(key)
        if field.options:
            ops = diff_words(_labels(template, field.options, old, lang), _labels(template, field.options, new, lang))
        else:
            ops = diff_words(old.text if old else "", new.text if new else "")
        out.append(SectionDiff(field, ops, diff_stats(ops), old.chars if old else 0, new.chars if new else 0))
    return a, b, out


def _labels(template: Template, vocab: str, content: SectionContent | None, lang: str) -> str:
    return "\n".join(template.option_label(vocab, line, lang) for line in (content.text if content else "").split("\n")
                     if line)


def last_reviewed_version(report: Report, user: User) -> int | None:
    """The latest version at the time of the user's last review action on this report (a comment,
    a reply, a resolution, a sign-off), or None if they never acted."""
    last = db.session.scalar(select(Event.created_at).where(
        Event.report_id == report.id, Event.actor_id == user.id,
        Event.action.in_(("thread.opened", "comment.added", "thread.resolved", "thread.reopened",
                          "signoff.approve", "signoff.reject", "import.review", "report.start_review")))
        .order_by(Event.created_at.desc()).limit(1))
    if last is None:
        return None
    number = db.session.scalar(select(Version.number).where(Version.report_id == report.id,
                                                            Version.created_at <= last)
                               .order_by(Version.number.desc()).limit(1))
    latest = latest_version(report)
    return number if number and number < latest.number else None
