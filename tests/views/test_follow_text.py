"""End to end: a commented Word file, then an edited clean copy; every thread follows its words."""
import html
import re

from sqlalchemy import select

from reviewflow.extensions import db
from reviewflow.models import Thread
from tests.helpers.pbf_docx import WComment, build
from tests.helpers.pbf_sample import ANSWERS, STATUS
from tests.helpers.web import upload

COMMENTS = [
    WComment("implementation_status", "Le projet connaît des retards", "Justifier"),
    WComment("implementation_status", "62 membres formés", "# d'hommes et de femmes ?", author="Cedric Teyonou"),
    WComment("upcoming_events", "Foire transfrontalière", "Date exacte ?"),
    WComment("human_impact", "la machette", "Citation à sourcer."),
]


def test_threads_follow_their_words_across_an_edited_upload(world, h, client):
    h.login("drafter@oim.example")
    assert upload(h, world, build(ANSWERS, comments=COMMENTS)).status_code == 302
    edited = dict(ANSWERS,
                  implementation_status="Point d'étape au 30 novembre.\n" +
                  STATUS.replace("62 membres formés", "62 membres formés (20 femmes / 42 hommes)"),
                  upcoming_events="En décembre : Foire transfrontalière de la paix à Garoua-Boulaï.",
                  human_impact="Le témoignage a été retiré à la demande de la personne.")
    r = upload(h, world, build(edited), name="rapport-v2.docx")
    summary = html.unescape(client.get(r.headers["Location"]).get_data(as_text=True))
    assert "4 fils ouverts ne sont pas dans ce fichier" in summary
    threads = {t.comments[0].body: t for t in db.session.scalars(select(Thread))}
    assert all(t.version.number == 3 for t in threads.values())
    for body, quote in (("Justifier", "Le projet connaît des retards"), ("# d'hommes et de femmes ?", "62 membres formés"),
                        ("Date exacte ?", "Foire transfrontalière")):
        assert threads[body].quote == quote and threads[body].anchor_status in ("exact", "moved"), body
    assert threads["Citation à sourcer."].anchor_status == "orphaned"
    h.post("/logout")
    h.login("reviewer@pbf.example")
    page = client.get(f"/reports/{world.report.id}").get_data(as_text=True)
    for t in threads.values():
        if t.anchor_status != "orphaned":
            assert re.search(rf'<mark class="hl" data-threads="{t.id}">', page)
    orphans = html.unescape(client.get(f"/reports/{world.report.id}?status=orphaned").get_data(as_text=True))
    assert "Citation à sourcer." in orphans and "Le texte sur lequel portait ce fil a disparu" in orphans
    assert "Rattacher\u202f: sélectionner un nouveau texte" in orphans
