"""Small helpers shared by the command-line groups (no app, no database)."""
from __future__ import annotations

import json

import click


def emit(data) -> None:
    """Print ``data`` as indented JSON (non-ASCII kept, dates as strings)."""
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def read_file(path) -> bytes:
    """The bytes of ``path``, or a one-line ClickException naming the file and the reason."""
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError as exc:
        raise click.ClickException(f"cannot read {path}: {exc.strerror}") from None
