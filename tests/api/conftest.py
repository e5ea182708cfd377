import pytest

from reviewflow import content as C
from reviewflow.extensions import db
from reviewflow.services import editing

TEXT = "Le projet connaît des retards. Pas de retard ailleurs."


@pytest.fixture
def w(world):
    """The world's report with a text in implementation_status (version 2)."""
    editing.save_sections(world.report, {"implementation_status": C.text_blocks(TEXT)}, actor=world.drafter,
                          roles={"drafter"}, base_number=1)
    db.session.commit()
    world.text = TEXT
    return world
