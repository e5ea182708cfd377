"""The JSON API (/api/v1): a blueprint package calling the same services as the pages.

flask-smorest generates the OpenAPI 3.1 document from the routes, their marshmallow argument
schemas and their responses (served at /api/v1/openapi.json); /api/v1/docs is an interactive
page served from reviewflow/static (vendored, no CDN).  Errors are RFC 9457 problem documents
(reviewflow.errors), so flask-smorest's own error handler is not installed.
"""
from __future__ import annotations

from flask_smorest import Api

from . import admin, reads, uploads, writes  # noqa: F401  (their routes are on the blueprint)
from .blueprint import bp
from .docs import page


class ReviewflowApi(Api):
    def _register_error_handlers(self):
        """reviewflow.errors answers every error under /api/v1 as problem+json."""


api = ReviewflowApi()


def init_app(app) -> None:
    api.init_app(app)
    api.spec.components.security_scheme("bearerAuth", {
        "type": "http", "scheme": "bearer",
        "description": "A personal access token (Preferences > API tokens, or `flask tokens create`)."})
    api.register_blueprint(bp)
    app.register_blueprint(page)
