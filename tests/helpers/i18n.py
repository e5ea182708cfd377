"""The French catalog, read without an application: ``french(msgid)`` is the translation of an
English message id ("" when it has none)."""

from __future__ import annotations

from functools import lru_cache

from babel.messages.pofile import read_po

from tests.helpers.paths import REPO

PO = REPO / "reviewflow" / "translations" / "fr" / "LC_MESSAGES" / "messages.po"


@lru_cache(maxsize=1)
def _catalog() -> dict[str, str]:
    with open(PO, "rb") as fh:
        cat = read_po(fh)
    return {m.id: m.string for m in cat if m.id and isinstance(m.id, str) and m.string}


def french(msgid: str) -> str:
    return _catalog().get(msgid, "")
