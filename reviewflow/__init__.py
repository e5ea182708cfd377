"""reviewflow: review donor reports (versions, inline threads, checks, sign-off).

The application factory lives in ``reviewflow.app``; it is imported lazily so that importing a
pure part of the package (``reviewflow.wordio`` for ``flask docx inspect``, the checks in a
script) does not import Flask-SQLAlchemy, Alembic and every blueprint.
"""
from __future__ import annotations

__version__ = "0.2.0"


def create_app(config=None):
    """Build the Flask application (see ``reviewflow.app.create_app``)."""
    from .app import create_app as factory

    return factory(config)
