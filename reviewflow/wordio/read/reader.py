"""Read a .docx into canonical text, blocks, comments, tracked changes and form fields.

:func:`read_docx` orchestrates: the guard (:mod:`.guard`), the lightened main part parsed in a
worker thread (:mod:`.lighten`) while styles (:mod:`.styles`) and the comments' records
(:mod:`.comments`) are read, one walk of the body (:mod:`.walker`), then the anchors, tracked
changes and form fields.  Decisions, all documented in ``docs/docx-inspect.md``:

* **Accepted view.**  ``w:ins``/``w:moveTo`` kept; ``w:del``/``w:delText``/``w:moveFrom``
  dropped; deleted table rows/cells dropped; a paragraph whose mark is deleted (or moved away)
  merges with the next paragraph of the same container, taking that paragraph's style.
* **Fields.**  Instructions dropped; results kept; ``w:fldSimple`` read as its runs.
* **Characters.**  Tabs -> ``\\t``; breaks -> ``\\n``; ``w:noBreakHyphen`` -> U+2011;
  ``w:softHyphen`` dropped; ``w:sym`` decoded; math (``m:t``) kept; paragraphs joined by
  ``\\n``; NFC.
* **Wrappers.**  Content controls, smart tags, customXml, hyperlinks, bdo/dir unwrapped;
  ``mc:AlternateContent`` read through its first ``mc:Choice``.
* **Text boxes.**  Their paragraphs come right after the paragraph that anchors them.
* **Not read**: headers, footers, footnotes/endnotes text, comments' own text in the body.
  Footnotes/endnotes are scanned only for comment anchors.
"""
from __future__ import annotations

import gc

from ..errors import WordFileError
from ..model import Document
from ..oxml import BODY, RPRCHANGE, make_parser, parse_part
from ..properties import custom_part_name, read_custom_properties
from .comments import anchor_comments, read_records
from .fields import form_fields_of
from .guard import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_MEMBERS,
    DEFAULT_MAX_RATIO,
    DEFAULT_MAX_TOTAL_UNCOMPRESSED,
    Package,
    check_package,
)
from .lighten import BackgroundParse, lighten, parse_lightened
from .revisions import revisions_of
from .styles import Styles
from .walker import Walker

# Main parts at least this large are parsed in a worker thread while this thread reads the
# comments (see Reader.read).
_THREAD_MIN_BYTES = 512 * 1024


def read_docx(
    data: bytes,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_members: int = DEFAULT_MAX_MEMBERS,
    max_total_uncompressed: int = DEFAULT_MAX_TOTAL_UNCOMPRESSED,
    max_ratio: float = DEFAULT_MAX_RATIO,
) -> Document:
    """Read an untrusted .docx: :func:`check_package` first, then one walk of the body.

    Raises only :class:`WordFileError` (from the guard, or ``corrupt`` when the main part is
    not well-formed XML).  Anything unusual but readable becomes a ``Document.warnings`` entry.
    """
    pkg = check_package(data, max_bytes=max_bytes, max_members=max_members,
                        max_total_uncompressed=max_total_uncompressed, max_ratio=max_ratio)
    # The reader creates no reference cycles; pausing the cyclic GC saves it from traversing
    # the many short-lived objects of a large document (restored even on error).
    gc_was_enabled = gc.isenabled()
    if gc_was_enabled:
        gc.disable()
    try:
        return Reader(pkg).read()
    finally:
        if gc_was_enabled:
            gc.enable()


class Reader:
    """One read of a checked package: finds and parses its parts, collects the warnings."""

    def __init__(self, pkg: Package):
        self.pkg = pkg
        self.warnings: list[str] = list(pkg.warnings)
        self.parser = make_parser()

    def part(self, suffix: str, default: str):
        """The name of the part related to the main part by ``suffix`` (else ``default``)."""
        name = self.pkg.related(self.pkg.main_part, suffix)
        if name is None and default in self.pkg.xml:
            name = default
        return name

    def optional(self, name: str | None):
        """The parsed part, or None when absent or damaged (a warning says so)."""
        if name is None:
            return None
        try:
            return parse_part(self.pkg.xml[name], name, parser=self.parser)
        except WordFileError as exc:
            if exc.code == "doctype":  # pragma: no cover - refused by the guard already
                raise
            self.warnings.append(f"The part {name} is damaged and was ignored.")
            return None

    def read(self) -> Document:
        pkg = self.pkg
        main = pkg.main_part
        data = pkg.xml[main]
        # Lightened here, not in the worker: the regular expressions hold the GIL, and the
        # worker's parse (which releases it) should overlap with the comments' Python work.
        light = lighten(data)
        worker = (BackgroundParse(data, light, main) if len(data) >= _THREAD_MIN_BYTES
                  else None)
        if worker is not None and not worker.start():
            worker = None
        styles = Styles(self.optional(self.part("styles", "word/styles.xml")))
        try:
            records = read_records(
                self, self.optional(self.part("comments", "word/comments.xml")), styles)
        finally:
            root = worker.result() if worker is not None else None
        if root is None:
            root = parse_lightened(data, light, main, self.parser)

        walker = Walker(styles, self.warnings)
        # The few w:rPr holding a w:rPrChange, found by one C-level scan instead of a lookup in
        # every run (the proxies stay alive in the set, so identity tests are reliable).
        walker.rpr_changed = {el.getparent() for el in root.iter(RPRCHANGE)}
        body = root.find(BODY)
        if body is None:
            self.warnings.append("The document has no body; it is empty.")
        else:
            walker.walk_story(body)
        del root, body
        text = walker.layout()
        walker.close()

        comments = anchor_comments(records, walker, text, self.warnings)
        revisions = revisions_of(walker, text)
        forms = form_fields_of(walker, text)
        bookmarks = walker.bookmarks()
        return Document(text=text, blocks=walker.blocks, comments=comments,
                        revisions=revisions, form_fields=forms, warnings=self.warnings,
                        app=self.app(), properties=self.properties(), bookmarks=bookmarks)

    def properties(self) -> dict[str, str]:
        """The custom document properties (none when the part is absent or damaged)."""
        name = custom_part_name(self.pkg)
        if name is None or name not in self.pkg.xml:
            return {}
        try:
            return read_custom_properties(self.pkg.xml[name], name)
        except WordFileError as exc:
            if exc.code == "doctype":  # pragma: no cover - refused by the guard already
                raise
            self.warnings.append(f"The part {name} is damaged and was ignored.")
            return {}

    def app(self) -> str:
        """Which application wrote the file: word|libreoffice|google_docs|superdoc|python-docx|unknown."""
        xml = self.pkg.xml
        app_root = self.optional("docProps/app.xml") if "docProps/app.xml" in xml else None
        core_root = self.optional("docProps/core.xml") if "docProps/core.xml" in xml else None
        application, total_time = _children_text(app_root, ("Application", "TotalTime"))
        description, creator = _children_text(core_root, ("description", "creator"))
        modified_by, _ = _children_text(core_root, ("lastModifiedBy", "creator"))
        low = application.lower()
        if "superdoc" in low or "superdoc" in creator.lower() or "superdoc" in modified_by.lower():
            return "superdoc"     # SuperDoc (Harbour) writes docProps of its own: not Google Docs
        if "libreoffice" in low or "openoffice" in low:
            return "libreoffice"
        if "python-docx" in description.lower() and total_time in (None, "", "0"):
            return "python-docx"
        if "microsoft" in low and "word" in low:
            return "word"
        if app_root is None and core_root is None and "docProps/app.xml" not in xml:
            return "google_docs"
        if creator.lower() == "python-docx":
            return "python-docx"
        return "unknown"


def _children_text(root, locals_: tuple[str, str]) -> tuple:
    """The stripped text of the last child of ``root`` with each local name ("" if none)."""
    found = {}
    if root is not None:
        for el in root:
            local = el.tag.rsplit("}", 1)[-1] if isinstance(el.tag, str) else ""
            if local in locals_:
                found[local] = (el.text or "").strip()
    return tuple(found.get(name, "") for name in locals_)


__all__ = ["read_docx", "Reader"]
