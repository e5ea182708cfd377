"""Browser-test steps (Playwright): log in and out, submit a form and wait for the next page."""

from __future__ import annotations


def login(page, base, email, password="password123"):
    page.goto(base + "/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/")


def logout(page):
    page.click("header.top form[action='/logout'] button")


def submit(page, button):
    """Click a form's button and wait until the page it leads to has loaded."""
    with page.expect_navigation():
        button.click()


def in_place(page, button):
    """Click a button of an in-place form (htmx) and wait for its answer to be swapped in."""
    with page.expect_response(lambda r: r.request.method == "POST"):
        button.click()
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-settling, .htmx-swapping')")


def select_words(page, section_key, words, *, point_after=False):
    """Select ``words`` inside a section's text the way a mouse would, then release the button
    (``point_after``: put the caret right after them instead, as a click there does)."""
    page.evaluate("""([key, words, point]) => {
        const root = document.querySelector(`.section-text[data-section="${key}"]`);
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        let node;
        while ((node = walker.nextNode())) {
            const i = node.data.indexOf(words);
            if (i >= 0) {
                const r = document.createRange();
                r.setStart(node, point ? i + words.length : i); r.setEnd(node, i + words.length);
                const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(r);
                node.parentElement.dispatchEvent(new MouseEvent("mouseup", {bubbles: true}));
                return;
            }
        }
        throw new Error("words not found: " + words);
    }""", [section_key, words, point_after])
