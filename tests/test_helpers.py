"""The shared test helpers can fail: a guard that never fires would make every refusal test pass."""
import pytest
from sqlalchemy import select

from reviewflow.extensions import db
from reviewflow.models import User
from tests.helpers.db import nothing_stored


def test_nothing_stored_sees_a_new_row_a_changed_row_and_ignores_what_it_is_told(world):
    from reviewflow.services import accounts
    with pytest.raises(AssertionError, match="user_account"), nothing_stored():
        accounts.create_user("new@example.org", name="Nouvelle", password="long-enough", org_name="OIM RCA")
        db.session.commit()
    with pytest.raises(AssertionError, match="user_account"), nothing_stored():
        db.session.scalar(select(User).where(User.email == "new@example.org")).name = "Renommée"
        db.session.commit()
    with nothing_stored(ignore=("user_account",)):
        db.session.scalar(select(User).where(User.email == "new@example.org")).name = "Encore"
        db.session.commit()


def test_nothing_stored_counts_only_what_is_committed(world):
    with nothing_stored():
        db.session.scalar(select(User).where(User.email == "drafter@oim.example")).name = "Pas encore"
        db.session.flush()
    db.session.rollback()
