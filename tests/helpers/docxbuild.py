"""Build minimal .docx packages in code for the wordio tests (zipfile + strings)."""
from __future__ import annotations

import io
import zipfile

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NSDECL = (
    f'xmlns:w="{W}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" '
    'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" '
    'xmlns:w15="http://schemas.microsoft.com/office/word/2012/wordml" '
    'xmlns:w16cid="http://schemas.microsoft.com/office/word/2016/wordml/cid" '
    'xmlns:w16cex="http://schemas.microsoft.com/office/word/2018/wordml/cex" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'mc:Ignorable="w14 w15 w16cid w16cex"'
)
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
MAIN_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
APP_WORD = ('<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
            'extended-properties"><Application>Microsoft Office Word</Application>'
            '<TotalTime>3</TotalTime></Properties>')

REL_TYPES = {
    "word/styles.xml": "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles",
    "word/comments.xml": "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments",
    "word/commentsExtended.xml": "http://schemas.microsoft.com/office/2011/relationships/commentsExtended",
    "word/commentsIds.xml": "http://schemas.microsoft.com/office/2016/09/relationships/commentsIds",
    "word/commentsExtensible.xml": "http://schemas.microsoft.com/office/2018/08/relationships/commentsExtensible",
    "word/footnotes.xml": "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes",
    "word/endnotes.xml": "http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes",
}


def p(*runs: str, ppr: str = "", attrs: str = "") -> str:
    """A paragraph; plain strings become runs, strings starting with "<" are raw XML."""
    inner = "".join(r if r.startswith("<") else t(r) for r in runs)
    return f"<w:p{(' ' + attrs) if attrs else ''}>{('<w:pPr>' + ppr + '</w:pPr>') if ppr else ''}{inner}</w:p>"


def t(text: str) -> str:
    """A run with one w:t."""
    from xml.sax.saxutils import escape
    return f'<w:r><w:rPr><w:lang w:val="fr-FR"/></w:rPr><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def ins(text: str, author: str = "Ana", date: str = "2026-03-01T10:00:00Z", rid: int = 1) -> str:
    return f'<w:ins w:id="{rid}" w:author="{author}" w:date="{date}">{t(text)}</w:ins>'


def dele(text: str, author: str = "Ben", date: str = "2026-03-01T11:00:00Z", rid: int = 2) -> str:
    from xml.sax.saxutils import escape
    return (f'<w:del w:id="{rid}" w:author="{author}" w:date="{date}"><w:r>'
            f'<w:delText xml:space="preserve">{escape(text)}</w:delText></w:r></w:del>')


def crs(cid) -> str:
    return f'<w:commentRangeStart w:id="{cid}"/>'


def cre(cid, ref: bool = True) -> str:
    out = f'<w:commentRangeEnd w:id="{cid}"/>'
    if ref:
        out += cref(cid)
    return out


def cref(cid) -> str:
    return f'<w:r><w:commentReference w:id="{cid}"/></w:r>'


def tbl(*rows) -> str:
    """rows: lists of cells; a cell is a string (one paragraph) or a list of paragraph XML."""
    out = ["<w:tbl><w:tblPr/><w:tblGrid/>"]
    for row in rows:
        out.append("<w:tr>")
        for cell in row:
            body = p(cell) if isinstance(cell, str) else "".join(cell)
            out.append(f"<w:tc><w:tcPr/>{body}</w:tc>")
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def comment(cid, *paras: str, author: str = "Relecteur", initials: str = "R",
            date: str | None = "2026-03-02T09:00:00Z", para_ids=None) -> str:
    """A w:comment; ``paras`` are texts (one paragraph each) or raw paragraph XML."""
    body = []
    for k, text in enumerate(paras or ("",)):
        pid = f' w14:paraId="{para_ids[k]}"' if para_ids and para_ids[k] else ""
        if text.startswith("<"):
            body.append(text if not pid else text.replace("<w:p>", f"<w:p{pid}>", 1))
        else:
            ref = '<w:r><w:annotationRef/></w:r>' if k == 0 else ""
            body.append(f"<w:p{pid}><w:pPr><w:pStyle w:val=\"CommentText\"/></w:pPr>{ref}{t(text)}</w:p>")
    date_attr = f' w:date="{date}"' if date is not None else ""
    return (f'<w:comment w:id="{cid}" w:author="{author}" w:initials="{initials}"{date_attr}>'
            + "".join(body) + "</w:comment>")


def comments_xml(*comments: str) -> str:
    return f"{DECL}<w:comments {NSDECL}>{''.join(comments)}</w:comments>"


def extended_xml(*rows: tuple) -> str:
    """rows: (paraId, parentParaId or None, done)"""
    out = []
    for pid, parent, done in rows:
        par = f' w15:paraIdParent="{parent}"' if parent else ""
        out.append(f'<w15:commentEx w15:paraId="{pid}"{par} w15:done="{1 if done else 0}"/>')
    return f"{DECL}<w15:commentsEx {NSDECL}>{''.join(out)}</w15:commentsEx>"


def ids_xml(*rows: tuple) -> str:
    """rows: (paraId, durableId)"""
    out = "".join(f'<w16cid:commentId w16cid:paraId="{a}" w16cid:durableId="{b}"/>' for a, b in rows)
    return f"{DECL}<w16cid:commentsIds {NSDECL}>{out}</w16cid:commentsIds>"


def extensible_xml(*rows: tuple) -> str:
    """rows: (durableId, dateUtc)"""
    out = "".join(f'<w16cex:commentExtensible w16cex:durableId="{a}" w16cex:dateUtc="{b}"/>'
                  for a, b in rows)
    return f"{DECL}<w16cex:commentsExtensible {NSDECL}>{out}</w16cex:commentsExtensible>"


def styles_xml(*styles: tuple) -> str:
    """styles: (styleId, name, extra pPr XML or "")"""
    out = []
    for sid, name, ppr in styles:
        out.append(f'<w:style w:type="paragraph" w:styleId="{sid}"><w:name w:val="{name}"/>'
                   f'{("<w:pPr>" + ppr + "</w:pPr>") if ppr else ""}</w:style>')
    return f"{DECL}<w:styles {NSDECL}>{''.join(out)}</w:styles>"


def document_xml(body: str) -> str:
    return f"{DECL}<w:document {NSDECL}><w:body>{body}<w:sectPr/></w:body></w:document>"


def make_docx(body: str = "", *, parts: dict | None = None, app: str | None = APP_WORD,
              main_content_type: str = MAIN_CT, content_types: str | None = None,
              document: str | None = None, extra: dict | None = None, rels: bool = True) -> bytes:
    """A .docx whose body is ``body``; ``parts`` maps e.g. "word/comments.xml" to XML text.

    ``app=None`` leaves out docProps/app.xml (as Google Docs exports do).  ``extra`` adds raw
    members (bytes or str) without relationships or content types.
    """
    parts = dict(parts or {})
    members: dict[str, bytes | str] = {}
    overrides = [f'<Override PartName="/word/document.xml" ContentType="{main_content_type}"/>']
    for name in parts:
        overrides.append(f'<Override PartName="/{name}" ContentType="application/xml"/>')
    members["[Content_Types].xml"] = content_types or (
        f'{DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>' + "".join(overrides) + "</Types>")
    members["_rels/.rels"] = (
        f'{DECL}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/></Relationships>')
    if document is not None or body is not None:
        members["word/document.xml"] = document if document is not None else document_xml(body)
    if rels:
        rel_rows = "".join(
            f'<Relationship Id="rId{k + 10}" Type="{REL_TYPES.get(name, "urn:x-test")}" '
            f'Target="{name.split("/", 1)[1]}"/>'
            for k, name in enumerate(parts) if name.startswith("word/"))
        members["word/_rels/document.xml.rels"] = (
            f'{DECL}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            f'relationships">{rel_rows}</Relationships>')
    members.update(parts)
    if app is not None:
        members["docProps/app.xml"] = DECL + app
    members.update(extra or {})
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in members.items():
            zf.writestr(name, content.encode("utf-8") if isinstance(content, str) else content)
    return buf.getvalue()


def read(body: str = "", **kw):
    from reviewflow.wordio import read_docx
    return read_docx(make_docx(body, **kw))
