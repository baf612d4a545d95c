"""The dashboard's figures come from indexes: every statement it runs over rsvps reads an
index of rsvps (covering what it counts), never the table, on SQLite and PostgreSQL."""

import random
from datetime import timedelta

import pytest
from helpers import ON_POSTGRESQL
from sqlalchemy import event, insert, select
from test_dashboard import DASHBOARD, day_of_action, organizer  # noqa: F401 (fixtures)
from test_webhooks import campaign_id  # noqa: F401 (fixture)

from eventsite.extensions import db
from eventsite.models import Event, Rsvp, RsvpStatus, Timeslot, utcnow

# The index each figure's statement reads, by a word of the statement.
EXPECTED = {
    "created_at": "ix_rsvps_event_id_status_created_at",
    "checked_in_at": "ix_rsvps_event_id_checked_in_at",
    "utm_source": "ix_rsvps_event_id_utm_source",
    "rsvps.ref": "ix_rsvps_ref_event_id",
}


def dashboard_statements(app, client) -> list[tuple[str, object]]:
    """The aggregate statements over rsvps the dashboard runs."""
    statements = []
    with app.app_context():
        engine = db.engine

    def capture(conn, cursor, statement, parameters, context, executemany):
        if "count(" in statement and "FROM rsvps" in statement:
            statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        assert client.get(DASHBOARD).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    return statements


def add_rsvps(app, count: int) -> None:
    """count RSVPs spread over the campaign's events and the last ten days, as a day of
    action's would be, then the statistics a planner needs (and, on PostgreSQL, the
    visibility map that lets it answer from an index alone)."""
    rng = random.Random(18)
    now = utcnow()
    with app.app_context():
        slots = db.session.execute(
            select(Timeslot.event_id, Timeslot.id)
            .join(Event, Event.id == Timeslot.event_id)
            .where(Event.campaign_id.is_not(None))
        ).all()
        rows = [
            {
                **dict(zip(("event_id", "timeslot_id"), rng.choice(slots), strict=True)),
                "name": f"Person {n}",
                "email": f"person{n}@example.org",
                "zip_code": "10001",
                "guests": 0,
                "status": rng.choice(list(RsvpStatus)),
                "token_hash": f"{n:064d}",
                "created_at": now - timedelta(minutes=rng.randrange(14400)),
                "checked_in_at": now if rng.random() < 0.1 else None,
                "utm_source": rng.choice([None, "newsletter", "facebook", "sms"]),
                "ref": rng.choice([None] * 5 + ["Abc", "Def"]),
                "referral_code": f"c{n}",
            }
            for n in range(count)
        ]
        db.session.execute(insert(Rsvp), rows)
        db.session.commit()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM ANALYZE" if ON_POSTGRESQL else "ANALYZE")


def _plan(connection, statement, parameters) -> str:
    if ON_POSTGRESQL:
        rows = connection.exec_driver_sql("EXPLAIN " + statement, parameters).all()
        return "\n".join(line for (line,) in rows)
    rows = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
    return "\n".join(row[-1] for row in rows)


def _expected_index(statement: str) -> str:
    select_part = statement.split("FROM")[0]
    for word, index in EXPECTED.items():
        if word in select_part:
            return index
    raise AssertionError(f"a statement the test does not know: {statement}")


@pytest.mark.usefixtures("day_of_action")
def test_every_dashboard_figure_reads_an_index(app, organizer):  # noqa: F811
    add_rsvps(app, 20_000)
    statements = dashboard_statements(app, organizer)
    assert len(statements) == 4  # per hour twice, per event and source, referrers
    with app.app_context():
        connection = db.session.connection()
        for statement, parameters in statements:
            plan = _plan(connection, statement, parameters)
            assert _expected_index(statement) in plan, (statement, plan)
            if ON_POSTGRESQL:
                assert "Seq Scan on rsvps" not in plan, plan
                assert "Index Only Scan" in plan, plan  # the table itself is not read
            else:
                assert "USING COVERING INDEX ix_rsvps_" in plan, plan
                assert "SCAN rsvps\n" not in plan + "\n", plan
        db.session.rollback()
