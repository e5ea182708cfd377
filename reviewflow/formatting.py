"""Jinja helpers: locale-aware dates and numbers, template labels, safe text rendering.

Presentation only: nothing here queries the database (pages get their data from the read
services, through their view or, for what every page shows, a context processor of the
blueprint that owns it: the inbox badge is reviewflow.review's).
"""
import hashlib
import json
import re
from datetime import UTC

from flask import current_app, url_for
from flask_babel import format_datetime, format_decimal, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from .diffing import diff_words

# a link ends before the sentence's punctuation, and takes a closing parenthesis it opened itself
# (https://fr.wikipedia.org/wiki/Bangui_(ville)) but not the one around it ("(voir https://...)")
URL_RE = re.compile(r"(https?://(?:[^\s<>\"'()]|\([^\s<>\"'()]*\))*"
                    r"(?:[^\s<>\"'().,;:!?\]]|\([^\s<>\"'()]*\)))")


def lang() -> str:
    loc = get_locale()
    return loc.language if loc else "fr"


def dt(value, fmt="medium"):
    if value is None:
        return _("unknown date")
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return format_datetime(value, fmt)


def num(value):
    if value is None:
        return ""
    return format_decimal(value)


def label(obj):
    """A {"fr": ..., "en": ...} label, or an object with label_in(), in the current language."""
    if obj is None:
        return ""
    if hasattr(obj, "label_in"):
        return obj.label_in(lang())
    if isinstance(obj, dict):
        return obj.get(lang()) or obj.get("fr") or obj.get("en") or ""
    return str(obj)


def prompt(field):
    return field.prompt_in(lang())


def comment_html(body: str) -> Markup:
    """Plain-text comment -> HTML: everything escaped, URLs made links, line breaks kept."""
    out = []
    for line in (body or "").split("\n"):
        parts = URL_RE.split(line)
        html = []
        for i, part in enumerate(parts):
            if i % 2:
                html.append(Markup('<a href="{0}" rel="nofollow noopener noreferrer">{0}</a>').format(part))
            else:
                html.append(escape(part))
        out.append(Markup("").join(html))
    return Markup("<br>").join(out)


LABELS = {
    "state": {
        "draft": _l("Draft"), "submitted": _l("Submitted for review"), "in_review": _l("In review"),
        "changes_requested": _l("Changes requested"), "resubmitted": _l("Resubmitted"),
        "approved": _l("Approved"), "withdrawn": _l("Withdrawn"),
    },
    "role": {"drafter": _l("Drafter"), "reviewer": _l("Reviewer"), "approver": _l("Approver")},
    "report_type": {"semi_annual": _l("Semi-annual"), "annual": _l("Annual"), "final": _l("Final")},
    "thread": {"open": _l("Open"), "addressed": _l("Addressed"), "resolved": _l("Resolved")},
    "anchor": {"exact": _l("on its words"), "moved": _l("moved with its words"),
               "changed": _l("its words were edited"), "orphaned": _l("its words are gone"),
               "needs_confirmation": _l("needs confirmation"), "section": _l("whole section")},
    "severity": {"normal": _l("Comment"), "blocking": _l("Blocking"), "suggestion": _l("Suggestion")},
    "source": {"created": _l("created empty"), "browser": _l("edited in the browser"),
               "upload": _l("uploaded Word file"), "demo": _l("demo data"), "import": _l("imported"),
               "suggestions": _l("suggested edits accepted")},
    # a thread's kind: a suggested edit is a proposal to replace words (not the severity "suggestion")
    "kind": {"comment": _l("Comment"), "suggested_edit": _l("Suggested edit")},
    "suggestion_status": {"open": _l("Suggested edit: open"), "accepted": _l("Suggested edit: accepted"),
                          "rejected": _l("Suggested edit: rejected"), "outdated": _l("Suggested edit: outdated")},
    "event": {
        "report.created": _l("Report created"), "version.created": _l("Version saved"),
        "thread.opened": _l("Thread opened"), "comment.added": _l("Reply"), "comment.edited": _l("Comment edited"),
        "thread.addressed": _l("Marked as addressed"), "thread.resolved": _l("Thread resolved"),
        "thread.reopened": _l("Thread reopened"), "thread.severity": _l("Severity changed"),
        "thread.reattached": _l("Thread re-attached"), "thread.confirmed": _l("Thread place confirmed"),
        "threads.reanchored": _l("Threads carried to the new version"), "finding.explained": _l("Finding explained"),
        "signoff.approve": _l("Signed off"), "signoff.reject": _l("Rejected"),
        "signoff.invalidated": _l("Signature voided"), "import.version": _l("Word file uploaded as a version"),
        "import.review": _l("Review comments imported from Word"), "export.docx": _l("Word export"),
        "member.added": _l("Member added"), "member.removed": _l("Member removed"),
        "member.updated": _l("Member changed"),
        "report.submit": _l("Submitted for review"), "report.start_review": _l("Review started"),
        "report.request_changes": _l("Changes requested"), "report.resubmit": _l("Resubmitted"),
        "report.approve": _l("Approved"), "report.reopen": _l("Reopened"), "report.withdraw": _l("Withdrawn"),
        "report.restore": _l("Restored as draft"),
        "suggestion.created": _l("Edit suggested"), "suggestion.edited": _l("Suggested edit changed by a drafter"),
        "suggestion.accepted": _l("Suggested edit accepted"), "suggestion.rejected": _l("Suggested edit rejected"),
        "suggestion.outdated": _l("Suggested edit outdated"),
    },
    "done": {"reopen": _l("reopened"), "withdraw": _l("withdrawn"), "restore": _l("restored as a draft")},
    "action": {"submit": _l("Submit for review"), "start_review": _l("Start the review"),
               "request_changes": _l("Request changes"), "resubmit": _l("Resubmit"),
               "reopen": _l("Reopen"), "withdraw": _l("Withdraw"), "restore": _l("Restore as draft")},
}


def label_of(kind, code):
    return LABELS.get(kind, {}).get(code, code)


def notification_text(n):
    """One line saying what happened, in the reader's language."""
    actor = n.actor.name if n.actor else _("Someone")
    d = n.details or {}
    texts = {
        "new_thread": _("%(who)s commented on the report", who=actor),
        "reply": _("%(who)s replied in a thread you take part in", who=actor),
        "mention": _("%(who)s mentioned you", who=actor),
        "new_version": _("%(who)s saved version %(n)s", who=actor, n=d.get("number", "?")),
        "addressed": _("%(who)s marked your comment as addressed (version %(n)s)", who=actor, n=d.get("number", "?")),
        "resolved": _("%(who)s resolved a thread you take part in", who=actor),
        "reopened": _("%(who)s reopened a thread you take part in", who=actor),
        "severity": _("%(who)s made your blocking thread non-blocking", who=actor),
        "signoff_requested": _("%(who)s submitted the report for review and sign-off", who=actor),
        "state_changed": _("%(who)s changed the report's state: %(state)s", who=actor,
                           state=label_of("state", d.get("state", ""))),
        "suggested_edit": _("%(who)s suggested an edit", who=actor),
        "suggested_edits_decided": _("%(who)s decided on your suggested edits: %(accepted)s accepted, "
                                     "%(rejected)s rejected, %(outdated)s outdated", who=actor,
                                     accepted=(d.get("counts") or {}).get("accepted", 0),
                                     rejected=(d.get("counts") or {}).get("rejected", 0),
                                     outdated=(d.get("counts") or {}).get("outdated", 0)),
    }
    return texts.get(n.kind, n.kind)


def signoff_reason(signoff, template):
    """Why a signature no longer counts, in the reader's language."""
    try:
        data = json.loads(signoff.invalidated_reason or "{}")
    except ValueError:
        return signoff.invalidated_reason
    if "version" in data:
        labels = []
        for key in data.get("sections", ()):
            try:
                labels.append(label(template.field(key)))
            except KeyError:
                labels.append(key)
        return _("version %(n)s changed: %(sections)s", n=data["version"], sections=", ".join(labels) or "—")
    if "action" in data:
        return _("the report was %(action)s", action=label_of("done", data["action"]))
    return _("superseded by a new decision")


_STATIC_HASHES: dict = {}


def static_url(filename):
    """URL of a static file with its content hash, so browsers may cache it for long."""
    digest = _STATIC_HASHES.get(filename)
    if digest is None or current_app.debug:
        with current_app.open_resource("static/" + filename) as fh:
            digest = hashlib.sha256(fh.read()).hexdigest()[:12]
        _STATIC_HASHES[filename] = digest
    return url_for("static", filename=filename, v=digest)


def register(app):
    app.jinja_env.filters.update(dt=dt, num=num, label=label, prompt=prompt, comment_html=comment_html)
    app.jinja_env.globals.update(lang=lang, label_of=label_of, notification_text=notification_text,
                                 diff_words=diff_words, static_url=static_url, signoff_reason=signoff_reason)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
