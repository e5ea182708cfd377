"""Pre-flight refusal of hostile or unreadable packages, before any XML is parsed."""
from __future__ import annotations

import io
import zipfile

import pytest

from reviewflow.wordio import WordFileError, check_package, read_docx
from reviewflow.wordio.oxml import has_declaration, parse_part
from tests.helpers.docxbuild import DECL, NSDECL, comment, comments_xml, make_docx, p
from tests.helpers.wordio import HOSTILE

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def refused(data, code, *, guard=True, **limits):
    """read_docx refuses with ``code``; so does check_package alone when ``guard``."""
    with pytest.raises(WordFileError) as info:
        read_docx(data, **limits)
    assert info.value.code == code, info.value
    assert info.value.message and info.value.message[0].isupper()
    if guard:
        with pytest.raises(WordFileError) as again:
            check_package(data, **limits)
        assert again.value.code == code
    return info.value


def zip_of(members: dict, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, body in members.items():
            zf.writestr(name, body)
    return buf.getvalue()


def test_a_good_package_passes():
    pkg = check_package(make_docx(p("ok")))
    assert pkg.main_part == "word/document.xml"
    assert "word/document.xml" in pkg.xml


@pytest.mark.parametrize("data", [b"", b"hello world", b"%PDF-1.7 ...", b"{\\rtf1\\ansi hello}",
                                  b"<html><body>rapport</body></html>"])
def test_not_a_zip(data):
    refused(data, "not_zip")


def test_truncated_zip():
    data = make_docx(p("x" * 5000))
    refused(data[: len(data) // 2], "truncated")


def test_corrupted_member_is_truncated():
    data = bytearray(make_docx(p("contenu " * 400)))
    # damage the compressed bytes of word/document.xml (keep the directory intact)
    zf = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = zf.getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for k in range(start + 10, start + 40):
        data[k] ^= 0xFF
    refused(bytes(data), "truncated")


def test_ole_encrypted_docx():
    data = OLE + b"\x00" * 512 + "EncryptionInfo".encode("utf-16-le") + "EncryptedPackage".encode("utf-16-le")
    err = refused(data, "ole_encrypted")
    assert "password" in err.message


def test_legacy_doc():
    data = OLE + b"\x00" * 512 + "WordDocument".encode("utf-16-le")
    err = refused(data, "legacy_doc")
    assert ".docx" in err.message


def test_zip_bomb_by_ratio():
    data = make_docx(p("x"), extra={"word/media/padding.bin": b"\0" * (20 * 1024 * 1024)})
    refused(data, "zip_bomb")


def test_zip_bomb_by_total_size():
    data = make_docx(p("y" * 200_000))
    refused(data, "zip_bomb", max_total_uncompressed=100_000)


def test_zip_bomb_xml_part_by_ratio():
    data = make_docx(p("x"), extra={"word/glossary.xml": "<a>" + " " * (12 * 1024 * 1024) + "</a>"})
    refused(data, "zip_bomb")


def test_too_many_members():
    data = make_docx(p("x"), extra={f"word/media/i{k}.png": b"x" for k in range(60)})
    refused(data, "zip_bomb", max_members=50)


def test_too_large():
    data = make_docx(p("x"))
    err = refused(data, "too_large", max_bytes=len(data) - 1)
    assert "MB" in err.message


def test_macro_enabled_by_vba_project():
    data = make_docx(p("x"), extra={"word/vbaProject.bin": b"\x00VBA"})
    err = refused(data, "macro")
    assert "macro" in err.message.lower()


def test_macro_enabled_by_content_type():
    data = make_docx(p("x"), main_content_type="application/vnd.ms-word.document.macroEnabled.main+xml")
    refused(data, "macro")


def test_not_docx_without_document_part():
    refused(zip_of({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"}), "not_docx")
    refused(zip_of({"hello.txt": "hi"}), "not_docx")


def test_zip_password_encrypted_member():
    data = bytearray(make_docx(p("x")))
    # set the "encrypted" flag bit of every central-directory entry
    i = data.find(b"PK\x01\x02")
    while i != -1:
        data[i + 8] |= 0x01
        i = data.find(b"PK\x01\x02", i + 4)
    refused(bytes(data), "encrypted")


XXE = '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
LOL = '<!DOCTYPE x [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;">]>'


@pytest.mark.parametrize("part", ["word/document.xml", "word/comments.xml", "word/styles.xml",
                                  "[Content_Types].xml", "_rels/.rels", "word/_rels/document.xml.rels",
                                  "docProps/app.xml", "customXml/item1.xml"])
@pytest.mark.parametrize("decl", [XXE, LOL, "<!doctype x>", "<! DOCTYPE x>"])
def test_doctype_or_entity_in_any_part_is_refused(part, decl):
    data = make_docx(p("x"), parts={"word/comments.xml": comments_xml(comment(0, "c")),
                                    "word/styles.xml": f"{DECL}<w:styles {NSDECL}/>"})
    zf = zipfile.ZipFile(io.BytesIO(data))
    members = {n: zf.read(n) for n in zf.namelist()}
    original = members.get(part, b'<?xml version="1.0"?><root/>')
    head, sep, rest = original.partition(b"?>")
    members[part] = head + sep + decl.encode() + rest if sep else decl.encode() + original
    refused(zip_of(members), "doctype")


def test_doctype_in_utf16_part_is_refused():
    xml = f'<?xml version="1.0" encoding="UTF-16"?>{XXE}<w:document {NSDECL}/>'.encode("utf-16")
    refused(make_docx(document=xml), "doctype")


def test_comments_and_cdata_are_not_declarations():
    assert not has_declaration(b"<?xml version='1.0'?><!-- note --><a><![CDATA[<b>]]> ! </a>")
    assert has_declaration(b"<?xml version='1.0'?><!-- x --><!ENTITY a 'b'><a/>")
    assert has_declaration("<!DOCTYPE a><a/>".encode("utf-16-be"))


def test_parse_part_refuses_declarations_and_reports_broken_xml():
    with pytest.raises(WordFileError) as info:
        parse_part(b'<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>', "p.xml")
    assert info.value.code == "doctype" and info.value.part == "p.xml"
    with pytest.raises(WordFileError) as info:
        parse_part(b"<a><b></a>", "p.xml")
    assert info.value.code == "corrupt"


def test_broken_main_part_is_corrupt_but_broken_optional_part_is_a_warning():
    # the guard does not parse; the reader finds the main part unreadable
    check_package(make_docx(document="<w:document><oops"))
    refused(make_docx(document="<w:document><oops"), "corrupt", guard=False)
    doc = read_docx(make_docx(p("texte"), parts={"word/comments.xml": "<w:comments><oops"}))
    assert doc.text == "texte"
    assert any("damaged" in w for w in doc.warnings)


@pytest.mark.parametrize("name", ["xxe.docx", "bomb.docx"])
def test_shared_hostile_files_are_refused_with_doctype(name):
    path = HOSTILE / name
    if not path.exists():
        pytest.skip(f"hostile sample {path} is not available")
    refused(path.read_bytes(), "doctype")


def test_refused_errors_are_picklable():
    import pickle

    try:
        read_docx(b"nope")
    except WordFileError as exc:
        again = pickle.loads(pickle.dumps(exc))
        assert (again.code, again.message) == (exc.code, exc.message)
