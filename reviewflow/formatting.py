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
from flask_babel import format_datetime, format_decimal, get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from . import charts
from .checks.rf import rf_columns, rf_rows
from .diffing import diff_words
from .typography import fr_spaces

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
        text = obj.label_in(lang())
    elif isinstance(obj, dict):
        text = obj.get(lang()) or obj.get("fr") or obj.get("en") or ""
    else:
        return str(obj)
    return fr_spaces(text) if lang() == "fr" else text


def prompt(field):
    text = field.prompt_in(lang())
    return fr_spaces(text) if lang() == "fr" else text


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
    "anchor_cell": {"exact": _l("on its cell"), "moved": _l("moved with its row"),
                    "changed": _l("its value changed"), "orphaned": _l("its cell is gone")},
    "severity": {"normal": _l("Comment"), "blocking": _l("Blocking"), "suggestion": _l("Suggestion")},
    "source": {"created": _l("created empty"), "browser": _l("edited in the browser"),
               "upload": _l("uploaded Word file"), "demo": _l("demo data"), "import": _l("imported"),
               "suggestions": _l("suggested edits accepted"),
               "workbook": _l("budget workbook attached")},
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
        "thread.internal_read": _l("Internal thread read by an administrator"),
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
        "workbook.attached": _l("Budget workbook attached"),
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
        "suggested_edits_decided": _("%(who)s decided on your suggested edits: %(decisions)s", who=actor,
                                     decisions=decision_counts(d.get("counts") or {})),
    }
    return texts.get(n.kind, n.kind)


def decision_counts(counts: dict) -> str:
    """"2 acceptées, 1 refusée": the decisions on suggested edits, each count with its plural."""
    parts = []
    for key, n in (("accepted", counts.get("accepted", 0)), ("rejected", counts.get("rejected", 0)),
                   ("outdated", counts.get("outdated", 0))):
        if not n:
            continue
        if key == "accepted":
            parts.append(ngettext("%(num)s accepted", "%(num)s accepted", n))
        elif key == "rejected":
            parts.append(ngettext("%(num)s rejected", "%(num)s rejected", n))
        else:
            parts.append(ngettext("%(num)s outdated", "%(num)s outdated", n))
    return ", ".join(parts) or _("none")


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


def _section_names(template, keys) -> str:
    names = []
    for key in keys or ():
        try:
            names.append(label(template.field(key)))
        except KeyError:
            names.append(str(key))
    return ", ".join(names)


def event_sentence(e, template) -> str:
    """One audit event as a sentence in the reader's language ("Awa Ndiaye a déposé une version :
    44 sections modifiées"), never its code or raw details."""
    who = e.actor.name if e.actor else _("The system")
    d = e.details or {}
    a = e.action
    n_sections = len(d.get("sections") or ())
    if a == "version.created":
        return ngettext("%(who)s saved version %(v)s: %(num)s section changed",
                        "%(who)s saved version %(v)s: %(num)s sections changed", n_sections,
                        who=who, v=d.get("number", "?"))
    if a == "import.version":
        return _("%(who)s uploaded a Word file as a new version", who=who)
    if a == "import.review":
        return ngettext("%(who)s imported review comments from Word: %(num)s new thread",
                        "%(who)s imported review comments from Word: %(num)s new threads",
                        int(d.get("threads_created") or 0), who=who)
    if a == "thread.opened":
        try:
            where = label(template.field(d.get("section", "")))
        except KeyError:
            where = d.get("section", "")
        return _("%(who)s opened a thread on “%(section)s”", who=who, section=where)
    if a == "thread.internal_read":
        return _("%(who)s (administrator) read a thread internal to another organisation", who=who)
    if a == "thread.moved_section":
        names = []
        for key in (d.get("from", ""), d.get("to", "")):
            try:
                names.append(label(template.field(key)))
            except KeyError:
                names.append(key)
        return _("A thread followed its words from “%(a)s” to “%(b)s” (version %(v)s)", a=names[0], b=names[1],
                 v=d.get("version", "?"))
    if a == "threads.reanchored":
        counts = d.get("counts") or {}
        moved = sum(v for v in counts.values() if isinstance(v, int))
        return ngettext("%(num)s thread carried to version %(v)s", "%(num)s threads carried to version %(v)s",
                        moved, v=d.get("version", "?"))
    if a == "signoff.invalidated":
        if d.get("new_version"):
            return ngettext("A signature on version %(v)s no longer counts: version %(w)s changed %(num)s section",
                            "A signature on version %(v)s no longer counts: version %(w)s changed %(num)s sections",
                            n_sections, v=d.get("signed_version", "?"), w=d.get("new_version", "?"))
        return _("A signature no longer counts")
    if a in ("signoff.approve", "signoff.reject"):
        text = (_("%(who)s signed off version %(v)s", who=who, v=d.get("version", "?")) if a == "signoff.approve"
                else _("%(who)s rejected version %(v)s", who=who, v=d.get("version", "?")))
        if d.get("override"):
            text += " " + _("(with an override)")
        return text
    if a in ("member.added", "member.updated", "member.removed"):
        role = label_of("role", d.get("role", ""))
        lead = " " + _("(lead)") if d.get("lead") else ""
        texts = {"member.added": _("%(who)s added %(user)s as %(role)s", who=who, user=d.get("user", "?"),
                                   role=str(role).lower() + lead),
                 "member.updated": _("%(who)s made %(user)s %(role)s", who=who, user=d.get("user", "?"),
                                     role=str(role).lower() + lead),
                 "member.removed": _("%(who)s removed %(user)s from the report", who=who, user=d.get("user", "?"))}
        return texts[a]
    if a == "report.created":
        return _("%(who)s created the report (%(name)s)", who=who,
                 name=template.report_name(d.get("type", ""), d.get("year", ""), lang()))
    if a == "export.docx":
        return _("%(who)s downloaded version %(v)s as Word", who=who, v=d.get("version", "?"))
    if a == "thread.resolve_undone":
        return _("%(who)s undid the resolution of a thread", who=who)
    simple = {
        "comment.added": _("%(who)s replied in a thread", who=who),
        "comment.edited": _("%(who)s edited a comment", who=who),
        "thread.resolved": _("%(who)s resolved a thread", who=who),
        "thread.reopened": _("%(who)s reopened a thread", who=who),
        "thread.addressed": _("%(who)s marked a thread as addressed in version %(v)s", who=who,
                              v=d.get("version", "?")),
        "thread.severity": _("%(who)s changed a thread from “%(a)s” to “%(b)s”", who=who,
                             a=label_of("severity", d.get("from", "")), b=label_of("severity", d.get("to", ""))),
        "thread.reattached": _("%(who)s put a thread on new words", who=who),
        "thread.confirmed": _("%(who)s confirmed where a thread sits", who=who),
        "finding.explained": _("%(who)s explained a finding of the checks", who=who),
        "report.submit": _("%(who)s submitted the report for review", who=who),
        "report.start_review": _("%(who)s started the review", who=who),
        "report.request_changes": _("%(who)s requested changes", who=who),
        "report.resubmit": _("%(who)s resubmitted the report", who=who),
        "report.approve": _("The report is approved (version %(v)s)", v=d.get("version", "?")),
        "report.reopen": _("%(who)s reopened the report", who=who),
        "report.withdraw": _("%(who)s withdrew the report", who=who),
        "report.restore": _("%(who)s restored the report as a draft", who=who),
        "project.created": _("%(who)s created the project", who=who),
        "suggestion.created": _("%(who)s suggested an edit", who=who),
        "suggestion.edited": _("%(who)s changed a suggested edit before deciding on it", who=who),
        "suggestion.accepted": _("%(who)s accepted a suggested edit (version %(v)s)", who=who,
                                 v=d.get("version", "?")),
        "suggestion.rejected": _("%(who)s rejected a suggested edit", who=who),
        "suggestion.outdated": _("A suggested edit was outdated by another one accepted in version %(v)s",
                                 v=d.get("version", "?")),
        "workbook.attached": _("%(who)s attached the budget workbook (version %(v)s)", who=who,
                               v=d.get("version", "?")),
    }
    if a in simple:
        return simple[a]
    return f"{who}\u202f: {label_of('event', a)}" if lang() == "fr" else f"{who}: {label_of('event', a)}"


def event_details(e, template) -> list[tuple[str, str]]:
    """What an audit event's details say, as (words, value) pairs (folded under the sentence)."""
    d = e.details or {}
    out = []
    names = {"note": _("Note"), "quote": _("Words"), "reason": _("Reason"), "override": _("Justification"),
             "sections": _("Sections"), "filename": _("File"), "title": _("Title")}
    for key, word in names.items():
        v = d.get(key)
        if v in (None, "", [], {}):
            continue
        if key == "sections":
            v = _section_names(template, v)
        elif isinstance(v, list):
            v = ", ".join(map(str, v))
        out.append((word, str(v)))
    return out


_STATIC_HASHES: dict = {}


def static_url(filename):
    """URL of a static file with its content hash, so browsers may cache it for long."""
    digest = _STATIC_HASHES.get(filename)
    if digest is None or current_app.debug:
        with current_app.open_resource("static/" + filename) as fh:
            digest = hashlib.sha256(fh.read()).hexdigest()[:12]
        _STATIC_HASHES[filename] = digest
    return url_for("static", filename=filename, v=digest)


# Organisations whose name starts with a feminine noun ("à la …"); others take "au" (or "à l'"
# before a vowel or a mute h).  Acronyms read as their first word: "à l'OIM", "au PNUD", "à la FAO".
FEMININE_FIRST_WORDS = {
    "agence", "organisation", "mission", "commission", "direction", "division", "délégation",
    "fondation", "coordination", "cellule", "unité", "plateforme", "banque", "cour", "représentation",
    "fao", "banque mondiale", "minusca", "monusco", "minusma", "coopération", "croix-rouge",
}


def french_to(name: str) -> str:
    """The French preposition and article before an organisation's name: "au Secrétariat PBF
    RCA", "à l'OIM RCA", "à la Mission …"."""
    words = (name or "").split()
    if not words:
        return "à "
    first = words[0].casefold()
    if first in ("le", "la", "les", "l'"):
        return {"le": "au ", "les": "aux "}.get(first, "à ")
    if first.startswith("l'") or first.startswith("l’"):
        return "à "
    if first in FEMININE_FIRST_WORDS:
        return "à la "
    if first[0] in "aeiouyhàâéèêëîïôöûüœ":
        return "à l'"
    return "au "


def internal_to(org_name: str) -> str:
    """ "Internal to X" / "Interne au X" with the right article."""
    org = f"{french_to(org_name)}{org_name}" if lang() == "fr" else org_name
    return _("Internal to %(org)s", org=org)


def part_title(pv) -> str:
    """A part's heading on the report page: its title, and for a repeated part the outcome."""
    title = label(pv.part)
    return title + (" — " + _("Outcome %(k)s", k=pv.outcome) if pv.outcome else "")


def table_header(template, s):
    """Column labels of a table section (a header row), in the user's language, or None when the
    table's columns are not known."""
    blocks = s.content.blocks or []
    table = next((b for b in blocks if b.get("t") == "table"), None)
    if table is None:
        return None
    columns = table.get("columns")
    if not columns and s.field.key == "results_framework":
        columns = [c for c in rf_columns(table) if c] or None
    if not columns:
        return None
    labels = template.column_labels(s.field.key)
    out = [label(labels[cid]) if cid in labels else "" for cid in columns]
    return [text if text != cid else "" for text, cid in zip(out, columns, strict=True)]   # never a code


def table_charts(template, s):
    """For a results framework: (column label, {row index: SVG}) with, per indicator, its
    baseline -> current -> target drawn on one line; None for other tables."""
    blocks = s.content.blocks or []
    table = next((b for b in blocks if b.get("t") == "table"), None)
    if table is None or s.field.key != "results_framework":
        return None
    lab = charts.Labels(baseline=_("Baseline"), current=_("Now"), target=_("Target"),
                        missing=_("%(what)s: no figure") % {"what": "{what}"},
                        title=_("Baseline %(b)s, now %(c)s, target %(t)s") % {
                            "b": "{baseline}", "c": "{current}", "t": "{target}"})
    out = {}
    for row in rf_rows(table):
        if row.level != "indicator":
            continue
        svg = charts.indicator_chart(row.cells.get("baseline", ""), row.cells.get("current", ""),
                                     row.cells.get("target", ""), lab, lang())
        if svg is not None:
            out[row.index] = svg
    return _("Progress"), out


def register(app):
    app.jinja_env.filters.update(dt=dt, num=num, label=label, prompt=prompt, comment_html=comment_html)
    app.jinja_env.globals.update(lang=lang, label_of=label_of, notification_text=notification_text,
                                 diff_words=diff_words, static_url=static_url, signoff_reason=signoff_reason,
                                 internal_to=internal_to, part_title=part_title, table_header=table_header,
                                 table_charts=table_charts, count_bar=charts.count_bar, event_sentence=event_sentence,
                                 event_details=event_details)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
