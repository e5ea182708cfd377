"""version: unmapped content and the import summary of an uploaded Word file

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28

Content of an uploaded report that matches no template field is kept with the version (shown
to the drafter, never dropped); the import summary records what went where.
"""
from alembic import op
import sqlalchemy as sa

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("version", schema=None) as batch_op:
        batch_op.add_column(sa.Column("unmapped", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("import_summary", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("version", schema=None) as batch_op:
        batch_op.drop_column("import_summary")
        batch_op.drop_column("unmapped")
