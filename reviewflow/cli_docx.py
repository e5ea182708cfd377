"""`flask docx ...`: commands on Word files that need neither the app nor the database.

Registered as a ``flask.commands`` entry point (pyproject.toml), so ``flask --app wsgi docx
inspect FILE`` starts without building the app: no SQLAlchemy, no Alembic, no blueprints.
"""
from __future__ import annotations

import click

from .clitools import emit, read_file


@click.group("docx", help="Word files.")
def docx_cli() -> None:
    pass


@docx_cli.command("inspect")
@click.argument("path", type=click.Path(dir_okay=False))
def docx_inspect(path: str) -> None:
    """Print what the reader finds in a .docx as JSON (schema: docs/docx-inspect.md)."""
    from .wordio import WordFileError, document_to_json, read_docx

    data = read_file(path)
    try:
        doc = read_docx(data)
    except WordFileError as exc:
        raise click.ClickException(f"{path}: refused ({exc.code}): {exc.message}") from None
    emit(document_to_json(doc))
