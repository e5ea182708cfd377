"""Each outcome of Part II against the same outcome in the results framework (rule R09)."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from .completeness import meaningful
from .engine import register
from .model import ERROR, WARNING
from .textutil import excerpt, fold

_LABEL = re.compile(r"(?i)^\s*(?:r[ée]sultat|outcome|effet)\s*(?:n°\s*)?\d+\s*[:.\-–]?\s*")
_STOP = set(
    [
        "le", "la", "les", "l", "un", "une", "des", "du", "de", "d", "et", "a", "au", "aux", "en", "dans",
        "sur", "par", "pour", "avec", "ou", "que", "qui", "est", "sont", "ont", "the", "of", "and", "to", "in",
        "for", "on", "by", "with", "an", "a", "is", "are", "their", "leur", "leurs", "ses", "son", "sa", "plus",
        "more"
    ]
)


def _norm(text: str) -> str:
    t = fold(_LABEL.sub("", text or ""))
    t = re.sub(r"[^\w]+", " ", t)
    return re.sub(r"\s+", " ", t).strip()


def _words(text: str) -> set[str]:
    return {w for w in _norm(text).split() if w not in _STOP and (len(w) > 2 or w.isdigit())}


def similarity(a: str, b: str) -> float:
    """How alike two statements are (0..1): the better of the character ratio and the share of
    content words in common (so a typo or one word changed stays close, a rewrite does not)."""
    na, nb = _norm(a), _norm(b)
    if not na or not nb:
        return 0.0
    if na == nb:
        return 1.0
    wa, wb = _words(a), _words(b)
    words = len(wa & wb) / max(len(wa | wb), 1)
    return max(SequenceMatcher(None, na, nb, autojunk=False).ratio(), words)


@register("outcome_statements")
def outcome_statements(ctx, min_similarity=0.8, **_):
    """The statement of outcome k in Part II against outcome k's row in Part V: worded
    differently (``outcome_statement_mismatch``, warning: the statements come from the project
    document and must be the same); in Part II but not in Part V (``outcome_not_in_rf``, error);
    in Part V but with no statement in Part II (``outcome_not_in_part2``, warning).  Nothing is
    said when Part V has no outcome rows at all (an empty results framework is ``required``'s)."""
    rf_out = {r.id: r for r in ctx.rf_rows if r.level == "outcome" and r.id}
    if not rf_out:
        return
    for k in range(1, ctx.outcomes + 1):
        key = f"outcome_{k}.statement"
        text = ctx.text(key)
        stated = meaningful(text)
        row = rf_out.get(str(k))
        if stated and row is None:
            have = ", ".join(sorted(rf_out, key=lambda x: int(x) if x.isdigit() else 0))
            yield ctx.finding(
                "outcome_not_in_rf",
                ERROR,
                key,
                f"Le résultat {k} de la partie II n'a pas de ligne « Résultat {k} » dans le cadre de "
                f"résultats (partie V : résultats {have}). Les résultats des deux parties doivent être les "
                "mêmes.",
                f"Outcome {k} of Part II has no \u201cOutcome {k}\u201d row in the results framework (Part "
                f"V: outcomes {have}). Both parts must list the same outcomes.",
                start=0,
                end=len(text),
                quote=excerpt(text, 0, len(text), 40),
                figures={"outcome": k},
            )
            continue
        if row is None:
            continue
        title = (row.title or "").strip()
        if not stated:
            if title and ctx.text(f"outcome_{k}.progress_summary").strip() == "":
                yield ctx.finding(
                    "outcome_not_in_part2",
                    WARNING,
                    key,
                    f"Le cadre de résultats (partie V) a un résultat {k} (« "
                    f"{excerpt(title, 0, len(title), 40)} ») qui n'est pas rapporté dans la partie II.",
                    f"The results framework (Part V) has an outcome {k} "
                    f"(\u201c{excerpt(title, 0, len(title), 40)}\u201d) that is not reported in Part II.",
                    quote=title[:80],
                    figures={"outcome": k},
                )
            continue
        if not title:
            continue
        sim = similarity(text, title)
        if sim < float(min_similarity):
            yield ctx.finding(
                "outcome_statement_mismatch",
                WARNING,
                key,
                f"Le résultat {k} n'est pas formulé comme dans le cadre de résultats : partie II « "
                f"{excerpt(text, 0, len(text), 50)} », partie V « {excerpt(title, 0, len(title), 50)} ». "
                "Reprenez la formulation du document de projet dans les deux parties.",
                f"Outcome {k} is not worded as in the results framework: Part II "
                f"\u201c{excerpt(text, 0, len(text), 50)}\u201d, Part V "
                f"\u201c{excerpt(title, 0, len(title), 50)}\u201d. Use the project document's wording in "
                "both parts.",
                start=0,
                end=len(text),
                quote=excerpt(text, 0, len(text), 40),
                figures={"outcome": k, "similarity": round(sim, 2), "part5": title[:300]},
            )
