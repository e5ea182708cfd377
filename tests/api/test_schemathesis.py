"""Schemathesis against the API's live OpenAPI document (read from the running app): for every
operation, bounded examples generated from the document, sent with a write token on a seeded
database.  0 failures: no 5xx, every status, content type and body as the document says, and
data the document calls invalid refused with a 4xx."""
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from reviewflow.extensions import db
from tests.helpers.api import token_for

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          negative_data_rejection]
EXAMPLES = 8


class PerRequestContext:
    """Each request in its own application context, as in production (like the test client's)."""

    def __init__(self, app):
        self.app = app

    def __call__(self, environ, start_response):
        with self.app.app_context():
            body = b"".join(self.app.wsgi_app(environ, start_response))
            db.session.remove()
        return [body]


@pytest.fixture
def seeded(w, app):
    secret = token_for(w.reviewer, scope="write")
    w.headers = {"Authorization": f"Bearer {secret}", "Accept-Encoding": "identity"}   # the WSGI transport does not gunzip
    return w


def test_the_api_keeps_its_document(seeded, app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", PerRequestContext(app))
    failures, ran = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case):
            if "report_id" in (case.path_parameters or {}):
                case.path_parameters["report_id"] = seeded.report.id      # the seeded report, not only 404s
            case.call_and_validate(headers=seeded.headers, checks=CHECKS)

        try:
            run()
        except Exception as exc:      # noqa: BLE001  (collected, reported together below)
            failures.append(f"{operation.method.upper()} {operation.path}: {exc}")
        ran += 1
    assert ran >= 20, f"only {ran} operations in the document"
    assert not failures, "\n\n".join(failures)
