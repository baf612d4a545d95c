"""After the event: "Did you make it?" (send-reminders asks it), and the answers.

An hour after a listed event ends, each going RSVP that was not checked in gets one email
asking, with a yes and a no link (a reminder row of kind AFTER holds its token, so it goes
once). Attendance then has three states (Rsvp.attendance): attended (checked in, or said
yes), didn't attend (said no), unknown (no answer).
"""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import case, func, select, update

from .extensions import db
from .models import Reminder, ReminderKind, Rsvp, RsvpStatus, utcnow
from .transactions import unit_of_work

ASK_AFTER = timedelta(hours=1)
# A run of send-reminders after a long pause still asks about events this recent.
ASK_WITHIN = timedelta(days=2)
# How long after the event the answer links work (forgetting the list ends them sooner).
ANSWER_FOR = timedelta(days=14)
NOTE_LENGTH = 200


def answer_open(reminder: Reminder) -> bool:
    """The yes and no links work until ANSWER_FOR after the person's shift."""
    return utcnow() < reminder.rsvp.timeslot.ends_at + ANSWER_FOR


def record_attendance(reminder: Reminder, attended: bool, note: str = "") -> None:
    """The person's answer, and their line on how it was (kept only with a yes)."""
    rsvp_id = reminder.rsvp_id
    with unit_of_work():
        db.session.execute(
            update(Rsvp)
            .where(Rsvp.id == rsvp_id)
            .values(attended=attended, attendance_note=note[:NOTE_LENGTH] if attended else "")
            .execution_options(synchronize_session=False)
        )
    db.session.expire_all()


@dataclass(frozen=True)
class AttendanceCounts:
    attended: int
    missed: int
    unknown: int
    asked: int


def attendance_counts(event_id: int) -> AttendanceCounts:
    """Among the event's going RSVPs: who came, who said they didn't, who we don't know
    about; and how many were asked."""
    came = Rsvp.checked_in_at.is_not(None) | Rsvp.attended.is_(True)
    missed = Rsvp.checked_in_at.is_(None) & Rsvp.attended.is_(False)
    asked = (
        select(func.count(Reminder.id))
        .join(Rsvp, Rsvp.id == Reminder.rsvp_id)
        .where(Rsvp.event_id == event_id, Reminder.kind == ReminderKind.AFTER)
        .scalar_subquery()
    )
    attended, did_not, total, asked_count = db.session.execute(
        select(
            func.coalesce(func.sum(case((came, 1), else_=0)), 0),
            func.coalesce(func.sum(case((missed, 1), else_=0)), 0),
            func.count(Rsvp.id),
            asked,
        ).where(Rsvp.event_id == event_id, Rsvp.status == RsvpStatus.GOING)
    ).one()
    return AttendanceCounts(attended, did_not, total - attended - did_not, asked_count)
