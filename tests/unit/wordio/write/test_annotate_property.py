"""Properties: any range on any text reads back with the same quote (hypothesis)."""
from __future__ import annotations

from xml.sax.saxutils import escape

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewflow.wordio import ExportThread, read_docx
from tests.helpers.docxbuild import dele, ins, make_docx, p, tbl
from tests.helpers.wordio import c, check_roundtrip, load_generator

WORDS = st.text(alphabet="abcdéèçœ ÀÉ.,;'’-0123456789", min_size=1, max_size=10)
SEGMENT = st.one_of(
    st.tuples(st.just("t"), WORDS), st.tuples(st.just("ins"), WORDS),
    st.tuples(st.just("del"), WORDS), st.tuples(st.just("tab"), st.just("\t")),
    st.tuples(st.just("link"), WORDS), st.tuples(st.just("field"), WORDS),
    st.tuples(st.just("br"), st.just("\n")),
)


def _segment(kind, value):
    run = f'<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{escape(value)}</w:t></w:r>'
    if kind == "t":
        return run
    if kind == "ins":
        return ins(value)
    if kind == "del":
        return dele(value)
    if kind == "tab":
        return "<w:r><w:tab/></w:r>"
    if kind == "br":
        return "<w:r><w:t>a</w:t><w:br/><w:t>b</w:t></w:r>"
    if kind == "link":
        return f'<w:hyperlink w:anchor="x">{run}</w:hyperlink>'
    return ('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> REF x </w:instrText></w:r>'
            f'<w:r><w:fldChar w:fldCharType="separate"/></w:r>{run}<w:r><w:fldChar w:fldCharType="end"/></w:r>')


@st.composite
def documents_and_ranges(draw):
    paragraphs = draw(st.lists(st.lists(SEGMENT, max_size=6), min_size=1, max_size=5))
    body = [p(*[_segment(k, v) for k, v in segs]) if segs else p() for segs in paragraphs]
    if draw(st.booleans()):  # some paragraphs go into a table
        k = draw(st.integers(0, len(body) - 1))
        body = body[:k] + [tbl([[body[k]], [p("cellule")]])] + body[k + 1:]
    data = make_docx("".join(body))
    n = len(read_docx(data).text)
    ranges = draw(st.lists(st.tuples(st.integers(0, n), st.integers(0, n), st.booleans()),
                           min_size=1, max_size=6))
    return data, ranges


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents_and_ranges())
def test_any_range_reads_back(doc_and_ranges):
    data, ranges = doc_and_ranges
    threads = []
    for k, (a, b, resolved) in enumerate(ranges):
        a, b = min(a, b), max(a, b)
        comments = [c(text=f"fil {k}")] + ([c("Awa B", f"réponse {k}")] if k % 2 else [])
        threads.append(ExportThread(a, b, comments, resolved=resolved))
    check_roundtrip(data, threads)


GENERATED = load_generator().generate_report(pages=3, comments=30, seed=11).data
GEN_LEN = len(read_docx(GENERATED).text)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, GEN_LEN), st.integers(0, 400), st.booleans()), min_size=1, max_size=25))
def test_any_range_on_a_generated_report(spans):
    """The report has headings, lists, tracked changes, a SEQ field, tables and 30 comments."""
    threads = [ExportThread(a, min(GEN_LEN, a + n), [c(text=f"fil {k}"), c("Awa B", f"r {k}")], resolved=r)
               for k, (a, n, r) in enumerate(spans)]
    check_roundtrip(GENERATED, threads)
