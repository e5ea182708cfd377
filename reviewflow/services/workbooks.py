"""Attach a budget workbook (.xlsx) to a report: the next version carries it.

The use case the web page, the command line and the API call alike::

    result = attach_workbook(report, data, "Budget 2024.xlsx", actor=user, roles=roles)
    result.version            # the version created (None: this very file is already attached)
    result.as_dict()          # what the reader found: sheets, tables, figures, warnings (JSON)

A refused file (not a workbook, .xls, .xlsm, encrypted, over the limits ...) raises ``Invalid``
with the reader's reason, before anything is added to the session: nothing is stored.  Otherwise
the file is stored byte for byte (once per report: the same bytes again are a pointer to the same
row), the template's attachment field takes the file's name, and ``editing.save_sections`` makes
the next version carrying it, which re-anchors the threads (cell threads follow their cells to
the new workbook), voids earlier signatures and notifies, as any new version does.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from .. import content as C
from .. import permissions as P
from ..models import Report, User
from ..report_templates import load_template
from ..timeutil import utcnow
from ..workbook import DEFAULT_LIMITS, Limits
from . import audit
from .editing import save_sections
from .errors import N_, Forbidden
from .threads import attachment_field
from .types import Roles
from .versions import latest_version, lock, version_contents
from .workbook_files import agencies_of, read, safe_filename, store, workbook_of


@dataclass
class AttachResult:
    report: int
    version: int | None  # the version created; None when this file is already attached
    unchanged: bool  # True: the latest version already carries these very bytes
    on_version: int  # the version that carries the workbook now
    workbook: dict[str, Any]  # id, filename, sha256, size
    sheets: list[dict[str, Any]] = field(default_factory=list)
    tables: list[dict[str, Any]] = field(default_factory=list)
    primary: int | None = None  # index of the main budget table in ``tables``
    total: dict[str, Any] | None = None
    agencies: list[dict[str, Any]] = field(default_factory=list)
    gewe: dict[str, Any] | None = None
    spent: dict[str, Any] | None = None
    warnings: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def attach_workbook(
    report: Report,
    data: bytes,
    filename: str,
    *,
    actor: User | None,
    roles: Roles,
    base_number: int | None = None,
    limits: Limits = DEFAULT_LIMITS,
    now: datetime | None = None,
) -> AttachResult:
    """Attach ``data`` (an .xlsx) to the next version of ``report`` (drafters, while it is open)."""
    now = now or utcnow()
    if not P.can_upload_version(roles, report.state):
        raise Forbidden(
            N_(
                "Only the report's drafters can attach the budget workbook, and only while the "
                "report can be edited."
            )
        )
    template = load_template(report.template_id)
    field_key = attachment_field(report)
    name = safe_filename(filename)
    item = read(bytes(data), template, agencies=agencies_of(report), limits=limits)  # refused: nothing stored
    lock(report)
    latest = latest_version(report)
    current = workbook_of(latest)
    summary = item.budget.to_dict()
    if current is not None and current.sha256 == item.sha256:
        return _result(report, None, latest.number, current.id, current.filename, summary, unchanged=True)
    row = store(report, bytes(data), name, item, actor=actor, now=now)
    text = version_contents(latest).get(field_key)
    changes = {} if text is not None and text.text.strip() == name else {field_key: [C.paragraph(name)]}
    version = save_sections(
        report,
        changes,
        actor=actor,
        roles=roles,
        base_number=base_number if base_number is not None else latest.number,
        note=f"Excel: {name}"[:500],
        source="workbook",
        force=True,
        workbook=row,
        now=now,
    )
    assert version is not None  # force=True: a version is always made
    audit.record(
        "workbook.attached",
        actor=actor,
        report=report,
        obj=row,
        details={
            "version": version.number,
            "filename": name,
            "sha256": row.sha256,
            "size": row.size,
            "tables": len(summary["tables"]),
            "warnings": [w["code"] for w in summary["warnings"]],
        },
        now=now,
    )
    return _result(
        report,
        version.number,
        version.number,
        row.id,
        row.filename,
        summary,
        sha256=row.sha256,
        size=row.size,
    )


def _result(
    report: Report,
    created: int | None,
    on_version: int,
    workbook_id: int,
    filename: str,
    summary: dict[str, Any],
    *,
    unchanged: bool = False,
    sha256: str = "",
    size: int = 0,
) -> AttachResult:
    return AttachResult(
        report=report.id,
        version=created,
        unchanged=unchanged,
        on_version=on_version,
        workbook={
            "id": workbook_id,
            "filename": filename,
            "sha256": sha256 or summary["sha256"],
            "size": size or summary["size"],
        },
        sheets=summary["sheets"],
        tables=summary["tables"],
        primary=summary["primary"],
        total=summary["total"],
        agencies=summary["agencies"],
        gewe=summary["gewe"],
        spent=summary["spent"],
        warnings=summary["warnings"],
    )
