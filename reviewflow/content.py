"""Section content: canonical text and structure (pure; no Flask, no database).

A section's content is a list of blocks (plain JSON-able dicts):

    {"t": "p", "text": "...", "style": "Heading 2", "heading": 2, "list": 0}
    {"t": "table", "columns": ["indicator", ...] (optional), "rows": [[cell, cell, ...], ...]}

where a cell is itself a list of blocks.  Only "t" and "text" are required on a paragraph.

The canonical text of a section is the text of its paragraphs in document order (table cells
row by row, each cell's paragraphs in turn) joined by "\n", NFC-normalised.  Offsets of anchors
are Python ``str`` indices into it.  The same functions serve Word uploads and browser edits.
"""
from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import dataclass

LIST_MARKERS = ("- ", "• ", "* ")


def normalize(text: str | None) -> str:
    """NFC, and every line ending as "\\n"."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    return unicodedata.normalize("NFC", text)


@dataclass(frozen=True)
class CharCount:
    """Word's "characters (with spaces)" and "characters (no spaces)" for canonical text.

    Counted on the NFC text: one per Unicode code point, spaces, tabs and non-breaking spaces
    included, paragraph breaks ("\\n") not counted.
    """
    with_spaces: int
    without_spaces: int


def count(text: str) -> CharCount:
    text = normalize(text)
    with_spaces = sum(1 for ch in text if ch != "\n")
    without = sum(1 for ch in text if not ch.isspace())
    return CharCount(with_spaces, without)


def paragraph(text: str, **extra) -> dict:
    block = {"t": "p", "text": normalize(text)}
    block.update({k: v for k, v in extra.items() if v is not None})
    return block


def iter_paragraphs(blocks):
    """Every paragraph block in document order, tables flattened row by row."""
    for block in blocks or ():
        if block.get("t") == "table":
            for row in block.get("rows", ()):
                for cell in row:
                    cell_blocks = cell if cell else [paragraph("")]
                    yield from iter_paragraphs(cell_blocks)
        else:
            yield block


def blocks_text(blocks) -> str:
    return "\n".join(p.get("text", "") for p in iter_paragraphs(blocks))


def paragraph_offsets(blocks):
    """(start, end) of each paragraph of ``iter_paragraphs`` in the canonical text."""
    out, pos = [], 0
    for p in iter_paragraphs(blocks):
        n = len(p.get("text", ""))
        out.append((pos, pos + n))
        pos += n + 1
    return out


def text_blocks(text: str, previous=None) -> list[dict]:
    """Blocks from the text of the browser editor.

    One paragraph per line.  A line starting with "- ", "• " or "* " is a list item (two leading
    spaces per extra level); the marker is not part of the canonical text.  Styles of the
    previous content are kept for paragraphs whose text is unchanged.
    """
    styles = {}
    for p in iter_paragraphs(previous or ()):
        if p.get("style") and p.get("text"):
            styles.setdefault(p["text"], {k: p[k] for k in ("style", "heading") if k in p})
    blocks = []
    for line in normalize(text).split("\n"):
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        marker = next((m for m in LIST_MARKERS if stripped.startswith(m)), None)
        if marker:
            body = stripped[len(marker):]
            blocks.append(paragraph(body, list=indent // 2, **styles.get(body, {})))
        else:
            blocks.append(paragraph(line, **styles.get(line, {})))
    while len(blocks) > 1 and not blocks[-1]["text"] and "list" not in blocks[-1]:
        blocks.pop()
    return blocks


def editor_text(blocks) -> str:
    """The inverse of ``text_blocks`` for narrative content (tables are edited elsewhere)."""
    lines = []
    for p in iter_paragraphs(blocks):
        if p.get("list") is not None:
            lines.append("  " * int(p["list"]) + "- " + p.get("text", ""))
        else:
            lines.append(p.get("text", ""))
    return "\n".join(lines)


def table_block(columns, rows) -> dict:
    """A table of plain-text cells: ``rows`` is a list of lists of strings."""
    return {"t": "table", "columns": list(columns) if columns else None,
            "rows": [[[paragraph(line) for line in normalize(cell).split("\n")] for cell in row] for row in rows]}


def table_cells(block) -> list[list[str]]:
    """Rows of cell texts (a cell's paragraphs joined by "\\n")."""
    return [["\n".join(p.get("text", "") for p in iter_paragraphs(cell)) for cell in row]
            for row in block.get("rows", ())]


def content_hash(blocks) -> str:
    payload = json.dumps(blocks, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()
