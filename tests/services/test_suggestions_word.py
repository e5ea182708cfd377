"""A Word export carries each open suggested edit as a tracked change on its words and its
discussion as a comment on them saying the proposal; the file comes back without duplicating
it, and a reply written in Word joins its discussion; "resolved" in Word decides nothing."""
import io
import zipfile

from sqlalchemy import func, select

from reviewflow import content as C
from reviewflow.extensions import db
from reviewflow.models import Thread
from reviewflow.services import editing, exports, imports, suggestions
from reviewflow.wordio import read_docx
from tests.helpers.docxbuild import comment
from tests.helpers.reports import Everyone

KEY = "implementation_status"
TEXT = "Le projet connaît des retards dans la mise en place des comités."


def setup(world):
    editing.save_sections(world.report, {KEY: C.text_blocks(TEXT)}, actor=world.drafter, roles={"drafter"},
                          base_number=1)
    at = TEXT.index("des retards")
    s = suggestions.suggest(world.report, actor=world.reviewer, roles={"reviewer"}, section_key=KEY, start=at,
                            end=at + 11, quote="des retards", replacement="du retard", note="Plus simple")
    cut = suggestions.suggest(world.report, actor=world.reviewer, roles={"reviewer"}, section_key=KEY,
                              start=TEXT.index(" des comités"), end=TEXT.index("."), replacement="")
    db.session.commit()
    return s, cut


def test_an_export_carries_each_suggested_edit_as_a_comment_on_its_words(world):
    s, cut = setup(world)
    data, _name, _kind = exports.export_docx(world.report, viewer=Everyone())
    back = read_docx(data)
    # read back as Word shows it, every change accepted: the comment sits on the new words
    found = {c.quote: c.text for c in back.comments}
    assert found["du retard"] == "[Modification proposée : « des retards » → « du retard »]\nPlus simple"
    assert "[Modification proposée : supprimer «  des comités »]" in found.values()
    assert sorted((r.kind, r.text, r.author) for r in back.revisions) == [
        ("del", " des comités", "Claire Reviewer"), ("del", "des retards", "Claire Reviewer"),
        ("ins", "du retard", "Claire Reviewer")]
    english = {c.quote: c.text for c in read_docx(exports.export_docx(
        world.report, viewer=Everyone(), options=exports.ExportOptions(lang="en"))[0]).comments}
    assert english["du retard"].startswith("[Suggested edit: “des retards” → “du retard”]")


def test_the_export_comes_back_without_duplicates_and_word_replies_join_the_discussion(world):
    s, _cut = setup(world)
    data, name, _ = exports.export_docx(world.report, viewer=Everyone())
    again = imports.import_docx(world.report, data, name, actor=world.reviewer, roles={"reviewer"}, mode="review")
    assert again.threads_created == 0 and again.already_known == 2
    assert db.session.scalar(select(func.count()).select_from(Thread)) == 2
    assert exports.strip_orphan_note("[Suggested edit: delete “x”]\nPourquoi") == "Pourquoi"
    assert imports.comment_key("A", "[Modification proposée : supprimer « x »]\nNote") == imports.comment_key(
        "A", "Note")
    assert s.suggestion_status == "open"


def test_a_reply_in_word_lands_in_the_suggested_edits_discussion(world):
    s, _cut = setup(world)
    data, name, _ = exports.export_docx(world.report, viewer=Everyone())
    root = next(c for c in read_docx(data).comments if c.quote == "du retard")
    # the reviewer answers in Word: a reply to the exported comment (a comment on the same range
    # whose commentsExtended entry names the exported one as its parent)
    members = _members(data)
    reply = comment(900, "Oui, au singulier.", author="Claire Reviewer", date="2030-01-01T09:00:00Z",
                    para_ids=["7A000001"])
    members["word/comments.xml"] = members["word/comments.xml"].replace(b"</w:comments>",
                                                                        reply.encode() + b"</w:comments>")
    members["word/commentsExtended.xml"] = members["word/commentsExtended.xml"].replace(
        b"</w15:commentsEx>", f'<w15:commentEx w15:paraId="7A000001" w15:paraIdParent="{root.para_id}" '
        f'w15:done="0"/></w15:commentsEx>'.encode())
    members["word/document.xml"] = members["word/document.xml"].replace(
        f'<w:commentRangeEnd w:id="{root.id}"/>'.encode(),
        f'<w:commentRangeEnd w:id="{root.id}"/><w:commentRangeEnd w:id="900"/>'.encode(), 1)
    result = imports.import_docx(world.report, _zip(members), name, actor=world.reviewer, roles={"reviewer"},
                                 mode="review")
    assert result.threads_created == 0 and result.replies_added == 1
    db.session.refresh(s)
    assert [c.body for c in s.comments] == ["Plus simple", "Oui, au singulier."] and s.suggestion_status == "open"


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for n, b in members.items():
            z.writestr(n, b)
    return out.getvalue()
