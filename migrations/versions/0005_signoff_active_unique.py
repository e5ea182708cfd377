"""signoff: at most one valid decision per approver and report

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28

A partial unique index (WHERE invalidated_at IS NULL), on PostgreSQL and SQLite alike, so that a
double submission can never leave two valid signatures of one approver.
"""
from alembic import op
import sqlalchemy as sa

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("uq_signoff_active_approver", "signoff", ["report_id", "approver_id"], unique=True,
                    postgresql_where=sa.text("invalidated_at IS NULL"),
                    sqlite_where=sa.text("invalidated_at IS NULL"))


def downgrade():
    op.drop_index("uq_signoff_active_approver", table_name="signoff")
