"""Exports read by pandoc (``-f docx -t json --track-changes=all``): every comment shows as a
comment-start/comment-end pair around its quoted text, with its author and date."""
from __future__ import annotations

import pytest

from tests.helpers.interop_exports import export_names
from tests.helpers.interop_readers import pandoc_comments, squash

pytestmark = pytest.mark.interop


@pytest.mark.parametrize("name", export_names())
def test_pandoc_sees_each_comment_on_its_text(name, exports, pandoc_json):
    e = exports[name]
    _text, comments = pandoc_comments(pandoc_json[name])
    assert len(comments) == sum(1 + len(x.replies) for x in e.threads)
    assert len({c.id for c in comments}) == len(comments)
    for x in e.threads:
        (root,) = [c for c in comments if squash(c.body) == squash(x.body) and c.author == x.author]
        assert root.end is not None, x.body
        # pandoc turns tabs and line breaks into spaces: compare without whitespace differences
        assert squash(root.quote) == squash(x.quote), x.body
        if x.date is not None:
            assert root.date == x.date.strftime("%Y-%m-%dT%H:%M:%SZ")
        for author, body in x.replies:
            (reply,) = [c for c in comments if squash(c.body) == squash(body) and c.author == author
                        and c.start >= 0 and squash(c.quote) == squash(x.quote)]
            assert reply.end is not None
