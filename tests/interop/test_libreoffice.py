"""Exports opened by a real LibreOffice: converted to .odt (annotations, replies, resolved
flags, the text under each annotation) and opened and saved again as .docx (threads survive)."""
from __future__ import annotations

import pytest

from reviewflow.wordio import read_docx
from tests.helpers.interop_exports import export_names
from tests.helpers.interop_readers import odt_annotations

pytestmark = pytest.mark.interop


@pytest.mark.parametrize("name", export_names())
def test_odt_annotations(name, exports, odt):
    e = exports[name]
    text, anns = odt_annotations(odt[name])
    assert text == e.text
    assert len(anns) == sum(1 + len(x.replies) for x in e.threads)
    names = {a.name for a in anns}
    roots = [a for a in anns if a.parent is None]
    assert len(roots) == len(e.threads)
    for x in e.threads:
        (root,) = [a for a in roots if a.body == x.body and a.author == x.author]
        assert root.quote == x.quote, x.body
        assert root.resolved == x.resolved, x.body
        if x.date is not None:  # LibreOffice shows the UTC time written in w:date / dateUtc
            assert root.date.startswith(x.date.strftime("%Y-%m-%dT%H:%M:%S"))
        # LibreOffice 7.5+ links a reply to its root with loext:parent-name
        replies = [a for a in anns if a.parent == root.name]
        assert sorted((a.author, a.body) for a in replies) == sorted(x.replies)
        for a in replies:
            assert a.quote == x.quote and a.parent in names
            assert a.resolved == x.resolved


@pytest.mark.parametrize("name", export_names())
def test_libreoffice_open_and_save_keeps_every_thread(name, exports, resaved):
    e = exports[name]
    doc = read_docx(resaved[name])
    assert doc.app == "libreoffice"
    assert doc.text == e.text
    threads = doc.threads()
    assert len(threads) == len(e.threads)
    assert len(doc.comments) == sum(1 + len(x.replies) for x in e.threads)
    for x in e.threads:
        (th,) = [th for th in threads if th[0].text == x.body and th[0].author == x.author]
        assert th[0].quote == x.quote, x.body
        assert th[0].resolved == x.resolved, x.body
        assert sorted((c.author, c.text) for c in th[1:]) == sorted(x.replies)
        assert all(c.quote == x.quote for c in th)
