"""English and Spanish: a complete catalog, no untranslated template text, and the pages."""

import re
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po
from helpers import csrf_token_from, emailed_rsvp_token, outbox, rsvp
from icalendar import Calendar
from jinja2 import nodes
from test_hosting import host_event, manage_token

from eventsite.extensions import db
from eventsite.models import Campaign, EventStatus

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
TRANSLATIONS = ROOT / "eventsite" / "translations"
SPANISH_PO = TRANSLATIONS / "es" / "LC_MESSAGES" / "messages.po"
SPANISH_MO = TRANSLATIONS / "es" / "LC_MESSAGES" / "messages.mo"
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
LETTER = re.compile(r"[^\W\d_]")


# --- The catalog -------------------------------------------------------------------------


def extracted_messages() -> dict:
    """Every msgid in the code and templates, found the way `make translations` finds them."""
    with open(ROOT / "babel.cfg") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        found.setdefault(msgid, (message, f"{filename}:{lineno}"))
    return found


def spanish_catalog():
    with open(SPANISH_PO, "rb") as po:
        return read_po(po)


def test_extraction_finds_strings_from_templates_and_code():
    where = {place.split(":")[0] for _message, place in extracted_messages().values()}
    assert any(path.startswith("templates/") for path in where)
    assert "eventsite/event_forms.py" in where
    assert "eventsite/event_details.py" in where


def test_every_string_has_a_spanish_translation():
    catalog = spanish_catalog()
    problems = []
    for msgid, (message, place) in sorted(extracted_messages().items()):
        entry = catalog.get(msgid)
        if entry is None:
            problems.append(f"{place}: not in the catalog: {msgid!r}")
            continue
        forms = entry.string if isinstance(entry.string, tuple | list) else (entry.string,)
        if entry.fuzzy or not all(forms):
            problems.append(f"{place}: fuzzy or empty: {msgid!r}")
            continue
        ids = message if isinstance(message, tuple) else (message,)
        allowed = {name for text in ids for name in PLACEHOLDER.findall(text)}
        for form in forms:
            if not set(PLACEHOLDER.findall(form)) <= allowed:
                problems.append(f"{place}: unknown placeholder in {form!r}")
        if not isinstance(message, tuple) and set(PLACEHOLDER.findall(forms[0])) != allowed:
            problems.append(f"{place}: placeholders differ in {forms[0]!r}")
    assert not problems, "\n".join(problems)


def test_compiled_catalog_matches_the_po_file():
    def as_dict(catalog) -> dict:
        return {
            message.id if isinstance(message.id, str) else tuple(message.id): (
                message.string if isinstance(message.string, str) else tuple(message.string)
            )
            for message in catalog
            if message.id
        }

    compiled = BytesIO()
    write_mo(compiled, spanish_catalog())
    compiled.seek(0)
    fresh = as_dict(read_mo(compiled))
    with open(SPANISH_MO, "rb") as mo:
        committed = as_dict(read_mo(mo))
    assert committed == fresh, "run `make translations` and commit messages.mo"


# --- No text outside translation calls in templates --------------------------------------

# Attributes people see or hear; their values must come from translation calls too.
VISIBLE_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt"}
_JINJA = re.compile(r"\{#.*?#\}|\{%.*?%\}|\{\{.*?\}\}", re.DOTALL)


class _TextFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found = []

    def handle_data(self, data):
        if LETTER.search(data):
            self.found.append(data.strip())

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        visible = set(VISIBLE_ATTRIBUTES)
        if tag == "meta" and attributes.get("name") == "description":
            visible.add("content")
        if tag in ("input", "button") and attributes.get("type") in ("submit", "button", "reset"):
            visible.add("value")
        for name in visible & attributes.keys():
            if LETTER.search(attributes[name] or ""):
                self.found.append(f'{name}="{attributes[name]}"')


def _untranslated_literals(template_source: str, environment) -> list[str]:
    """Sentence-like string constants in Jinja code that don't go through a gettext call."""
    found = []

    def is_gettext_call(node) -> bool:
        return (
            isinstance(node, nodes.Call)
            and isinstance(node.node, nodes.Name)
            and node.node.name in ("_", "gettext", "ngettext")
        )

    def is_sentence(node) -> bool:
        return (
            isinstance(node, nodes.Const)
            and isinstance(node.value, str)
            and re.search(r"[^\W\d_]\w*\s+\w", node.value) is not None
        )

    def walk(node):
        if is_gettext_call(node):
            return
        if is_sentence(node):
            found.append(node.value)
        for child in node.iter_child_nodes():
            walk(child)

    walk(environment.parse(template_source))
    return found


def template_paths() -> list[Path]:
    return sorted(TEMPLATES.rglob("*.html"))


@pytest.mark.parametrize("path", template_paths(), ids=lambda path: str(path.relative_to(ROOT)))
def test_template_has_no_text_outside_translation_calls(app, path):
    source = path.read_text()
    finder = _TextFinder()
    finder.feed(_JINJA.sub("", source))
    finder.close()
    untranslated = finder.found + _untranslated_literals(source, app.jinja_env)
    assert not untranslated, f"wrap these in _(): {untranslated}"


def test_the_template_check_catches_bare_text(app):
    finder = _TextFinder()
    finder.feed(
        _JINJA.sub(
            "",
            '<p>{{ _("Fine") }} Not fine</p><input type="submit" value="Go">'
            '<a aria-label="Close">×</a>',
        )
    )
    assert finder.found == ["Not fine", 'value="Go"', 'aria-label="Close"']
    assert _untranslated_literals('{{ field(f, hint="Say it here") }}', app.jinja_env) == [
        "Say it here"
    ]
    assert _untranslated_literals('{{ field(f, hint=_("Say it here")) }}', app.jinja_env) == []


# --- Through the routes ------------------------------------------------------------------

# A Friday in June, 18:00 UTC: 11:00 in Los Angeles (PDT), 14:00 in New York (EDT).
FRIDAY_EVENING_UTC = datetime(2030, 6, 14, 18, 0, tzinfo=UTC)


@pytest.fixture
def spanish(client):
    """A browser that asks for Spanish."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "es-MX,es;q=0.9,en;q=0.5"
    return client


def page(response) -> str:
    return response.get_data(as_text=True)


def test_english_is_the_default(client):
    for headers in ({}, {"Accept-Language": "fr-FR,fr;q=0.9"}):
        response = client.get("/", headers=headers)
        assert '<html lang="en">' in page(response)
        assert "Find an event near you" in page(response)


@pytest.mark.parametrize(
    ("accept_language", "lang"),
    [
        ("es-419", "es"),
        ("es-US,en;q=0.5", "es"),
        ("en-GB,es;q=0.8", "en"),
        ("fr-CA,es;q=0.7,en;q=0.3", "es"),
        ("pt-BR", "en"),
        ("*", "en"),
    ],
)
def test_language_follows_the_browsers_preference_order(client, accept_language, lang):
    html = page(client.get("/", headers={"Accept-Language": accept_language}))
    assert f'<html lang="{lang}">' in html


def test_spanish_home_page_from_accept_language(spanish):
    response = spanish.get("/")
    html = page(response)
    assert '<html lang="es">' in html
    assert "Encuentra un evento cerca de ti" in html
    assert "Código postal" in html
    assert "Find an event near you" not in html
    assert {"Accept-Language", "Cookie"} <= set(response.vary)


def test_spanish_results_with_dates_in_the_events_time_zone(spanish, make_event):
    make_event(
        title="Vigilia por la paz",
        starts_at=FRIDAY_EVENING_UTC,
        timezone="America/Los_Angeles",
        latitude=40.7484,
        longitude=-73.9967,
        capacity=1,
        seats_taken=1,
    )
    html = page(spanish.get("/events?zip=10001"))
    assert '<html lang="es">' in html
    assert "1 evento próximo cerca de New York, NY 10001" in html
    assert "vie, 14 de jun de 2030, 11:00\u202fa.m. – 1:00\u202fp.m. PDT" in html
    assert "muy cerca" in html
    assert "Mitin · <strong>Lleno: lista de espera abierta</strong>" in html
    assert "Lleno: lista de espera abierta" in html


def test_distances_use_the_locales_decimal_sign(make_app, make_event):
    # US Spanish writes 3.2 like English does; a language without a US variant shows the
    # locale's own sign (German, with no catalog: English words, German numbers).
    client = make_app(LANGUAGES=["en", "es", "de"]).test_client()
    make_event(latitude=40.7484 + 3.2 / 69.05, longitude=-73.9967)
    for language, distance in (("en", "3.2 mi"), ("es", "3.2 mi"), ("de", "3,2 mi")):
        html = page(client.get("/events?zip=10001", headers={"Accept-Language": language}))
        assert f'<span class="distance">{distance}</span>' in html, language


def test_spanish_event_page_and_rsvp_form(spanish, make_event):
    event_id = make_event(starts_at=FRIDAY_EVENING_UTC, capacity=10)
    html = page(spanish.get(f"/events/{event_id}"))
    assert '<html lang="es">' in html
    assert "vie, 14 de jun de 2030, 2:00\u202fp.m. – 4:00\u202fp.m. EDT" in html
    assert "Quedan 10 de 10 lugares" in html
    assert "¿Vienes con alguien?" in html
    assert "Yo + 2" in html
    assert "Confirma tu asistencia" in html


def test_spanish_form_errors(spanish, make_event):
    event_id = make_event()
    response = rsvp(spanish, event_id, email="not-an-email", name="N" * 121)
    html = page(response)
    assert response.status_code == 400
    assert "Escribe un correo electrónico como nombre@ejemplo.com." in html
    # WTForms' own message for the length rule, from its bundled Spanish catalog.
    assert "120" in html and "Field cannot be longer" not in html
    assert "El campo no puede tener más de 120 caracteres." in html


def test_spanish_rsvp_confirmation_page(app, spanish, make_event):
    event_id = make_event(starts_at=FRIDAY_EVENING_UTC)
    response = rsvp(spanish, event_id, guests=2)
    html = page(spanish.get(response.headers["Location"]))
    assert "Revisa tu correo" in html
    assert "Enviamos tu confirmación a rosa@example.org" in html
    assert "Agregar al calendario (.ics)" in html
    html = page(spanish.get(f"/rsvps/{emailed_rsvp_token(app, 'rosa@example.org')}"))
    assert "Confirmado, con 2 invitados" in html


def test_spanish_host_form_and_its_errors(spanish):
    html = page(spanish.get("/events/new"))
    assert '<html lang="es">' in html
    assert "Organiza un evento" in html
    assert "Título del evento" in html
    assert '<option value="NY">Nueva York</option>' in html
    # Sorted by their Spanish names: Carolina del Norte before Colorado, Míchigan before Misuri.
    assert html.index(">Carolina del Norte<") < html.index(">Colorado<")
    assert html.index(">Míchigan<") < html.index(">Misuri<") < html.index(">Montana<")
    assert "Asamblea comunitaria" in html
    response = host_event(spanish, title="", zip_code="99999", state="CO")
    html = page(response)
    assert response.status_code == 400
    assert "Ponle un título a tu evento." in html
    assert "No encontramos el código postal 99999." in html
    assert "Corrige esto y vuelve a enviarlo:" in html
    assert "<title>Error: " in html


def test_the_switch_remembers_spanish_over_accept_language(client):
    english_page = page(client.get("/events?zip=10001", headers={"Accept-Language": "en"}))
    assert 'href="/language/es?next=/events?zip%3D10001"' in english_page

    response = client.get("/language/es?next=/events?zip%3D10001")
    assert response.status_code == 303
    assert response.headers["Location"] == "/events?zip=10001"
    assert "lang=es" in response.headers["Set-Cookie"]

    for path in ("/", "/events/new", "/events?zip=10001"):
        html = page(client.get(path, headers={"Accept-Language": "en-US,en;q=0.9"}))
        assert '<html lang="es">' in html, path
    assert 'href="/language/en?next=/"' in page(client.get("/"))

    client.get("/language/en?next=/")
    html = page(client.get("/", headers={"Accept-Language": "es"}))
    assert '<html lang="en">' in html
    assert "Find an event near you" in html


def test_the_switch_on_a_form_error_page_returns_to_the_form(client, make_event):
    event_id = make_event()
    client.environ_base["HTTP_REFERER"] = f"http://eventsite.test/events/{event_id}"
    html = page(rsvp(client, event_id, email="nope"))
    assert f'href="/language/es?next=/events/{event_id}"' in html
    client.environ_base["HTTP_REFERER"] = "https://elsewhere.example/events/1"
    assert 'href="/language/es?next=/"' in page(rsvp(client, event_id, email="nope"))
    html = page(client.post("/events/new", data={}))
    assert 'href="/language/es?next=/events/new"' in html


@pytest.mark.parametrize(
    "target", ["//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:x"]
)
def test_the_switch_only_returns_to_this_site(client, target):
    response = client.get("/language/es", query_string={"next": target})
    assert response.headers["Location"] == "/"


def test_the_switch_ignores_languages_we_do_not_speak(client):
    response = client.get("/language/xx?next=/")
    assert "Set-Cookie" not in response.headers
    assert '<html lang="en">' in page(client.get("/"))


def test_spanish_error_page(spanish):
    response = spanish.get("/events/999999")
    assert response.status_code == 404
    assert "No encontramos esa página" in page(response)


def test_emails_are_in_the_language_of_the_request_that_caused_them(app, spanish, make_event):
    response = host_event(spanish)
    assert response.status_code == 303
    (host_email,) = outbox(app)
    assert host_email.subject == "Tu evento: Families Belong Together rally"
    assert host_email.body_text.startswith("Hola, Dolores Host:")
    assert "Gracias por organizar «Families Belong Together rally» el " in host_email.body_text
    assert "Guárdalo bien" in host_email.body_text

    # An attendee who RSVPs in English; the host cancels in Spanish: the email is Spanish.
    token = manage_token(response)
    event_id = int(re.search(r"/events/(\d+)", page(spanish.get(f"/host/{token}"))).group(1))
    spanish.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    rsvp(spanish, event_id, email="maria@example.org")
    spanish.environ_base["HTTP_ACCEPT_LANGUAGE"] = "es"
    manage_page = page(spanish.get(f"/host/{token}"))
    spanish.post(
        f"/host/{token}/cancel",
        data={"csrf_token": csrf_token_from(manage_page), "reason": "Lluvia", "confirm": "y"},
    )
    cancelled = outbox(app)[-1]
    assert cancelled.to_address == "maria@example.org"
    assert cancelled.subject == "Cancelado: Families Belong Together rally"
    assert "Quien organiza dice: Lluvia" in cancelled.body_text


def test_rsvp_in_spanish_gets_a_spanish_confirmation_and_calendar_file(app, spanish, make_event):
    event_id = make_event(starts_at=FRIDAY_EVENING_UTC, title="Vigilia")
    assert rsvp(spanish, event_id, guests=2).status_code == 303
    (confirmation,) = outbox(app)
    assert confirmation.subject == "Asistencia confirmada: Vigilia"
    assert confirmation.body_text.startswith("Hola, Rosa Parks:")
    assert "Tu asistencia está confirmada, con 2 invitados." in confirmation.body_text
    assert "vie, 14 de jun de 2030, 2:00\u202fp.m. – 4:00\u202fp.m. EDT" in confirmation.body_text
    assert "Tu enlace privado para cambiar o cancelar tu confirmación:" in confirmation.body_text
    (entry,) = Calendar.from_ical(confirmation.ics_attachment).walk("VEVENT")
    assert "Detalles y confirmación de asistencia: " in str(entry["DESCRIPTION"])


def test_english_email_when_the_request_was_english(app, client):
    host_event(client)
    (host_email,) = outbox(app)
    assert host_email.subject == "Your event: Families Belong Together rally"
    assert host_email.body_text.startswith("Hi Dolores Host,")


def test_calendar_file_in_spanish(spanish, make_event):
    event_id = make_event(starts_at=FRIDAY_EVENING_UTC)
    response = spanish.get(f"/events/{event_id}/calendar.ics")
    (entry,) = Calendar.from_ical(response.data).walk("VEVENT")
    assert "Detalles y confirmación de asistencia: http://eventsite.test/events/" in str(
        entry["DESCRIPTION"]
    )
    assert response.vary and "Accept-Language" in response.vary


def test_cancelled_event_in_spanish_calendars_and_pages(spanish, make_event):
    event_id = make_event(status=EventStatus.CANCELLED, title="Marcha")
    (entry,) = Calendar.from_ical(spanish.get(f"/events/{event_id}/calendar.ics").data).walk(
        "VEVENT"
    )
    assert str(entry["SUMMARY"]) == "Cancelado: Marcha"
    assert "Este evento se canceló." in page(spanish.get(f"/events/{event_id}"))


def test_campaign_day_of_action_in_spanish(app, spanish):
    with app.app_context():
        db.session.add(Campaign(name="Día de acción", slug="dia", action_date=date(2030, 6, 14)))
        db.session.commit()
    html = page(spanish.get("/c/dia"))
    assert "viernes, 14 de junio de 2030" in html
    assert "Organiza un evento para esta campaña" in html


def test_english_dates_read_naturally(client, make_event):
    event_id = make_event(starts_at=FRIDAY_EVENING_UTC)
    html = page(client.get(f"/events/{event_id}"))
    assert "Fri, Jun 14, 2030, 2:00\u202fPM – 4:00\u202fPM EDT" in html
