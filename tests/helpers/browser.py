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
