"""Where a budget table is: header rows, columns by role, body rows by kind (PURE)."""

from __future__ import annotations

import re

from .model import Sheet, cell_text, col_letter
from .spec import Spec
from .tables import BudgetRow, Column
from .text import AMOUNT_KINDS, ID_PATTERN, is_number, matches, norm, starts_with, to_decimal, to_percent


# --------------------------------------------------------------------------- header detection
def _texts(sheet: Sheet, row: int) -> dict[int, str]:
    r = sheet.rows.get(row) or {}
    return {
        c: cell_text(cell.value).strip()
        for c, cell in r.items()
        if isinstance(cell.value, str) and cell.value.strip()
    }


def _numbers(sheet: Sheet, row: int) -> dict[int, object]:
    r = sheet.rows.get(row) or {}
    return {c: cell.value for c, cell in r.items() if is_number(cell.value)}


def header_candidates(sheet: Sheet, spec: Spec, hints: tuple = ()) -> list[int]:
    out = []
    for i, row in enumerate(sheet.row_numbers()):
        cells = sheet.rows[row]
        n_str = n_num = 0
        for c in cells.values():
            v = c.value
            if isinstance(v, str):
                n_str += 1
            elif isinstance(v, (int, float)) and not isinstance(v, bool):
                n_num += 1
        if n_str < 2 or n_num > 1:
            continue
        texts = _texts(sheet, row)
        if len(texts) < 2:
            continue
        if i >= spec.header_scan_rows and len(texts) < 3:
            continue
        roles = {
            spec.role(norm(t)) or ("recipient" if spec.is_agency(norm(t), hints) else None)
            for t in texts.values()
        } - {None}
        kinds = {spec.kinds.get(r) for r in roles}
        if len(roles) >= spec.min_roles and kinds & set(AMOUNT_KINDS):
            out.append(row)
    return out


def _is_body_row(sheet: Sheet, row: int, spec: Spec) -> bool:
    if _numbers(sheet, row):
        return True
    for t in _texts(sheet, row).values():
        n = norm(t)
        for key in ("outcome", "output", "activity", "total"):
            w = starts_with(n, spec.words(key))
            if w and re.match(re.escape(w) + r"s?\s*" + ID_PATTERN, n):
                return True
    return False


def header_block(sheet: Sheet, first: int, spec: Spec, stop: int | None) -> int:
    """Last row of a header starting at ``first``: following rows that hold only text and are
    not body rows (sub-headers: agency names under a merged "Budget par agence" ...)."""
    last = first
    rows = [r for r in sheet.row_numbers() if first < r <= first + spec.header_depth - 1]
    for r in rows:
        if stop is not None and r >= stop:
            break
        if r != last + 1 or _is_body_row(sheet, r, spec) or not _texts(sheet, r):
            break
        last = r
    return last


def _column_headers(sheet: Sheet, first: int, last: int) -> dict[int, list[str]]:
    """Column -> header texts from top to bottom; a merged cell's text is given to every column
    it spans; a group text with empty cells to its right, above sub-headers, spans them too."""
    heads: dict[int, list[str]] = {}
    texts = {r: _texts(sheet, r) for r in range(first, last + 1)}
    spans = {}
    for r1, c1, r2, c2 in sheet.merges_in_rows(first, last):
        t = sheet.text(r1, c1).strip()
        if t and first <= r1 <= last:
            for r in range(r1, min(r2, last) + 1):
                for c in range(c1, c2 + 1):
                    spans[(r, c)] = t
    cols = sorted({c for r in texts for c in texts[r]} | {c for (_r, c) in spans})
    for r in range(first, last + 1):
        row = dict(texts[r])
        for (rr, c), t in spans.items():
            if rr == r:
                row[c] = t
        if r < last:  # fill a group header to the right over empty cells that have sub-headers below
            below = set()
            for r2 in range(r + 1, last + 1):
                below |= set(texts[r2])
            for c in sorted(row):
                if (r, c) in spans:
                    continue
                nxt = c + 1
                while nxt in below and nxt not in row and (r, nxt) not in spans:
                    row[nxt] = row[c]
                    nxt += 1
        for c, t in row.items():
            lst = heads.setdefault(c, [])
            if not lst or lst[-1] != t:
                lst.append(t)
    return {c: heads[c] for c in cols if c in heads}


def _strip_recipient_words(text: str, spec: Spec) -> str:
    t = text
    if ":" in t:
        after = t.split(":", 1)[1].strip()
        if after:
            return after
    n = norm(t)
    for syn in spec.recipient_synonyms:
        n = re.sub(r"(?<![\w'])" + re.escape(norm(syn)) + r"s?(?![\w])", " ", n)
    n = re.sub(r"\b(?:n ?°|no|#)?\s*\d+\b", " ", n)
    n = re.sub(r"\s+", " ", n).strip()
    return t if not n else text


def table_columns(sheet: Sheet, first: int, last: int, spec: Spec, hints: tuple) -> list[Column]:
    out = []
    for c, texts in _column_headers(sheet, first, last).items():
        norms = [norm(t) for t in texts]
        roles = [spec.role(n) for n in norms]
        role, name = None, ""
        group = "recipients" in roles[:-1] or (roles and roles[0] == "recipients" and len(texts) > 1)
        own = roles[-1]
        if group and own in (None, "recipient", "recipients", "label", "number", "notes") or own == "recipient":
            role, name = "recipient", _strip_recipient_words(texts[-1], spec)
        elif (
            own in (None, "total", "label", "notes", "number")
            and spec.is_agency(norms[-1], hints)
            and not starts_with(norms[-1], spec.total_words)
        ):
            role, name = "recipient", texts[-1]  # "UNDP (budget in USD)": an agency, not "budget"
        elif own is not None and own != "recipients":
            role = own
        elif spec.is_agency(norms[-1], hints):
            role, name = "recipient", texts[-1]
        else:
            role = next((r for r in reversed(roles) if r and r != "recipients"), None)
            if role is None and "recipients" in roles:
                role, name = "recipient", texts[-1]
        if role is None:
            continue
        out.append(Column(c, col_letter(c), role, " / ".join(texts), name.strip()))
    # one label / number column: the leftmost; other label-like columns are text
    seen = set()
    kept = []
    for col in out:
        if col.role in ("label", "number", "notes"):
            if col.role in seen:
                continue
            seen.add(col.role)
        kept.append(col)
    return kept


# --------------------------------------------------------------------------- rows
_NUM_ID = re.compile(r"(?:[a-z]{1,3}\s?)?(\d{1,3}(?:\s?\.\s?\d{1,3}){0,3})\.?")
_LEAD_ID = re.compile(r"(\d{1,3}(?:\.\d{1,3}){1,3})\.?\s")
_GEWE_HINT = re.compile(r"%|\$|montant|amount|allou|allocat")
_ID_RE = re.compile(ID_PATTERN)


def _row_kind(label: str, number: str, has_amount: bool, spec: Spec):
    """(kind, id, scope) of a body row from its number and label."""
    n_label, n_num = norm(label), norm(number)
    total_w = starts_with(n_label, spec.total_words) or starts_with(n_num, spec.total_words)
    hier = [(k, w) for k in ("outcome", "output", "activity") for w in [starts_with(n_label, spec.words(k))] if w]
    if not hier and n_num and not total_w:  # "Activity 1.1.1:" in the number column
        for k in ("outcome", "output", "activity"):
            m = spec.re_hier_id[k].match(n_num)
            if m:
                return k, _clean_id(m.group(1)), None
    if has_amount and matches(n_label, spec.words("spent_total")) and (total_w or not hier):
        return "spent_total", None, None
    if (
        has_amount
        and not hier
        and matches(n_label, spec.words("gewe_total"))
        and (total_w or _GEWE_HINT.search(n_label))
    ):
        return "gewe_total", None, None
    if not total_w and hier and n_label.endswith(spec.total_suffixes):
        for k, _w in hier:  # "Output 1.1 total", "Résultat 2 - total"
            m = spec.re_total_suffix.get(k)
            m = m.fullmatch(n_label) if m is not None else None
            if m:
                return "total", _clean_id(m.group(1)) if m.group(1) else None, k
    if total_w:
        rest = (n_label if starts_with(n_label, spec.total_words) else n_num)[len(total_w) :].strip()
        scope = None
        m = _ID_RE.search(rest)
        rid = _clean_id(m.group(1)) if m else None
        for k in ("output", "outcome"):
            if spec.re_scope[k].search(rest):
                scope = k
                break
        if scope is None and rid:
            scope = "output" if "." in rid else "outcome"
        if scope is None and starts_with(n_label, spec.words("subtotal")):
            scope = "subtotal"
        return "total", rid, scope
    for k, _w in hier:
        m = spec.re_hier_id[k].match(n_label)
        if m:
            return k, _clean_id(m.group(1)), None
    m = _NUM_ID.fullmatch(n_num) if n_num else None
    if m:
        rid = _clean_id(m.group(1))
        return ("outcome", "output", "activity")[min(rid.count(".") + 1, 3) - 1], rid, None
    if hier:
        return hier[0][0], None, None
    m = _LEAD_ID.match((n_num + " " + n_label).strip() + " ")
    if m and has_amount:
        rid = _clean_id(m.group(1))
        return ("outcome", "output", "activity")[min(rid.count(".") + 1, 3) - 1], rid, None
    return ("line" if has_amount else "text"), None, None


def _clean_id(s: str) -> str:
    return re.sub(r"\s", "", s).replace(",", ".").strip(".")


def body_rows(sheet: Sheet, table_cols: list[Column], first: int, last: int, spec: Spec) -> list[BudgetRow]:
    label_col = next((c.col for c in table_cols if c.role == "label"), None)
    number_col = next((c.col for c in table_cols if c.role == "number"), None)
    amount_cols = [c.col for c in table_cols if spec.kinds.get(c.role) == "amount" or c.role == "recipient"]
    pct_col = next((c.col for c in table_cols if c.role == "gewe_percent"), None)
    first_amount = min(amount_cols, default=None)
    rows = []
    for r in sheet.row_numbers():
        if r < first or r > last:
            continue
        cells = sheet.rows[r]
        amounts = {}
        for c in amount_cols:
            cell = cells.get(c)
            if cell is not None and not cell.error:
                v = to_decimal(cell.value)
                if v is not None:
                    amounts[c] = v
        if label_col is not None:
            label = sheet.text(r, label_col).strip()
            if not label:  # labels written in another column left of the amounts
                label = next(
                    (
                        sheet.text(r, c).strip()
                        for c in sorted(cells)
                        if (first_amount is None or c < first_amount)
                        and c != number_col
                        and isinstance(cells[c].value, str)
                        and cells[c].value.strip()
                    ),
                    "",
                )
        else:
            label = next(
                (
                    sheet.text(r, c).strip()
                    for c in sorted(cells)
                    if isinstance(cells[c].value, str)
                    and cells[c].value.strip()
                    and (first_amount is None or c < first_amount)
                ),
                "",
            )
        number = sheet.text(r, number_col).strip() if number_col is not None else ""
        if not label and not number and not amounts:
            continue
        extra = {}
        if not amounts and label:
            # a label-value row ("Total $ alloué à l'égalité des sexes | 1 245 996") outside the columns
            for c in sorted(cells):
                if c != label_col and c != number_col and is_number(cells[c].value):
                    extra[c] = to_decimal(cells[c].value)
                    break
        kind, rid, scope = _row_kind(label[:80], number[:40], bool(amounts or extra), spec)
        if kind not in ("gewe_total", "spent_total"):
            extra = {}
        pct = None
        if pct_col is not None and (cell := cells.get(pct_col)) is not None and not cell.error:
            pct = to_percent(cell.value)
        if kind == "text" and pct is not None:
            kind = "line" if amounts else kind
        rows.append(BudgetRow(r, kind, label or number, rid, scope, {**amounts, **extra}, pct))
    return rows


