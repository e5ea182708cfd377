"""Provenance of an exported Word file: which report and version it was exported from, when,
and a fingerprint of each section, written as signed custom document properties
(``docProps/custom.xml``; Word, LibreOffice 25 and python-docx keep them when they save).

On upload, ``verify`` reads them back: a signature that does not match (edited by hand,
damaged, another server's) makes the provenance *corrupt*, treated as absent with a warning;
a file from another report is said so (the import refuses it unless the uploader confirms).
Without provenance the file is compared with the latest version.
"""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import asdict, dataclass, field
from datetime import datetime

from flask import current_app

from ..models import Report, SectionContent, Version
from ..timeutil import utcnow
from .errors import N_

PREFIX = "reviewflow."
FORMAT = "1"
CHUNK = 240          # Word shows (and may keep) at most 255 characters of a property


def fingerprint(text: str) -> str:
    """A section's fingerprint: the first 16 hex digits of the sha256 of its canonical text."""
    return hashlib.sha256((text or "").encode("utf-8")).hexdigest()[:16]


def _secret() -> bytes:
    key = current_app.config.get("SECRET_KEY") or ""
    return (key if isinstance(key, bytes) else str(key).encode("utf-8")) + b"\x00reviewflow-provenance"


def _signature(props: dict[str, str]) -> str:
    payload = "\n".join(f"{k}={v}" for k, v in sorted(props.items()) if k != PREFIX + "signature")
    return hmac.new(_secret(), payload.encode("utf-8"), hashlib.sha256).hexdigest()[:40]


def stamp(report: Report, version: Version, contents: dict[str, SectionContent], *, kind: str,
          shown: dict[str, str] | None = None, now: datetime | None = None) -> dict[str, str]:
    """The custom properties of an export of ``version`` (signed).  Fingerprints are of each
    section's text as the file shows it: ``shown`` (key -> text as the file's mapping reads it,
    for an annotated original) or the version's text (a generated export reads back exactly)."""
    now = now or utcnow()
    props = {PREFIX + "format": FORMAT, PREFIX + "report": str(report.id),
             PREFIX + "version": str(version.number), PREFIX + "kind": kind,
             PREFIX + "exported": now.replace(microsecond=0, tzinfo=None).isoformat() + "Z"}
    texts = shown if shown is not None else {key: c.text for key, c in contents.items()}
    pieces = [f"{key}={fingerprint(text)}" for key, text in texts.items()]
    chunk, n = [], 1
    for piece in pieces:
        if chunk and len(";".join(chunk + [piece])) > CHUNK:
            props[f"{PREFIX}sections.{n}"] = ";".join(chunk)
            chunk, n = [], n + 1
        chunk.append(piece)
    if chunk:
        props[f"{PREFIX}sections.{n}"] = ";".join(chunk)
    props[PREFIX + "signature"] = _signature(props)
    return props


@dataclass
class Provenance:
    status: str = "absent"          # absent | ok | corrupt | other_report
    report_id: int | None = None
    version: int | None = None
    kind: str | None = None
    exported: str | None = None
    fingerprints: dict = field(default_factory=dict)
    warning: str | None = None      # message id (N_), translated where shown

    def as_dict(self) -> dict:
        return asdict(self)


CORRUPT = N_("The file's reviewflow provenance (report, version, fingerprints) was edited by hand or damaged: "
             "it is ignored, and the file is compared with the latest version.")


def verify(props: dict[str, str], report: Report, versions: set[int] | None = None) -> Provenance:
    """What the file's properties say about where it comes from (see the module docstring)."""
    ours = {k: v for k, v in (props or {}).items() if k.startswith(PREFIX)}
    if not ours:
        return Provenance()
    try:
        if not hmac.compare_digest(ours.get(PREFIX + "signature", ""), _signature(ours)):
            raise ValueError("signature")
        report_id, number = int(ours[PREFIX + "report"]), int(ours[PREFIX + "version"])
        prints = {}
        n = 1
        while f"{PREFIX}sections.{n}" in ours:
            for piece in filter(None, ours[f"{PREFIX}sections.{n}"].split(";")):
                key, _, value = piece.partition("=")
                prints[key] = value
            n += 1
    except (KeyError, ValueError):
        return Provenance(status="corrupt", warning=CORRUPT)
    found = Provenance(status="ok", report_id=report_id, version=number, kind=ours.get(PREFIX + "kind"),
                       exported=ours.get(PREFIX + "exported"), fingerprints=prints)
    if report_id != report.id:
        found.status = "other_report"
        found.warning = N_("This file was exported from another report (number %(other)s), not from this one.")
        return found
    if versions is not None and number not in versions:
        return Provenance(status="corrupt", warning=CORRUPT)
    return found


def matches(found: Provenance, contents: dict[str, SectionContent]) -> bool:
    """Whether a generated export's fingerprints agree with the stored version (they always do
    unless the signing key leaked or the database was changed under the file)."""
    if found.kind != "generated":
        return True
    return all(fingerprint(contents[k].text) == v for k, v in found.fingerprints.items() if k in contents)
