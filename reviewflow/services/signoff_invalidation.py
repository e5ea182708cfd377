"""Signatures that stop counting: every signature on an earlier version when a new version is
saved (naming the sections it changed), every valid signature when the report is reopened,
withdrawn or restored.  Below the sign-off use case and the workflow transitions, which both
call it; it builds only on the versions."""
from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select

from ..extensions import db
from ..models import Report, SignOff, Version
from ..timeutil import utcnow
from . import audit
from .versions import changed_between


def active_signoffs(report: Report) -> list[SignOff]:
    return list(db.session.scalars(select(SignOff).where(SignOff.report_id == report.id,
                                                         SignOff.invalidated_at.is_(None))
                                   .order_by(SignOff.created_at)))


def void_all(report: Report, *, reason: str, now: datetime | None = None) -> None:
    """Every valid signature stops counting (the report was reopened, withdrawn or restored)."""
    now = now or utcnow()
    for s in active_signoffs(report):
        s.invalidated_at, s.invalidated_reason = now, json.dumps({"action": reason})
        audit.record("signoff.invalidated", report=report, obj=s, details={"reason": reason}, now=now)
    db.session.flush()


def invalidate_for_new_version(report: Report, new_version: Version, *, now: datetime | None = None) -> None:
    """A new version voids every signature on an earlier one, naming the sections it changed
    (stored as JSON, shown in the reader's language)."""
    now = now or utcnow()
    for s in active_signoffs(report):
        if s.version_id == new_version.id:
            continue
        signed = db.session.get_one(Version, s.version_id)
        keys = changed_between(report, signed, new_version)
        s.invalidated_at = now
        s.invalidated_reason = json.dumps({"version": new_version.number, "sections": keys})
        audit.record("signoff.invalidated", report=report, obj=s,
                     details={"signed_version": signed.number, "new_version": new_version.number,
                              "sections": keys}, now=now)
    db.session.flush()
