"""Any text: no check raises, every offset lies inside its section, exact quotes read back."""
from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewflow.checks import VersionInput, run_checks
from reviewflow.content import blocks_text, text_blocks
from tests.helpers.checks import TEMPLATE, rf

PIECES = ["45 participants", " (26 femmes et 19 hommes)", "58 fonctionnaires (18 femmes/32 hommes)", " 83% ",
          "Indicateur 1.2", " TBD ", "[...]", "« cité [...] »", "juillet 2020", "12/02/2021", "$1 245 996,00",
          "ONUDC", "(OIM)", "Organisation internationale pour les migrations (OIM)", " dont 12 femmes", "\n", ". ",
          "2 (RCA)", "3 (1 femme / 3 hommes)", "+236 72 12 34 56", "article 5", "1,250 people", "à préciser",
          ":", "(", ")", "…", " au total ", "réunions", "Pas de retard.", "0", "%", "sur 200", "XX", "\u00a0"]
text_st = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=12)), max_size=25).map("".join)
EXACT = {"breakdown_sum", "baseline_missing", "acronym_undefined", "disaggregation_missing", "placeholder",
         "date_before_start"}


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(narr=text_st, cur=text_st, base=text_st, reasons=text_st)
def test_any_text(narr, cur, base, reasons):
    secs = {"outcome_1.progress_summary": text_blocks(narr), "other": text_blocks(narr[::-1]),
            "results_framework": rf([["Résultat 1 : x", "Indicateur 1.1 # de participants " + narr[:30],
                                      base, "10", "5", cur, reasons]])}
    vi = VersionInput(sections=secs, report_type="annual", year=2021, first_transfer_date=date(2021, 2, 12),
                      end_date=date(2022, 8, 14))
    for f in run_checks(TEMPLATE, vi, strict=True):
        if f.start is None:
            continue
        text = blocks_text(secs.get(f.section, []))
        assert 0 <= f.start <= f.end <= len(text), f
        if f.code in EXACT and f.quote:
            assert text[f.start:f.end] == f.quote, f
