"""Deterministic generator of a large FRENCH PBF donor report as a .docx, with its expectations.

Pure function of its arguments (same arguments -> same bytes); stdlib only (zipfile + strings,
no lxml, no python-docx) so it is fast: 300 pages / 2,000 comments in well under a second.

API
---
``generate_report(pages=60, comments=300, *, seed=0, words_per_page=500, reply_share=0.3,
resolved_share=0.25, revision_every=6, span_share=0.1, cell_share=0.15) -> GeneratedReport``

* ``pages``: about ``words_per_page`` words each (headings, body paragraphs, list items).
* ``comments``: total number of ``w:comment`` elements, replies included
  (``round(comments * reply_share)`` are replies to a random root comment).
* Every ``revision_every``-th body paragraph gets a tracked insertion (kept in the accepted
  text) and a tracked deletion (dropped from it), by one of four authors.
* One results-framework table ("Cadre de résultats", 5 columns) every 20 pages (at least one),
  captioned "Tableau N" where N is a SEQ field (instruction dropped, result kept).
* Threads are written the way Word writes them: ``commentsExtended.xml`` (w15:paraIdParent on
  the LAST paragraph's w14:paraId, w15:done on resolved roots), ``commentsIds.xml``
  (durableId) and ``commentsExtensible.xml`` (w16cex:dateUtc).  ``w:date`` carries the
  author's LOCAL wall-clock time with a false "Z", as Word does; ``dateUtc`` the true UTC.
* Comments anchor word ranges inside one paragraph or table cell; ``span_share`` of them run
  on into the next paragraph; ``cell_share`` of them sit in table cells.  A reply has the
  same range as its root (as Word writes it).  Ranges nest and overlap freely.

``GeneratedReport`` (frozen dataclass):

* ``data: bytes`` - the .docx package;
* ``text: str`` - the expected canonical accepted text (paragraphs joined by "\\n", table
  cells row by row, insertions kept, deletions and field instructions dropped; NFC);
* ``comments: list[ExpectedComment]`` in comments.xml order, each with ``id``, ``author``,
  ``initials``, ``text`` (body), ``start``/``end`` (offsets in ``text``), ``quote``
  (``== text[start:end]``), ``parent`` (root id or None), ``resolved`` (root's done flag),
  ``done`` (own flag), ``para_id``, ``durable_id``, ``date_utc`` (aware datetime) and
  ``date_local`` (the w:date string);
* ``revisions: dict[str, int]`` - number of tracked ``ins`` and ``del`` elements;
* ``pages``, ``words``, ``paragraphs``, ``tables``.

Run ``python bench/gen_report.py out.docx 60 300`` to write one file.
"""
from __future__ import annotations

import random
import sys
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from io import BytesIO
from xml.sax.saxutils import escape

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

NAMESPACES = (
    'xmlns:wpc="http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:o="urn:schemas-microsoft-com:office:office" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:w10="urn:schemas-microsoft-com:office:word" '
    f'xmlns:w="{W_NS}" '
    'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" '
    'xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml" '
    'xmlns:w16cex="http://schemas.microsoft.com/office/word/2018/wordml/cex" '
    'xmlns:w16cid="http://schemas.microsoft.com/office/word/2016/wordml/cid" '
    'xmlns:w16se="http://schemas.microsoft.com/office/word/2015/wordml/symex" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'mc:Ignorable="w14 w15 w16se w16cid w16cex"'
)

VOCAB = ["consolidation", "paix", "communautés", "femmes", "jeunes", "dialogue", "médiation", "réconciliation", "gouvernance", "autorités", "locales", "projet", "résultat", "indicateur", "bénéficiaires", "sécurité", "cohésion", "sociale", "conflits", "fonciers", "transhumance", "capacités", "renforcement", "comités", "formation", "sensibilisation", "partenaires", "œuvre", "activités", "rapport", "trimestre", "données", "suivi", "évaluation", "ciblées", "villages", "régions", "frontalières", "déplacés", "retournés", "réfugiés", "participation", "inclusion", "égalité", "genre", "droits", "humains", "justice", "transitionnelle", "confiance", "institutions", "élus", "leaders", "religieux", "coutumiers", "radio", "communautaire", "espaces", "atteint", "progrès", "retard", "défis", "leçons", "apprises", "durabilité", "appropriation", "nationale", "budget", "dépenses", "décaissement", "taux", "cible", "référence", "établis", "mécanismes", "alerte", "précoce", "prévention", "violence", "basée", "médiatrices", "préfectures", "sous-préfectures", "organisations", "société", "civile", "réunions", "ateliers", "plaidoyer", "stratégie", "coordination", "gestion", "pacifique", "ressources", "naturelles", "éleveurs", "agriculteurs", "accès", "terres", "cohabitation"]
SMALL = ["de", "la", "le", "les", "des", "et", "dans", "pour", "avec", "à", "sur", "par", "en", "une", "un", "du", "au", "aux", "ont", "été", "est", "sont", "qui"]
AUTHORS = (
    # name, initials, UTC offset of the author's Word (hours)
    ("Aïssatou Diallo", "AD", 0),
    ("Jean-Baptiste Ndayisaba", "JBN", 2),
    ("Relecteur PBF", "RP", -4),
    ("Marie-Hélène Koné", "MHK", 1),
)
COLUMNS = ("Résultat / produit", "Indicateur", "Base de référence", "Cible", "Progrès")
BASE_DATE = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


@dataclass(frozen=True)
class ExpectedComment:
    id: str
    author: str
    initials: str
    text: str
    start: int
    end: int
    quote: str
    parent: str | None
    resolved: bool
    done: bool
    para_id: str
    durable_id: str
    date_utc: datetime
    date_local: str


@dataclass(frozen=True)
class GeneratedReport:
    data: bytes
    text: str
    comments: list[ExpectedComment]
    revisions: dict[str, int] = field(default_factory=dict)
    pages: int = 0
    words: int = 0
    paragraphs: int = 0
    tables: int = 0


class _Para:
    """A paragraph: tokens (words with their trailing space, "\\t", or a field tuple)."""

    __slots__ = ("tokens", "style", "ilvl", "ins", "dels", "marks", "cell")

    def __init__(self, tokens, style=None, ilvl=None, cell=False):
        self.tokens = tokens
        self.style = style
        self.ilvl = ilvl
        self.ins: dict[int, tuple[int, int]] = {}   # token index -> (end index, author index)
        self.dels: dict[int, tuple[str, int]] = {}  # before token index -> (text, author index)
        self.marks: dict[int, list[tuple[int, str]]] = {}  # before token index -> [(kind, id)]
        self.cell = cell


def _tok_text(tok) -> str:
    return tok[2] if isinstance(tok, tuple) else tok


def generate_report(pages: int = 60, comments: int = 300, *, seed: int = 0,
                    words_per_page: int = 500, reply_share: float = 0.3,
                    resolved_share: float = 0.25, revision_every: int = 6,
                    span_share: float = 0.1, cell_share: float = 0.15) -> GeneratedReport:
    rnd = random.Random(seed)

    def sentence(n):
        words = [rnd.choice(SMALL) if rnd.random() < 0.35 else rnd.choice(VOCAB) for _ in range(n)]
        words[0] = words[0][:1].upper() + words[0][1:]
        words[-1] += rnd.choice((".", ".", ".", ";", ","))
        return words

    # ---- content -----------------------------------------------------------------------
    blocks: list = []          # _Para or ("table", caption _Para, rows[[[_Para]]])
    body_paras: list[_Para] = []
    cell_paras: list[_Para] = []
    total_words = 0
    target = pages * words_per_page
    section = 0
    n_tables = 0
    table_every = max(1, (pages * words_per_page) // max(1, pages // 20 or 1))
    next_table = table_every // 2
    while total_words < target:
        if not blocks or rnd.random() < 0.16:
            section += 1
            level = 1 if section % 4 == 1 else 2
            title = sentence(rnd.randint(3, 7))
            title[-1] = title[-1].rstrip(".;,")
            toks = [f"{section // 4 + 1}.{section % 4 + 1}", "\t"] + [w + " " for w in title[:-1]] + [title[-1]]
            blocks.append(_Para(toks, style="Titre1" if level == 1 else "Titre2"))
            continue
        if total_words >= next_table:
            n_tables += 1
            next_table += table_every
            caption = _Para(["Tableau ", ("field", " SEQ Tableau \\* ARABIC ", str(n_tables)),
                             " : ", "Cadre ", "de ", "résultats ", "du ", "projet"], style="Lgende")
            rows = [[[_Para([c], cell=True)] for c in COLUMNS]]
            for _r in range(8):
                row = []
                for c in range(5):
                    words = sentence(rnd.randint(2, 9)) if c < 2 else [f"{rnd.randint(0, 400)}", "bénéficiaires"]
                    cps = [_Para([w + " " for w in words[:-1]] + [words[-1]], cell=True)]
                    if c == 4 and rnd.random() < 0.3:
                        more = sentence(rnd.randint(3, 8))
                        cps.append(_Para([w + " " for w in more[:-1]] + [more[-1]], cell=True))
                    for cp in cps:
                        total_words += len(cp.tokens)
                        cell_paras.append(cp)
                    row.append(cps)
                rows.append(row)
            blocks.append(("table", caption, rows))
            continue
        n = rnd.randint(55, 110)
        words = []
        while len(words) < n:
            words += sentence(rnd.randint(8, 22))
        toks = [w + " " for w in words[:-1]] + [words[-1]]
        ilvl = None
        if rnd.random() < 0.08:
            toks = toks[:rnd.randint(8, 20)]
            toks[-1] = toks[-1].rstrip()
            ilvl = rnd.choice((0, 0, 1))
        para = _Para(toks, style="Paragraphedeliste" if ilvl is not None else None, ilvl=ilvl)
        total_words += len(toks)
        blocks.append(para)
        body_paras.append(para)

    # ---- tracked changes ---------------------------------------------------------------
    for k, para in enumerate(body_paras):
        if revision_every and k % revision_every == revision_every - 1 and len(para.tokens) > 12:
            i = rnd.randint(1, len(para.tokens) - 6)
            para.ins[i] = (i + rnd.randint(1, 4), rnd.randrange(len(AUTHORS)))
            j = rnd.randint(i + 6, len(para.tokens)) if i + 6 <= len(para.tokens) else len(para.tokens)
            if j not in para.ins and all(not (a < j < b) for a, (b, _) in para.ins.items()):
                para.dels[j] = (" ".join(rnd.choice(VOCAB) for _ in range(rnd.randint(1, 4))) + " ",
                                rnd.randrange(len(AUTHORS)))

    # ---- comments ----------------------------------------------------------------------
    n_replies = int(round(comments * reply_share)) if comments > 1 else 0
    n_roots = max(0, comments - n_replies)
    if n_roots == 0:
        n_replies = 0
    layout: list[_Para] = []  # paragraphs in canonical order
    for b in blocks:
        if isinstance(b, _Para):
            layout.append(b)
        else:
            layout.append(b[1])
            for row in b[2]:
                for cell in row:
                    layout.extend(cell)
    index_of = {id(p): i for i, p in enumerate(layout)}
    roots = []  # (layout index start, token start, layout index end, token end)
    for _ in range(n_roots):
        in_cell = cell_paras and rnd.random() < cell_share
        para = rnd.choice(cell_paras if in_cell else body_paras)
        li = index_of[id(para)]
        nt = len(para.tokens)
        a = rnd.randint(0, max(0, nt - 1))
        if rnd.random() < span_share and li + 1 < len(layout) and layout[li + 1].tokens:
            lj = li + 1
            b = rnd.randint(1, max(1, min(len(layout[lj].tokens), 12)))
        else:
            lj = li
            b = rnd.randint(a + 1, min(nt, a + 12))
        roots.append((li, a, lj, b))
    roots.sort()
    # Word numbers comments in document order; replies follow their root.
    reply_counts = [0] * len(roots)
    for _ in range(n_replies):
        reply_counts[rnd.randrange(len(roots))] += 1
    comments_out = []  # dicts
    next_id = 0
    used_ids: set[int] = set()

    def new_hex():
        while True:
            v = rnd.randint(0x100000, 0x7FFFFFFE)
            if v not in used_ids:
                used_ids.add(v)
                return f"{v:08X}"

    clock = BASE_DATE
    for k, (li, a, lj, b) in enumerate(roots):
        resolved = rnd.random() < resolved_share
        root_id = str(next_id)
        group = []
        for r in range(1 + reply_counts[k]):
            cid = str(next_id)
            next_id += 1
            author = AUTHORS[(k + r) % len(AUTHORS)] if r else AUTHORS[rnd.randrange(len(AUTHORS))]
            clock += timedelta(minutes=rnd.randint(3, 240))
            body = sentence(rnd.randint(5, 18))
            paras = [" ".join(body)]
            if rnd.random() < 0.15:
                paras.append(" ".join(sentence(rnd.randint(4, 10))))
            para_ids = [new_hex() for _ in paras]
            group.append({
                "id": cid, "author": author, "paras": paras, "para_ids": para_ids,
                "durable": new_hex(), "utc": clock,
                "local": (clock + timedelta(hours=author[2])).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "parent": None if r == 0 else root_id, "done": resolved and r == 0,
                "resolved": resolved, "range": (li, a, lj, b),
            })
        for c in group:
            layout[li].marks.setdefault(a, []).append((0, c["id"]))
        for c in group:
            layout[lj].marks.setdefault(b, []).append((1, c["id"]))
        comments_out.extend(group)

    # ---- expected canonical text ---------------------------------------------------------
    texts = []
    starts = []
    pos = 0
    for para in layout:
        t = "".join(_tok_text(tok) for tok in para.tokens)
        starts.append(pos)
        texts.append(t)
        pos += len(t) + 1
    text = "\n".join(texts)

    def offset(li, ti):
        return starts[li] + sum(len(_tok_text(tok)) for tok in layout[li].tokens[:ti])

    expected = []
    for c in comments_out:
        li, a, lj, b = c["range"]
        s, e = offset(li, a), offset(lj, b)
        expected.append(ExpectedComment(
            id=c["id"], author=c["author"][0], initials=c["author"][1], text="\n".join(c["paras"]),
            start=s, end=e, quote=text[s:e], parent=c["parent"], resolved=c["resolved"],
            done=c["done"], para_id=c["para_ids"][-1], durable_id=c["durable"],
            date_utc=c["utc"], date_local=c["local"]))

    # ---- XML ---------------------------------------------------------------------------
    rsids = [f"00{rnd.randint(0, 0xFFFFFF):06X}" for _ in range(12)]
    rpr = ('<w:rPr><w:rFonts w:ascii="Calibri" w:hAnsi="Calibri" w:cs="Calibri"/>'
           '<w:sz w:val="22"/><w:szCs w:val="22"/><w:lang w:val="fr-FR"/></w:rPr>')
    out: list[str] = []
    put = out.append
    rev_id = [10_000]
    counts = {"ins": 0, "del": 0}
    date_rev = "2026-03-01T10:00:00Z"

    def run(tokens, deleted=False):
        parts = []
        buf = []
        for tok in tokens:
            if tok == "\t":
                if buf:
                    parts.append(_t("".join(buf), deleted))
                    buf = []
                parts.append("<w:tab/>")
            else:
                buf.append(tok)
        if buf:
            parts.append(_t("".join(buf), deleted))
        return f'<w:r w:rsidR="{rsids[rnd.randrange(12)]}">{rpr}{"".join(parts)}</w:r>'

    def emit_para(para: _Para):
        pid = new_hex()
        put(f'<w:p w14:paraId="{pid}" w14:textId="77777777" w:rsidR="{rsids[0]}" '
            f'w:rsidRDefault="{rsids[1]}">')
        ppr = []
        if para.style:
            ppr.append(f'<w:pStyle w:val="{para.style}"/>')
        if para.ilvl is not None:
            ppr.append(f'<w:numPr><w:ilvl w:val="{para.ilvl}"/><w:numId w:val="1"/></w:numPr>')
        if not para.cell:
            ppr.append('<w:spacing w:after="120"/><w:jc w:val="both"/>')
        put(f'<w:pPr>{"".join(ppr)}<w:rPr><w:lang w:val="fr-FR"/></w:rPr></w:pPr>')
        toks = para.tokens
        n = len(toks)
        i = 0
        while i <= n:
            for kind, cid in para.marks.get(i, ()):
                if kind == 0:
                    put(f'<w:commentRangeStart w:id="{cid}"/>')
            for kind, cid in para.marks.get(i, ()):
                if kind == 1:
                    put(f'<w:commentRangeEnd w:id="{cid}"/><w:r>{_REFRPR}'
                        f'<w:commentReference w:id="{cid}"/></w:r>')
            if i in para.dels:
                dtext, who = para.dels[i]
                rev_id[0] += 1
                counts["del"] += 1
                put(f'<w:del w:id="{rev_id[0]}" w:author="{escape(AUTHORS[who][0])}" '
                    f'w:date="{date_rev}">{run([dtext], deleted=True)}</w:del>')
            if i == n:
                break
            # the next chunk: up to the next boundary (mark, del, ins start/end, run length)
            if i in para.ins:
                end, who = para.ins[i]
                end = min(end, n)
                stop = [j for j in range(i + 1, end) if j in para.marks or j in para.dels]
                end = stop[0] if stop else end
                rev_id[0] += 1
                counts["ins"] += 1
                put(f'<w:ins w:id="{rev_id[0]}" w:author="{escape(AUTHORS[who][0])}" '
                    f'w:date="{date_rev}">{run(toks[i:end])}</w:ins>')
                if end < para.ins[i][0]:
                    para.ins[end] = (para.ins[i][0], who)
                i = end
                continue
            j = i + 1
            limit = i + rnd.randint(3, 14)
            while j < n and j < limit and j not in para.marks and j not in para.dels and j not in para.ins:
                if isinstance(toks[j], tuple) or isinstance(toks[j - 1], tuple):
                    break
                j += 1
            tok = toks[i]
            if isinstance(tok, tuple):
                _, instr, result = tok
                put(f'<w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r>'
                    f'<w:r>{rpr}<w:instrText xml:space="preserve">{escape(instr)}</w:instrText></w:r>'
                    f'<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r>'
                    f'<w:r>{rpr}<w:t>{escape(result)}</w:t></w:r>'
                    f'<w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r>')
                i += 1
                continue
            if rnd.random() < 0.05:
                put('<w:proofErr w:type="spellStart"/>')
            put(run(toks[i:j]))
            i = j
        put("</w:p>")

    put(f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {NAMESPACES}><w:body>')
    for b in blocks:
        if isinstance(b, _Para):
            emit_para(b)
            continue
        _, caption, rows = b
        emit_para(caption)
        put('<w:tbl><w:tblPr><w:tblStyle w:val="Grilledutableau"/><w:tblW w:w="5000" w:type="pct"/>'
            '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" '
            'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>'
            + '<w:gridCol w:w="1870"/>' * 5 + '</w:tblGrid>')
        for r, row in enumerate(rows):
            put(f'<w:tr w:rsidR="{rsids[2]}" w14:paraId="{new_hex()}" w14:textId="77777777">')
            if r == 0:
                put('<w:trPr><w:tblHeader/></w:trPr>')
            for cell in row:
                put('<w:tc><w:tcPr><w:tcW w:w="1870" w:type="dxa"/></w:tcPr>')
                for cp in cell:
                    emit_para(cp)
                put("</w:tc>")
            put("</w:tr>")
        put("</w:tbl>")
    put('<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1417" w:right="1417" '
        'w:bottom="1417" w:left="1417" w:header="708" w:footer="708" w:gutter="0"/></w:sectPr>'
        "</w:body></w:document>")
    document_xml = "".join(out)

    # comments.xml and friends
    cx = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:comments {NAMESPACES}>']
    ext = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w15:commentsEx {NAMESPACES}>']
    ids = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w16cid:commentsIds {NAMESPACES}>']
    cex = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w16cex:commentsExtensible {NAMESPACES}>']
    last_para_of = {c["id"]: c["para_ids"][-1] for c in comments_out}
    for c in comments_out:
        name, initials, _ = c["author"]
        cx.append(f'<w:comment w:id="{c["id"]}" w:author="{escape(name)}" w:date="{c["local"]}" '
                  f'w:initials="{initials}">')
        for k, (ptext, pid) in enumerate(zip(c["paras"], c["para_ids"], strict=False)):
            ref = '<w:r><w:rPr><w:rStyle w:val="Marquedecommentaire"/></w:rPr><w:annotationRef/></w:r>' if k == 0 else ""
            cx.append(f'<w:p w14:paraId="{pid}" w14:textId="77777777"><w:pPr><w:pStyle '
                      f'w:val="Commentaire"/></w:pPr>{ref}<w:r><w:t xml:space="preserve">'
                      f'{escape(ptext)}</w:t></w:r></w:p>')
        cx.append("</w:comment>")
        parent = f' w15:paraIdParent="{last_para_of[c["parent"]]}"' if c["parent"] else ""
        ext.append(f'<w15:commentEx w15:paraId="{c["para_ids"][-1]}"{parent} '
                   f'w15:done="{1 if c["done"] else 0}"/>')
        ids.append(f'<w16cid:commentId w16cid:paraId="{c["para_ids"][-1]}" '
                   f'w16cid:durableId="{c["durable"]}"/>')
        cex.append(f'<w16cex:commentExtensible w16cex:durableId="{c["durable"]}" '
                   f'w16cex:dateUtc="{c["utc"].strftime("%Y-%m-%dT%H:%M:%SZ")}"/>')
    cx.append("</w:comments>")
    ext.append("</w15:commentsEx>")
    ids.append("</w16cid:commentsIds>")
    cex.append("</w16cex:commentsExtensible>")

    parts = {
        "[Content_Types].xml": _CONTENT_TYPES,
        "_rels/.rels": _ROOT_RELS,
        "docProps/app.xml": _APP.format(pages=pages, words=total_words),
        "docProps/core.xml": _CORE,
        "word/document.xml": document_xml,
        "word/_rels/document.xml.rels": _DOC_RELS,
        "word/styles.xml": _STYLES,
        "word/numbering.xml": _NUMBERING,
        "word/settings.xml": _SETTINGS,
        "word/comments.xml": "".join(cx),
        "word/commentsExtended.xml": "".join(ext),
        "word/commentsIds.xml": "".join(ids),
        "word/commentsExtensible.xml": "".join(cex),
    }
    buf = BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for name, body in parts.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, body.encode("utf-8"))
    return GeneratedReport(data=buf.getvalue(), text=text, comments=expected,
                           revisions=dict(counts), pages=pages,
                           words=total_words, paragraphs=len(layout), tables=n_tables)


def _t(text: str, deleted: bool) -> str:
    tag = "w:delText" if deleted else "w:t"
    return f'<{tag} xml:space="preserve">{escape(text)}</{tag}>'


_REFRPR = '<w:rPr><w:rStyle w:val="Marquedecommentaire"/></w:rPr>'

_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/><Override PartName="/word/comments.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/><Override PartName="/word/commentsExtended.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.commentsExtended+xml"/><Override PartName="/word/commentsIds.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.commentsIds+xml"/><Override PartName="/word/commentsExtensible.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.commentsExtensible+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>"""

_ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"""

_DOC_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/><Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments" Target="comments.xml"/><Relationship Id="rId5" Type="http://schemas.microsoft.com/office/2011/relationships/commentsExtended" Target="commentsExtended.xml"/><Relationship Id="rId6" Type="http://schemas.microsoft.com/office/2016/09/relationships/commentsIds" Target="commentsIds.xml"/><Relationship Id="rId7" Type="http://schemas.microsoft.com/office/2018/08/relationships/commentsExtensible" Target="commentsExtensible.xml"/></Relationships>"""

_APP = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Template>Normal.dotm</Template><TotalTime>412</TotalTime><Pages>{pages}</Pages><Words>{words}</Words><Application>Microsoft Office Word</Application><DocSecurity>0</DocSecurity><AppVersion>16.0000</AppVersion></Properties>"""

_CORE = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>Rapport semestriel PBF</dc:title><dc:creator>Aïssatou Diallo</dc:creator><cp:lastModifiedBy>Relecteur PBF</cp:lastModifiedBy><cp:revision>7</cp:revision><dcterms:created xsi:type="dcterms:W3CDTF">2026-02-20T09:00:00Z</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">2026-03-20T17:00:00Z</dcterms:modified></cp:coreProperties>"""

_STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{W_NS}"><w:docDefaults><w:rPrDefault><w:rPr><w:lang w:val="fr-FR"/></w:rPr></w:rPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="Titre1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:pPr><w:keepNext/><w:outlineLvl w:val="0"/></w:pPr></w:style><w:style w:type="paragraph" w:styleId="Titre2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:pPr><w:keepNext/><w:outlineLvl w:val="1"/></w:pPr></w:style><w:style w:type="paragraph" w:styleId="Paragraphedeliste"><w:name w:val="List Paragraph"/><w:basedOn w:val="Normal"/><w:pPr><w:ind w:left="720"/></w:pPr></w:style><w:style w:type="paragraph" w:styleId="Lgende"><w:name w:val="caption"/><w:basedOn w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="Commentaire"><w:name w:val="annotation text"/><w:basedOn w:val="Normal"/></w:style><w:style w:type="character" w:styleId="Marquedecommentaire"><w:name w:val="annotation reference"/></w:style><w:style w:type="table" w:styleId="Grilledutableau"><w:name w:val="Table Grid"/></w:style></w:styles>"""

_NUMBERING = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering xmlns:w="{W_NS}"><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="o"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>"""

_SETTINGS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:w="{W_NS}"><w:trackRevisions/><w:defaultTabStop w:val="708"/><w:lang w:val="fr-FR"/></w:settings>"""


if __name__ == "__main__":  # pragma: no cover
    path = sys.argv[1] if len(sys.argv) > 1 else "report.docx"
    pg = int(sys.argv[2]) if len(sys.argv) > 2 else 60
    nc = int(sys.argv[3]) if len(sys.argv) > 3 else 300
    rep = generate_report(pg, nc)
    with open(path, "wb") as fh:
        fh.write(rep.data)
    print(f"{path}: {len(rep.data)} bytes, {rep.words} words, {rep.paragraphs} paragraphs, "
          f"{len(rep.comments)} comments, {rep.tables} tables, revisions {rep.revisions}")
