"""Every email the site sends, one function each, named in the outbox.

Each function queues a row in the caller's transaction (see mail.queue_message), so an
email exists exactly when the change that caused it is saved. The row names the message:
its kind, the event and RSVP it is about, the request's language, and what must stay as it
is now (the RSVP's status and guests, a reason, a host's words, a private link, which only
this row holds in full). The request writes no words and no calendar file: the sender
writes them when it sends the message, from the event as it is then (email_writing.py).
"""

from sqlalchemy import select

from .extensions import db
from .mail import queue_message
from .models import CoHost, EmailKind, Event, EventStatus, Rsvp
from .texts import queue_text


def co_host_addresses(event_id: int) -> list[str]:
    """Where the host's emails also go: the event's co-hosts."""
    return list(db.session.scalars(select(CoHost.email).where(CoHost.event_id == event_id)))


def _rsvp_facts(rsvp: Rsvp) -> dict:
    """The RSVP as this email tells it, whatever it becomes before the email goes."""
    return {"status": rsvp.status.value, "guests": rsvp.guests}


def _to_host(kind: EmailKind, event: Event, *, token: str | None = None, **facts) -> None:
    """To the host and, but for the host's own link, to each co-host."""
    queue_message(kind, event.host_email, event_id=event.id, token=token, facts=facts)
    if token is None:
        for address in co_host_addresses(event.id):
            queue_message(kind, address, event_id=event.id, facts=facts)


def _to_attendee(kind: EmailKind, rsvp: Rsvp, *, token: str | None = None, **facts) -> None:
    # Someone who RSVPed by phone alone hears by text, if they agreed to texts and the
    # kind is worth one (texts.queue_text); a walk-in without either hears nothing.
    if not rsvp.has_email:
        queue_text(kind, rsvp, token=token, facts=facts)
        return
    queue_message(
        kind, rsvp.email, event_id=rsvp.event_id, rsvp_id=rsvp.id, token=token, facts=facts
    )


def email_host_confirmation(event: Event, token: str, placement_message: str = "") -> None:
    """To a host who just listed an event: the private link to manage it."""
    _to_host(
        EmailKind.HOST_CONFIRMATION,
        event,
        token=token,
        pending=event.status == EventStatus.PENDING,
        placement_message=placement_message,
    )


def email_rsvp_confirmation(rsvp: Rsvp, token: str) -> None:
    """To someone who just RSVPed: where and when, a calendar file, and their private link."""
    _to_attendee(EmailKind.RSVP_CONFIRMATION, rsvp, token=token, **_rsvp_facts(rsvp))


def email_rsvp_link(rsvp: Rsvp, token: str) -> None:
    """To the address on file, when someone RSVPs again with it: nothing changed, here's a link."""
    _to_attendee(EmailKind.RSVP_LINK, rsvp, token=token, **_rsvp_facts(rsvp))


def email_rsvp_changed(rsvp: Rsvp, token: str) -> None:
    """To someone who changed their RSVP from their private link, with a further link."""
    _to_attendee(EmailKind.RSVP_CHANGED, rsvp, token=token, **_rsvp_facts(rsvp))


def email_rsvp_cancelled(rsvp: Rsvp) -> None:
    """To someone who cancelled their RSVP."""
    _to_attendee(EmailKind.RSVP_CANCELLED, rsvp)


def email_waitlist_promotion(rsvp: Rsvp, token: str) -> None:
    """To someone moved up from the waitlist; token is a further private link's."""
    _to_attendee(EmailKind.WAITLIST_PROMOTION, rsvp, token=token, **_rsvp_facts(rsvp))


def email_event_changed(event: Event, rsvp: Rsvp) -> None:
    """To an attendee, when the host moved the event in time or place."""
    _to_attendee(EmailKind.EVENT_CHANGED, rsvp, **_rsvp_facts(rsvp))


def email_event_cancelled(
    event: Event, rsvp: Rsvp, reason: str = "", *, timeslot_only: bool = False
) -> None:
    """To an attendee of an event, or of the one shift of it, that was called off."""
    facts = {"timeslot_only": True} if timeslot_only else {}
    _to_attendee(EmailKind.EVENT_CANCELLED, rsvp, reason=reason, **_rsvp_facts(rsvp), **facts)


def email_host_message(
    event: Event, rsvp: Rsvp, subject: str, body: str, *, reply_to_host: bool = False
) -> None:
    """A host's own message to one attendee, with a footer saying who sent it and why;
    replies go to the host if they chose so."""
    facts = {"reply_to_host": True} if reply_to_host else {}
    _to_attendee(EmailKind.HOST_MESSAGE, rsvp, subject=subject, body=body, **facts)


def email_event_decided(event: Event, *, approved: bool, reason: str = "") -> None:
    """To a host whose pending event an organizer approved, or turned down with a reason."""
    if approved:
        _to_host(EmailKind.EVENT_APPROVED, event)
    else:
        _to_host(EmailKind.EVENT_REJECTED, event, reason=reason)


def email_changes_decided(event: Event, *, approved: bool, reason: str = "") -> None:
    """To a host whose changes to a listed event an organizer approved, or turned down with
    a reason (the event stays listed as it was)."""
    if approved:
        _to_host(EmailKind.CHANGES_APPROVED, event)
    else:
        _to_host(EmailKind.CHANGES_REJECTED, event, reason=reason)


def email_co_host_invitation(event: Event, co_host: CoHost, token: str) -> None:
    """To someone the host added as a co-host: their own private link to manage the event."""
    queue_message(EmailKind.CO_HOST_INVITATION, co_host.email, event_id=event.id, token=token)
