"""finding_note: drafters' explanations of check findings

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28

Findings themselves are computed from each version (the checks are pure and fast); only what
people say about them is stored.  A note is keyed on the finding's fingerprint (code + section +
table cell + quoted words) so it follows the finding to later versions.
"""
from alembic import op
import sqlalchemy as sa

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "finding_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=40), nullable=False),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("section", sa.String(length=80), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("version_number", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["user_account.id"], name=op.f("fk_finding_note_author_id_user_account")),
        sa.ForeignKeyConstraint(["report_id"], ["report.id"], name=op.f("fk_finding_note_report_id_report"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_finding_note")),
        sa.UniqueConstraint("report_id", "fingerprint", name="uq_finding_note_report_fingerprint"),
    )
    with op.batch_alter_table("finding_note", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_finding_note_report_id"), ["report_id"], unique=False)


def downgrade():
    with op.batch_alter_table("finding_note", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_finding_note_report_id"))
    op.drop_table("finding_note")
