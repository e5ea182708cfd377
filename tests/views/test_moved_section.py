"""A thread whose words moved to another section: shown on its card there, and in the audit trail."""
import html

from reviewflow import content as C
from reviewflow.extensions import db
from reviewflow.services import editing, threads

INTRO = "Le présent rapport couvre la période de janvier à juin 2024 dans les deux pays."
OUTRO = "Les perspectives pour le prochain semestre sont présentées dans la section suivante."
PARA = ("Dans les communes frontalières, le réseau des jeunes médiateurs a organisé douze "
        "dialogues intercommunautaires sur l’accès à la terre, avec l’appui des chefs traditionnels.")
OTHER = "Les femmes leaders ont participé aux comités de gestion des conflits fonciers dans trois régions."


def _save(w, changes, base):
    return editing.save_sections(w.report, {k: C.text_blocks(v) for k, v in changes.items()},
                                 actor=w.drafter, roles={"drafter"}, base_number=base)


def test_the_card_and_the_audit_trail_say_the_words_moved_to_another_section(world, h, client):
    old = INTRO + "\n" + PARA + "\n" + OUTRO
    _save(world, {"implementation_status": old, "human_impact": OTHER}, 1)
    quote = "douze dialogues intercommunautaires"
    t = threads.open_thread(world.report, actor=world.reviewer, roles={"reviewer"}, section_key="implementation_status",
                            body="Combien de participantes ?", start=old.index(quote), end=old.index(quote) + len(quote),
                            quote=quote)
    _save(world, {"implementation_status": INTRO + "\n" + OUTRO, "human_impact": OTHER + "\n" + PARA}, 2)
    db.session.commit()
    h.login("reviewer@pbf.example")
    page = html.unescape(client.get(f"/reports/{world.report.id}").get_data(as_text=True))
    card = page[page.index(f'id="t-{t.id}"'):]
    card = card[:card.index("</article>")]
    assert 'data-section="human_impact"' in card
    assert "Ses mots sont venus ici d'une autre section dans la version 3." in card
    assert quote in card
    audit = html.unescape(client.get(f"/reports/{world.report.id}/audit").get_data(as_text=True))
    assert "Un fil a suivi ses mots de «\u202f" in audit and "(version 3)" in audit
