"""Every page of the demo, as each demo role, in French: no "(s)" plurals, and the French spacing
before « : ; ? ! » (a narrow no-break space) in every text we write.  What users typed (the
report's text, comments, quotes, names in lists) is shown as written and not checked here."""
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

import pytest

from reviewflow.demo import PASSWORD, USERS, load_demo
from reviewflow.extensions import db
from reviewflow.typography import missing_fr_space

# containers of user-written text (see the templates): skipped with everything inside them
USER_TEXT_CLASSES = {"section-text", "body", "quote", "diff", "uc", "theirs", "old", "kv", "prompt-text"}
USER_TEXT_IDS = {"pane-list"}
SKIPPED_TAGS = {"script", "style", "textarea", "code", "pre", "head", "option", "title"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
PLURAL_PARENS = re.compile(r"\w\((?:s|x|e|es|ies)\)")


class OurText(HTMLParser):
    """The page's text outside user-written containers, and its same-site links."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []      # True = inside something skipped
        self.text: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag in VOID:
            return
        skip = (tag in SKIPPED_TAGS or bool(USER_TEXT_CLASSES & set((a.get("class") or "").split()))
                or a.get("id") in USER_TEXT_IDS or "data-t" in a)
        self.stack.append(skip or (bool(self.stack) and self.stack[-1]))

    def handle_endtag(self, tag):
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]) and data.strip():
            self.text.append(data)


def crawl(client, start=("/",), limit=80, per_shape=4):
    """Every page reachable by links from ``start`` (a few of each kind: 4 section editors, not 50)."""
    seen, todo, pages, shapes = set(), list(start), {}, {}
    while todo and len(pages) < limit:
        path = todo.pop(0)
        if path in seen:
            continue
        seen.add(path)
        shape = re.sub(r"/sections/[^/]+/", "/sections/*/", re.sub(r"\d+", "N", path.split("?")[0]))
        shapes[shape] = shapes.get(shape, 0) + 1
        if shapes[shape] > per_shape:
            continue
        r = client.get(path)
        if r.status_code != 200 or r.mimetype != "text/html":
            continue
        parser = OurText()
        parser.feed(r.get_data(as_text=True))
        pages[path] = " ".join(parser.text)
        for href in parser.links:
            url = urlparse(urljoin("http://localhost" + path, href))
            if url.netloc != "localhost" or any(x in url.path for x in ("/export", "/matrix.", "/logout",
                                                                     "/notifications/")):
                continue
            if "format=csv" in url.query:
                continue
            target = url.path + (f"?{url.query}" if url.query and url.path.endswith("/compare") else "")
            if target not in seen:
                todo.append(target)
    return pages


@pytest.fixture
def demo(app):
    load_demo()
    db.session.commit()


@pytest.mark.parametrize("email", [u[0] for u in USERS])
def test_every_french_page_writes_plurals_and_spacing_properly(demo, client, h, email):
    r = h.client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": h.csrf("/login")})
    assert r.status_code == 302
    pages = crawl(client, ("/", "/reports/1/sections/implementation_status/edit",
                           "/reports/1/sections/results_framework/edit", "/reports/1?status=all",
                           "/reports/1?comment=human_impact"))
    assert len(pages) >= 8, sorted(pages)
    problems = {}
    for path, text in pages.items():
        bad = PLURAL_PARENS.findall(text) + missing_fr_space(text)
        if bad:
            problems[path] = bad[:6]
    assert problems == {}, "\n".join(f"{p}: {b}" for p, b in problems.items())
