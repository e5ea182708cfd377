"""The one normaliser of quoted words (reviewflow.textnorm): findings keep their identity, and
comments coming back from Word are recognised, whatever quotes and spaces Word put in."""
import hashlib

import pytest

from reviewflow.checks import make_fingerprint
from reviewflow.textnorm import norm_quote


@pytest.mark.parametrize("a,b", [
    ("L’État a  signé", "l'état a signé"),
    ("‘cité’", "'cité'"),
    ("1\u00a0245\u202fparticipants", "1 245 participants"),
    ("E\u0301tat", "État"),                 # decomposed accent (NFD) and composed (NFC)
    ("  retard\n\tailleurs ", "retard ailleurs"),
])
def test_the_same_words_compare_equal(a, b):
    assert norm_quote(a) == norm_quote(b)


@pytest.mark.parametrize("a,b", [("retard", "retards"), ("l'État", "l État"), ("1 245", "1245")])
def test_different_words_do_not(a, b):
    assert norm_quote(a) != norm_quote(b)


def test_none_is_empty():
    assert norm_quote(None) == "" == norm_quote("   ")


def test_finding_fingerprints_are_those_already_stored():
    """Drafters' explanations are stored under these fingerprints: the normaliser must not move them."""
    payload = "\x1f".join(("placeholder", "human_impact", "", "l'état a signé"))
    assert make_fingerprint("placeholder", "human_impact", None, "L’État a  signé") == \
        hashlib.sha256(payload.encode("utf-8")).hexdigest()[:20]
