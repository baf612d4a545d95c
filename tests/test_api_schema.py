"""Schemathesis against /api/v1/openapi.json: every operation, good and bad inputs alike,
answers without a server error and as the document says."""

from datetime import timedelta

import pytest
import schemathesis
from helpers import rsvp
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance
from test_api import attendance_body, bearer, cancel, make_api_key, make_campaign

from eventsite.models import utcnow

# Every check runs but positive_data_acceptance: a schema cannot say which 5-digit strings
# are real zip codes or that an RSVP's timeslot_id must be its event's id, and the 400 those
# get is documented. Enough examples per operation to try each parameter's bad values, while
# the run stays well under a minute.
EXAMPLES_PER_OPERATION = 60


@pytest.fixture
def app(make_app):
    # Thousands of calls from one address: the per-IP limits are tested elsewhere.
    # schemathesis's WSGI transport asks for Brotli but cannot decode it; real clients can
    # (compression has its own tests).
    return make_app(RATELIMIT_ENABLED=False, COMPRESS_RESPONSES=False)


@pytest.fixture
def seeded(app, client, runner, make_event):
    """A campaign with events, an RSVP and a cancelled event; its API key and an event."""
    campaign_id = make_campaign(app)
    going = make_event(campaign_id=campaign_id, capacity=2)
    make_event(campaign_id=campaign_id, starts_at=utcnow() - timedelta(days=3))
    cancel(app, make_event(campaign_id=campaign_id))
    make_event(title="Town hall", zip_code="60601", latitude=41.886, longitude=-87.6189)
    rsvp(client, going, email="rosa@example.org", phone="212-555-0147")
    return {"key": make_api_key(runner), "campaign_id": campaign_id, "event_id": going}


@pytest.fixture
def api_key(seeded):
    return seeded["key"]


def _check_operation(operation, mode, api_key):
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def check(case):
        case.call_and_validate(headers=bearer(api_key), excluded_checks=[positive_data_acceptance])

    check()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_api_answers_as_its_openapi_document_says(app, api_key, mode):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]

    assert len(operations) == 8
    for operation in operations:
        _check_operation(operation, mode, api_key)


def test_real_objects_and_successes_match_the_document(app, seeded):
    """Random ids rarely hit a real event: check each operation's success answer by hand."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    organization = {"organization_id": seeded["campaign_id"]}
    event = {"event_id": seeded["event_id"]}
    cases = [
        schema["/events"]["GET"].Case(query={"zipcode": "10001", "per_page": 1}),
        schema["/events/{event_id}"]["GET"].Case(path_parameters=event),
        schema["/events/deleted"]["GET"].Case(),
        schema["/organizations"]["GET"].Case(query={"per_page": 1}),
        schema["/organizations/{organization_id}/events"]["GET"].Case(path_parameters=organization),
        schema["/organizations/{organization_id}/events/deleted"]["GET"].Case(
            path_parameters=organization
        ),
        schema["/organizations/{organization_id}/attendances"]["GET"].Case(
            path_parameters=organization
        ),
        schema["/organizations/{organization_id}/events/{event_id}/attendances"]["POST"].Case(
            path_parameters={**organization, **event},
            body=attendance_body(seeded["event_id"]),
            media_type="application/json",
        ),
    ]

    statuses = [case.call_and_validate(headers=bearer(seeded["key"])).status_code for case in cases]
    receipt = cases[-1].call_and_validate()  # without a key: the receipt

    assert statuses == [200] * 7 + [201]
    assert receipt.status_code == 202
