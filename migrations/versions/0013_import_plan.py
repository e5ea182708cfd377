"""import_plan: what an uploaded Word file would change, stored until it is confirmed or cancelled

Revision ID: 0013_import_plan
Revises: 0012_api_tokens
Create Date: 2026-12-04

One row per upload previewed: the file as read (payload: sections, comments, tracked changes),
its provenance's base version, the plan's summary, and the version its confirmation made.
"""
from alembic import op
import sqlalchemy as sa

revision = '0013_import_plan'
down_revision = '0012_api_tokens'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('import_plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('upload_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('mode', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('base_number', sa.Integer(), nullable=True),
    sa.Column('latest_number', sa.Integer(), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=True),
    sa.Column('summary', sa.JSON(), nullable=True),
    sa.Column('version_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("mode IN ('version', 'review')", name=op.f('ck_import_plan_mode')),
    sa.CheckConstraint("status IN ('planned', 'confirmed', 'cancelled')", name=op.f('ck_import_plan_status')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_import_plan_created_by_id_user_account')),
    sa.ForeignKeyConstraint(['report_id'], ['report.id'], name=op.f('fk_import_plan_report_id_report'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['upload_id'], ['upload.id'], name=op.f('fk_import_plan_upload_id_upload')),
    sa.ForeignKeyConstraint(['version_id'], ['version.id'], name=op.f('fk_import_plan_version_id_version')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_plan'))
    )
    with op.batch_alter_table('import_plan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_plan_report_id'), ['report_id'], unique=False)



def downgrade():
    with op.batch_alter_table('import_plan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_plan_report_id'))

    op.drop_table('import_plan')
