"""Write threads into the ORIGINAL .docx (:func:`annotate_docx`): every comment it holds removed,
the given threads written in, anchored on offsets of the canonical text that
:func:`reviewflow.wordio.read_docx` gives for that same file.

Everything else (styles, pictures, tables, headers, numbering, tracked changes) is left as it
was: unchanged zip members are copied byte for byte (:mod:`.zipout`); in ``document.xml`` only
the runs a comment boundary falls in are split (:mod:`.markers`).  Offsets are mapped through
the reader's own walker (:mod:`.textmap`), so a comment written at ``[start, end)`` reads back
with ``quote == text[start:end]``.  Details in docs/docx-export.md.
"""
from __future__ import annotations

import gc
import posixpath
import threading
import zipfile
from collections.abc import Sequence
from io import BytesIO

from ..errors import CorruptError
from ..model import ExportComment, ExportThread
from ..oxml import BODY
from ..properties import (
    CUSTOM_PART,
    content_types_with_custom,
    custom_part_name,
    custom_properties_xml,
    root_rels_with_custom,
)
from ..read.guard import Package, check_package
from . import textmap
from .comment_parts import comment_parts, people_xml
from .ids import allocate, hex_ids, story_wids
from .markers import place, strip_comments
from .package import (
    COMMENT_KINDS,
    REL,
    STORY_KINDS,
    Part,
    content_types,
    rel_kind,
    relationships,
    rels_name,
)
from .zipout import ZipOut, deflate_soon

_THREAD_MIN_BYTES = 256 * 1024   # parts at least this large are deflated in a thread


def annotate_docx(original: bytes, threads: Sequence[ExportThread], *,
                  people: bool = False, properties: dict[str, str] | None = None) -> bytes:
    """The ``original`` package with all its comments removed and ``threads`` written in.

    Offsets are those of ``read_docx(original).text``.  ``properties``: custom document
    properties set in ``docProps/custom.xml`` (others kept).  Raises ``WordFileError`` for a
    file the guard refuses, ``ValueError``/``TypeError`` for invalid threads.
    """
    return annotate(original, threads, people=people, properties=properties)


def annotate(original: bytes, threads, *, people: bool, expect=None,
             properties: dict[str, str] | None = None) -> bytes:
    """:func:`annotate_docx`; ``expect(text)``, when given, is called with the canonical text
    before anything is placed (``generate_docx`` checks its offsets with it)."""
    # Like the reader: no reference cycles are made, so the cyclic GC (which would traverse
    # the many small objects of a large document again and again) is paused meanwhile.
    enabled = gc.isenabled()
    if enabled:
        gc.disable()
    try:
        return _annotate(original, threads, people=people, expect=expect, properties=properties)
    finally:
        if enabled:
            gc.enable()


def check_threads(threads) -> list[ExportThread]:
    """The threads as a list, after checking their types and ranges (TypeError, ValueError)."""
    out = []
    for n, th in enumerate(threads):
        if not isinstance(th, ExportThread):
            raise TypeError(f"thread {n} is not an ExportThread")
        if not th.comments:
            raise ValueError(f"thread {n} has no comments")
        if not (isinstance(th.start, int) and isinstance(th.end, int)):
            raise TypeError(f"thread {n}: start and end must be int offsets")
        if not 0 <= th.start <= th.end:
            raise ValueError(f"thread {n}: range [{th.start}, {th.end}) is not a range")
        for c in th.comments:
            if not isinstance(c, ExportComment):
                raise TypeError(f"thread {n}: comments must be ExportComment")
        out.append(th)
    return out


def _check_ranges(threads, length: int):
    for n, th in enumerate(threads):
        if th.end > length:
            raise ValueError(f"thread {n}: range [{th.start}, {th.end}) is outside the text "
                             f"(length {length})")


class ParseJob(threading.Thread):
    """Parse a part in a thread (lxml releases the GIL while parsing)."""

    def __init__(self, name: str, data: bytes):
        super().__init__(name="wordio-parse", daemon=True)
        self.args_ = (name, data)
        self.part = None
        self.error = None

    def begin(self) -> None:
        """Start the thread (when none can start, :meth:`result` parses in the caller)."""
        try:
            self.start()
        except RuntimeError:  # pragma: no cover - no threads available: parsed in result()
            pass

    def run(self):
        try:
            self.part = Part(*self.args_)
        except BaseException as exc:  # re-raised by result()
            self.error = exc
        self.args_ = None

    def result(self) -> Part:
        if self.ident is not None:
            self.join()
        elif self.part is None and self.error is None:  # never started: parse here
            self.run()
        if self.error is not None:
            raise self.error
        return self.part


def _annotate(original: bytes, threads, *, people: bool, expect=None, properties=None) -> bytes:
    threads = check_threads(threads)
    pkg = check_package(original)
    xml = pkg.xml
    main = pkg.main_part
    folder = posixpath.dirname(main)
    drop, stories, people_part = _parts_to_change(pkg)

    # The main part is parsed in a thread while everything that does not need its tree is
    # prepared here: ids, the comment parts, relationships and content types.
    main_bytes = xml.pop(main)
    # ISO 29500 Strict: the parts written are given Strict namespaces and relationship types
    strict = b"purl.oclc.org/ooxml/wordprocessingml/main" in main_bytes[:65536]
    job = ParseJob(main, main_bytes)
    job.begin()
    taken, used_wids = _ids_in_use(main_bytes, xml, stories, drop)
    del main_bytes

    styles_name = pkg.related(main, "styles")
    styles = xml.get(styles_name, b"") if styles_name else b""
    ref_style = b'styleId="CommentReference"' in styles
    text_style = b'styleId="CommentText"' in styles

    written, placed = allocate(original, threads, taken, used_wids)
    new_parts, new_rels = comment_parts(written, folder, ref_style, text_style, strict)
    changed: dict[str, bytes] = {}
    if people and written:
        _people_part(written, people_part, folder, xml, changed, new_parts, new_rels)
    main_rels = rels_name(main)
    changed[main_rels] = relationships(xml.get(main_rels), main_rels, main, drop, new_rels)
    ct_name = next(n for n in pkg.names if n.lower() == "[content_types].xml")
    changed[ct_name] = content_types(xml[ct_name], ct_name, drop, new_parts)
    if properties:
        _custom_properties(pkg, ct_name, changed, new_parts, properties)

    main_out, deflated = _rewrite_main(job, main, stories, xml, changed, threads, placed,
                                       ref_style, expect)
    del job  # the tree is freed while the main part is deflated
    changed[main] = main_out
    return _package(original, main, drop, new_parts, changed, deflated)


def _custom_properties(pkg: Package, ct_name: str, changed: dict, new_parts: dict,
                       properties: dict[str, str]) -> None:
    """docProps/custom.xml with ``properties`` set (its relationship and content type added)."""
    name = custom_part_name(pkg)
    if name is not None and name in pkg.names:
        changed[name] = custom_properties_xml(pkg.xml.get(name), properties)
        return
    name = CUSTOM_PART
    changed[name] = custom_properties_xml(None, properties)
    root_rels = next((n for n in pkg.names if n.lower() == "_rels/.rels"), "_rels/.rels")
    changed[root_rels] = root_rels_with_custom(pkg.xml.get(root_rels), name)
    changed[ct_name] = content_types_with_custom(changed[ct_name], name)


def _parts_to_change(pkg: Package) -> tuple[set[str], list[str], str | None]:
    """The comment parts to drop (with their own .rels), the stories whose markers must go,
    and the people part (if any)."""
    xml = pkg.xml
    main = pkg.main_part
    drop: set[str] = set()
    stories: list[str] = []
    people_part = None
    for _rid, rtype, name in pkg.relationships(main):
        kind = rel_kind(rtype)
        if kind in COMMENT_KINDS:
            drop.add(name)
        elif kind in STORY_KINDS and name in xml and name != main:
            stories.append(name)
        elif kind == "people":
            people_part = name
    folder = posixpath.dirname(main)
    for kind in COMMENT_KINDS:  # unreferenced leftovers under the default names
        default = posixpath.join(folder, kind + ".xml")
        if default in xml:
            drop.add(default)
    drop |= {rels_name(n) for n in drop if rels_name(n) in xml}
    return drop, stories, people_part


def _ids_in_use(main_bytes: bytes, xml: dict, stories: list[str], drop: set[str]):
    """Hex ids (paraId, textId, durableId) anywhere but in the dropped comment parts (which
    are removed from ``xml`` here); w:id values of the stories other than the comment
    markers being removed."""
    taken = hex_ids(main_bytes)
    used_wids = story_wids([main_bytes] + [xml[n] for n in stories])
    for name in drop:
        xml.pop(name, None)
    for data in xml.values():
        taken.update(hex_ids(data))
    return taken, used_wids


def _people_part(written, people_part, folder, xml, changed, new_parts, new_rels) -> None:
    """people.xml updated (or added, with its relationship) for the authors written."""
    authors = list(dict.fromkeys(w.author for w in written))
    if people_part:
        changed[people_part] = people_xml(authors, xml.get(people_part))
    else:
        name = posixpath.join(folder, "people.xml")
        new_parts[name] = people_xml(authors, None)
        new_rels.append((REL["people"], "people.xml"))


def _rewrite_main(job: ParseJob, main: str, stories: list[str], xml: dict, changed: dict,
                  threads, placed: list, ref_style: bool, expect):
    """The tree: old comments out (of the stories too, into ``changed``), new ones in.
    Returns the main part's bytes and, for a large one, its deflation job (started)."""
    doc = job.result()
    root = doc.root
    strip_comments(root)
    for name in stories:
        data = xml[name]
        if b"commentR" in data:
            part = Part(name, data)
            if strip_comments(part.root):
                changed[name] = part.tobytes()
    body = root.find(BODY)
    if body is None:
        raise CorruptError("The document has no body.", part=main)
    tm = textmap.build(body)
    if expect is not None:
        expect(tm.text)
    _check_ranges(threads, len(tm.text))
    place(root, tm, placed, ref_style)
    main_out = doc.tobytes()
    # the main part (the large one) is deflated in a thread while its tree is freed
    deflated = deflate_soon(main_out) if len(main_out) >= _THREAD_MIN_BYTES else None
    return main_out, deflated


def _package(original: bytes, main: str, drop: set, new_parts: dict, changed: dict,
             deflated) -> bytes:
    """The package: originals copied byte for byte unless changed or dropped."""
    zf = zipfile.ZipFile(BytesIO(original))
    out = ZipOut(original, zf)
    for info in zf.infolist():
        name = info.filename
        if name in drop or name in new_parts:
            continue
        if name in changed:
            out.add(name, changed.pop(name), date_time=info.date_time,
                    deflated=deflated if name == main else None)
        else:
            out.copy(info)
    for name, data in changed.items():  # e.g. a relationships part that did not exist
        out.add(name, data)
    for name, data in new_parts.items():
        out.add(name, data)
    return out.getvalue()


__all__ = ["annotate_docx", "annotate", "check_threads"]
