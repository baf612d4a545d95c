"""Every route, GET and POST, with hostile values in its path, query string and form or JSON
body: NUL bytes, control characters, lone surrogates, huge and tiny numbers, far dates and
1 MB strings. None may answer 500, and none may take more than 100 ms of CPU.

Routes come from the app's own URL map, so a new route is fuzzed without touching this file.
Each route gets EXAMPLES_PER_ROUTE requests (Hypothesis, derandomized: the same ones on every
run); failures are collected over all routes and reported together, each with its request.
The API is also driven from its OpenAPI document by test_api_schema.py.
"""

import gc
import json
import re
import signal
import time
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import quote

import pytest
from helpers import emailed_rsvp_token
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from test_api import attendance_body, bearer, make_api_key, make_campaign
from test_hosting import event_form, manage_token
from test_organizers import PASSWORD
from werkzeug.routing import IntegerConverter

from eventsite.converters import DatabaseIdConverter, SlugConverter
from eventsite.extensions import db
from eventsite.fields import SiteForm
from eventsite.models import Event, EventStatus, utcnow

pytestmark = pytest.mark.slow

EXAMPLES_PER_ROUTE = 10
MAX_CPU_SECONDS = 0.100
# Routes whose work is bounded but above that, and why. The dashboard draws six SVG
# charts with pygal (about 50 ms on a quiet machine, twice that on a loaded one); their
# size follows the campaign's hours, states and events (capped), never the request.
# Later views with the same figures reuse the drawings.
CPU_SECONDS_BY_ROUTE = {"GET /organizers/campaigns/<slug:slug>/dashboard": 0.250}
# A request still running after this much CPU is stopped (and reported), so one that would
# run for minutes costs the test a second.
STOP_AFTER_CPU_SECONDS = 1.0

MEGABYTE = "x" * 1_000_000
NASTY_VALUES = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "10001\x00",
    "\x01\x02\x1b[31m\x7f\x85",
    "\r\n\t",
    "\ud800",  # a lone surrogate
    "a\udfffb",
    "\ufeff\u202e\u200b",
    "2147483647",
    "2147483648",
    "9223372036854775808",
    "-9223372036854775809",
    "9" * 5000,
    "-1",
    "0",
    "-0",
    "1e308",
    "-1e308",
    "1e-320",
    "nan",
    "NaN",
    "inf",
    "-Infinity",
    "90",
    "-90",
    "180",
    "-180",
    "9999-12-31",
    "10000-01-01",
    "0001-01-01",
    "0000-00-00",
    "2026-02-30",
    "23:59",
    "24:00",
    "gte_0",
    "lt_253402300799",
    "gte_99999999999999",
    "true",
    "any",
    "%",
    "%00",
    "../../etc/passwd",
    "//evil.example",
    "/\t/evil.example",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "é",
    "Ünïcödé 🎉",
    MEGABYTE,
]

# Query-string names the site reads, and a few it doesn't.
QUERY_KEYS = [
    "zip",
    "lat",
    "lng",
    "radius",
    "page",
    "campaign",
    "next",
    "new",
    "v",
    "zipcode",
    "max_dist",
    "timeslot_start",
    "timeslot_end",
    "updated_since",
    "organization_id",
    "event_types",
    "exclude_full",
    "visibility",
    "per_page",
    "\x00",
    "",
]


def _form_field_names() -> list[str]:
    """Every field name of every form on the site."""
    names, forms = set(), [SiteForm]
    while forms:
        form = forms.pop()
        forms.extend(form.__subclasses__())
        names.update(name for name, field in vars(form).items() if hasattr(field, "field_class"))
    return sorted(names) + ["csrf_token"]


FORM_KEYS = _form_field_names()

nasty = st.one_of(
    st.sampled_from(NASTY_VALUES),
    st.text(max_size=30),
    st.integers().map(str),
    st.floats().map(str),
)
# Queries the pages answer, so a hostile value in one parameter reaches the code behind it.
BASE_QUERIES = [
    {},
    {"zip": "10001"},
    {"zip": "10001", "radius": "any", "page": "2"},
    {"lat": "40.7", "lng": "-74", "radius": "25"},
    {"zipcode": "10001", "max_dist": "25", "per_page": "5"},
    {"timeslot_start": "gte_now", "updated_since": "0"},
]
# Edge cases every GET route is also asked, as a hostile probe would try them (the issue
# that asked for this test found several of them).
EDGE_QUERIES = [
    {"lat": "90", "lng": "0"},
    {"lat": "-90", "lng": "0"},
    {"lat": "89.9999", "lng": "-180", "radius": "any"},
    {"lat": "-89.9999", "lng": "179.9999", "radius": "100"},
    {"zip": "", "lat": "40.7", "lng": "-74"},
    {"zip": "10001", "lat": "40.7", "lng": "-74", "radius": "any"},
    {"lat": "1e308", "lng": "-1e308"},
    {"lat": "nan", "lng": "inf"},
    {"zip": "10001\x00"},
    {"zip": MEGABYTE},
    {"zip": "00901", "radius": "any", "page": "2147483648"},
    {"zip": "10001", "radius": "\ud800", "page": "-1"},
    {"page": "2&radius=25", "zip": "10017"},
    {"zipcode": "10001", "max_dist": "1e308"},
    {"zipcode": "99501", "max_dist": "nan", "exclude_full": "true"},
    {"timeslot_start": "gte_253402300799", "timeslot_end": "lt_0"},
    {"updated_since": "99999999999999", "per_page": "2147483648"},
    {"page": "100000", "per_page": "200", "organization_id": "2147483648"},
    {"campaign": "fam\x00ily"},
    {"next": "/\n/evil.example"},
    {"next": "/\t/evil.example", "new": "1"},
    {"v": "\x00"},
]
query_changes = st.lists(st.tuples(st.sampled_from(QUERY_KEYS), nasty), max_size=4)
form_changes = st.lists(st.tuples(st.sampled_from(FORM_KEYS), nasty), max_size=4)


def encoded(value: str) -> str:
    """Percent-encoded UTF-8, lone surrogates included (as a hostile client can send them)."""
    return quote(value.encode("utf-8", "surrogatepass"), safe="")


def query_string(pairs) -> str:
    return "&".join(f"{encoded(key)}={encoded(value)}" for key, value in pairs)


@dataclass
class Seed:
    """Real rows the fuzzed requests can name, beside the hostile values."""

    event_ids: list[str]
    campaign_ids: list[str]
    slugs: list[str]
    tokens: list[str]
    api_key: str


@pytest.fixture
def app(make_app):
    # Every POST is fuzzed without a CSRF token and from one address: the token and the
    # per-IP limits have their own tests.
    return make_app(RATELIMIT_ENABLED=False, WTF_CSRF_ENABLED=False, COMPRESS_RESPONSES=False)


@pytest.fixture
def seed(app, client, runner, make_event) -> Seed:
    campaign_id = make_campaign(app)
    host_tokens = [
        manage_token(client.post("/events/new", data=event_form(title=title)))
        for title in ("A first rally for families", "A second rally for families")
    ]
    event_ids = [make_event(campaign_id=campaign_id, capacity=2) for _ in range(2)]
    event_ids.append(make_event(starts_at=utcnow() - timedelta(days=3)))
    event_ids.append(make_event(status=EventStatus.PENDING))
    event_ids.append(make_event(status=EventStatus.CANCELLED))
    client.post(f"/events/{event_ids[0]}/rsvp", data=BASE_FORM | {"email": "a@example.org"})
    rsvp_token = emailed_rsvp_token(app, "a@example.org")
    key = make_api_key(runner)
    with app.app_context():
        event_ids += db.session.scalars(select(Event.id).where(Event.title.contains("rally"))).all()
    return Seed(
        event_ids=[str(event_id) for event_id in event_ids],
        campaign_ids=["0", str(campaign_id)],
        slugs=["families-june-14"],
        tokens=[*host_tokens, rsvp_token, "es", "en", "site.css"],
        api_key=key,
    )


def _path_value(converter, seed: Seed):
    """A value for one path argument: a real one of its kind, or a hostile one."""
    if isinstance(converter, DatabaseIdConverter):
        real = seed.event_ids
    elif isinstance(converter, SlugConverter):
        real = seed.slugs
    elif isinstance(converter, IntegerConverter):
        real = seed.event_ids + seed.campaign_ids
    else:
        real = seed.tokens
    return st.one_of(st.sampled_from(real), nasty)


_ARGUMENT = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def _requests(rule, method: str, seed: Seed):
    """A strategy of (path with query string, body, content type) for one route."""
    arguments = {name: _path_value(converter, seed) for name, converter in rule._converters.items()}

    @st.composite
    def request(draw):
        values = {name: draw(strategy) for name, strategy in arguments.items()}
        path = _ARGUMENT.sub(lambda match: encoded(values[match.group(1)]), rule.rule)
        pairs = list(draw(st.sampled_from(BASE_QUERIES)).items())
        for key, value in draw(query_changes):
            # Mostly replace a parameter; sometimes repeat it (?zip=1&zip=2).
            if draw(st.booleans()):
                pairs = [(k, v) for k, v in pairs if k != key]
            pairs.append((key, value))
        url = f"{path}?{query_string(pairs)}" if pairs else path
        if method == "GET":
            return url, None, None
        if rule.rule.startswith("/api/"):
            person = dict(draw(st.lists(st.tuples(st.sampled_from(PERSON_KEYS), nasty))))
            timeslot = draw(st.one_of(st.sampled_from(seed.event_ids).map(int), nasty))
            body = attendance_body(timeslot, **person)
            if draw(st.booleans()):
                body = draw(st.sampled_from([[], "x", 1e308, None, {"person": "x"}, body]))
            return url, json.dumps(body), "application/json"
        fields = dict(BASE_FORM) if draw(st.booleans()) else {}
        fields.update(draw(form_changes))
        return url, query_string(fields.items()), FORM_CONTENT_TYPE

    return request()


FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
PERSON_KEYS = ["given_name", "family_name", "email_address", "phone_number", "postal_code"]
# Valid values for every form's fields, so a hostile value in one field reaches the code
# behind a form that otherwise validates.
BASE_FORM = {
    **event_form(),
    "name": "Rosa Parks",
    "email": "org@example.org",
    "password": PASSWORD,
    "phone": "",
    "guests": "0",
    "subject": "Bring water",
    "body": "It's hot.",
    "reason": "Rained out.",
    "slug": "town-halls",
    "zip": "10001",
}


# Edge cases every POST route is also sent, each over the otherwise valid BASE_FORM.
EDGE_FORMS = [
    {"date": "9999-12-31"},
    {"date": "0001-01-01", "end_date": "9999-12-31"},
    {"end_date": "9999-12-31", "end_time": "23:59"},
    {"title": "Rally\x00 for families", "name": "Rosa\x00"},
    {"email": "rosa\x00@example.org", "host_email": "ana\x00@example.org"},
    {"description": "Bring signs\x00 and water.", "body": "\x00", "reason": "\x1b[31m"},
    {"capacity": "2147483648", "guests": "9223372036854775808"},
    {"capacity": "1e308", "guests": "nan"},
    {"title": "T" * 200, "subject": "S" * 150},
    {"zip_code": "10001\x00", "zip": "\x00", "state": "\x00"},
    {"slug": "fam\x00ily", "action_date": "9999-12-31"},
    {"description": "x" * 400_000},
    {"title": "\ud800 rally for families", "venue": "a\udfffb"},
]
EDGE_PEOPLE = [
    {"given_name": "Rosa\x00"},
    {"given_name": "Rosa\ud800", "family_name": "\udfff"},
    {"email_address": "rosa\x00@example.org"},
    {"postal_code": "10001\x00", "phone_number": "\x00"},
    {"given_name": "x" * 100_000},
]


@dataclass
class Outcome:
    route: str
    request: str
    problem: str
    cpu_seconds: float

    def __str__(self):
        shown = self.request if len(self.request) < 300 else self.request[:300] + "…"
        return f"{self.route}: {self.problem} ({self.cpu_seconds * 1000:.0f} ms CPU) {shown!r}"


class CpuTimeUp(BaseException):
    """Raised in a request that ran past STOP_AFTER_CPU_SECONDS (past `except Exception`)."""


def _stop_request(signum, frame):
    # Raised where the request happens to be; should that be a callback whose exceptions
    # Python ignores (a weakref's, say), try again shortly.
    signal.setitimer(signal.ITIMER_PROF, 0.25)
    raise CpuTimeUp


class CpuMeter:
    """WSGI middleware: the CPU the app itself spends on a request (not the test client's),
    stopping it after STOP_AFTER_CPU_SECONDS. The request's own thread is measured: threads
    that other tests leave running (a live server, a stand-in mail server) would count in the
    process's CPU time and fail requests that did little."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app
        self.last_cpu_seconds = 0.0

    def __call__(self, environ, start_response):
        # Garbage collections fall on whichever request crosses an allocation threshold and
        # cost the objects earlier tests left: they run between requests, not inside one.
        gc.disable()
        previous = signal.signal(signal.SIGPROF, _stop_request)
        started = time.thread_time()
        signal.setitimer(signal.ITIMER_PROF, STOP_AFTER_CPU_SECONDS)
        try:
            return self.wsgi_app(environ, start_response)
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0)
            signal.signal(signal.SIGPROF, previous)
            self.last_cpu_seconds = time.thread_time() - started
            gc.enable()


def _send(client, method, url, body, content_type, headers) -> tuple[int | str, float]:
    """Send one request: its status (or the exception a server would answer 500 for), and
    the CPU the app spent on it."""
    meter = client.application.wsgi_app
    try:
        response = client.open(
            url, method=method, data=body, content_type=content_type, headers=headers
        )
        status = response.status_code
        response.close()
    except CpuTimeUp:
        status = 200  # judged by its CPU time
    except Exception as error:  # what the server would answer with a 500
        status = f"{type(error).__name__}: {str(error)[:200]}"
    return status, meter.last_cpu_seconds


def _real_path(rule, seed: Seed) -> str:
    """The route's path with real rows in it."""

    def real(match):
        converter = rule._converters[match.group(1)]
        if isinstance(converter, SlugConverter):
            return seed.slugs[0]
        if isinstance(converter, DatabaseIdConverter | IntegerConverter):
            return seed.event_ids[0]
        return seed.tokens[0]

    return _ARGUMENT.sub(real, rule.rule)


def _judge(route: str, request: str, status, cpu_seconds: float) -> Outcome:
    problem = ""
    if not isinstance(status, int) or status >= 500:
        problem = f"answered {status}"
    elif cpu_seconds > CPU_SECONDS_BY_ROUTE.get(route, MAX_CPU_SECONDS):
        problem = "took too much CPU"
    return Outcome(route, request, problem, cpu_seconds)


def _edge_requests(rule, method: str, seed: Seed):
    """The edge cases for one route, on its real path: (url, body, content type)."""
    path = _real_path(rule, seed)
    if method == "GET":
        for edge in EDGE_QUERIES:
            yield f"{path}?{query_string(edge.items())}", None, None
    elif rule.rule.startswith("/api/"):
        for person in EDGE_PEOPLE:
            for timeslot in (int(seed.event_ids[0]), 2**63, float("nan")):
                body = attendance_body(timeslot, **person)
                yield path, json.dumps(body), "application/json"
    else:
        for edge in EDGE_FORMS:
            yield path, query_string((BASE_FORM | edge).items()), FORM_CONTENT_TYPE
        # A megabyte-long query string on a form's URL (it once cost a refused logout 130 ms,
        # quoted into the login link).
        huge_query = query_string([("zip", MEGABYTE)])
        yield f"{path}?{huge_query}", query_string(BASE_FORM.items()), FORM_CONTENT_TYPE


def _fuzz_route(client, rule, method, seed, headers, outcomes: list[Outcome]) -> None:
    route = f"{method} {rule.rule}"
    for url, body, content_type in _edge_requests(rule, method, seed):
        status, cpu_seconds = _send(client, method, url, body, content_type, headers)
        outcomes.append(_judge(route, f"{url} {body or ''}", status, cpu_seconds))

    @given(request=_requests(rule, method, seed))
    @settings(
        max_examples=EXAMPLES_PER_ROUTE,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(request):
        url, body, content_type = request
        status, cpu_seconds = _send(client, method, url, body, content_type, headers)
        outcomes.append(_judge(route, f"{url} {body or ''}", status, cpu_seconds))

    check()


def _routes(app):
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
        for method in ("GET", "POST"):
            if method in rule.methods:
                yield rule, method


def _warm_up(client, seed: Seed) -> None:
    """Build what the first request of a kind builds once per process (zip tables, the
    time-zone finder, templates), so the CPU measured is each request's own."""
    for url in (
        "/",
        "/events?zip=10001",
        "/events?lat=40.7&lng=-74",
        f"/events/{seed.event_ids[0]}",
        f"/events/{seed.event_ids[0]}/calendar.ics",
        "/events.ics?zip=10001",
        "/embed?zip=10001",
        "/c/families-june-14?zip=10001",
        "/events/new",
        f"/host/{seed.tokens[0]}",
        "/api/v1/events?zipcode=10001",
    ):
        client.get(url)
    client.post("/events/new", data=event_form(title="A warm-up rally for families"))


# A stopped request's CpuTimeUp may land in a callback first (see _stop_request).
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_no_route_answers_500_or_spends_100_ms_of_cpu_on_any_input(app, seed):
    """Run with -s to see the slowest request of each route."""
    anonymous, organizer = app.test_client(), app.test_client()
    organizer.post("/organizers/login", data={"email": "org@example.org", "password": PASSWORD})
    _warm_up(anonymous, seed)
    # A full garbage collection of the ~400,000 objects the warm-up built (zip tables...)
    # takes ~400 ms, whichever request it lands in: keep them out of it, as a server
    # that freezes them after start-up would.
    gc.collect()
    gc.freeze()
    app.wsgi_app = CpuMeter(app.wsgi_app)
    outcomes: list[Outcome] = []
    try:
        for rule, method in _routes(app):
            if rule.rule.startswith("/organizers") and rule.endpoint != "organizers.logout":
                client = organizer
            else:
                client = anonymous
            headers = bearer(seed.api_key) if rule.rule.startswith("/api/") else {}
            _fuzz_route(client, rule, method, seed, headers, outcomes)
    finally:
        gc.unfreeze()

    routes = {outcome.route for outcome in outcomes}
    assert len(routes) >= 40, routes  # every route was reached
    failures = [outcome for outcome in outcomes if outcome.problem]
    worst = max(outcomes, key=lambda outcome: outcome.cpu_seconds)
    distinct = {(failure.route, failure.problem.split(":")[0]): failure for failure in failures}
    assert not failures, (
        f"{len(failures)} of {len(outcomes)} requests failed ({len(distinct)} distinct):\n"
        + "\n".join(str(failure) for failure in distinct.values())
        + f"\nslowest request: {worst}"
    )
