"""THE guard on zip entry names (reviewflow.zipnames): what it refuses, what it lets through."""
import pytest

from reviewflow.zipnames import UnsafeEntryName, check_names, first_unsafe, unsafe_reason


@pytest.mark.parametrize("name, reason", [
    ("../../tmp/x", "parent"), ("word/../../x.xml", "parent"), ("..", "parent"),
    ("/tmp/x", "absolute"), ("/word/document.xml", "absolute"),
    ("C:x", "drive"), ("c:/Windows/x", "drive"), ("C:\\x", "drive"), ("\\\\host\\share\\x", "drive"),
    ("word\\document.xml", "backslash"), ("..\\..\\x", "backslash"),
    ("word/doc\x00.xml", "control"), ("", "empty"), ("word//document.xml", "empty"),
])
def test_unsafe_names_are_refused_with_their_reason(name, reason):
    assert unsafe_reason(name) == reason


@pytest.mark.parametrize("name", [
    "[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/_rels/document.xml.rels",
    "customXml/item1.xml", "xl/worksheets/sheet1.xml", "word/media/", "docProps/app.xml", "a..b/c...xml",
])
def test_names_word_and_excel_write_pass(name):
    assert unsafe_reason(name) is None


def test_check_names_raises_on_the_first_unsafe_name():
    assert first_unsafe(["word/document.xml", "/etc/passwd", "../x"]) == ("/etc/passwd", "absolute")
    with pytest.raises(UnsafeEntryName) as exc:
        check_names(["word/document.xml", "../x"])
    assert exc.value.reason == "parent" and exc.value.name == "../x"
    check_names(["word/document.xml"])
