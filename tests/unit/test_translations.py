"""The whole interface exists in French: every user-facing string has a French translation."""
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

REPO = Path(__file__).resolve().parents[2]
PO = REPO / "reviewflow" / "translations" / "fr" / "LC_MESSAGES" / "messages.po"


def load(path):
    with open(path, "rb") as fh:
        return read_po(fh)


def test_every_message_has_a_french_translation():
    catalog = load(PO)
    missing = [m.id for m in catalog if m.id and (not m.string or "fuzzy" in m.flags
                                                  or (isinstance(m.string, tuple) and not all(m.string)))]
    assert missing == []


def test_catalog_covers_every_string_in_the_code(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-F", str(REPO / "babel.cfg"),
                    "-k", "_l", "--no-location", "-o", str(pot), str(REPO)], check=True, cwd=REPO)
    wanted = {m.id for m in load(pot) if m.id}
    have = {m.id for m in load(PO) if m.id and m.string}
    assert sorted(map(str, wanted - have)) == [], "run `make extract-messages` and translate the new strings"


def test_placeholders_are_kept_in_translations():
    import re
    for m in load(PO):
        if m.id and m.string:
            ids = m.id if isinstance(m.id, tuple) else (m.id,)
            strings = m.string if isinstance(m.string, tuple) else (m.string,)
            want = set(re.findall(r"%\(\w+\)s", ids[-1]))
            for s in strings:
                assert set(re.findall(r"%\(\w+\)s", s)) == want, m.id


def test_french_translations_are_typeset_and_have_real_plurals():
    """Every French string we ship takes a narrow no-break space before « : ; ? ! » (and inside
    guillemets) and never writes a plural as "(s)": a count is an ngettext message."""
    import re

    from reviewflow.typography import fr_spaces

    plural_parens = re.compile(r"\w\((?:s|x|e|es)\)")
    bad = []
    for m in load(PO):
        if not m.id or not m.string:
            continue
        for s in m.string if isinstance(m.string, tuple) else (m.string,):
            if fr_spaces(s) != s or plural_parens.search(s):
                bad.append(s)
    assert bad == []
