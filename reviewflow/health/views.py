"""/healthz (the process answers) and /readyz (database reachable, migrations at head, queue
reachable): for the load balancer and the process supervisor; no login, no session, no CSRF."""
from flask import Blueprint, jsonify

from ..extensions import limiter
from ..services import health

bp = Blueprint("health", __name__)
limiter.exempt(bp)


@bp.route("/healthz")
def healthz():
    return jsonify(status="ok")


@bp.route("/readyz")
def readyz():
    result = health.readiness()
    if result.ready:
        return jsonify(status="ready", checks=result.checks)
    return jsonify(status="unavailable", checks=result.checks), 503, {"Retry-After": "10"}
