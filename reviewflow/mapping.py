"""Map a Word document read by ``wordio`` onto the sections of a report template (pure).

A filled report is the template's questions ("prompts") each followed by the drafter's answer.
``map_document`` walks the document's top-level blocks in order, recognises the prompts of the
template (French or English, tolerant of small wording changes and of the "(limite de N
caractères)" suffixes), the part headings and the template's own guidance text, and gives each
answer to its field.  Answers written on the prompt's own line ("PAYS : République
centrafricaine") are split off.  The results-framework table is recognised by its header.  Form
fields (drop-downs, check boxes) inside a field's paragraphs give that field's value as a code of
the template's vocabulary.

Nothing is dropped: content that belongs to no field is returned as ``unmapped`` blocks, and the
result says what went where.  ``locate`` turns an offset of the document's canonical text into
(section key, offset in that section's canonical text), so comments land on the same words.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from . import content as C

SUFFIX_RE = re.compile(r"\(\s*(?:limite de|limit(?:e)? of)?\s*[\d\s\u00a0\u202f.,]+\s*(?:caract[eè]res|characters?)"
                       r"(?:\s*maximum)?(?:\s*par entr[ée]e)?\s*\)|\(\s*[\d\s\u00a0\u202f.,]+\s*character limit\s*\)",
                       re.IGNORECASE)
# "Résultat 2 :" / "Outcome 2 - ..." (a label), not "Outcome 2 was reached" (prose)
OUTCOME_RE = re.compile(r"^\s*(?:r[ée]sultat|outcome)\s*(\d+)\s*(?:[:.\-–]\s*(.*))?$",
                        re.IGNORECASE | re.DOTALL)
PART_RE = re.compile(r"^\s*(?:partie|part)\s+([1-5]|i{1,3}|iv|v)\b(.*)$", re.IGNORECASE | re.DOTALL)
ROMAN = {"1": 1, "i": 1, "2": 2, "ii": 2, "3": 3, "iii": 3, "4": 4, "iv": 4, "5": 5, "v": 5}
CHECKED = "☒☑✔✓■"
UNCHECKED = "☐□"


def norm(text: str) -> str:
    """Comparable form of a prompt or paragraph: NFC, case-folded, quotes and spaces unified,
    limit suffixes, "[sic]" remarks, bullets and trailing colons removed."""
    text = unicodedata.normalize("NFC", text or "")
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u00ab", '"').replace("\u00bb", '"')
    text = text.replace("\u201c", '"').replace("\u201d", '"').replace("\u00a0", " ").replace("\u202f", " ")
    text = SUFFIX_RE.sub(" ", text)
    text = re.sub(r"\[sic[^\]]*\]", " ", text, flags=re.IGNORECASE)
    text = re.sub(r"^[\s·•*\-–\u2022|_]+", "", text)
    text = re.sub(r"\s+", " ", text).strip().casefold()
    return text.rstrip(" :*").strip()


WORD_RE = re.compile(r"\w{3,}")
HEAD_CHARS = 700   # longer than any prompt: where a paragraph that starts with a prompt has its words


@dataclass
class Prompt:
    key: str            # field id, or "outcome.<id>" for the repeated part, or "static:<n>"
    kind: str           # the field's kind, or "static"
    text: str           # normalised prompt
    part: str
    words: frozenset = frozenset()

    def __post_init__(self):
        self.words = frozenset(WORD_RE.findall(self.text))


@dataclass
class Segment:
    """doc[doc_start:doc_end] is section[sec_start:sec_start + (doc_end - doc_start)]."""
    doc_start: int
    doc_end: int
    sec_start: int


@dataclass
class MappedSection:
    key: str
    blocks: list = field(default_factory=list)
    segments: list = field(default_factory=list)
    prompt_span: tuple | None = None      # doc offsets of the prompt paragraph(s)
    how: str = "prompt"                   # prompt | inline | table | form_field

    @property
    def text(self):
        return C.blocks_text(self.blocks)


@dataclass
class Mapping:
    sections: dict                        # key -> MappedSection
    unmapped: list                        # blocks that belong to no field
    unmapped_segments: list               # Segments into the unmapped text
    outcomes: int                         # outcome blocks found in Part II
    notes: list                           # what went where, for the import summary
    skipped: list = field(default_factory=list)   # (doc_start, doc_end, key or "") of prompts/guidance

    def locate(self, offset: int, *, end: bool = False):
        """(section key or "_unmapped", offset in that section) for a document offset, or None
        when the offset falls on template text (a prompt or guidance)."""
        for key, sec in self.sections.items():
            hit = _in_segments(sec.segments, offset, end)
            if hit is not None:
                return key, hit
        hit = _in_segments(self.unmapped_segments, offset, end)
        if hit is not None:
            return "_unmapped", hit
        return None

    def doc_offset(self, key: str, offset: int):
        """The document offset of ``offset`` in section ``key``'s text (the inverse of
        ``locate``), or None when that text did not come from the document."""
        sec = self.sections.get(key)
        if sec is None:
            return None
        for s in sec.segments:
            length = s.doc_end - s.doc_start
            if s.sec_start <= offset <= s.sec_start + length:
                return s.doc_start + (offset - s.sec_start)
        return None

    def prompt_start(self, key: str):
        """Document offset of the question of field ``key``, if it is in the document."""
        for start, _stop, k in self.skipped:
            if k == key:
                return start
        return None

    def prompt_owner(self, offset: int):
        """The field whose prompt (question text) contains ``offset``, if any."""
        for start, stop, key in self.skipped:
            if start <= offset <= stop and key:
                return key
        return None


def _in_segments(segments, offset, end):
    for s in segments:
        if s.doc_start <= offset < s.doc_end or (end and offset == s.doc_end) or \
                (s.doc_start == s.doc_end == offset):
            return s.sec_start + (offset - s.doc_start)
    return None


def prompts_of(template) -> list[Prompt]:
    out = []
    for part in template.parts:
        for f in part.fields:
            key = ("outcome." + f["id"]) if part.repeat else f["id"]
            if f["kind"] == "static_guidance":
                texts = [f.get("prompt", {}).get(lang, "") for lang in ("fr", "en")]
                texts += [i.get(lang, "") for i in f.get("items", ()) for lang in ("fr", "en")]
                out += [Prompt("static:" + f["id"], "static", norm(t), part.id) for t in texts if norm(t)]
                continue
            for lang in ("fr", "en"):
                p = norm((f.get("prompt") or {}).get(lang, ""))
                if p and "{k}" not in p:
                    out.append(Prompt(key, f["kind"], p, part.id))
                    # "Préparation du rapport: Rapport préparé par": the template prints the question
                    # ("Rapport préparé par:") on the line after its heading
                    _heading, colon, question = p.partition(": ")
                    if colon and len(WORD_RE.findall(question)) >= 3:
                        out.append(Prompt(key, f["kind"], question.strip(), part.id))
        for lang in ("fr", "en"):
            if part.intro and part.intro.get(lang):
                out.append(Prompt("static:intro:" + part.id, "static", norm(part.intro[lang]), part.id))
    return out


def _similar(a: str, b: str, floor: float = 0.0) -> float:
    """Similarity ratio; 0 as soon as the cheap upper bounds show it stays under ``floor``."""
    sm = SequenceMatcher(None, a, b, autojunk=False)
    if sm.real_quick_ratio() < floor or sm.quick_ratio() < floor:
        return 0.0
    return sm.ratio()


def match_prompt(text: str, prompts, *, part=None):
    """(prompt, rest) when the paragraph is (or starts with) a template prompt; ``rest`` is what
    follows the prompt on the same line (an inline answer), else ''."""
    raw = text or ""
    t = norm(raw)
    if len(t) < 3:
        return None
    best, best_score = None, 0.0
    head_words = None
    for p in prompts:
        if part and p.part not in part:
            continue
        n = len(p.text)
        if t == p.text:
            return p, ""
        if n >= 25:
            # cheap filter before any similarity ratio: most of the prompt's words must be there
            if head_words is None:
                head_words = frozenset(WORD_RE.findall(t[:HEAD_CHARS]))
            if len(p.words & head_words) < 0.6 * len(p.words):
                continue
        if t.startswith(p.text) and _ends_prompt(t, n) and (len(p.text) >= 4):
            score = 0.99
        elif n >= 25 and abs(len(t) - n) <= max(8, n // 5):
            score = _similar(t, p.text, 0.86)
        elif n >= 25 and len(t) > n:
            score = _similar(t[:n], p.text, 0.88) - 0.02
        else:
            continue
        if score > best_score:
            best, best_score = p, score
    if best is None or best_score < 0.86:
        return None
    rest = _inline_rest(raw, best)
    return best, rest


def _ends_prompt(t: str, n: int) -> bool:
    """Whether the prompt t[:n] ends there: the paragraph goes on with ":", "?", "." or "(" (or
    the prompt ends with its own "?" or ":"), not with more words ("Pays voisins et ...")."""
    after = t[n:].lstrip()
    return not after or after[0] in ":?.(" or t[n - 1] in "?:"


def _inline_rest(raw: str, prompt: Prompt) -> str:
    """Text after "prompt :" on the same paragraph (the answer written on the prompt's line).
    Prompts may contain colons themselves: the answer starts after the colon that ends the prompt;
    a limit suffix after it ("Résumé : (limite de 3000 caractères)") is not an answer."""
    if prompt.kind == "static":
        return ""
    for m in re.finditer(r"[:?]", raw):
        head = norm(raw[:m.start() + (1 if m.group() == "?" else 0)])
        if head == prompt.text or (len(prompt.text) >= 12 and _similar(head, prompt.text) >= 0.9):
            rest = raw[m.end():].strip(" \t\u00a0:")
            suffix = SUFFIX_RE.match(rest)
            if suffix:
                rest = rest[suffix.end():].strip(" \t\u00a0:")
            if norm(rest):
                return rest
    return ""


def _without_header_rows(block, offs):
    """The results-framework table without its header rows, with its column ids."""
    from .checks.rf import rf_columns, rf_rows
    columns = rf_columns(block)
    headers = {r.index for r in rf_rows(block) if r.level == "header"}
    kept_rows, kept_offs, i = [], [], 0
    for r, row in enumerate(block.get("rows", ())):
        n = sum(1 for cell in row for _ in C.iter_paragraphs(cell or [C.paragraph("")]))
        if r not in headers:
            kept_rows.append(row)
            kept_offs += offs[i:i + n]
        i += n
    out = dict(block)
    out["rows"] = kept_rows
    out["columns"] = list(columns) if columns else None
    return out, kept_offs


def _is_rf_table(block) -> bool:
    cells = [c.casefold() for row in C.table_cells(block)[:3] for c in row]
    joined = " ".join(cells)
    return ("indicat" in joined and ("base" in joined or "baseline" in joined)
            and ("cible" in joined or "target" in joined))


BOOKMARK_PREFIX = "rf_"


def bookmark_name(key: str) -> str:
    """The bookmark a generated export puts around a field's answer ("outcome_1.statement" ->
    "rf_outcome_1__statement": Word allows letters, digits and underscores only)."""
    return BOOKMARK_PREFIX + key.replace(".", "__")


def bookmark_key(name: str) -> str | None:
    if not name.startswith(BOOKMARK_PREFIX):
        return None
    return name[len(BOOKMARK_PREFIX):].replace("__", ".")


def _bookmarked_fields(doc, template) -> dict:
    """field key -> (start, end) of the answer bookmarks in ``doc`` that name a template field."""
    out = {}
    for name, span in (getattr(doc, "bookmarks", None) or {}).items():
        key = bookmark_key(name)
        if key is None:
            continue
        try:
            template.field(key)
        except KeyError:
            continue
        out[key] = span
    return out


def map_document(doc, template, *, outcomes: int | None = None) -> Mapping:
    """Assign the document's content to the template's fields (see the module docstring).

    A document reviewflow generated carries a bookmark around each answer (``bookmark_name``):
    those are read first (``map_bookmarked``), the questions being only headings there."""
    ranges = _bookmarked_fields(doc, template)
    if ranges:
        return map_bookmarked(doc, template, ranges)
    prompts = prompts_of(template)
    top = list(doc.blocks)
    offsets = C.paragraph_offsets(top)
    # doc offset of each top-level block, and of each of its paragraphs
    starts, i = [], 0
    for b in top:
        n = sum(1 for _ in C.iter_paragraphs([b]))
        starts.append(offsets[i:i + n])
        i += n
    sections: dict[str, MappedSection] = {}
    unmapped, unmapped_segs, notes, skipped = [], [], [], []
    current_key, current_part, outcome_k, max_k = None, "cover", 0, 0
    part_ids = [p.id for p in template.parts]
    max_outcomes = template.repeat_max or 0

    def section(key, how="prompt"):
        if key not in sections:
            sections[key] = MappedSection(key, how=how)
        return sections[key]

    def add_paragraph(key, block, doc_start, text=None, doc_text_start=None):
        """Append one paragraph (possibly only its tail) to a section, keeping offsets.
        Empty paragraphs before an answer's first words are left out.  ``block`` None only
        records that the field's question is in the document."""
        if block is None:
            section(key)
            return
        text = block.get("text", "") if text is None else text
        if not text.strip() and (key is None or key not in sections or not sections[key].text.strip()):
            return
        sec = section(key) if key else None
        dstart = doc_start if doc_text_start is None else doc_text_start
        para = dict(block)
        para["text"] = text
        if sec is None:
            target, segs = unmapped, unmapped_segs
        else:
            target, segs = sec.blocks, sec.segments
        pos = len(C.blocks_text(target)) + (1 if target else 0)
        target.append(para)
        segs.append(Segment(dstart, dstart + len(text), pos))

    def add_table(key, block, para_offsets):
        sec = section(key, "table")
        pos = len(sec.text) + (1 if sec.blocks else 0)
        sec.blocks.append(block)
        local = C.paragraph_offsets([block])
        for (ds, de), (ls, _le) in zip(para_offsets, local, strict=False):
            sec.segments.append(Segment(ds, de, pos + ls))

    def field_key(prompt):
        nonlocal outcome_k
        if prompt.key.startswith("outcome."):
            k = max(outcome_k, 1)
            return f"outcome_{k}.{prompt.key.split('.', 1)[1]}"
        return prompt.key

    for b, offs in zip(top, starts, strict=False):
        if b.get("t") == "table":
            if _is_rf_table(b):
                b, offs = _without_header_rows(b, offs)
                add_table("results_framework", b, offs)
                notes.append(("results_framework", "table"))
                current_key = "results_framework"
                continue
            if current_key and template_kind(template, current_key) == "table":
                add_table(current_key, b, offs)
                continue
            # A layout table (cover page): map its paragraphs one by one.
            for p, (ds, _de) in zip(C.iter_paragraphs([b]), offs, strict=False):
                current_key, current_part, outcome_k = _paragraph(
                    p, ds, prompts, template, part_ids, current_key, current_part, outcome_k, add_paragraph,
                    skipped, notes, field_key)
            continue
        ds, _de = offs[0]
        current_key, current_part, outcome_k = _paragraph(
            b, ds, prompts, template, part_ids, current_key, current_part, outcome_k, add_paragraph, skipped,
            notes, field_key)
        max_k = max(max_k, outcome_k)
    if max_outcomes:
        max_k = min(max_k, max_outcomes)
    for sec in sections.values():
        _trim_trailing_empty(sec)
    _form_fields(doc, template, sections, skipped, notes)
    _checkbox_lines(template, sections)
    return Mapping(sections, unmapped, unmapped_segs, max_k, notes, skipped)


def map_bookmarked(doc, template, ranges: dict) -> Mapping:
    """Each top-level block inside a field's bookmark is that field's; headings outside are the
    template's (a comment on one is on its section); anything else is content outside the
    template.  Choice answers written as their labels come back as codes."""
    top = list(doc.blocks)
    offsets = C.paragraph_offsets(top)
    sections: dict[str, MappedSection] = {}
    unmapped, unmapped_segs, notes, skipped = [], [], [], []
    order = sorted(ranges.items(), key=lambda kv: kv[1])
    pending_headings: list[tuple[int, int]] = []
    i = 0
    for b in top:
        n = sum(1 for _ in C.iter_paragraphs([b]))
        offs = offsets[i:i + n]
        i += n
        if not offs:
            continue
        bs, be = offs[0][0], offs[-1][1]
        key = next((k for k, (s, e) in order if s <= bs and be <= e), None)
        if key is None:
            if b.get("t") != "table" and (b.get("heading") is not None or not b.get("text", "").strip()
                                          or b.get("style") in ("Title", "Subtitle")):
                pending_headings.append((bs, be))
                continue
            pos = len(C.blocks_text(unmapped)) + (1 if unmapped else 0)
            unmapped.append(b)
            local = C.paragraph_offsets([b])
            unmapped_segs.extend(Segment(ds, de, pos + ls) for (ds, de), (ls, _le) in zip(offs, local, strict=False))
            continue
        for hs, he in pending_headings:
            skipped.append((hs, he, key))
        pending_headings = []
        sec = sections.get(key)
        if sec is None:
            sec = sections[key] = MappedSection(key, how="bookmark")
            notes.append((key, "bookmark"))
        if b.get("t") == "table" and template_kind(template, key) == "table":
            b, offs = _table_without_header(template, key, b, offs)
        pos = len(sec.text) + (1 if sec.blocks else 0)
        sec.blocks.append(b)
        local = C.paragraph_offsets([b])
        sec.segments.extend(Segment(ds, de, pos + ls) for (ds, de), (ls, _le) in zip(offs, local, strict=False))
    for sec in sections.values():
        _choice_codes(template, sec)
    outcomes = max((int(k.split(".")[0].split("_")[1]) for k in sections if k.startswith("outcome_")), default=0)
    return Mapping(sections, unmapped, unmapped_segs, outcomes, notes, skipped)


def _table_without_header(template, key, block, offs):
    """A generated export writes the column labels as the table's first row: not content."""
    if key == "results_framework" and _is_rf_table(block):
        return _without_header_rows(block, offs)
    rows = block.get("rows") or []
    if not rows:
        return block, offs
    labels = template.column_labels(key)
    known = {norm(c) for c in labels} | {norm(v) for lab in labels.values() for v in lab.values()}
    first = [C.blocks_text(cell or []) for cell in rows[0]]
    if not first or not all(norm(t) in known for t in first if t.strip()):
        return block, offs
    n = sum(1 for cell in rows[0] for _ in C.iter_paragraphs(cell or [C.paragraph("")]))
    out = dict(block)
    out["rows"] = rows[1:]
    return out, offs[n:]


def _choice_codes(template, sec) -> None:
    """A choice answer shown as its labels ("Oui · Non") back to its codes, when every label is
    one of the field's; otherwise the text stays (the import keeps what no code holds)."""
    try:
        f = template.field(sec.key)
    except KeyError:
        return
    if not f.options:
        return
    shown = [piece for p in C.iter_paragraphs(sec.blocks) for piece in p.get("text", "").split(" · ")
             if piece.strip()]
    codes = [_option_code(template, f.options, piece) for piece in shown]
    if all(codes):
        sec.blocks = [C.paragraph(c) for c in codes] or [C.paragraph("")]
        sec.segments = []


def _trim_trailing_empty(sec):
    while len(sec.blocks) > 1 and sec.blocks[-1].get("t") == "p" and not sec.blocks[-1].get("text", "").strip():
        sec.blocks.pop()
    limit = len(sec.text)
    sec.segments = [s for s in sec.segments if s.sec_start <= limit]


def _like_part_label(text: str, template) -> bool:
    """A heading written without its colon ("PARTIE II PROGRÈS PAR RÉSULTAT DU PROJET")."""
    t = norm(text)
    return any(_similar(t, norm(label), 0.85) >= 0.85
               for part in template.parts for label in part.label.values())


def template_kind(template, key):
    try:
        return template.field(key).kind
    except KeyError:
        return None


def _paragraph(p, doc_start, prompts, template, part_ids, current_key, current_part, outcome_k, add_paragraph,
               skipped, notes, field_key):
    text = p.get("text", "")
    stripped = text.strip()
    # Part headings switch the part (and end the previous answer).
    m = PART_RE.match(stripped)
    if m and len(stripped) < 140 and (m.group(2).strip()[:1] in ("", ":", ".", "-", "–")
                                      or _like_part_label(stripped, template)):
        n = ROMAN.get(m.group(1).casefold(), 0)
        part = f"part{n}" if f"part{n}" in part_ids else current_part
        skipped.append((doc_start, doc_start + len(text), ""))
        return None, part, outcome_k
    # Outcome statements open a new block of Part II.
    m = OUTCOME_RE.match(stripped)
    if m and current_part == "part2" and int(m.group(1)) <= (template.repeat_max or 99):
        k = int(m.group(1))
        statement = (m.group(2) or "").strip()
        key = f"outcome_{k}.statement"
        if statement:
            head = text.find(statement)
            add_paragraph(key, p, doc_start, text=text[head:head + len(statement)], doc_text_start=doc_start + head)
            notes.append((key, "inline"))
        skipped.append((doc_start, doc_start + (text.find(statement) if statement else len(text)), key))
        return key, current_part, k
    hit = match_prompt(text, prompts)
    if hit is not None:
        prompt, rest = hit
        if prompt.kind == "static":   # the template's own guidance: not an answer
            skipped.append((doc_start, doc_start + len(text), ""))
            return None, prompt.part, outcome_k
        key = field_key(prompt)
        part = prompt.part
        if rest:
            head = text.rfind(rest)
            add_paragraph(key, p, doc_start, text=rest, doc_text_start=doc_start + head)
            skipped.append((doc_start, doc_start + head, key))
            notes.append((key, "inline"))
            # a short field's answer is that line: the next paragraph starts afresh; longer answers go on
            longer = prompt.kind in ("text_narrative", "table", "checkbox_set")
            return (key if longer else None), part, outcome_k
        skipped.append((doc_start, doc_start + len(text), key))
        notes.append((key, "prompt"))
        add_paragraph(key, None, doc_start)   # the question is there: its answer may be empty
        return key, part, outcome_k
    if current_key is None:
        if stripped:
            add_paragraph(None, p, doc_start)
        return current_key, current_part, outcome_k
    add_paragraph(current_key, p, doc_start)
    return current_key, current_part, outcome_k


def _option_code(template, vocab, shown: str):
    shown_n = norm(shown)
    if not shown_n:
        return None
    for code, _label in template.options(vocab, "fr"):
        labels = {norm(code), norm(template.option_label(vocab, code, "fr")),
                  norm(template.option_label(vocab, code, "en"))}
        if shown_n in labels or any(lbl and (shown_n.startswith(lbl) or lbl.startswith(shown_n)) for lbl in labels
                                    if len(lbl) >= 2):
            return code
    return None


def _form_fields(doc, template, sections, skipped, notes):
    """Drop-down values (legacy or content control) inside a field's prompt become its answer."""
    for ff in doc.form_fields:
        if ff.kind != "dropdown" or not ff.value.strip():
            continue
        owner = None
        for start, stop, key in skipped:
            if key and start <= ff.start <= stop + 1:
                owner = key
        if owner is None:
            continue
        try:
            f = template.field(owner)
        except KeyError:
            continue
        if not f.options:
            continue
        code = _option_code(template, f.options, ff.value) or ff.value.strip()
        sec = sections.get(owner) or MappedSection(owner, how="form_field")
        if not sec.text.strip():
            sec.blocks = [C.paragraph(code)]
            sec.segments = []
            sec.how = "form_field"
            sections[owner] = sec
            notes.append((owner, "form_field"))


def _checkbox_lines(template, sections):
    """Check-box lists ("☒ Assurer une réponse…") become the codes of the ticked options."""
    for key, sec in list(sections.items()):
        try:
            f = template.field(key)
        except KeyError:
            continue
        if f.kind != "checkbox_set" or not f.options:
            continue
        codes = []
        for p in C.iter_paragraphs(sec.blocks):
            t = p.get("text", "").strip()
            if t[:1] in CHECKED:
                code = _option_code(template, f.options, t[1:].strip())
                if code:
                    codes.append(code)
        if codes or any(p.get("text", "").strip()[:1] in UNCHECKED for p in C.iter_paragraphs(sec.blocks)):
            sec.blocks = [C.paragraph(c) for c in codes] or [C.paragraph("")]
            sec.segments = []
            sec.how = "form_field"
