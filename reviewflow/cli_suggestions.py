"""flask reports suggest / suggestions / suggestion-decide / suggestions-decide: suggested
edits from the command line (other tools rely on them; the JSON is ``suggestions.as_dict``).

Like every command: one commit at the end, JSON (or one line) out, exit 1 with a one-line
reason and nothing stored when the request is refused.
"""
from __future__ import annotations

import click

from .clitools import emit
from .extensions import db
from .models.thread import SUGGESTION_STATUSES
from .services import accounts, suggestions, versions
from .services.errors import ServiceError


def _fail(message: str) -> None:
    db.session.rollback()
    raise click.ClickException(message)


@click.command("suggest")
@click.argument("report_id", type=int)
@click.option("--section", "section_key", required=True, help="Section key (template field id).")
@click.option("--start", type=int, required=True, help="Start offset in the section's text.")
@click.option("--end", type=int, required=True, help="End offset (== start: insert at that point).")
@click.option("--text", "replacement", default="", help="The proposed text (empty: delete the words).")
@click.option("--as", "email", required=True, help="E-mail of the reviewer who suggests.")
@click.option("--quote", default=None, help="The words being replaced, checked against the text.")
@click.option("--version", "number", type=int, default=None, help="Version the offsets are on (default: latest).")
@click.option("--note", default="", help="Why (the suggested edit's opening comment).")
def suggest_cmd(report_id, section_key, start, end, replacement, email, quote, number, note):
    """Suggest an edit of a section's words; prints the suggested edit as JSON."""
    try:
        report = versions.get_report(report_id)
        actor = accounts.user_by_email(email)
        thread = suggestions.suggest(report, actor=actor, roles=accounts.roles_on(actor, report),
                                     section_key=section_key, start=start, end=end, replacement=replacement,
                                     quote=quote, version_number=number, note=note)
        out = suggestions.as_dict(thread)
    except ServiceError as exc:
        _fail(str(exc))
    db.session.commit()
    emit(out)


@click.command("suggestions")
@click.argument("report_id", type=int)
@click.option("--status", type=click.Choice(SUGGESTION_STATUSES), default=None)
@click.option("--section", "section_key", default=None, help="Only this section (template field id).")
def suggestions_cmd(report_id, status, section_key):
    """List a report's suggested edits as JSON (id, section, start, end, quote, replacement,
    author, status, and who decided, when, why)."""
    try:
        report = versions.get_report(report_id)
        items = [suggestions.as_dict(t) for t in suggestions.list_suggestions(report, status=status,
                                                                             section_key=section_key)]
    except ServiceError as exc:
        _fail(str(exc))
    emit(items)


def _decision_json(result: suggestions.Decision) -> dict:
    return {"decision": result.decision, "version": result.number,
            "decided": [t.id for t in result.decided], "outdated": [t.id for t in result.outdated],
            "skipped": [{"id": t.id, "why": why} for t, why in result.skipped]}


@click.command("suggestion-decide")
@click.argument("suggestion_id", type=int)
@click.argument("decision", type=click.Choice(["accept", "reject"]))
@click.option("--as", "email", required=True, help="E-mail of the drafter who decides.")
@click.option("--reason", default="", help="Why (kept with the decision).")
@click.option("--text", "replacement", default=None, help="Accept this text instead of the proposal (an edit).")
@click.option("--json", "as_json", is_flag=True, default=False, help="Print what was decided as JSON.")
def suggestion_decide_cmd(suggestion_id, decision, email, reason, replacement, as_json):
    """Accept or reject one suggested edit; prints the number of the version accepting made
    (rejecting: the latest version's number)."""
    try:
        thread = suggestions.find_suggestion(suggestion_id)
        report = versions.get_report(thread.report_id)
        actor = accounts.user_by_email(email)
        result = suggestions.decide(report, decision, actor=actor, roles=accounts.roles_on(actor, report),
                                    viewer=actor, ids=[thread.id], reason=reason, replacement=replacement)
        number = result.number or versions.latest_version(report).number
    except ServiceError as exc:
        _fail(str(exc))
    db.session.commit()
    if as_json:
        emit(_decision_json(result))
    else:
        click.echo(str(number))


@click.command("suggestions-decide")
@click.argument("report_id", type=int)
@click.argument("decision", type=click.Choice(["accept", "reject"]))
@click.option("--as", "email", required=True, help="E-mail of the drafter who decides.")
@click.option("--by", "author_email", default=None, help="Only the suggested edits of this reviewer.")
@click.option("--section", "section_key", default=None, help="Only those of this section.")
@click.option("--reason", default="")
def suggestions_decide_cmd(report_id, decision, email, author_email, section_key, reason):
    """Accept (one new version) or reject every open suggested edit of a reviewer and/or a
    section; those that cannot be accepted stay open and are listed; prints JSON."""
    try:
        report = versions.get_report(report_id)
        actor = accounts.user_by_email(email)
        author = accounts.user_by_email(author_email) if author_email else None
        result = suggestions.decide(report, decision, actor=actor, roles=accounts.roles_on(actor, report),
                                    viewer=actor, author_id=author.id if author else None,
                                    section_key=section_key, reason=reason)
    except ServiceError as exc:
        _fail(str(exc))
    db.session.commit()
    emit(_decision_json(result))


COMMANDS = (suggest_cmd, suggestions_cmd, suggestion_decide_cmd, suggestions_decide_cmd)
