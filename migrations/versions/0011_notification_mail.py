"""notification_mail: when a notification's e-mail was delivered

Revision ID: 0011_notification_mail
Revises: 0010_workbook
Create Date: 2026-12-04

``notification.mail_sent_at`` is the idempotency key of the mail job (reviewflow.jobs,
reviewflow.mail.send_notifications): a job retried after a failure skips the notifications whose
e-mail already went.  Existing notifications are marked as sent (their e-mails were sent, or
never will be, by the code that created them), so no old e-mail goes out after the upgrade.
"""
from alembic import op
import sqlalchemy as sa

revision = "0011_notification_mail"
down_revision = "0010_workbook"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("notification") as batch_op:
        batch_op.add_column(sa.Column("mail_sent_at", sa.DateTime(), nullable=True))
    op.execute("UPDATE notification SET mail_sent_at = created_at")


def downgrade():
    with op.batch_alter_table("notification") as batch_op:
        batch_op.drop_column("mail_sent_at")
