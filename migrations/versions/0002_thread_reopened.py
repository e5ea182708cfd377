"""thread: who reopened it and when

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28

A resolved thread can be reopened (by a reply that asks for it, or explicitly); the thread
keeps its status history in the audit trail and shows "reopened" with who and when.
"""
from alembic import op
import sqlalchemy as sa

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("thread", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reopened_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("reopened_at", sa.DateTime(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_thread_reopened_by_id_user_account"), "user_account",
                                    ["reopened_by_id"], ["id"])


def downgrade():
    with op.batch_alter_table("thread", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_thread_reopened_by_id_user_account"), type_="foreignkey")
        batch_op.drop_column("reopened_at")
        batch_op.drop_column("reopened_by_id")
