"""Helpers for view tests: log in, fetch the CSRF token, post forms, upload a Word file."""
from __future__ import annotations

import io
import re


class Helpers:
    """Small helpers for view tests: log in, fetch the CSRF token, post forms."""

    def __init__(self, client):
        self.client = client

    def csrf(self, path="/login"):
        html = self.client.get(path, follow_redirects=True).get_data(as_text=True)
        m = re.search(r'name="csrf-token" content="([^"]+)"', html)
        assert m, "no CSRF token on " + path
        return m.group(1)

    def login(self, email, password="password123"):
        token = self.csrf("/login")
        return self.client.post("/login", data={"email": email, "password": password, "csrf_token": token})

    def post(self, path, data=None, token_from="/", **kw):
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf(token_from))
        return self.client.post(path, data=data, **kw)


def upload(h, w, data, mode="version", name="rapport.docx", confirm=True, choices=None):
    """Post ``data`` to the report's upload form, as the logged-in user of ``h``; unless
    ``confirm`` is False, confirm the preview it leads to (with ``choices``: form fields)."""
    token = h.csrf(f"/reports/{w.report.id}/upload")
    r = h.client.post(f"/reports/{w.report.id}/upload", data={
        "csrf_token": token, "mode": mode, "file": (io.BytesIO(data), name)}, content_type="multipart/form-data")
    if not confirm or r.status_code != 302 or "/imports/" not in r.headers["Location"]:
        return r
    preview = r.headers["Location"]
    return h.client.post(preview + "/confirm", data={"csrf_token": h.csrf(preview), **(choices or {})})
