"""Logging: a request id on every request and log line; JSON lines in production.

Each request gets an id (the proxy's ``X-Request-ID`` when it is a plain token, else a new one),
kept on ``g.request_id``, sent back in the ``X-Request-ID`` response header (gunicorn's access log
prints it, see gunicorn.conf.py) and added to every log record of the request.  With
``LOG_FORMAT = "json"`` (the default in production) the application's records are written as one
JSON object per line (time, level, logger, message, request id, method, path, exception).
"""
from __future__ import annotations

import json
import logging
import re
import sys
import uuid
from datetime import UTC, datetime

from flask import Flask, g, has_request_context, request

_TOKEN = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


def request_id() -> str | None:
    return g.get("request_id") if has_request_context() else None


class RequestContextFilter(logging.Filter):
    """Adds request_id, method and path to every record (``-`` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if has_request_context():
            record.request_id = g.get("request_id") or "-"
            record.method, record.path = request.method, request.path
        else:
            record.request_id, record.method, record.path = "-", "-", "-"
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        out = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        if getattr(record, "path", "-") != "-":
            out["method"], out["path"] = record.method, record.path
        if record.exc_info:
            out["exception"] = self.formatException(record.exc_info)
        return json.dumps(out, ensure_ascii=False)


def init_app(app: Flask) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RequestContextFilter())
    if app.config.get("LOG_FORMAT") == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"))
    if app.config.get("LOG_FORMAT") in ("json", "text") and not app.testing:
        app.logger.handlers[:] = [handler]
        app.logger.setLevel(app.config.get("LOG_LEVEL", "INFO"))
        app.logger.propagate = False
    else:
        app.logger.addFilter(RequestContextFilter())

    @app.before_request
    def _request_id():
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if _TOKEN.match(given) else uuid.uuid4().hex

    @app.after_request
    def _request_id_header(response):
        if g.get("request_id"):
            response.headers["X-Request-ID"] = g.request_id
        return response
