"""Input and output of the checks engine (pure data; no Flask, no database)."""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import date

from ..textnorm import norm_quote
from ..typography import fr_spaces

ERROR = "error"
WARNING = "warning"
INFO = "info"
SEVERITIES = (ERROR, WARNING, INFO)
SEVERITY_RANK = {ERROR: 0, WARNING: 1, INFO: 2}

REPORT_TYPES = ("semi_annual", "annual", "final")


@dataclass(frozen=True)
class VersionInput:
    """Everything the checks look at for one version of one report.

    ``sections`` maps a section key of the template (``implementation_status``,
    ``outcome_2.progress_summary``, ``results_framework`` ...) to its content: a list of blocks
    in the format of :mod:`reviewflow.content`.  A key that is missing counts as an empty section.
    Offsets in findings are ``str`` indices into ``reviewflow.content.blocks_text(blocks)``.

    ``in_last_six_months`` is the drafter's answer to the cover question, when the caller knows
    it; when it is None the checks read the ``in_last_six_months`` section ("Oui"/"Non"/"yes"/
    "no"), and otherwise compute it from ``end_date`` and the period end.

    ``workbook`` is the budget workbook attached to the version, as understood by
    ``reviewflow.workbook.find_budget`` (a ``BudgetWorkbook``; the checks only read its
    attributes), or None.  ``workbook_attached`` says whether the caller knows: None (the caller
    does not deal with attachments: no workbook finding at all), False (no workbook is attached:
    ``workbook_missing`` when the template requires one), True (attached; ``workbook`` None then
    means it could not be read).  A given ``workbook`` counts as attached.
    """
    sections: dict
    report_type: str | None = None          # "semi_annual" | "annual" | "final" | None
    year: int | None = None
    first_transfer_date: date | None = None
    end_date: date | None = None             # project end date
    period_end: date | None = None           # last day of the reporting period
    lang: str = "fr"                         # language of the report ("fr" | "en")
    in_last_six_months: bool | None = None
    workbook: object | None = None           # reviewflow.workbook.BudgetWorkbook
    workbook_attached: bool | None = None

    @classmethod
    def from_texts(cls, texts: dict, **kw) -> VersionInput:
        """Convenience: sections from plain text (one paragraph per line); a value that is
        already a list of blocks is taken as is."""
        from reviewflow.content import text_blocks
        sections = {k: (v if isinstance(v, list) else text_blocks(v)) for k, v in texts.items()}
        return cls(sections=sections, **kw)


def make_fingerprint(code: str, section: str, locator: str | None, quote: str) -> str:
    """Stable identity of a finding across versions: code + section + locator + quoted text
    (NFC, case-folded, whitespace collapsed).  Offsets and figures are deliberately left out,
    so that an explanation given by the drafter follows the finding to the next version as
    long as the quoted words are the same."""
    payload = "\x1f".join((code, section or "", locator or "", norm_quote(quote)))
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:20]


@dataclass(frozen=True)
class Finding:
    """One thing a check found.

    code        stable machine code ("char_limit", "breakdown_sum" ...), see docs/checks.md
    severity    "error" | "warning" | "info"
    message     {"fr": ..., "en": ...}: what is wrong, quoting the words and figures
    section     section key ("" for a finding about the report as a whole)
    start, end  offsets into the section's canonical text, or None (whole section / no text)
    figures     numbers behind the message, e.g. {"count": 2543, "limit": 1500}
    quote       the exact words the finding is about ("" when about the whole section)
    locator     where inside a table: "<row id>/<column>", e.g. "1.3.2/current"; else None
    check       the registry name of the check that produced it
    fingerprint stable id (see make_fingerprint); computed when left empty
    """
    code: str
    severity: str
    message: dict
    section: str
    start: int | None = None
    end: int | None = None
    figures: dict = field(default_factory=dict)
    quote: str = ""
    locator: str | None = None
    check: str = ""
    fingerprint: str = ""

    def __post_init__(self):
        if self.severity not in SEVERITIES:
            raise ValueError(f"bad severity {self.severity!r}")
        if not self.fingerprint:
            object.__setattr__(self, "fingerprint",
                               make_fingerprint(self.code, self.section, self.locator, self.quote))

    def __hash__(self):
        return hash((self.fingerprint, self.start, self.end, self.severity))

    def message_in(self, lang: str) -> str:
        text = self.message.get(lang) or self.message.get("en") or self.message.get("fr") or ""
        return fr_spaces(text) if lang == "fr" else text

    def to_dict(self) -> dict:
        return asdict(self)
