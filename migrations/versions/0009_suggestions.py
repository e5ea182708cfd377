"""thread: suggested edits (kind, proposed text, decision); version source "suggestions"

Revision ID: 0009_suggestions
Revises: 0005
Create Date: 2026-12-01

A suggested edit is a thread of kind "suggested_edit": it is anchored, re-anchored, filtered,
counted, listed and notified like any thread, and its replies are comments.  ``replacement``
is the proposed text ("" deletes the words; an empty range inserts), ``original_replacement``
the author's proposal when a drafter edited it before deciding, ``decision`` accepted /
rejected / outdated (an open one has none; a decided one is a resolved thread, whose
resolved_by/at/note say who decided, when and why) and ``decided_in`` the version number.
Accepting suggested edits makes a version whose source is "suggestions".
"""
from alembic import op
import sqlalchemy as sa

revision = "0009_suggestions"
down_revision = "0005"
branch_labels = None
depends_on = None

OLD_SOURCES = "source IN ('created', 'browser', 'upload', 'demo', 'import')"
NEW_SOURCES = "source IN ('created', 'browser', 'upload', 'demo', 'import', 'suggestions')"


def upgrade():
    with op.batch_alter_table("thread", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind", sa.String(length=20), nullable=False, server_default="comment"))
        batch_op.add_column(sa.Column("replacement", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("original_replacement", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("replacement_edited_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("replacement_edited_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("decision", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("decided_in", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_thread_replacement_edited_by_id_user_account"), "user_account",
                                    ["replacement_edited_by_id"], ["id"])
        batch_op.create_check_constraint(batch_op.f("ck_thread_kind"), "kind IN ('comment', 'suggested_edit')")
        batch_op.create_check_constraint(
            batch_op.f("ck_thread_decision"),
            "decision IS NULL OR decision IN ('accepted', 'rejected', 'outdated')")
    with op.batch_alter_table("version", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_version_source"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_version_source"), NEW_SOURCES)


def downgrade():
    with op.batch_alter_table("version", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_version_source"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_version_source"), OLD_SOURCES)
    with op.batch_alter_table("thread", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_thread_decision"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_thread_kind"), type_="check")
        batch_op.drop_constraint(batch_op.f("fk_thread_replacement_edited_by_id_user_account"), type_="foreignkey")
        batch_op.drop_column("decided_in")
        batch_op.drop_column("decision")
        batch_op.drop_column("replacement_edited_at")
        batch_op.drop_column("replacement_edited_by_id")
        batch_op.drop_column("original_replacement")
        batch_op.drop_column("replacement")
        batch_op.drop_column("kind")
