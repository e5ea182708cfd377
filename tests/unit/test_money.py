"""The two money parsers as they stand (services/reports.py for forms, checks/textutil.py for the
checks), pinned before they are merged into one: where they differ the merge has to choose."""
import pytest

from reviewflow.checks.textutil import parse_money as checks_parse
from reviewflow.services.errors import Invalid
from reviewflow.services.reports import parse_money as form_parse

INVALID = "Invalid"

# text, services/reports.py (forms), checks/textutil.py
CASES = [
    ("$1 245 996,00", "1245996.00", "1245996.00"),
    ("$ 973520.00", "973520.00", "973520.00"),
    ("1 234 567,89", "1234567.89", "1234567.89"),
    ("1,234,567.89", "1234567.89", "1234567.89"),
    ("1.234.567,89", "1234567.89", "1234567.89"),
    ("USD 1 500 000", "1500000", "1500000"),
    ("1,507,352", "1507352", "1507352"),
    ("1,5", "1.5", "1.5"),
    ("", None, None),
    # where they differ
    ("beaucoup", INVALID, None),
    ("1,5 million", INVALID, None),
    ("1.500", "1.500", "1500"),
    ("1234,567", "1234567", "1234.567"),
    ("1 234,567", "1234567", "1234.567"),
    ("1,234,56", "1234.56", None),
    ("1'000", INVALID, "1000"),
    ("Total: $ 3102798.00", INVALID, "3102798.00"),
    ("-5", INVALID, "-5"),
    ("EUR 100", INVALID, "100"),
    ("1.234.567", INVALID, "1234567"),
    ("2e5", "2E+5", None),
    # where both are wrong
    ("0,500", "500", "500"),
    ("1 000 2 000", "10002000", "10002000"),
    ("100 euros", INVALID, None),
]


def _run(parse, text):
    try:
        value = parse(text)
    except Invalid:
        return INVALID
    return None if value is None else str(value)


@pytest.mark.parametrize("text,form,_checks", CASES)
def test_form_parser_as_it_was(text, form, _checks):
    assert _run(form_parse, text) == form


@pytest.mark.parametrize("text,_form,checks", CASES)
def test_checks_parser_as_it_was(text, _form, checks):
    assert _run(checks_parse, text) == checks


def test_both_agree_on_what_drafters_write_most():
    for text in ("$437 917.96", "15 000 $", "US$ 1 000", "$0"):
        assert form_parse(text) is not None and form_parse(text) == checks_parse(text)
