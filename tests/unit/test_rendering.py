"""Section content as the report page shows it (``reviewflow.rendering.section_html``): every
character the user wrote escaped, each paragraph carrying its offsets into the section's text
(the browser turns a selection into offsets with them), thread ranges and template findings
highlighted on exactly their words."""

from __future__ import annotations

from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from reviewflow import content as C
from reviewflow.rendering import section_html

BLOCK_TAGS = {"p", "h4", "h5", "h6", "table", "tr", "td"}


class Page(HTMLParser):
    """What a browser would build: the text of each paragraph (by its data-start/data-end), and
    for every character offset the threads and findings highlighting it."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.paragraphs: list[tuple[int, int, str, dict]] = []  # (start, end, text, attributes)
        self.threads: dict[int, set] = {}  # offset -> thread ids
        self.findings: dict[int, tuple] = {}  # offset -> (fingerprint, classes)
        self._para = None
        self._marks: list[dict] = []
        self.feed(str(html))
        self.close()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if tag == "mark":
            self._marks.append(a)
        elif "data-start" in a:
            self._para = [int(a["data-start"]), int(a["data-end"]), "", a]

    def handle_endtag(self, tag):
        if tag == "mark":
            self._marks.pop()
        elif self._para is not None and tag in BLOCK_TAGS:
            self.paragraphs.append(tuple(self._para))
            self._para = None

    def handle_data(self, data):
        if self._para is None:
            return
        for ch in data:
            at = self._para[0] + len(self._para[2])
            for m in self._marks:
                if "data-threads" in m:
                    self.threads.setdefault(at, set()).update(int(t) for t in m["data-threads"].split())
                if "data-finding" in m:
                    self.findings[at] = (m["data-finding"], m["class"])
            self._para[2] += ch


def p(text, **kw):
    return C.paragraph(text, **kw)


# -- paragraphs and escaping --------------------------------------------------------------------


def test_user_text_is_escaped_never_markup():
    html = section_html([p("<script>alert(\"x\")</script> & <b onclick='y'>gras</b>")])
    assert isinstance(html, Markup)
    assert "<script" not in html and "<b " not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b onclick=&#39;y&#39;&gt;" in html
    page = Page(html)
    assert page.tags == ["p"]
    assert page.paragraphs[0][2] == "<script>alert(\"x\")</script> & <b onclick='y'>gras</b>"


def test_each_paragraph_carries_its_offsets_in_the_section_text():
    blocks = [p("Le projet avance."), p(""), p("Deuxième paragraphe.")]
    page = Page(section_html(blocks))
    text = C.blocks_text(blocks)
    assert [(s, e, t) for s, e, t, _a in page.paragraphs] == [
        (0, 17, "Le projet avance."),
        (18, 18, ""),
        (19, 39, "Deuxième paragraphe."),
    ]
    assert all(text[s:e] == t for s, e, t, _a in page.paragraphs)
    assert page.paragraphs[1][3]["class"] == "empty"


def test_headings_and_list_levels_are_shown_as_such():
    html = section_html(
        [
            p("Titre", heading=1),
            p("Sous-titre", heading=2),
            p("Très bas", heading=9),
            p("point", list=0),
            p("sous-point", list=1),
            p("très profond", list=7),
        ]
    )
    assert '<h4 data-start="0" data-end="5">Titre</h4>' in html
    assert "<h5 " in html and '<h6 data-start="17" data-end="25">Très bas</h6>' in html  # h6 at most
    assert '<p class="li li0" data-start="26"' in html and '<p class="li li1"' in html
    assert '<p class="li li4"' in html and "li7" not in html  # deeper lists are shown at level 4


def test_a_table_is_shown_as_a_table_with_offsets_row_by_row():
    blocks = [p("Avant."), C.table_block(None, [["Agence", "Budget"], ["OIM", ""]]), p("Après.")]
    html = section_html(blocks)
    page = Page(html)
    assert html.count("<tr>") == 2 and html.count("<td>") == 4 and '<table class="doc-table">' in html
    text = C.blocks_text(blocks)
    assert [t for _s, _e, t, _a in page.paragraphs] == ["Avant.", "Agence", "Budget", "OIM", "", "Après."]
    assert all(text[s:e] == t for s, e, t, _a in page.paragraphs)


def test_an_empty_section_shows_its_placeholder_escaped():
    html = section_html([p(""), p("   ")], empty_label="<Vide> à compléter")
    assert html == '<p class="placeholder" data-start="0" data-end="0">&lt;Vide&gt; à compléter</p>'
    assert (
        section_html([], empty_label="Vide") == '<p class="placeholder" data-start="0" data-end="0">Vide</p>'
    )


def test_a_table_with_empty_cells_is_not_an_empty_section():
    html = section_html([C.table_block(None, [["", ""]])], empty_label="Vide")
    assert "placeholder" not in html and html.count("<td>") == 2


# -- highlights ---------------------------------------------------------------------------------

TEXT = "Le projet connaît des retards. Pas de retard ailleurs."


def test_a_thread_range_is_highlighted_on_exactly_its_words():
    html = section_html([p(TEXT)], ranges=[(31, 44, 7)])
    assert (
        'Le projet connaît des retards. <mark class="hl" data-threads="7">Pas de retard</mark> ailleurs.'
        in html
    )


def test_overlapping_threads_are_split_where_they_meet():
    page = Page(section_html([p(TEXT)], ranges=[(3, 17, 1), (10, 29, 2)]))
    assert {i for i, ids in page.threads.items() if ids == {1}} == set(range(3, 10))
    assert {i for i, ids in page.threads.items() if ids == {1, 2}} == set(range(10, 17))
    assert {i for i, ids in page.threads.items() if ids == {2}} == set(range(17, 29))


def test_a_range_over_two_paragraphs_is_highlighted_in_each():
    blocks = [p("Premier paragraphe."), p("Second paragraphe.")]
    page = Page(section_html(blocks, ranges=[(8, 26, 3)]))
    text = C.blocks_text(blocks)
    marked = sorted(page.threads)
    assert "".join(text[i] for i in marked) == "paragraphe.Second"  # the paragraph break is not marked
    assert marked[0] == 8 and marked[-1] == 25


def test_empty_and_outside_ranges_mark_nothing():
    html = section_html(
        [p("Court.")], ranges=[(2, 2, 1), (40, 50, 2), (5, 3, 4)], findings=[(1, 1, "f", "error")]
    )
    assert "<mark" not in html and html == '<p data-start="0" data-end="6">Court.</p>'


def test_a_finding_is_marked_with_its_severity_and_fingerprint_escaped():
    html = section_html([p(TEXT)], findings=[(22, 29, 'abc"><x', "warning")])
    assert '<mark class="fd warning" data-finding="abc&#34;&gt;&lt;x">retards</mark>' in html
    page = Page(html)
    assert page.findings == {i: ('abc"><x', "fd warning") for i in range(22, 29)}


def test_a_finding_inside_a_thread_keeps_both_highlights():
    page = Page(section_html([p(TEXT)], ranges=[(18, 29, 9)], findings=[(22, 29, "fp", "error")]))
    assert set(page.findings) == set(range(22, 29))
    assert set(page.threads) == set(range(18, 29))


SAFE = st.text(alphabet=st.sampled_from(list("ab <>&\"'é\u00a0")), max_size=12)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(SAFE, min_size=1, max_size=4),
    st.lists(st.tuples(st.integers(0, 50), st.integers(0, 50), st.integers(1, 5)), max_size=5),
)
def test_the_page_shows_the_text_unchanged_and_each_thread_on_its_range(paras, ranges):
    blocks = [p(t) for t in paras]
    text = C.blocks_text(blocks)
    if not text.strip():
        return
    page = Page(section_html(blocks, ranges=ranges))
    assert set(page.tags) <= {"p", "mark"}
    assert [(s, e) for s, e, _t, _a in page.paragraphs] == C.paragraph_offsets(blocks)
    assert all(text[s:e] == t for s, e, t, _a in page.paragraphs)
    expected: dict[int, set] = {}
    for a, b, tid in ranges:
        for i in range(a, min(b, len(text))):
            if text[i] != "\n":
                expected.setdefault(i, set()).add(tid)
    assert page.threads == expected
