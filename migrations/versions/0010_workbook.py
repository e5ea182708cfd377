"""workbook: the budget workbook attached to a version, and threads on its cells

Revision ID: 0010_workbook
Revises: 0009_suggestions
Create Date: 2026-12-03

- ``workbook``: an uploaded .xlsx kept byte for byte, one row per distinct file of a report
  (unique on report and sha256), with what the reader found (``summary``);
- ``version.workbook_id``: the workbook a version carries (a pointer, carried to the next version),
  and the version source "workbook" (a version made by attaching one);
- ``thread.anchor_kind`` ("text" or "cell") and the cell anchor of a cell thread (sheet, reference, the
  row's label, the column's header, the value); ``thread_anchor.cell``: where it sat on each version.
Existing threads are text threads (server default), so every existing page keeps working.
"""
from alembic import op
import sqlalchemy as sa

revision = "0010_workbook"
down_revision = "0009_suggestions"
branch_labels = None
depends_on = None

# a version made by attaching a workbook says so ("workbook")
SOURCES_CHECK = "source IN ('created', 'browser', 'upload', 'demo', 'import', 'suggestions'%s)"


def upgrade():
    op.create_table(
        "workbook",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=True),
        sa.Column("summary", sa.JSON(), nullable=True),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["report_id"], ["report.id"], name=op.f("fk_workbook_report_id_report"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["uploaded_by_id"], ["user_account.id"],
                                name=op.f("fk_workbook_uploaded_by_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workbook")),
        sa.UniqueConstraint("report_id", "sha256", name="uq_workbook_report_sha256"),
    )
    with op.batch_alter_table("workbook", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_workbook_report_id"), ["report_id"], unique=False)

    with op.batch_alter_table("thread", schema=None) as batch_op:
        batch_op.add_column(sa.Column("anchor_kind", sa.String(length=10), server_default="text", nullable=False))
        batch_op.add_column(sa.Column("cell_sheet", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("cell_ref", sa.String(length=30), nullable=True))
        batch_op.add_column(sa.Column("cell_label", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("cell_column", sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column("cell_value", sa.String(length=300), nullable=True))
        batch_op.create_check_constraint(op.f("ck_thread_anchor_kind"), "anchor_kind IN ('text', 'cell')")
        batch_op.create_check_constraint(
            op.f("ck_thread_cell_anchor"), "anchor_kind <> 'cell' OR (cell_sheet IS NOT NULL AND cell_ref IS NOT NULL)")

    with op.batch_alter_table("thread_anchor", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cell", sa.String(length=140), nullable=True))

    with op.batch_alter_table("version", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_version_source"), type_="check")
        batch_op.create_check_constraint(op.f("ck_version_source"), SOURCES_CHECK % ", 'workbook'")
        batch_op.add_column(sa.Column("workbook_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_version_workbook_id"), ["workbook_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_version_workbook_id_workbook"), "workbook", ["workbook_id"],
                                    ["id"])


def downgrade():
    op.execute("UPDATE version SET source = 'upload' WHERE source = 'workbook'")
    op.execute("DELETE FROM thread WHERE anchor_kind = 'cell'")
    with op.batch_alter_table("version", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_version_workbook_id_workbook"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_version_workbook_id"))
        batch_op.drop_column("workbook_id")
        batch_op.drop_constraint(op.f("ck_version_source"), type_="check")
        batch_op.create_check_constraint(op.f("ck_version_source"), SOURCES_CHECK % "")

    with op.batch_alter_table("thread_anchor", schema=None) as batch_op:
        batch_op.drop_column("cell")

    with op.batch_alter_table("thread", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_thread_cell_anchor"), type_="check")
        batch_op.drop_constraint(op.f("ck_thread_anchor_kind"), type_="check")
        batch_op.drop_column("cell_value")
        batch_op.drop_column("cell_column")
        batch_op.drop_column("cell_label")
        batch_op.drop_column("cell_ref")
        batch_op.drop_column("cell_sheet")
        batch_op.drop_column("anchor_kind")

    with op.batch_alter_table("workbook", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workbook_report_id"))

    op.drop_table("workbook")
