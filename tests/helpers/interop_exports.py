"""The exports the interoperability tests open in LibreOffice and pandoc, with what each
thread must look like there."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from reviewflow import content as C
from reviewflow.wordio import (
    ExportComment,
    ExportThread,
    GenDocument,
    GenPart,
    GenSection,
    annotate_docx,
    generate_docx,
    read_docx,
)
from tests.helpers.docxbuild import dele, ins, make_docx, p, t, tbl
from tests.helpers.paths import CORPUS

UTC = UTC
CORPUS_FILES = ("docx2python/comments.docx", "generated/threaded_fixture_fr.docx")


@dataclass
class Expected:
    quote: str
    author: str
    body: str
    resolved: bool
    replies: list          # [(author, body)]
    date: datetime | None  # the root's, UTC


@dataclass
class Export:
    name: str
    data: bytes
    text: str              # canonical text of the annotated document
    threads: list          # [Expected]


def _expected(text: str, threads: list[ExportThread]) -> list[Expected]:
    out = []
    for th in threads:
        end = th.start if (th.point or th.start == th.end) else th.end
        root = th.comments[0]
        out.append(Expected(text[th.start:end], root.author, root.text, th.resolved,
                            [(c.author, c.text) for c in th.comments[1:]],
                            root.date.astimezone(UTC).replace(microsecond=0) if root.date else None))
    return out


def _annotated(name: str, original: bytes, threads: list[ExportThread]) -> Export:
    data = annotate_docx(original, threads)
    text = read_docx(original).text
    return Export(name, data, text, _expected(text, threads))


def corpus_exports() -> list[Export]:
    """Corpus files annotated with their own threads (one more resolved, to see the flag)."""
    out = []
    for rel in CORPUS_FILES:
        path = CORPUS / rel
        if not path.exists():
            continue
        original = path.read_bytes()
        doc = read_docx(original)
        threads = []
        for k, thread in enumerate(doc.threads()):
            root = thread[0]
            threads.append(ExportThread(root.start, root.end,
                                        [ExportComment(c.author, c.initials, c.date, c.text) for c in thread],
                                        resolved=root.resolved or k == 1))
        out.append(_annotated("corpus-" + Path(rel).stem, original, threads))
    return out


D = datetime(2026, 3, 2, 14, 5, tzinfo=UTC)


def cm(text, author="Claire Relectrice", date=D):
    return ExportComment(author, "".join(w[0] for w in author.split()), date, text)


def tracked_export() -> Export:
    """Hand-built: tracked insertions and deletions, a hyperlink, a table; ranges inside and
    across them, replies, resolved threads, a point, a multi-paragraph body."""
    body = (p("Les comités ", ins("locaux de paix", rid=21), " ont été ", dele("rapidement ", rid=22),
              "établis dans ", '<w:hyperlink w:anchor="x">' + t("trois provinces") + "</w:hyperlink>", ".")
            + tbl(["Indicateur", "Cible"], ["Femmes formées", "120"])
            + p("Le projet a atteint 85 % de sa cible."))
    original = make_docx(body)
    text = read_docx(original).text
    assert text == ("Les comités locaux de paix ont été établis dans trois provinces.\n"
                    "Indicateur\nCible\nFemmes formées\n120\nLe projet a atteint 85 % de sa cible.")

    def at(quote, *comments, resolved=False, point=False):
        i = text.index(quote)
        return ExportThread(i, i + len(quote), list(comments), resolved=resolved, point=point)

    threads = [
        at("locaux de paix", cm("Inside an insertion"), cm("Oui, ajouté.", "Awa Rédactrice",
                                                            D + timedelta(hours=2))),
        at("paix ont été établis", cm("From an insertion across a deletion"), resolved=True),
        at("trois provinces", cm("On a link.\nSecond paragraph of the comment.")),
        at("Cible\nFemmes", cm("Across table cells"), cm("Réponse 1", "Awa Rédactrice"),
           cm("Réponse 2", "Jean Relecteur"), resolved=True),
        at("85 %", cm("A point"), point=True),
        ExportThread(0, len(text), [cm("The whole document")]),
    ]
    return _annotated("tracked", original, threads)


def generated_export() -> Export:
    summary = [C.paragraph("Les comités locaux de paix ont été établis dans trois provinces."),
               C.paragraph("Renforcer les capacités des médiatrices", list=0),
               C.paragraph("former 120 femmes", list=1)]
    framework = [C.table_block(["indicator", "target"], [["Indicateur", "Cible"], ["Comités établis", "12"]]),
                 C.paragraph("Source : rapports trimestriels.")]
    s_text, f_text = C.blocks_text(summary), C.blocks_text(framework)

    def at(text, quote, *comments, resolved=False):
        i = text.index(quote)
        return ExportThread(i, i + len(quote), list(comments), resolved=resolved)

    s_threads = [at(s_text, "comités locaux", cm("Combien ?"), cm("Douze.", "Awa Rédactrice"), resolved=True),
                 at(s_text, "provinces.\nRenforcer", cm("Across a list item")),
                 ExportThread(4, 4, [cm("A point")])]
    f_threads = [at(f_text, "Cible\nComités", cm("Across cells"), cm("Corrigé", "Awa Rédactrice")),
                 at(f_text, "trimestriels", cm("Quels trimestres ?\nPréciser."), resolved=True)]
    gen = GenDocument("Projet transfrontalier", [GenPart("Partie I", [GenSection("Résumé", summary, s_threads)]),
                                                 GenPart("Partie V", [GenSection("Cadre", framework, f_threads)])],
                      subtitle=["00125232"], language="fr-FR")
    data = generate_docx(gen)
    doc = read_docx(data)
    expected = []
    for th in doc.threads():
        root = th[0]
        expected.append(Expected(root.quote, root.author, root.text, root.resolved,
                                 [(c.author, c.text) for c in th[1:]], root.date))
    assert len(expected) == 5
    return Export("generated", data, doc.text, expected)


def all_exports() -> list[Export]:
    return corpus_exports() + [tracked_export(), generated_export()]


def export_names() -> list[str]:
    """The names of the exports (without building them), for parametrising tests."""
    names = ["corpus-" + Path(rel).stem for rel in CORPUS_FILES if (CORPUS / rel).exists()]
    return names + ["tracked", "generated"]
