"""The one money parser (reviewflow.money), used by the new-report form, the services and the
checks.  It replaced two parsers with different rules; the table says what each of them did
where they differed, and what a French or English drafter expects instead."""
from decimal import Decimal

import pytest

from reviewflow.money import parse_money

AGREED = [   # both old parsers read these the same way, and so does the new one
    ("$1 245 996,00", "1245996.00"),
    ("$ 973520.00", "973520.00"),
    ("$437 917.96", "437917.96"),
    ("$437\u00a0917.96", "437917.96"),
    ("$1\u202f245\u202f996.00", "1245996.00"),      # what reviewflow itself writes on the cover page
    ("1 234 567,89", "1234567.89"),
    ("1,234,567.89", "1234567.89"),
    ("1.234.567,89", "1234567.89"),
    ("USD 1 500 000", "1500000"),
    ("3 102 798 USD", "3102798"),
    ("US$ 1 000", "1000"),
    ("USD1,000.50", "1000.50"),
    ("15 000 $", "15000"),
    ("1,507,352", "1507352"),
    ("45 000", "45000"),
    ("1,5", "1.5"),
    ("1.5", "1.5"),
    ("12,3456", "12.3456"),
    ("$0", "0"),
]

# text, the forms' old parser (services/reports.py), the checks' old one (checks/textutil.py), now
DIFFERED = [
    ("1,5 million", "refused", None, "1500000"),         # a French drafter writes millions in words
    ("2,5 millions de dollars", "refused", None, "2500000"),
    ("3 M USD", "refused", None, "3000000"),
    ("15k", "refused", None, "15000"),
    ("1.500", "1.500", "1500", "1500"),                   # "1,500" is 1500: so is "1.500"
    ("1.234.567", "refused", "1234567", "1234567"),
    ("1.000.000", "refused", "1000000", "1000000"),
    ("1234,567", "1234567", "1234.567", "1234.567"),      # 1234 is not a group of thousands
    ("1 234,567", "1234567", "1234.567", "1234.567"),     # spaces group: the comma is decimal
    ("1,234,56", "1234.56", None, None),                  # a typo, not an amount
    ("1'000", "refused", "1000", "1000"),                 # Swiss grouping
    ("Total: $ 3102798.00", "refused", "3102798.00", "3102798.00"),
    ("Montant : 1 000 $", "refused", "1000", "1000"),
    ("-5", "refused", "-5", "-5"),                        # negative budgets are refused by the service
    ("EUR 100", "refused", "100", "100"),
    ("2e5", "200000", None, None),                        # nobody writes an exponent
    ("beaucoup", "refused", None, None),
    ("$ 12 et $ 13", "refused", None, None),              # two amounts
    # where both were wrong
    ("0,500", "500", "500", "0.500"),
    ("1 000 2 000", "10002000", "10002000", None),        # two amounts, not ten million
    ("12.34,56", "1234.56", "1234.56", None),             # misplaced grouping
    ("100 euros", "refused", None, "100"),
]


@pytest.mark.parametrize("text,value", AGREED)
def test_amounts_as_drafters_write_them(text, value):
    assert parse_money(text) == Decimal(value)


@pytest.mark.parametrize("text,_form,_checks,now", DIFFERED)
def test_where_the_old_parsers_differed(text, _form, _checks, now):
    assert parse_money(text) == (Decimal(now) if now is not None else None)


@pytest.mark.parametrize("text", ["", "   ", "$", "$      ", None, "abc", "5 m", "10 %", "1e13", "--5"])
def test_no_amount(text):
    assert parse_money(text) is None


def test_numbers_are_taken_as_they_are():
    assert parse_money(1000) == Decimal("1000") and parse_money(Decimal("2.50")) == Decimal("2.50")
    assert parse_money(1.5) == Decimal("1.5")


@pytest.mark.parametrize("text", ["EUR 100", "100 €", "1 000 FCFA", "500 000 F CFA", "£20", "XAF 1 000"])
def test_usd_only_refuses_other_currencies(text):
    assert parse_money(text) is not None
    assert parse_money(text, usd_only=True) is None


@pytest.mark.parametrize("text", ["$1 200 000", "1 200 000 USD", "1,2 million", "US$ 1.200.000"])
def test_usd_only_reads_dollars(text):
    assert parse_money(text, usd_only=True) == Decimal("1200000")
