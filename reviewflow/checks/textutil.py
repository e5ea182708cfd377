"""Text helpers shared by the checks: sentences, numbers and what they are (counts, dates,
years, money, percentages, references, phone numbers), people nouns, sex terms, money formatting.

French and English patterns are always both active: PBF reports mix them ("IOM" in a French
report, English rating labels in the French template).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

SP = "[ \u00a0\u202f\u2009\t]"          # a space inside a line (incl. no-break and thin spaces)
APOS = "['\u2019\u02bc]"


def fold(s: str) -> str:
    """Lower-case, accents removed, typographic apostrophes unified (for lexicon look-ups, not
    for offsets)."""
    s = unicodedata.normalize("NFKD", s or "")
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return s.replace("\u2019", "'").replace("\u02bc", "'").casefold()


def lemma(word: str) -> str:
    """Crude singular of a folded French/English word: réunions -> reunion, focaux -> focal."""
    w = fold(word)
    if len(w) > 4 and w.endswith("aux"):
        return w[:-3] + "al"
    if len(w) > 3 and w.endswith(("s", "x")) and not w.endswith("ss"):
        return w[:-1]
    return w


# --------------------------------------------------------------------------- sentences
_ABBREV = {"m", "mm", "mme", "mmes", "dr", "pr", "st", "ste", "n", "no", "nos", "p", "pp", "art",
           "cf", "e.g", "i.e", "etc", "vol", "fig", "ex", "env", "min", "max", "mr", "mrs", "ms",
           "vs", "jr", "av", "bd", "tel", "tél"}
_SENT_END = re.compile(r"\n|[.!?\u2026]+[\"\u00bb\u201d\u2019)\]]*(?=[ \u00a0\u202f\t])")


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of ``text``; a line break always ends a sentence."""
    spans, start, n = [], 0, len(text)

    def add(a, b):
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            spans.append((a, b))

    for m in _SENT_END.finditer(text):
        if m.group() == "\n":
            add(start, m.start())
            start = m.end()
            continue
        j = m.end()
        while j < n and text[j] in " \u00a0\u202f\t":
            j += 1
        if j >= n or text[j] == "\n":
            continue
        nxt = text[j]
        if not (nxt.isupper() or nxt.isdigit() or nxt in "«\"\u201c(\u2022\u00b7-\u2013"):
            continue
        before = text[start:m.start()]
        word = re.search(r"([\w.]+)$", before)
        w = fold(word.group(1)) if word else ""
        if w in _ABBREV or re.fullmatch(r"[a-z]", w):
            continue
        add(start, m.end())
        start = j
    add(start, n)
    return spans


# --------------------------------------------------------------------------- numbers
MONTHS_FR = ("janvier", "février", "fevrier", "mars", "avril", "mai", "juin", "juillet", "août", "aout",
             "septembre", "octobre", "novembre", "décembre", "decembre")
MONTHS_EN = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
             "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
             "sept", "oct", "nov", "dec")
MONTH_NUM = {}
for _i, _m in enumerate(("janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout",
                         "septembre", "octobre", "novembre", "decembre"), 1):
    MONTH_NUM[_m] = _i
for _i, _m in enumerate(MONTHS_EN[:12], 1):
    MONTH_NUM[_m] = _i
for _m, _i in (("jan", 1), ("feb", 2), ("mar", 3), ("apr", 4), ("jun", 6), ("jul", 7), ("aug", 8),
               ("sep", 9), ("sept", 9), ("oct", 10), ("nov", 11), ("dec", 12)):
    MONTH_NUM[_m] = _i
_MONTH = r"(?:" + "|".join(sorted(MONTHS_FR + MONTHS_EN, key=len, reverse=True)) + r")\.?"

_NUM_CORE = (r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?|\d{1,3}(?:,\d{3})+(?:\.\d+)?|"
             r"\d{1,3}(?:\.\d{3}){2,}(?:,\d+)?|"
             r"\d+(?:[.,]\d+)?")
NUM_RE = re.compile(r"(?<![\w.,/\-])(?:" + _NUM_CORE + r")(?![\w/]|[.,]\d)")

_MASKS = [
    # numeric dates 12/02/2021, 12-02-21, 2021-02-12
    ("date", re.compile(r"\b\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b")),
    # 17 mars 2021, 17 et18 mars, du 21 au 24 septembre 2021, 1er novembre
    ("date", re.compile(r"(?i)\b\d{1,2}(?:er|ᵉʳ|st|nd|rd|th)?(?:" + SP + r"*(?:,|et|au|à|-|–|to|and|&)"
                        + SP + r"*\d{1,2}(?:er|st|nd|rd|th)?)*" + SP + r"+(?:de" + SP + r"+)?" + _MONTH
                        + r"(?:" + SP + r"+\d{4})?(?!\w)")),
    # juillet 2020, March 17(, 2021), mois de juin 2021
    ("date", re.compile(r"(?i)(?<!\w)" + _MONTH + SP + r"+(?:\d{1,2}(?:st|nd|rd|th)?,?" + SP + r"+)?\d{4}\b")),
    ("date", re.compile(r"(?i)(?<!\w)(?:january|february|march|april|may|june|july|august|september|"
                        r"october|november|december)" + SP + r"+\d{1,2}(?:st|nd|rd|th)?\b")),
    # money: $ 973520.00, $1 245 996,00, USD 15 000, 15 000 $, 3 M USD, 500 000 FCFA
    ("money", re.compile(r"(?i)(?:[$€£]|\b(?:usd|us\$|eur|fcfa|xaf|cfa)\b)" + SP + r"*(?:" + _NUM_CORE + r")"
                         r"(?:" + SP + r"*(?:millions?|milliards?|k|m|mn|bn))?")),
    ("money", re.compile(r"(?i)(?:" + _NUM_CORE + r")(?:" + SP + r"*(?:millions?|milliards?|k|m|mn|bn))?"
                         + SP + r"*(?:[$€£]|(?:usd|dollars?|eur|euros?|fcfa|f" + SP + r"?cfa|xaf)\b)")),
    # percentages
    ("percent", re.compile(r"(?i)(?:" + _NUM_CORE + r")" + SP + r"*(?:%|pour" + SP + r"?cent\b|per" + SP
                           + r"?cent\b|pourcent\b)")),
    # references: Indicateur 1.2, article 5, n° 12, produit 1.1, trimestres 3-5, page 4 ...
    ("ref", re.compile(r"(?i)\b(?:indicateurs?|indicators?|produits?|outputs?|r[ée]sultats?|outcomes?|"
                       r"effets?|activit[ée]s?|activity|activities|articles?|art\.|alin[ée]as?|n°|no\.|"
                       r"num[ée]ros?|numbers?|lois?|laws?|d[ée]crets?|decrees?|pages?|p\.|sections?|"
                       r"parties?|parts?|chapitres?|chapters?|trimestres?|quarters?|semestres?|phases?|"
                       r"objectifs?|objectives?|lots?|niveaux?|levels?|versions?|annexes?|annex|tomes?|"
                       r"points?|draft|mod[eè]les?|codes?|r[ée]solutions?|resolutions?|gm|axes?|piliers?|"
                       r"pillars?|[ée]tapes?|steps?|vagues?|waves?|cohortes?|cohorts?|rounds?|tours?|"
                       r"ODD|SDG|cibles?|targets?)"
                       + SP + r"*(?:n°" + SP + r"*)?\d+(?:[.\-/–]\d+)*\.?")),
    # phone numbers: +236 72 12 34 56, (+237) 6 99 99 99 99, 72.12.34.56
    ("phone", re.compile(r"(?:\+\d{1,3}|\(\+?\d{1,3}\))[ .\-]?\d{1,3}(?:[ .\-]?\d{2,4}){2,}|"
                         r"(?<!\d)\d{2}(?:[ .\-]\d{2}){3,}(?!\d)")),
    # ordinals, times, scores, ranges of ages
    ("ordinal", re.compile(r"(?i)\b\d+(?:e|è|ème|eme|er|ère|re|nde?|nd|rd|th|st)\b")),
    ("time", re.compile(r"(?i)\b\d{1,2}(?:h\d{0,2}|:\d{2})\b")),
    ("score", re.compile(r"\b\d+(?:[.,]\d+)?/\d+\b")),
    ("age", re.compile(r"(?i)\b\d{1,2}(?:" + SP + r"*(?:-|–|à|to|et|and)" + SP + r"*\d{1,2})?"
                       + SP + r"*(?:ans|years?)\b")),
]
YEAR_RE = re.compile(r"^(?:19[5-9]\d|20\d\d)$")


@dataclass(frozen=True)
class Num:
    start: int
    end: int
    text: str
    value: float
    kind: str      # count | year | date | money | percent | ref | phone | ordinal | time | score | age
    integer: bool


def parse_number(text: str) -> float | None:
    """'1 245' -> 1245; '7.5' / '7,5' -> 7.5; '2,36' -> 2.36."""
    t = re.sub(r"[ \u00a0\u202f\u2009]", "", text or "")
    if not t:
        return None
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", t):          # 1,250 / 1,250,000.50 (English)
        t = t.replace(",", "")
    elif re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", t):        # 1.250 / 1.250.000,50
        t = t.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d+[.,]\d+", t):
        t = t.replace(",", ".")
    try:
        return float(t)
    except ValueError:
        return None


def mask_spans(text: str) -> list[tuple[int, int, str]]:
    spans = []
    for kind, rx in _MASKS:
        for m in rx.finditer(text):
            spans.append((m.start(), m.end(), kind))
    return spans


def numbers(text: str) -> list[Num]:
    """Every number of ``text`` with what it is.  ``count`` is what is left when dates, years,
    money, percentages, references, phone numbers, ordinals, times, scores and ages are set
    aside.  A 4-digit number 1950..2100 is a ``year`` unless a people noun follows it."""
    masks = mask_spans(text)
    out = []
    for m in NUM_RE.finditer(text):
        a, b = m.start(), m.end()
        kind = "count"
        for s, e, k in masks:
            if s <= a and b <= e and (kind == "count" or k == "percent"):
                kind = k
        raw = m.group()
        value = parse_number(raw)
        if value is None:
            continue
        integer = float(value).is_integer()
        if kind == "count" and YEAR_RE.match(raw) and not people_noun_after(text, b):
            kind = "year"
        out.append(Num(a, b, raw, value, kind, integer))
    return out


# --------------------------------------------------------------------------- people
_PEOPLE_FR = """participant participante personne victime beneficiaire femme homme fille garcon jeune enfant
eleve etudiant etudiante lyceen lyceenne collegien collegienne ecolier ecoliere journaliste fonctionnaire
agent agente membre acteur actrice representant representante leader chef cheffe autorite point-focal
magistrat magistrate juge procureur policier policiere gendarme douanier douaniere officier militaire soldat
ex-combattant combattant combattante formateur formatrice stagiaire apprenant apprenante parlementaire
depute deputee elu elue travailleur travailleuse inspecteur inspectrice enseignant enseignante professeur
survivant survivante migrant migrante refugie refugiee deplace deplacee rapatrie rapatriee retourne
citoyen citoyenne habitant habitante villageois villageoise commercant commercante agriculteur
agricultrice eleveur eleveuse cadre responsable volontaire benevole mediateur mediatrice paralegal
parajuriste avocat avocate detenu detenue prisonnier prisonniere individu adolescent adolescente mere pere
veuve notable sage imam pasteur pretre pretresse conseiller conseillere maire prefet sous-prefet
animateur animatrice facilitateur facilitatrice enqueteur enqueteuse temoin interlocuteur invite
pair paire relais superviseur superviseuse employe employee salarie salariee ouvrier ouvriere artisan
artisane apprenti apprentie diplome diplomee orphelin orpheline"""
_PEOPLE_EN = """participant person people individual victim beneficiary woman women man men girl boy youth
child children student pupil journalist official officer agent member actor representative leader chief
authority magistrate judge prosecutor policeman policewoman gendarme soldier ex-combatant combatant trainer
trainee learner parliamentarian mp worker inspector teacher survivor migrant refugee idp returnee citizen
resident villager trader farmer herder volunteer mediator paralegal lawyer detainee prisoner adolescent
mother father widow elder councillor mayor facilitator enumerator witness stakeholder staff employee
graduate orphan peer"""
PEOPLE = {lemma(w) for w in (_PEOPLE_FR + " " + _PEOPLE_EN).split()}
PEOPLE_BIGRAMS = {("point", "focal"), ("focal", "point"), ("young", "people"), ("civil", "servant"),
                  ("police", "officer"), ("customs", "officer"), ("jeune", "fille"), ("jeune", "femme"),
                  ("jeune", "homme"), ("jeune", "garcon"), ("law", "enforcement")}
SEXED = {lemma(w) for w in ["femme", "homme", "fille", "garcon", "woman", "women", "man", "men", "girl", "boy",
                            "mere", "pere", "veuve", "policewoman", "policeman"]}
_NOT_PEOPLE_AFTER = {"jeune": {"pousse"}}

_WORD = re.compile(r"[^\W\d_][\w\-'\u2019]*")


_PRE_NOUN = re.compile(r"\)?(?:" + SP + r")+(?:(?:autres?|nouveaux|nouvelles?|other|new|more|additional)"
                       + SP + r"+)?", re.I)


def people_noun_after(text: str, pos: int) -> tuple[int, int, str] | None:
    """If a people noun starts right after ``pos`` (after at least one space, optionally a
    closing parenthesis as in "trois (3) personnes", or "autres/nouveaux/other/new"), return
    its span and lemma.  "12F" (no space) is not a count of people."""
    m = _PRE_NOUN.match(text, pos)
    if not m:
        return None
    w1 = _WORD.match(text, m.end())
    if not w1:
        return None
    l1 = lemma(w1.group())
    w2 = None
    if w1.end() < len(text) and text[w1.end()] in " \u00a0":
        w2 = _WORD.match(text, w1.end() + 1)
    l2 = lemma(w2.group()) if w2 else ""
    if (l1, l2) in PEOPLE_BIGRAMS:
        return (w1.start(), w2.end(), f"{l1} {l2}")
    if l1 in PEOPLE and l2 not in _NOT_PEOPLE_AFTER.get(l1, ()):
        return (w1.start(), w1.end(), l1)
    return None


def noun_after(text: str, pos: int) -> tuple[int, int, str] | None:
    """Any word right after a number (for counts of things: "3 réunions", "(3) réunions")."""
    m = re.match(r"\)?" + SP + r"+", text[pos:])
    if not m:
        return None
    w = _WORD.match(text, pos + m.end())
    if not w:
        return None
    return (w.start(), w.end(), lemma(w.group()))


_SEX_WORDS = (r"femmes?|hommes?|filles?|gar[çc]ons?|women|woman|men|man|girls?|boys?|f[ée]minins?|"
              r"masculins?|females?|males?|m[èe]res?|p[èe]res?|veuves?|widows?")
SEX_RE = re.compile(r"(?i)(?<![\w'\u2019])(?:" + _SEX_WORDS + r")(?!\w)|(?<![\w])\d+" + SP + r"*[FH](?![\w])|"
                    r"(?<![\w])[FH]" + SP + r"*[:=]?" + SP + r"*\d+|(?<![\w])(?:F" + SP + r"*/" + SP + r"*H|"
                    r"H" + SP + r"*/" + SP + r"*F|M" + SP + r"*/" + SP + r"*F|F" + SP + r"*/" + SP + r"*M)(?![\w])|"
                    r"(?i:d[ée]sagr[ée]g|disaggregat|par" + SP + r"+sexe|by" + SP + r"+sex)")
_HUMAN_RIGHTS = re.compile(r"(?i)droits" + SP + r"+(?:de" + SP + r"+l" + APOS + r"|humains)" + SP + r"*homme|"
                           r"human" + SP + r"+rights")
FEMALE = {lemma(w) for w in ["femme", "fille", "woman", "women", "girl", "feminin", "female", "mere", "veuve",
                             "widow", "f"]}
MALE = {lemma(w) for w in ["homme", "garcon", "man", "men", "boy", "masculin", "male", "pere", "h"]}


def has_sex_terms(text: str) -> bool:
    return bool(SEX_RE.search(_HUMAN_RIGHTS.sub(" ", text)))


# --------------------------------------------------------------------------- money
# (amounts are read by reviewflow.money.parse_money, the one parser, shared with forms and services)


def fmt_int(n, lang: str) -> str:
    """10872 -> "10 872" (fr) / "10,872" (en)."""
    s = f"{int(round(n)):,}"
    return s.replace(",", "\u00a0") if lang == "fr" else s


def fmt_num(x, lang: str) -> str:
    if x is None:
        return "?"
    if float(x) == int(x):
        return fmt_int(x, lang)
    s = f"{float(x):,.2f}".rstrip("0").rstrip(".")
    if lang == "fr":
        s = s.replace(",", "\u00a0").replace(".", ",")
    return s


def fmt_money(x: Decimal | None, lang: str) -> str:
    if x is None:
        return "?"
    s = f"{x:,.2f}"
    if lang == "fr":
        return s.replace(",", "\u00a0").replace(".", ",") + "\u00a0$"
    return "$" + s


def excerpt(text: str, start: int, end: int, width: int = 60) -> str:
    """The quoted words, shortened in the middle when long."""
    s = re.sub(r"\s+", " ", text[start:end]).strip()
    if len(s) <= 2 * width:
        return s
    return s[:width].rstrip() + " … " + s[-width:].lstrip()
