"""What the Jinja helpers of ``reviewflow.formatting`` put on the page, in French and in English:
dates and numbers in the reader's locale, template labels, comments as safe HTML with links,
notification lines, why a signature no longer counts, static URLs, plural forms."""
from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from flask import render_template_string
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

import config
from reviewflow import create_app
from reviewflow import formatting as F
from reviewflow.report_templates import load_template

T = load_template("pbf")
NNBSP = "\u202f"   # the narrow no-break space French puts between thousands


class Cfg(config.TestingConfig):
    SQLALCHEMY_DATABASE_URI = "sqlite://"       # the helpers never touch the database
    BABEL_DEFAULT_TIMEZONE = "UTC"


class BanguiCfg(Cfg):
    BABEL_DEFAULT_TIMEZONE = "Africa/Bangui"


@pytest.fixture(scope="module")
def app():
    return create_app(Cfg)


@pytest.fixture
def fr(app):
    with app.test_request_context("/", headers={"Accept-Language": "fr-FR,fr;q=0.9"}):
        yield


@pytest.fixture
def en(app):
    with app.test_request_context("/", headers={"Accept-Language": "en-GB,en;q=0.9"}):
        yield


def render(source: str, **context) -> str:
    return render_template_string(source, **context)


# -- dates and numbers --------------------------------------------------------------------------

def test_dates_in_french(fr):
    when = datetime(2024, 3, 5, 14, 30, tzinfo=UTC)
    assert F.lang() == "fr"
    assert F.dt(when) == "5 mars 2024, 14:30:00"
    assert F.dt(when, "short") == "05/03/2024 14:30"
    assert F.dt(None) == "date inconnue"


def test_dates_in_english(en):
    when = datetime(2024, 3, 5, 14, 30, tzinfo=UTC)
    assert F.lang() == "en"
    assert F.dt(when) == f"Mar 5, 2024, 2:30:00{NNBSP}PM"
    assert F.dt(None) == "unknown date"


def test_a_date_without_time_zone_is_utc_and_shown_in_the_configured_zone():
    app = create_app(BanguiCfg)                      # UTC+1, no summer time
    with app.test_request_context("/", headers={"Accept-Language": "fr"}):
        assert F.dt(datetime(2024, 3, 5, 14, 30), "short") == "05/03/2024 15:30"
        aware = datetime(2024, 3, 5, 14, 30, tzinfo=timezone(timedelta(hours=-5)))
        assert F.dt(aware, "short") == "05/03/2024 20:30"


def test_numbers_in_french_and_english(app):
    with app.test_request_context("/", headers={"Accept-Language": "fr"}):
        assert F.num(1234567.5) == f"1{NNBSP}234{NNBSP}567,5"
        assert F.num(3102798) == f"3{NNBSP}102{NNBSP}798"
        assert F.num(0) == "0" and F.num(None) == ""
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert F.num(1234567.5) == "1,234,567.5"


def test_the_language_follows_the_browser_then_defaults_to_french(app):
    with app.test_request_context("/", headers={"Accept-Language": "de-DE,de;q=0.9"}):
        assert F.lang() == "fr" and F.dt(None) == "date inconnue"


# -- template labels ----------------------------------------------------------------------------

def test_template_labels_and_prompts_in_the_readers_language(app):
    field = T.field("implementation_status")
    with app.test_request_context("/", headers={"Accept-Language": "fr"}):
        assert F.label(field) == field.label["fr"] and F.prompt(T.field("country")) == "PAYS"
        assert F.label({"fr": "Résultat", "en": "Outcome"}) == "Résultat"
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert F.label(field) == field.label["en"] and F.prompt(T.field("country")) == "COUNTRY"
        assert F.label({"fr": "Résultat", "en": ""}) == "Résultat"        # a missing translation falls back
    with app.test_request_context("/", headers={"Accept-Language": "fr"}):
        assert F.label({"en": "Only English"}) == "Only English"
        assert F.label(None) == "" and F.label(3) == "3"


def test_codes_get_their_translated_labels_and_unknown_codes_stay_readable(fr):
    assert str(F.label_of("state", "in_review")) == "En revue"
    assert str(F.label_of("anchor", "exact")) == "sur son texte"
    assert F.label_of("state", "archived") == "archived"
    assert F.label_of("no-such-kind", "x") == "x"


# -- comments -----------------------------------------------------------------------------------

def test_a_comment_is_escaped_and_keeps_its_line_breaks():
    html = F.comment_html('<script>alert("x")</script>\nDeuxième ligne & fin')
    assert isinstance(html, Markup)
    assert html == "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;<br>Deuxième ligne &amp; fin"
    assert F.comment_html("") == "" and F.comment_html(None) == ""


def test_web_addresses_in_a_comment_become_safe_links():
    html = F.comment_html("Voir https://exemple.org/a?b=1&c=2. Merci")
    assert html == ('Voir <a href="https://exemple.org/a?b=1&amp;c=2" rel="nofollow noopener noreferrer">'
                    "https://exemple.org/a?b=1&amp;c=2</a>. Merci")


@pytest.mark.parametrize("text, url", [
    ("(voir http://pbf.example/rapport)", "http://pbf.example/rapport"),
    ("Voir https://fr.wikipedia.org/wiki/Bangui_(ville).", "https://fr.wikipedia.org/wiki/Bangui_(ville)"),
    ("Lien https://pbf.example/x, puis", "https://pbf.example/x"),
    ("https://pbf.example/page?q=1!", "https://pbf.example/page?q=1"),
])
def test_a_link_stops_where_the_sentence_goes_on(text, url):
    html = str(F.comment_html(text))
    assert f'<a href="{url}" rel="nofollow noopener noreferrer">{url}</a>' in html


@pytest.mark.parametrize("text", ["javascript:alert(1)", "data:text/html,<b>x</b>", "ftp://pbf.example/f"])
def test_only_http_addresses_become_links(text):
    html = str(F.comment_html(text))
    assert "<a " not in html and "<b>" not in html


def test_a_quote_cannot_leave_the_links_attribute():
    html = str(F.comment_html('https://pbf.example/"onmouseover="alert(1)'))
    assert html.startswith('<a href="https://pbf.example/" rel="nofollow noopener noreferrer">')
    assert 'onmouseover="' not in html and "&#34;onmouseover=&#34;alert(1)" in html


PIECES = st.sampled_from(["https://", "http://", "pbf.example", "/a", "(", ")", ".", ",", "!", "?", " ", "\n",
                          "<", ">", "&", '"', "'", "é", "[", "]", "javascript:", "x"])


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=25).map("".join))
def test_a_comment_shows_exactly_what_was_typed_and_links_point_at_what_they_show(body):
    html = str(F.comment_html(body))
    page = Links(html.replace("<br>", "\n"))
    assert page.text == body
    for href, shown in page.links:
        assert href == shown and href.startswith(("http://", "https://")) and href.split("://", 1)[1]


class Links(HTMLParser):
    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.text, self.links, self._href = "", [], None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        assert tag == "a" and dict(attrs)["rel"] == "nofollow noopener noreferrer"
        self._href, self._shown = dict(attrs)["href"], ""

    def handle_endtag(self, tag):
        self.links.append((self._href, self._shown))
        self._href = None

    def handle_data(self, data):
        self.text += data
        if self._href is not None:
            self._shown += data


def test_the_comment_filter_is_registered_for_templates(fr):
    assert render("{{ body|comment_html }}", body="a <i>b</i>\nhttps://x.example") == (
        'a &lt;i&gt;b&lt;/i&gt;<br><a href="https://x.example" rel="nofollow noopener noreferrer">'
        "https://x.example</a>")


# -- notifications and sign-offs ----------------------------------------------------------------

def notification(kind, actor="Claire Reviewer", **details):
    return SimpleNamespace(kind=kind, actor=SimpleNamespace(name=actor) if actor else None, details=details)


@pytest.mark.parametrize("kind, details, french", [
    ("new_thread", {}, "Claire Reviewer a commenté le rapport"),
    ("reply", {}, "Claire Reviewer a répondu dans un fil auquel vous participez"),
    ("mention", {}, "Claire Reviewer vous a mentionné·e"),
    ("new_version", {"number": 4}, "Claire Reviewer a enregistré la version 4"),
    ("new_version", {}, "Claire Reviewer a enregistré la version ?"),
    ("addressed", {"number": 3}, "Claire Reviewer a marqué votre commentaire comme traité (version 3)"),
    ("resolved", {}, "Claire Reviewer a résolu un fil auquel vous participez"),
    ("reopened", {}, "Claire Reviewer a rouvert un fil auquel vous participez"),
    ("severity", {}, "Claire Reviewer a rendu votre fil bloquant non bloquant"),
    ("signoff_requested", {}, "Claire Reviewer a soumis le rapport pour revue et approbation"),
    ("state_changed", {"state": "in_review"}, "Claire Reviewer a changé l'état du rapport\u202f: En revue"),
])
def test_each_notification_reads_as_a_sentence_in_french(fr, kind, details, french):
    assert F.notification_text(notification(kind, **details)) == french


def test_a_notification_without_actor_or_of_an_unknown_kind(fr):
    assert F.notification_text(notification("resolved", actor=None)) == \
        "Quelqu'un a résolu un fil auquel vous participez"
    assert F.notification_text(notification("something_new")) == "something_new"


def test_a_notification_in_english(en):
    assert F.notification_text(notification("new_version", number=2)) == "Claire Reviewer saved version 2"


def test_a_name_in_a_notification_is_escaped_on_the_page(fr):
    html = render("{{ notification_text(n) }}", n=notification("reply", actor="<img src=x onerror=alert(1)>"))
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt; a répondu" in html


def signoff(reason):
    return SimpleNamespace(invalidated_reason=reason)


def test_why_a_signature_was_voided(fr):
    changed = signoff(json.dumps({"version": 5, "sections": ["implementation_status", "no_such_field"]}))
    label = T.field("implementation_status").label["fr"]
    assert F.signoff_reason(changed, T) == f"la version 5 a modifié\u202f: {label}, no_such_field"
    assert F.signoff_reason(signoff(json.dumps({"version": 5, "sections": []})), T) == \
        "la version 5 a modifié\u202f: —"
    assert F.signoff_reason(signoff(json.dumps({"action": "reopen"})), T) == "le rapport a été rouvert"
    assert F.signoff_reason(signoff(json.dumps({"superseded": True})), T) == \
        "remplacée par une nouvelle décision"
    assert F.signoff_reason(signoff("texte libre d'une ancienne version"), T) == \
        "texte libre d'une ancienne version"
    assert F.signoff_reason(signoff(None), T) == "remplacée par une nouvelle décision"


def test_why_a_signature_was_voided_in_english(en):
    changed = signoff(json.dumps({"version": 5, "sections": ["outcome_1.progress_summary"]}))
    label = T.field("outcome_1.progress_summary").label["en"]
    assert F.signoff_reason(changed, T) == f"version 5 changed: {label}"


# -- static files -------------------------------------------------------------------------------

def test_static_urls_carry_the_files_content_hash(app, monkeypatch):
    import hashlib
    monkeypatch.setattr(F, "_STATIC_HASHES", {})
    with app.test_request_context("/"):
        with app.open_resource("static/app.css") as fh:
            digest = hashlib.sha256(fh.read()).hexdigest()[:12]
        assert F.static_url("app.css") == f"/static/app.css?v={digest}"


def test_a_changed_static_file_gets_a_new_url_in_debug_mode_only(app, monkeypatch):
    import io
    monkeypatch.setattr(F, "_STATIC_HASHES", {})
    content = {"data": b"body { color: red }"}
    monkeypatch.setattr(type(app), "open_resource", lambda self, name, *a, **k: io.BytesIO(content["data"]))
    with app.test_request_context("/"):
        first = F.static_url("app.css")
        content["data"] = b"body { color: blue }"
        assert F.static_url("app.css") == first                 # production: computed once
        monkeypatch.setattr(app, "debug", True)
        assert F.static_url("app.css") != first                 # debug: follows the file


# -- the Jinja environment ----------------------------------------------------------------------

def test_the_filters_and_globals_are_available_to_templates(fr):
    page = render("{{ d|dt('short') }} · {{ 1500|num }} · {{ f|label }} · {{ f|prompt }} · "
                  "{{ label_of('role', 'approver') }} · {{ lang() }} · {{ unread }}",
                  d=datetime(2024, 3, 5, 14, 30), f=T.field("country"))
    assert page == f"05/03/2024 14:30 · 1{NNBSP}500 · Pays · PAYS · Approbateur·rice · fr · 0"


@pytest.mark.parametrize("n, french, english", [
    (0, "0 erreur", "0 errors"), (1, "1 erreur", "1 error"), (2, "2 erreurs", "2 errors"),
    (1_000_000, "1000000 erreurs", "1000000 errors"),
])
def test_plural_forms_follow_each_language(app, n, french, english):
    source = "{{ ngettext('%(num)s error', '%(num)s errors', n) }}"
    with app.test_request_context("/", headers={"Accept-Language": "fr"}):
        assert render(source, n=n) == french
    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert render(source, n=n) == english


def test_every_french_plural_message_has_its_forms(app):
    """0 and 1 take the singular in French; every plural message of the catalog says so."""
    from babel.messages.pofile import read_po
    with open(config.BASE_DIR / "reviewflow/translations/fr/LC_MESSAGES/messages.po", "rb") as fh:
        catalog = read_po(fh)
    plurals = [m for m in catalog if m.id and m.pluralizable]
    assert plurals
    with app.test_request_context("/", headers={"Accept-Language": "fr"}):
        from flask_babel import get_translations
        translations = get_translations()
        for m in plurals:
            singular, plural = m.id
            one, many = translations.ngettext(singular, plural, 1), translations.ngettext(singular, plural, 2)
            assert one == m.string[0] and many == m.string[1], m.id
            assert translations.ngettext(singular, plural, 0) == one, m.id      # 0 is singular in French
