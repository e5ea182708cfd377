"""/api/v1/docs: the interactive page of the OpenAPI document (Swagger UI, vendored in
reviewflow/static/vendor/swagger-ui).  A plain blueprint: the page is public and not part of
the document it shows."""
from __future__ import annotations

from flask import Blueprint, render_template

page = Blueprint("api_page", __name__, url_prefix="/api/v1")

DOCS_CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
            "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")


@page.route("/docs")
def docs():
    """Swagger UI injects style attributes: this page alone allows inline styles (no inline script)."""
    return render_template("api/docs.html"), 200, {"Content-Security-Policy": DOCS_CSP}
