"""The baseline of bench_pages.py: a minimal Flask + Jinja page that loads a report's threads and
their comments in ONE query and renders them in a plain loop (no login, no ORM, no checks).

    gunicorn bench.minimal_page:app     (DATABASE_URL as for reviewflow)

``GET /r/<report_id>`` answers the page.  Not part of reviewflow: it exists to be measured against.
"""
from __future__ import annotations

import os

from flask import Flask, render_template_string
from sqlalchemy import create_engine, text

PAGE = """<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>{{ title }}</title></head><body>
<h1>{{ title }}</h1>
{% for r in rows %}<article id="t-{{ r.id }}" class="{{ r.status }}"><blockquote>{{ r.quote }}</blockquote>
<p><b>{{ r.author }}</b> {{ r.body }}</p></article>
{% endfor %}</body></html>"""

QUERY = text("""
SELECT t.id, t.status, t.quote, c.body, COALESCE(u.name, c.author_name, '') AS author
FROM thread t JOIN comment c ON c.thread_id = t.id LEFT JOIN user_account u ON u.id = c.author_id
WHERE t.report_id = :rid ORDER BY t.id, c.id
""")

app = Flask(__name__)
engine = create_engine(os.environ.get("DATABASE_URL", "sqlite:///instance/reviewflow.db"), pool_pre_ping=True)


@app.get("/r/<int:report_id>")
def page(report_id: int):
    with engine.connect() as conn:
        rows = conn.execute(QUERY, {"rid": report_id}).all()
    return render_template_string(PAGE, title=f"Rapport {report_id}", rows=rows)
