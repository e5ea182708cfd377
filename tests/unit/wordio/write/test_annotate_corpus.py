"""annotate_docx on every commented file of the real-world corpus (../shared/corpus, read there).

Each file's comments are turned into ExportThreads (root + replies, resolved flag, dates) and
written back into the ORIGINAL file; reading the result gives the same canonical text and the
same threads with the same quotes, replies and resolved flags.  Every other file is annotated
with threads of its own (words and paragraph-crossing spans) and must read back the same way.
"""
from __future__ import annotations

import pytest

from reviewflow.wordio import ExportComment, ExportThread, annotate_docx, read_docx
from tests.helpers.wordio import CORPUS, check_package_consistency

pytestmark = pytest.mark.corpus



def corpus_files() -> list[str]:
    if not CORPUS.is_dir():
        return []
    return sorted(str(p.relative_to(CORPUS)) for p in CORPUS.rglob("*.docx"))


FILES = corpus_files()


def load(name: str) -> bytes:
    if not CORPUS.is_dir():
        pytest.skip(f"real-world corpus not found at {CORPUS} (set REVIEWFLOW_CORPUS)")
    return (CORPUS / name).read_bytes()


def threads_of(doc) -> list[ExportThread]:
    """The document's own threads as export input (a point stays a point)."""
    out = []
    for thread in doc.threads():
        root = thread[0]
        out.append(ExportThread(root.start, root.end,
                                [ExportComment(c.author, c.initials, c.date, c.text) for c in thread],
                                resolved=root.resolved, point=root.anchor != "range"))
    return out


def summary(doc) -> list[tuple]:
    """Threads as comparable data: quote, root's author/text/date, resolved, replies."""
    out = []
    for thread in doc.threads():
        root = thread[0]
        out.append((root.start, root.end, root.quote, root.author, root.initials, root.text,
                    root.resolved,
                    tuple((c.author, c.initials, c.text, c.quote, c.parent == root.id) for c in thread[1:])))
    return sorted(out)


def dates(doc) -> list:
    return sorted((c.text, c.date.replace(microsecond=0) if c.date else None) for c in doc.comments)


@pytest.mark.skipif(not FILES, reason=f"real-world corpus not found at {CORPUS} (set REVIEWFLOW_CORPUS)")
@pytest.mark.parametrize("name", FILES or ["-"])
def test_corpus_file_round_trip(name):
    data = load(name)
    before = read_docx(data)
    threads = threads_of(before)
    if not threads:  # an uncommented file: comment on a few words and spans of its own
        text = before.text
        words = [i for i in range(1, len(text)) if text[i - 1] == " " and text[i] != " "][:12]
        threads = [ExportThread(i, min(len(text), i + 7 + 13 * k), [ExportComment("Relecteur PBF", "RP", None,
                                                                                f"remarque {k}")],
                                resolved=k % 3 == 0)
                   for k, i in enumerate(words)]
        threads.append(ExportThread(0, len(text), [ExportComment("Relecteur PBF", "RP", None, "tout")]))
    out = annotate_docx(data, threads)
    after = read_docx(out)
    assert after.text == before.text
    assert after.blocks == before.blocks
    new_warnings = [w for w in after.warnings if w not in before.warnings]
    assert new_warnings == []
    assert len(after.comments) == sum(len(t.comments) for t in threads)
    expected = []
    for th in threads:
        end = th.start if th.point else th.end
        expected.append((th.start, end, before.text[th.start:end], th.comments[0].author, th.comments[0].initials,
                         th.comments[0].text, th.resolved,
                         tuple((c.author, c.initials, c.text, before.text[th.start:end], True)
                               for c in th.comments[1:])))
    assert summary(after) == sorted(expected)
    if before.comments:
        # the same threads as in the original (a point anchor comes back as a point range)
        assert [s[2:] for s in summary(after)] == [s[2:] for s in summary(before)]
        assert dates(after) == dates(before)
    # everything but the comments is as it was
    assert after.revisions == before.revisions
    assert after.form_fields == before.form_fields
    check_package_consistency(out)
