"""Schemathesis against /api/v1/openapi.json: every operation, good and bad inputs alike,
answers without a server error and as the document says."""

from datetime import timedelta

import pytest
import schemathesis
from helpers import rsvp
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance
from test_api import bearer, cancel, make_api_key, make_campaign

from eventsite.models import utcnow

# Every check runs but positive_data_acceptance: a schema cannot say which 5-digit strings
# are real zip codes or that an RSVP's timeslot_id must be its event's id, and the 400 those
# get is documented. Enough examples per operation to try each parameter's bad values, while
# the run stays well under a minute.
EXAMPLES_PER_OPERATION = 60


@pytest.fixture
def app(make_app):
    # Thousands of calls from one address: the per-IP limits are tested elsewhere.
    return make_app(RATELIMIT_ENABLED=False)


@pytest.fixture
def api_key(app, client, runner, make_event):
    """A campaign (organization 1) with events, RSVPs and a cancelled event; its key."""
    campaign_id = make_campaign(app)
    assert campaign_id == 1
    going = make_event(campaign_id=campaign_id, capacity=2)
    make_event(campaign_id=campaign_id, starts_at=utcnow() - timedelta(days=3))
    cancel(app, make_event(campaign_id=campaign_id))
    make_event(title="Town hall", zip_code="60601", latitude=41.886, longitude=-87.6189)
    rsvp(client, going, email="rosa@example.org", phone="555-123-4567")
    return make_api_key(runner)


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
