"""Deterministic generator for the anchoring benchmark: a long French PBF-style report, anchors,
and realistic edit scripts with ground truth.  Not a test; imported by bench_anchoring.py.

Ground truth is tracked while editing, not guessed afterwards: every anchor keeps its current
span through each edit, and an edit is only applied when, for every anchor of the section, it is

* outside the anchor (an insertion exactly at an anchor boundary counts as outside),
* covering the whole anchor (its words are gone: truth "gone"), or
* strictly inside the anchor, leaving its first and last word, and keeping the anchor's edited
  characters within 25 % of its length (truth: the widened span, the comment's words "changed").

Edits that would cut an anchor's boundary word in two are skipped and another is drawn: for
those no single right answer exists.
"""
from __future__ import annotations

import random
import re

NBSP, NNBSP = "\u00a0", "\u202f"

SUBJECTS = [
    "Le projet", "L’équipe du projet", "Le comité de pilotage", "Le Fonds pour la consolidation de la paix",
    "Le partenaire de mise en œuvre", "L’agence récipiendaire", "Le bureau du coordonnateur résident",
    "Le ministère de la Justice", "Le gouvernement", "La plateforme communautaire", "Le réseau des jeunes médiateurs",
    "Les organisations de la société civile", "Les autorités locales", "Les comités villageois de paix",
    "Les associations de femmes", "Les leaders religieux", "Les chefs traditionnels", "Les jeunes formés",
    "Le secrétariat technique", "L’unité de suivi et d’évaluation", "Les points focaux genre",
    "La commission nationale des droits de l’homme", "Les conseils communaux", "Les forces de défense et de sécurité",
]
VERBS = [  # singular; "a" becomes "ont" after a plural subject
    "a renforcé", "a appuyé", "a facilité", "a consolidé", "a contribué à améliorer", "a permis de renforcer",
    "a accompagné", "a mis en place", "a organisé", "a soutenu", "a élargi", "a documenté", "a évalué",
    "a mis en œuvre", "a adopté", "a validé", "a suivi", "a mobilisé", "a favorisé", "a encouragé",
    "a réhabilité",
]
OBJECTS = [
    "la cohésion sociale", "la participation des femmes", "le dialogue intercommunautaire",
    "la confiance entre les communautés et les autorités", "les mécanismes locaux de prévention des conflits",
    "l’accès à la justice", "la réinsertion socio-économique des jeunes", "les capacités des médiateurs",
    "la gestion pacifique des ressources naturelles", "les cadres de concertation", "la redevabilité des institutions",
    "le système d’alerte précoce", "les activités génératrices de revenus", "la sécurité communautaire",
    "la participation politique des jeunes", "l’inclusion des personnes déplacées", "la gouvernance locale",
    "la lutte contre les violences basées sur le genre", "les espaces de dialogue", "la résilience des ménages",
    "la protection des défenseurs des droits humains", "la collecte de données ventilées par sexe",
]
COMPLEMENTS = [
    "dans les zones frontalières", "au niveau local", "dans les régions du Nord et de l’Est",
    "en étroite collaboration avec les autorités", "malgré un contexte sécuritaire difficile",
    "conformément au document de projet", "au cours de la période considérée", "avec l’appui des partenaires",
    "dans les communes ciblées", "auprès de {n} bénéficiaires directs", "dans {k} communes pilotes",
    "grâce à une approche participative", "en tenant compte des besoins spécifiques des femmes",
    "pour un budget de {m} dollars", "à hauteur de {p}{nn}% des objectifs", "sur l’ensemble du territoire",
    "dans un esprit de complémentarité", "avec un accent particulier sur les jeunes",
]
OPENERS = [
    "", "", "", "Au cours de la période considérée, ", "En outre, ", "Par ailleurs, ", "Dans ce cadre, ",
    "À cet égard, ", "De plus, ", "Cependant, ", "Ainsi, ", "En particulier, ", "Au niveau national, ",
    "Selon les rapports trimestriels, ", "Malgré les retards constatés, ",
]
EXTRAS = [
    "Les résultats obtenus dépassent les prévisions initiales.",
    "Une mission conjointe de suivi a été réalisée en {mois}.",
    "Les retards observés s’expliquent principalement par la saison des pluies.",
    "Les données de référence ont été collectées auprès de {n} ménages.",
    "Une attention particulière a été accordée à la participation des jeunes femmes.",
    "Le taux d’exécution budgétaire atteint {p}{nn}% à la fin de la période.",
    "Les leçons apprises seront partagées lors de l’atelier de capitalisation.",
    "Plusieurs défis persistent{nb}: l’insécurité, la mobilité du personnel et la faiblesse des données.",
    "Les bénéficiaires interrogés se déclarent satisfaits des activités menées.",
]
# Repeated phrases (boilerplate) so that context, not the quote, tells occurrences apart.
BOILERPLATE = [
    "Conformément au cadre de résultats du projet, les données sont ventilées par sexe et par âge.",
    "Ces activités contribuent directement à la réalisation du résultat 1 du projet.",
    "Ces activités contribuent directement à la réalisation du résultat 2 du projet.",
    "Le suivi de cet indicateur est assuré par l’unité de suivi et d’évaluation.",
    "La mise en œuvre se poursuit conformément au plan de travail annuel.",
]
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre"]
ADJECTIVES = ["durable", "effective", "inclusive", "accrue", "significative", "renforcée", "locale"]

WORD = re.compile(r"\w+(?:[’']\w+)?")


def _number(rng: random.Random) -> str:
    n = rng.choice([rng.randint(12, 980), rng.randint(1000, 25000)])
    s = f"{n:,}".replace(",", NNBSP)
    return s


def sentence(rng: random.Random) -> str:
    if rng.random() < 0.12:
        s = rng.choice(EXTRAS)
    else:
        opener, subject = rng.choice(OPENERS), rng.choice(SUBJECTS)
        if opener:
            subject = subject[0].lower() + subject[1:]
        verb = rng.choice(VERBS)
        if subject.startswith(("Les ", "les ")):
            verb = "ont" + verb[1:]
        s = opener + subject + " " + verb + " " + rng.choice(OBJECTS) + " " + rng.choice(COMPLEMENTS)
        if rng.random() < 0.4:
            s += ", " + rng.choice(COMPLEMENTS)
        s += "."
    s = s.replace("{n}", _number(rng)).replace("{k}", str(rng.randint(3, 40))) \
        .replace("{m}", _number(rng) + NNBSP + "000").replace("{p}", str(rng.randint(40, 99))) \
        .replace("{nn}", NNBSP).replace("{nb}", NBSP).replace("{mois}", rng.choice(MONTHS))
    return s


def paragraph(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(3, 7)):
        parts.append(rng.choice(BOILERPLATE) if rng.random() < 0.1 else sentence(rng))
    return " ".join(parts)


def generate_report(seed: int = 20240501, sections: int = 50, words_per_section: int = 3000):
    rng = random.Random(seed)
    out = []
    for _ in range(sections):
        paras, words = [], 0
        while words < words_per_section:
            p = paragraph(rng)
            paras.append(p)
            words += len(WORD.findall(p))
        out.append("\n".join(paras))
    return out


def _word_spans(text: str, lo: int, hi: int):
    return [(m.start(), m.end()) for m in WORD.finditer(text, lo, hi)]


def _paragraphs(text: str):
    spans, pos = [], 0
    for line in text.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def _sentences(text: str):
    """(start, end) of sentences (end after the final period), within paragraphs."""
    out = []
    for a, b in _paragraphs(text):
        for m in re.finditer(r"[^ ].*?[.!?](?= |$)", text[a:b]):
            out.append((a + m.start(), a + m.end()))
    return out


def generate_anchors(sections, n: int, rng: random.Random):
    """(section index, start, end) spans of 1-40 words within a paragraph; about a fifth of them
    on repeated boilerplate phrases."""
    per = [n // len(sections) + (1 if i < n % len(sections) else 0) for i in range(len(sections))]
    anchors = []
    for si, text in enumerate(sections):
        paras = [p for p in _paragraphs(text) if p[1] > p[0]]
        boiler = [m.span() for b in BOILERPLATE for m in re.finditer(re.escape(b), text)]
        count = 0
        while count < per[si]:
            if boiler and rng.random() < 0.2:
                a, b = rng.choice(boiler)
                words = _word_spans(text, a, b)
                k = rng.randint(1, min(6, len(words)))
            else:
                a, b = rng.choice(paras)
                words = _word_spans(text, a, b)
                r = rng.random()
                k = rng.randint(1, 5) if r < 0.4 else rng.randint(6, 15) if r < 0.75 else rng.randint(16, 40)
                k = min(k, len(words))
            i = rng.randint(0, len(words) - k)
            start, end = words[i][0], words[i + k - 1][1]
            if rng.random() < 0.2 and end < len(text) and text[end] in ".,;:":
                end += 1
            anchors.append((si, start, end))
            count += 1
    return anchors


class SectionEditor:
    """Applies edits to one section while tracking each anchor's true span."""

    def __init__(self, text: str, spans, rng: random.Random):
        self.text = self.original = text
        self.rng = rng
        self.orig = [(s, e) for s, e in spans]
        self.cur = [(s, e) for s, e in spans]           # None once gone
        self.budget = [0] * len(spans)                  # edited chars inside the anchor
        self.touched = 0
        self.log: dict[str, int] = {}

    # -- admissibility and application -------------------------------------------------------

    def _classify(self, a, b, inserted):
        """Per anchor: 'out', 'gone', 'inside' or None (refused)."""
        out = []
        for i, span in enumerate(self.cur):
            if span is None:
                out.append("out")
                continue
            s, e = span
            if (a == b and (a <= s or a >= e)) or (a < b and (b <= s or a >= e)):
                out.append("out")
            elif a <= s and e <= b and a < b:
                out.append("gone")
            elif s < a and b < e and self._keeps_words(s, e, a, b):
                size = self.orig[i][1] - self.orig[i][0]
                if self.budget[i] + max(b - a, len(inserted)) <= 0.25 * size:
                    out.append("inside")
                else:
                    return None
            else:
                return None
        return out

    def _keeps_words(self, s, e, a, b):
        """The edit leaves the anchor's first and last words whole."""
        t = self.text
        first_end = s
        while first_end < e and (t[first_end].isalnum() or t[first_end] in "’'"):
            first_end += 1
        last_start = e
        while last_start > s and (t[last_start - 1].isalnum() or t[last_start - 1] in "’'"):
            last_start -= 1
        return a > first_end and b < last_start

    def replace(self, a, b, new, kind) -> bool:
        cls = self._classify(a, b, new)
        if cls is None:
            return False
        delta = len(new) - (b - a)
        for i, c in enumerate(cls):
            span = self.cur[i]
            if span is None:
                continue
            s, e = span
            if c == "gone":
                self.cur[i] = None
            elif c == "inside":
                self.cur[i] = (s, e + delta)
                self.budget[i] += max(b - a, len(new))
            elif s >= b and not (a == b and a >= e):
                self.cur[i] = (s + delta, e + delta)
        self.text = self.text[:a] + new + self.text[b:]
        self.touched += max(b - a, len(new))
        self.log[kind] = self.log.get(kind, 0) + 1
        return True

    def move(self, a, b, c, kind="move paragraph") -> bool:
        """Move text [a, b) to position c (outside [a, b)); anchors inside travel with it."""
        if any(span is not None and not (span[1] <= a or span[0] >= b or (a <= span[0] and span[1] <= b))
               for span in self.cur):
            return False
        if any(span is not None and span[0] < c < span[1] for span in self.cur):
            return False
        seg = self.text[a:b]
        rest = self.text[:a] + self.text[b:]
        c2 = c if c <= a else c - (b - a)
        self.text = rest[:c2] + seg + rest[c2:]
        for i, span in enumerate(self.cur):
            if span is None:
                continue
            s, e = span
            if a <= s and e <= b:
                s, e = s - a + c2, e - a + c2
            else:
                if s >= b:
                    s, e = s - (b - a), e - (b - a)
                if s >= c2:
                    s, e = s + (b - a), e + (b - a)
            self.cur[i] = (s, e)
        self.touched += b - a
        self.log[kind] = self.log.get(kind, 0) + 1
        return True

    # -- edit kinds ------------------------------------------------------------------------

    def rewrite_sentence(self):
        sents = _sentences(self.text)
        a, b = self.rng.choice(sents)
        old = self.text[a:b]
        ow = WORD.findall(old)
        grams = {tuple(ow[k:k + 3]) for k in range(len(ow) - 2)}
        for _ in range(30):
            # "beyond recognition": new first and last words, no three words in a row kept
            new = self.fresh_sentence()
            if new is None:
                return False
            nw = WORD.findall(new)
            if (ow and nw and ow[0] != nw[0] and ow[-1] != nw[-1]
                    and not any(tuple(nw[k:k + 3]) in grams for k in range(len(nw) - 2))):
                return self.replace(a, b, new, "rewrite sentence")
        return False

    def delete_sentence(self):
        sents = _sentences(self.text)
        a, b = self.rng.choice(sents)
        if b < len(self.text) and self.text[b] == " ":
            return self.replace(a, b + 1, "", "delete sentence")
        if a > 0 and self.text[a - 1] == " ":
            return self.replace(a - 1, b, "", "delete sentence")
        return False

    def fresh_sentence(self):
        """A generated sentence that is not already in the section (writers do not paste an
        exact copy of a sentence they have or had; repeated boilerplate exists from the start)."""
        for _ in range(30):
            s = sentence(self.rng)
            if s not in self.text and s not in self.original:
                return s
        return None

    def insert_sentence(self):
        sents = _sentences(self.text)
        _, b = self.rng.choice(sents)
        new = self.fresh_sentence()
        return new is not None and self.replace(b, b, " " + new, "insert sentence")

    def move_paragraph(self):
        paras = _paragraphs(self.text)
        if len(paras) < 3:
            return False
        i, j = self.rng.sample(range(len(paras)), 2)
        a, b = paras[i]
        if i + 1 < len(paras):
            b += 1                      # take the paragraph with its "\n"
            target = paras[j][0]       # before paragraph j
            if j == i + 1:
                return False
        else:
            a -= 1                      # last paragraph: take the "\n" before it
            target = paras[j][0] - 1 if paras[j][0] > 0 else 0
            if target == 0:
                return False
        return self.move(a, b, target)

    def delete_paragraph(self):
        paras = _paragraphs(self.text)
        if len(paras) < 3:
            return False
        i = self.rng.randrange(len(paras) - 1)
        a, b = paras[i]
        return self.replace(a, b + 1, "", "delete paragraph")

    def edit_inside_anchor(self):
        live = [i for i, s in enumerate(self.cur) if s is not None
                and len(WORD.findall(self.text[s[0]:s[1]])) >= 6]
        if not live:
            return False
        i = self.rng.choice(live)
        s, e = self.cur[i]
        words = _word_spans(self.text, s, e)[1:-1]
        a, b = self.rng.choice(words)
        r = self.rng.random()
        if r < 0.4:
            return self.replace(a, b, self.rng.choice(["renforcé", "appui", "communautaire", "durable", "effectif"]),
                                "edit inside quote (replace word)")
        if r < 0.7:
            return self.replace(b, b, " " + self.rng.choice(ADJECTIVES), "edit inside quote (insert word)")
        if self.text[b:b + 1] == " ":
            return self.replace(a, b + 1, "", "edit inside quote (delete word)")
        return False

    def small_edit(self):
        words = WORD.findall(self.text)
        if not words:
            return False
        a, b = self.rng.choice([m.span() for m in WORD.finditer(self.text)])
        r = self.rng.random()
        if r < 0.5:
            return self.replace(a, b, self.rng.choice(["principalement", "notamment", "effectivement", "également"]),
                                "replace word")
        return self.replace(b, b, " " + self.rng.choice(ADJECTIVES), "insert word")

    def run(self, rate: float):
        goal = rate * len(self.text)
        kinds = [(self.rewrite_sentence, 25), (self.delete_sentence, 12), (self.insert_sentence, 15),
                 (self.edit_inside_anchor, 18), (self.small_edit, 20), (self.move_paragraph, 3),
                 (self.delete_paragraph, 1)]
        funcs, weights = zip(*kinds, strict=False)
        tries = 0
        while self.touched < goal and tries < 5000:
            tries += 1
            self.rng.choices(funcs, weights)[0]()
        return self.text, self.cur
