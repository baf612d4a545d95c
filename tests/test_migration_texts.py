"""Migration 0014 (texts) with rows in it: emails waiting in the outbox before it stay
due on the email channel after it, and going back deletes only texts."""

from flask_migrate import downgrade, upgrade
from helpers import rsvp
from sqlalchemy import text

from eventsite.extensions import db
from eventsite.mail import due_message_ids
from eventsite.models import MessageChannel


def test_waiting_emails_stay_due_across_the_texts_migration(app, client, make_event):
    event_id = make_event()
    rsvp(client, event_id, email="rosa@example.org", phone="212-555-0147")
    rsvp(client, event_id, email="", phone="212-555-0150", sms_consent="y")

    with app.app_context():
        downgrade(revision="0012_reminders")
        rows = db.session.execute(text("SELECT to_address FROM outbox_messages")).all()
        assert rows == [("rosa@example.org",)]  # the text had no email to become
        db.session.rollback()  # no read left open to block the migration's ALTERs
        upgrade()
        channels = db.session.execute(text("SELECT channel FROM outbox_messages")).all()
        assert channels == [("email",)]
        assert len(due_message_ids(10, MessageChannel.EMAIL)) == 1
        phone = db.session.execute(text("SELECT phone, sms_consent_at FROM rsvps")).all()
        assert ("+12125550147", None) in phone
        db.session.remove()
        db.engine.dispose()
