"""The hostile upload of the scale issue (issue 13): a report's own Word export with thousands of
paragraphs that fit no template field and thousands of Word comments on them.

``grow_export(export, paragraphs=3000, comments=2000)`` inserts the paragraphs right after the
export's title (before the first question, so they are unmapped content of the version) and puts
one comment on each of the first ``comments`` of them (comments.xml, its relationship and its
content type added).  Pure function of its arguments: zipfile + strings.
"""
from __future__ import annotations

import io
import re
import zipfile
from xml.sax.saxutils import escape

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
COMMENTS_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
COMMENTS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
WORDS = ("la", "mission", "de", "suivi", "a", "constaté", "que", "les", "comités", "locaux", "se", "réunissent",
         "chaque", "mois", "dans", "trois", "communes", "frontalières", "avec", "appui", "du", "projet")


def _sentence(i: int, n: int = 14) -> str:
    return " ".join(WORDS[(i * 7 + k * 3) % len(WORDS)] for k in range(n)).capitalize() + f" (§ {i + 1})."


def grow_export(export: bytes, paragraphs: int = 3000, comments: int = 2000,
                author: str = "Relecteur externe") -> bytes:
    """``export`` with ``paragraphs`` extra paragraphs after its first paragraph, ``comments`` of
    them commented in Word."""
    comments = min(comments, paragraphs)
    src = zipfile.ZipFile(io.BytesIO(export))
    doc = src.read("word/document.xml").decode("utf-8")
    if "word/comments.xml" in src.namelist():
        raise ValueError("grow_export wants an export without comments (clean=True, or no threads)")
    body = []
    for i in range(paragraphs):
        text = escape(_sentence(i))
        if i < comments:
            body.append(f'<w:p><w:commentRangeStart w:id="{i}"/><w:r><w:t xml:space="preserve">{text}</w:t></w:r>'
                        f'<w:commentRangeEnd w:id="{i}"/><w:r><w:commentReference w:id="{i}"/></w:r></w:p>')
        else:
            body.append(f'<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>')
    first_end = doc.index("</w:p>", doc.index("<w:body>")) + len("</w:p>")
    doc = doc[:first_end] + "".join(body) + doc[first_end:]
    notes = "".join(
        f'<w:comment w:id="{i}" w:author="{author}" w:initials="RE" w:date="2026-03-02T09:00:00Z">'
        f'<w:p><w:r><w:annotationRef/></w:r><w:r><w:t xml:space="preserve">Remarque {i + 1} : préciser la source '
        f'de ce chiffre et le nombre de femmes parmi les participants.</w:t></w:r></w:p></w:comment>'
        for i in range(comments))
    comments_xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                    f'<w:comments xmlns:w="{W_NS}">{notes}</w:comments>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                data = doc.encode("utf-8")
            elif info.filename == "[Content_Types].xml":
                data = data.replace(b"</Types>", f'<Override PartName="/word/comments.xml" '
                                                 f'ContentType="{COMMENTS_CT}"/></Types>'.encode())
            elif info.filename == "word/_rels/document.xml.rels":
                text = data.decode("utf-8")
                used = {int(n) for n in re.findall(r'Id="rId(\d+)"', text)}
                rid = max(used | {0}) + 1
                data = text.replace("</Relationships>", f'<Relationship Id="rId{rid}" Type="{COMMENTS_REL}" '
                                                        f'Target="comments.xml"/></Relationships>').encode()
            zf.writestr(info.filename, data)
        zf.writestr("word/comments.xml", comments_xml)
    return out.getvalue()
