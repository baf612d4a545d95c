"""Seats at a timeslot (a shift), taken and given back without overbooking (see rsvps.py)."""

from flask_babel import ngettext
from sqlalchemy import or_, update

from .extensions import db
from .models import Timeslot


def take_seats(timeslot_id: int, seats: int) -> bool:
    """Hold seats at a timeslot if they are free; False when it is full.

    One conditional UPDATE, atomic on SQLite and PostgreSQL alike: two people taking the
    last seat never both get it, with no lock held and no count read first (a read-then-
    write check is the race to avoid). CHECK constraints on the table back it up. Freeing
    seats needs no condition (pretix's rule: lock what you make less available, late).
    """
    result = db.session.execute(
        update(Timeslot)
        .where(
            Timeslot.id == timeslot_id,
            or_(Timeslot.capacity.is_(None), Timeslot.seats_taken + seats <= Timeslot.capacity),
        )
        .values(seats_taken=Timeslot.seats_taken + seats)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def release_seats(timeslot_id: int, seats: int) -> None:
    db.session.execute(
        update(Timeslot)
        .where(Timeslot.id == timeslot_id)
        .values(seats_taken=Timeslot.seats_taken - seats)
        .execution_options(synchronize_session=False)
    )


def spots_message(timeslot_id: int, held: int) -> str:
    timeslot = db.session.get(Timeslot, timeslot_id)
    db.session.refresh(timeslot)  # its seats were changed by UPDATE statements
    free = (timeslot.seats_left or 0) + held
    return " ".join(
        [
            ngettext(
                "Only %(num)s spot left, so your RSVP stays as it was:",
                "Only %(num)s spots left, so your RSVP stays as it was:",
                free,
            ),
            ngettext("%(num)s person.", "%(num)s people.", held),
        ]
    )
