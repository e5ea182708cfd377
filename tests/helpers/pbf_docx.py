"""Build PBF-like report .docx files in code (for import, re-anchoring and export tests).

The layout follows the French template as the seed shows it: each question of the template
("prompt") in its own paragraph, the answer in the following paragraphs; cover-page answers on
the prompt's own line ("Titre du projet: ..."); Part II opens each outcome with "Résultat k: ...";
Part V is the results-framework table.  Comments are placed on quoted words with real comment
ranges, replies and resolved marks (commentsExtended), tracked changes as w:ins / w:del.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from reviewflow.report_templates import load_template
from tests.helpers.docxbuild import (
    comment,
    comments_xml,
    cre,
    crs,
    dele,
    extended_xml,
    ids_xml,
    ins,
    make_docx,
    p,
    t,
    tbl,
)


@dataclass
class WComment:
    key: str                  # section key the quote is in
    quote: str                # words to put the comment on ("" = the section's first paragraph start, point)
    text: str
    author: str = "Malika Groga Bada"
    replies: list = field(default_factory=list)   # [(author, text)]
    resolved: bool = False
    date: str = "2021-11-20T10:00:00Z"
    occurrence: int = 0       # which occurrence of the quote in the section


@dataclass
class Tracked:
    key: str
    deleted: str              # text that a reviewer deleted (must not appear in the accepted text)
    inserted: str             # text inserted in its place (appears in the accepted text)
    after: str                # the words after which the change sits in the accepted text


COVER_INLINE = ("country", "report_year", "project_title", "project_numbers", "first_transfer_date",
                "project_end_date", "implementation_rate", "gewe_budget_allocated", "gewe_budget_spent",
                "gender_marker", "report_prepared_by", "report_approved_by", "trust_fund_name")


def _runs(text, marks, tracked):
    """Runs of one paragraph: ``marks`` = [(start, end, cid list)], ``tracked`` = [(pos, del, ins)]."""
    events = []
    for start, end, cids in marks:
        events.append((start, 0, "".join(crs(c) for c in cids)))
        events.append((end, 2, "".join(cre(c) for c in cids)))
    for pos, deleted, inserted in tracked:
        events.append((pos, 1, ("del", deleted, inserted)))
    events.sort(key=lambda e: (e[0], e[1]))
    out, pos = [], 0
    for at, _order, what in events:
        if isinstance(what, tuple):
            _kind, deleted, inserted = what
            if at > pos:
                out.append(t(text[pos:at]))
            out.append(dele(deleted))
            out.append(ins(inserted))
            pos = at + len(inserted)
            continue
        if at > pos:
            out.append(t(text[pos:at]))
            pos = at
        out.append(what)
    if pos < len(text):
        out.append(t(text[pos:]))
    return out


def build(answers: dict, *, outcomes: int = 2, comments=(), tracked=(), lang="fr", dropdowns=None,
          rf_rows=None, preamble=(), trailer=(), app="word") -> bytes:
    """A PBF report .docx: ``answers`` maps section keys to text (one paragraph per line)."""
    tpl = load_template("pbf")
    dropdowns = dropdowns or {}
    comment_xml, ext_rows, id_rows = [], [], []
    cid = 0
    pending = {}   # key -> list of (quote, occurrence, [cids])
    for c in comments:
        ids = [cid]
        comment_xml.append(comment(cid, c.text, author=c.author, initials="".join(w[0] for w in c.author.split()),
                                   date=c.date, para_ids=[f"{0x10000000 + cid:08X}"]))
        ext_rows.append((f"{0x10000000 + cid:08X}", None, c.resolved))
        id_rows.append((f"{0x10000000 + cid:08X}", f"{0x20000000 + cid:08X}"))
        root = cid
        cid += 1
        for author, text in c.replies:
            ids.append(cid)
            comment_xml.append(comment(cid, text, author=author, initials="R", date=c.date,
                                       para_ids=[f"{0x10000000 + cid:08X}"]))
            ext_rows.append((f"{0x10000000 + cid:08X}", f"{0x10000000 + root:08X}", False))
            id_rows.append((f"{0x10000000 + cid:08X}", f"{0x20000000 + cid:08X}"))
            cid += 1
        pending.setdefault(c.key, []).append((c.quote, c.occurrence, ids))
    changes = {}
    for tr in tracked:
        changes.setdefault(tr.key, []).append(tr)

    placed = set()

    def para(key, text, prefix=""):
        full = prefix + text
        marks = []
        for n, (quote, occ, ids) in enumerate(pending.get(key, [])):
            if not quote or (key, n) in placed:
                continue
            idx = -1
            for _ in range(occ + 1):
                idx = full.find(quote, idx + 1)
                if idx < 0:
                    break
            if idx >= 0:
                marks.append((idx, idx + len(quote), ids))
                placed.add((key, n))
        tr = []
        for change in changes.get(key, []):
            idx = text.find(change.after)
            if idx >= 0:
                tr.append((len(prefix) + idx + len(change.after), change.deleted, change.inserted))
        return p(*_runs(prefix + text, marks, tr))

    body = [p(x) for x in preamble]
    for part in tpl.parts:
        if part.id != "cover":
            body.append(p(part.label_in(lang)))
        if part.intro:
            body.append(p(part.intro[lang]))
        ks = range(1, outcomes + 1) if part.repeat else (None,)
        for k in ks:
            for f in part.fields:
                key = f"outcome_{k}.{f['id']}" if k else f["id"]
                prompt = f["prompt"][lang]
                if f["kind"] == "static_guidance":
                    if f.get("items"):
                        body.append(p(prompt))
                        body += [p(i[lang]) for i in f["items"]]
                    elif prompt:
                        body.append(p(prompt))
                    continue
                if f["id"] == "statement":
                    label = f"{'Résultat' if lang == 'fr' else 'Outcome'} {k}:  "
                    body.append(para(key, answers.get(key, ""), prefix=label))
                    continue
                if key == "results_framework":
                    body.append(p(prompt))
                    if rf_rows:
                        body.append(tbl(*rf_rows))
                    continue
                text = answers.get(key)
                if key in dropdowns:
                    body.append(p(t(prompt + " : "), dropdown(dropdowns[key][0], dropdowns[key][1])))
                    continue
                if key in COVER_INLINE:
                    body.append(para(key, text or "", prefix=prompt + ": "))
                    continue
                if text is None:
                    continue
                limit = f.get("limit")
                suffix = f" (limite de {limit} caractères)" if limit and lang == "fr" else ""
                body.append(p(prompt + suffix + " :"))
                for line in text.split("\n"):
                    body.append(para(key, line))
    body += [p(x) for x in trailer]
    parts = {}
    if comment_xml:
        parts["word/comments.xml"] = comments_xml(*comment_xml)
        parts["word/commentsExtended.xml"] = extended_xml(*ext_rows)
        parts["word/commentsIds.xml"] = ids_xml(*id_rows)
    return make_docx("".join(body), parts=parts, app=None if app == "google_docs" else
                     '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
                     '<Application>Microsoft Office Word</Application></Properties>')


def dropdown(entries, selected: int) -> str:
    """A legacy FORMDROPDOWN field showing entries[selected]."""
    items = "".join(f'<w:listEntry w:val="{escape(e)}"/>' for e in entries)
    return ('<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="Dropdown1"/><w:enabled/>'
            f'<w:calcOnExit w:val="0"/><w:ddList><w:result w:val="{selected}"/>{items}</w:ddList></w:ffData>'
            '</w:fldChar></w:r><w:r><w:instrText xml:space="preserve"> FORMDROPDOWN </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            f'{t(entries[selected])}<w:r><w:fldChar w:fldCharType="end"/></w:r>')


RF_HEADER = ["", "Indicateurs", "Base de donnée", "Cible de fin de projet", "Etapes d'indicateur/ milestone",
             "Progrès actuel de l'indicateur", "Raisons pour les retards ou changements"]
