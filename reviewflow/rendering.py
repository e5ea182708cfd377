"""Section content -> HTML, with every user-written character escaped.

Paragraphs carry ``data-start``/``data-end`` (offsets into the section's canonical text) so the
browser can turn a selection into offsets; thread ranges become <mark> elements.
"""
from markupsafe import Markup, escape

from . import content as C


def _marks(text, start, ranges, findings):
    """Split one paragraph (canonical offsets [start, start+len)) at thread and finding boundaries."""
    end = start + len(text)
    inside = [(max(a, start), min(b, end), tid) for a, b, tid in ranges if a < end and b > start]
    found = [(max(a, start), min(b, end), fp, sev) for a, b, fp, sev in findings if a < end and b > start]
    if not inside and not found:
        return escape(text)
    cuts = sorted({start, end, *[r[0] for r in inside + found], *[r[1] for r in inside + found]})
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        html = escape(text[a - start:b - start])
        over = [(fp, sev) for s, e, fp, sev in found if s <= a and e >= b]
        if over:
            html = Markup('<mark class="fd {}" data-finding="{}">{}</mark>').format(over[0][1], over[0][0], html)
        ids = [str(tid) for s, e, tid in inside if s <= a and e >= b]
        if ids:
            html = Markup('<mark class="hl" data-threads="{}">{}</mark>').format(" ".join(ids), html)
        out.append(html)
    return Markup("").join(out)


def section_html(blocks, ranges=(), findings=(), *, empty_label="", header=None, extra=None) -> Markup:
    """``ranges``: (start, end, thread_id); ``findings``: (start, end, fingerprint, severity);
    both in canonical offsets.  For a table: ``header`` is its column labels (a header row), and
    ``extra`` = (label, {row index: Markup}) adds a last column drawn by the caller (a chart)."""
    offsets = iter(C.paragraph_offsets(blocks))
    ranges = [(a, b, t) for a, b, t in ranges if b > a]
    findings = [f for f in findings if f[1] > f[0]]

    def para(p):
        start, end = next(offsets)
        text = p.get("text", "")
        classes = []
        tag = "p"
        if p.get("heading"):
            tag = f"h{min(6, 3 + int(p['heading']))}"
        if p.get("list") is not None:
            classes.append(f"li li{min(int(p['list']), 4)}")
        if not text:
            classes.append("empty")
        cls = Markup(' class="{}"').format(" ".join(classes)) if classes else Markup("")
        return Markup('<{tag}{cls} data-start="{s}" data-end="{e}">{body}</{tag}>').format(
            tag=Markup(tag), cls=cls, s=start, e=end,
            body=_marks(text, start, ranges, findings) if text else Markup(""))

    def blocks_html(bs, top=True):
        out = []
        for b in bs:
            if b.get("t") == "table":
                rows = []
                extra_label, extra_cells = extra if (top and extra) else (None, {})
                width = len(header) + (1 if extra_label is not None else 0) if (top and header) else 0
                for i, row in enumerate(b.get("rows", ())):
                    parts = [blocks_html(cell or [C.paragraph("")], False) for cell in row]
                    if width and len(row) > 1 and not any(
                            C.blocks_text(cell or []).strip() for cell in row[1:]) and i not in extra_cells:
                        # a heading row (an outcome or an output): one cell across the table; the
                        # empty cells' paragraphs stay (hidden) so that offsets still add up
                        rest = Markup("").join(parts[1:]).replace(Markup("<p "), Markup("<p hidden "))
                        rows.append(Markup('<tr class="group"><td colspan="{}">{}{}</td></tr>').format(
                            width, parts[0], rest))
                        continue
                    cells = Markup("").join(Markup("<td>{}</td>").format(part) for part in parts)
                    if extra_label is not None:
                        cells += Markup('<td class="chart">{}</td>').format(extra_cells.get(i, ""))
                    rows.append(Markup("<tr>{}</tr>").format(cells))
                head = Markup("")
                if top and header:
                    labels = list(header) + ([extra_label] if extra_label is not None else [])
                    head = Markup("<thead><tr>{}</tr></thead>").format(Markup("").join(
                        Markup('<th scope="col">{}</th>').format(lab) for lab in labels))
                body = Markup("").join(rows)
                if head:
                    out.append(Markup('<div class="table-wrap" tabindex="0"><table class="doc-table with-head">{}'
                                      '<tbody>{}</tbody></table></div>').format(head, body))
                else:
                    out.append(Markup('<table class="doc-table">{}</table>').format(body))
            else:
                out.append(para(b))
        return Markup("").join(out)

    if not C.blocks_text(blocks).strip() and not any(b.get("t") == "table" for b in blocks or ()):
        return Markup('<p class="placeholder" data-start="0" data-end="0">{}</p>').format(empty_label)
    return blocks_html(blocks)
