"""Plain immutable data of both directions (no behaviour beyond small helpers).

Read: :class:`Document` and what it holds (:class:`WordComment`, :class:`Revision`,
:class:`FormField`).  Offsets (``start``/``end``) are Python ``str`` indices into
``Document.text``, the canonical accepted text (see ``reviewflow.content``).

Written: the export input types, :class:`ExportThread` of :class:`ExportComment` (for
``annotate_docx``) and :class:`GenDocument` of :class:`GenPart` of :class:`GenSection` (for
``generate_docx``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class WordComment:
    id: str                      # w:id as written in the file
    author: str
    initials: str
    date: datetime | None        # aware UTC; see ``date_source``
    date_raw: str | None         # w:date exactly as written (Word's local time with a false "Z")
    text: str                    # body: its paragraphs joined by "\n" (accepted view, NFC)
    start: int
    end: int
    quote: str                   # == Document.text[start:end]
    parent: str | None = None    # id of the thread's ROOT comment; None for a root
    resolved: bool = False       # thread state: w15:done of the root
    done: bool = False           # this comment's own w15:done
    para_id: str | None = None   # w14:paraId of the LAST paragraph of the body (thread key)
    durable_id: str | None = None  # w16cid:durableId from commentsIds.xml
    in_part: str = "document"    # story holding the anchor: document|footnotes|endnotes|unknown
    date_source: str | None = None  # "utc" (w16cex:dateUtc), "local" (w:date, offset unknown), None
    anchor: str = "range"        # range | point (reference only) | missing (no marker at all)

    @property
    def is_reply(self) -> bool:
        return self.parent is not None


@dataclass(frozen=True)
class Revision:
    kind: str                    # ins|del|moveFrom|moveTo|rPrChange|pPrChange|rowIns|rowDel|
                                 # cellIns|cellDel|cellMerge|tblPrChange|trPrChange|tcPrChange|
                                 # sectPrChange|numberingChange
    author: str
    date: datetime | None        # w:date as written (Word's local wall-clock, labelled UTC)
    text: str                    # the run text the change affects (inserted/deleted/moved/...)
    start: int                   # offset in Document.text where the change sits
    end: int                     # end offset (== start for deletions: nothing remains)
    id: str | None = None        # w:id
    paragraph_mark: bool = False  # an inserted/deleted/moved paragraph mark (pPr/rPr/ins|del)
    date_raw: str | None = None


@dataclass(frozen=True)
class FormField:
    kind: str                    # checkbox | dropdown | text
    name: str                    # legacy: w:ffData/w:name (else its bookmark); sdt: tag, else alias
    value: str                   # checkbox: "1"/"0"; dropdown: displayed entry; text: its text
    options: list[str] = field(default_factory=list)
    checked: bool | None = None  # checkboxes only
    start: int = 0
    source: str = "legacy"       # legacy (FORMCHECKBOX/FORMDROPDOWN/FORMTEXT) | sdt
    end: int = 0


@dataclass(frozen=True)
class RevisionSummary:
    count: int
    authors: list[str]
    by_kind: dict[str, int]

    def __str__(self) -> str:
        if not self.count:
            return "no unaccepted changes"
        changes = "change" if self.count == 1 else "changes"
        n = len(self.authors)
        by = f" by {n} author{'s' if n != 1 else ''}" if n else ""
        return f"{self.count} unaccepted {changes}{by}"


def summarize_revisions(revisions) -> RevisionSummary:
    """Count and authors of tracked changes, e.g. ``"14 unaccepted changes by 3 authors"``."""
    authors: list[str] = []
    by_kind: dict[str, int] = {}
    for rev in revisions:
        by_kind[rev.kind] = by_kind.get(rev.kind, 0) + 1
        if rev.author not in authors:
            authors.append(rev.author)
    return RevisionSummary(len(revisions), authors, by_kind)


@dataclass(frozen=True)
class Document:
    text: str
    blocks: list[dict]
    comments: list[WordComment] = field(default_factory=list)
    revisions: list[Revision] = field(default_factory=list)
    form_fields: list[FormField] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    app: str = "unknown"         # word | libreoffice | google_docs | superdoc | python-docx | unknown
    properties: dict = field(default_factory=dict)   # custom document properties: name -> text
    bookmarks: dict = field(default_factory=dict)    # bookmark name -> (start, end) offsets in text

    @property
    def revision_summary(self) -> RevisionSummary:
        return summarize_revisions(self.revisions)

    def comment(self, comment_id: str) -> WordComment | None:
        for c in self.comments:
            if c.id == comment_id:
                return c
        return None

    def threads(self) -> list[list[WordComment]]:
        """Each root comment followed by its replies, roots in file order."""
        threads: dict[str, list[WordComment]] = {c.id: [c] for c in self.comments if c.parent is None}
        for c in self.comments:
            if c.parent is not None and c.parent in threads:
                threads[c.parent].append(c)
        return list(threads.values())


# -- export input ------------------------------------------------------------------------------
@dataclass(frozen=True)
class ExportComment:
    author: str
    initials: str
    date: datetime | None        # aware UTC (a naive value is taken as UTC)
    text: str                    # body; "\n" separates paragraphs, "\t" is a tab


@dataclass(frozen=True)
class ExportThread:
    start: int                   # offsets into read_docx(original).text
    end: int
    comments: list[ExportComment]  # root first, then its replies in order
    resolved: bool = False
    point: bool = False          # a point comment at ``start`` (also when start == end)


@dataclass(frozen=True)
class GenSection:
    heading: str
    blocks: list                              # reviewflow.content blocks
    threads: list = field(default_factory=list)  # ExportThread, offsets in blocks_text(blocks)
    heading_level: int = 2
    bookmark: str | None = None               # a bookmark around the section's blocks (e.g. "rf_country")


@dataclass(frozen=True)
class GenPart:
    heading: str | None
    sections: list[GenSection]


@dataclass(frozen=True)
class GenDocument:
    title: str
    parts: list[GenPart]
    subtitle: list[str] = field(default_factory=list)
    author: str = ""                          # core property dc:creator ("" = none)
    language: str | None = None               # e.g. "fr-FR": the Normal style's language


__all__ = ["Document", "WordComment", "Revision", "FormField", "RevisionSummary",
           "summarize_revisions", "ExportComment", "ExportThread", "GenDocument", "GenPart",
           "GenSection"]
