"""Exports say whose number may be texted: "yes" only for who agreed and has not texted
STOP since, so a texting tool fed the file reaches no one else; and when they agreed."""

import csv
import io

from helpers import rsvp
from test_dashboard import organizer  # noqa: F401 (fixture)
from test_hosting import host_event, manage_token, only_event
from test_sms_inbound import text_the_site
from test_texts import rsvp_by_phone
from test_webhooks import SLUG, campaign_id  # noqa: F401 (fixture)


def rows_of(response) -> dict[str, dict]:
    assert response.mimetype == "text/csv"
    rows = csv.DictReader(io.StringIO(response.get_data(as_text=True)))
    return {row["name"]: row for row in rows}


def rsvp_four_ways(client, texting_app, event_id):
    rsvp_by_phone(client, event_id, name="Rosa By Phone")
    rsvp(client, event_id, name="Ella Agreed", email="ella@example.org", phone="212-555-0111",
         sms_consent="y")  # fmt: skip
    text_the_site(texting_app, "STOP", sender="+12125550111")
    rsvp(client, event_id, name="Bea Number", email="bea@example.org", phone="212-555-0122")
    rsvp(client, event_id, name="Cy Email", email="cy@example.org")


def assert_texts_columns(rows):
    assert rows["Rosa By Phone"]["texts_ok"] == "yes"
    assert rows["Ella Agreed"]["texts_ok"] == "no"  # agreed, then texted STOP
    assert rows["Bea Number"]["texts_ok"] == "no"  # a number, but never agreed
    assert rows["Cy Email"]["texts_ok"] == ""  # no number at all
    for name in ("Rosa By Phone", "Ella Agreed"):
        assert rows[name]["texts_agreed_at"].startswith("20")
    assert rows["Bea Number"]["texts_agreed_at"] == rows["Cy Email"]["texts_agreed_at"] == ""


def test_the_hosts_export_says_whose_number_may_be_texted(app, client, texting_app):
    token = manage_token(host_event(client))
    rsvp_four_ways(client, texting_app, only_event(app).id)

    assert_texts_columns(rows_of(client.get(f"/host/{token}/rsvps.csv")))


def test_the_campaign_export_says_whose_number_may_be_texted(
    client,
    texting_app,
    make_event,
    organizer,  # noqa: F811
    campaign_id,  # noqa: F811
):
    rsvp_four_ways(client, texting_app, make_event(campaign_id=campaign_id))

    assert_texts_columns(rows_of(organizer.get(f"/organizers/campaigns/{SLUG}/rsvps.csv")))
