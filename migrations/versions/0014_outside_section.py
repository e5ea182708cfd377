"""section: "Contenu hors modèle", a section of every PBF report for what an uploaded file holds
outside the template's questions

Revision ID: 0014_outside_section
Revises: 0013_import_plan
Create Date: 2026-12-04

The template gains the reviewflow-only field ``outside_template`` (its last part); reports that
already exist get its section row, after their other sections.  Their versions keep pointing at
what they held: a version without the section reads it as empty, the next version writes it.
"""
from alembic import op
import sqlalchemy as sa

revision = "0014_outside_section"
down_revision = "0013_import_plan"
branch_labels = None
depends_on = None

KEY = "outside_template"


def upgrade():
    conn = op.get_bind()
    reports = conn.execute(sa.text(
        "SELECT r.id, COALESCE(MAX(s.position), -1) FROM report r LEFT JOIN section s ON s.report_id = r.id "
        "WHERE r.template_id = 'pbf' AND NOT EXISTS (SELECT 1 FROM section o WHERE o.report_id = r.id AND o.key = :key) "
        "GROUP BY r.id"), {"key": KEY}).all()
    for report_id, last in reports:
        conn.execute(sa.text("INSERT INTO section (report_id, key, position) VALUES (:r, :k, :p)"),
                     {"r": report_id, "k": KEY, "p": last + 1})


def downgrade():
    conn = op.get_bind()
    conn.execute(sa.text("DELETE FROM version_section WHERE section_id IN (SELECT id FROM section WHERE key = :key)"),
                 {"key": KEY})
    conn.execute(sa.text("DELETE FROM section WHERE key = :key AND NOT EXISTS "
                         "(SELECT 1 FROM thread t WHERE t.section_id = section.id)"), {"key": KEY})
