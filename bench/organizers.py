"""The organizers' side of a day of action: the campaign dashboard over many RSVPs, and the
webhook fan-out (deliveries queued with their changes, then sent to a local receiver).

The RSVPs are made by the database itself (one INSERT ... SELECT over a number series),
spread over the campaign's events and the last ten days, with sources, referral codes
and check-ins; then the planner's statistics, as a day's autovacuum would leave them.
"""

import re
import statistics
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from sqlalchemy import func, select, text, update

from eventsite.extensions import db
from eventsite.models import Campaign, Event, Organizer, Rsvp, Webhook, WebhookTopic
from eventsite.passwords import hash_password
from eventsite.transactions import unit_of_work

from . import data

CAMPAIGN_EVENTS = 3000
ORGANIZER, PASSWORD = "org@example.org", "bench organizer password"
DASHBOARD_VIEWS = 5

_SERIES = {
    "postgresql": "SELECT generate_series(0, :count - 1) AS n",
    "sqlite": "WITH RECURSIVE s(n) AS "
    "(SELECT 0 UNION ALL SELECT n + 1 FROM s WHERE n < :count - 1) SELECT n FROM s",
}
_CREATED = {
    "postgresql": "now() - make_interval(mins => g.n % 14400)",
    "sqlite": "datetime('now', '-' || (g.n % 14400) || ' minutes')",
}
_TOKEN = {"postgresql": "lpad(g.n::text, 64, '0')", "sqlite": "printf('%064d', g.n)"}
_FALSE = {"postgresql": "false", "sqlite": "0"}


def _insert_rsvps(backend: str, campaign_id: int, count: int) -> None:
    created = _CREATED[backend]
    # Every value is this module's SQL text, never input.
    statement = f"""
        INSERT INTO rsvps (event_id, timeslot_id, name, email, phone, zip_code, guests, status,
            token_hash, created_at, updated_at, walk_in, version, checked_in_at, utm_source,
            utm_medium, ref, referral_code)
        SELECT ce.id, (SELECT MIN(t.id) FROM timeslots AS t WHERE t.event_id = ce.id),
            'Person ' || g.n, 'p' || g.n || '@example.org', '', '10001', g.n % 3,
            CASE g.n % 10 WHEN 0 THEN 'cancelled' WHEN 1 THEN 'waitlisted' ELSE 'going' END,
            {_TOKEN[backend]}, {created}, {created}, {_FALSE[backend]}, 1,
            CASE WHEN g.n % 7 = 0 THEN {created} END,
            CASE g.n % 4 WHEN 1 THEN 'newsletter' WHEN 2 THEN 'facebook' WHEN 3 THEN 'sms' END,
            CASE g.n % 4 WHEN 1 THEN 'email' WHEN 2 THEN 'social' WHEN 3 THEN 'sms' END,
            CASE WHEN g.n % 5 = 0 THEN 'r' || (g.n % 50) END,
            'r' || g.n
        FROM ({_SERIES[backend]}) AS g
        JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS rn FROM events
              WHERE campaign_id = :campaign_id) AS ce
          ON ce.rn = g.n % :events
    """  # noqa: S608
    events = db.session.scalar(
        select(func.count()).select_from(Event).where(Event.campaign_id == campaign_id)
    )
    db.session.execute(
        text(statement), {"count": count, "campaign_id": campaign_id, "events": events}
    )


def build_campaign(url: str, backend: str, rsvps: int) -> int:
    """A campaign over the first CAMPAIGN_EVENTS events, with `rsvps` RSVPs; its id."""
    started = time.perf_counter()
    app = data.app_for(url)
    with app.app_context():
        with unit_of_work():
            campaign = Campaign(slug="day-of-action", name="Day of action")
            organizer = Organizer(email=ORGANIZER, password_hash=hash_password(PASSWORD))
            campaign.organizers.append(organizer)
            db.session.add(campaign)
            db.session.flush()
            first = select(Event.id).order_by(Event.id).limit(CAMPAIGN_EVENTS)
            db.session.execute(
                update(Event).where(Event.id.in_(first)).values(campaign_id=campaign.id)
            )
            _insert_rsvps(backend, campaign.id, rsvps)
            campaign_id = campaign.id
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE" if backend == "postgresql" else "ANALYZE")
        db.engine.dispose()
    print(f"  built a campaign with {rsvps:,} RSVPs in {time.perf_counter() - started:.1f}s")
    return campaign_id


def time_dashboard(url: str) -> dict:
    """Milliseconds for the campaign dashboard page, as an organizer opens it (median)."""
    app = data.app_for(url, RATELIMIT_ENABLED=False)
    client = app.test_client()
    login = client.get("/organizers/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login).group(1)
    client.post(
        "/organizers/login",
        data={"email": ORGANIZER, "password": PASSWORD, "csrf_token": token},
    )
    timings = []
    for _ in range(DASHBOARD_VIEWS + 1):
        started = time.perf_counter()
        response = client.get("/organizers/campaigns/day-of-action/dashboard")
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    with app.app_context():
        db.engine.dispose()
    return {"dashboard_ms": statistics.median(timings[1:]), "dashboard_first_ms": timings[0]}


class _Receiver(BaseHTTPRequestHandler):
    """A CRM that answers every delivery at once."""

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def time_webhooks(url: str, campaign_id: int, deliveries: int, webhooks: int = 3) -> dict:
    """Deliveries per second queued (each RSVP change to every webhook, in its transaction)
    and sent (signed, POSTed to a receiver on 127.0.0.1, recorded)."""
    from eventsite.webhook_sending import send_pending_webhooks
    from eventsite.webhooks import new_secret, queue_rsvp_delivery

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    app = data.app_for(url, WEBHOOKS_ALLOW_PRIVATE=True)
    try:
        with app.app_context():
            hook_url = f"http://127.0.0.1:{server.server_port}/hook"
            with unit_of_work():
                for _ in range(webhooks):
                    hook = Webhook(campaign_id=campaign_id, url=hook_url, secret=new_secret(),
                                   topics=["rsvp.changed"])  # fmt: skip
                    db.session.add(hook)
            changes = max(1, deliveries // webhooks)
            rsvps = db.session.scalars(
                select(Rsvp).join(Event).where(Event.campaign_id == campaign_id).limit(changes)
            ).all()
            started = time.perf_counter()
            for rsvp in rsvps:  # one transaction per change, as a request makes it
                with unit_of_work():
                    queue_rsvp_delivery(WebhookTopic.RSVP_CHANGED, rsvp)
            queued_seconds = time.perf_counter() - started
            started, sent = time.perf_counter(), 0
            while report := send_pending_webhooks(500):
                if not (report.sent or report.retrying or report.failed):
                    break
                sent += report.sent
            sent_seconds = time.perf_counter() - started
            db.engine.dispose()
    finally:
        server.shutdown()
        server.server_close()
    queued = len(rsvps) * webhooks
    return {
        "webhook_deliveries": queued,
        "webhooks_sent": sent,
        "webhooks_queued_per_second": queued / queued_seconds,
        "webhooks_sent_per_second": sent / sent_seconds,
    }


def measure(url: str, backend: str, rsvps: int, deliveries: int) -> dict:
    campaign_id = build_campaign(url, backend, rsvps)
    result = {"campaign_rsvps": rsvps, **time_dashboard(url)}
    print(f"  dashboard at {rsvps:,} RSVPs: {result['dashboard_ms']:.0f} ms", flush=True)
    if deliveries:
        result |= time_webhooks(url, campaign_id, deliveries)
        print(
            f"  webhooks: {result['webhooks_queued_per_second']:.0f} deliveries/s queued, "
            f"{result['webhooks_sent_per_second']:.0f}/s sent",
            flush=True,
        )
    return result


def table(runs: list[dict]) -> list[str]:
    lines = [
        "| N events | backend | campaign RSVPs | dashboard ms (median) | first view ms "
        "| webhook deliveries | queued /s | sent /s |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for run in runs:
        d = run["organizers"]
        lines.append(
            f"| {run['events']:,} | {run['backend']} | {d['campaign_rsvps']:,} "
            f"| {d['dashboard_ms']:.0f} | {d['dashboard_first_ms']:.0f} "
            f"| {d.get('webhook_deliveries', 0)} | {d.get('webhooks_queued_per_second', 0):.0f} "
            f"| {d.get('webhooks_sent_per_second', 0):.0f} |"
        )
    return lines
