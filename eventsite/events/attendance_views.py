"""The answers to "Did you make it?" after an event (/rsvps/<token>/attended,
/rsvps/<token>/missed). A GET only shows the button (mail scanners open links); the POST
records the answer."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from ..attendance import answer_open, record_attendance
from ..lookups import found_or_404
from ..models import ReminderKind
from ..reminder_queries import find_reminder_by_token
from ..rsvp_forms import AttendanceForm, AttendanceNoteForm
from ..security import private_page
from . import bp


def _question(token: str):
    return found_or_404(find_reminder_by_token(token, (ReminderKind.AFTER,)))


def _page(reminder, token: str, answer: str, form=None, status: int = 200):
    """The page an answer link opens: its button, or once the links expired, that (410)."""
    is_open = answer_open(reminder)
    if form is None:
        form = AttendanceNoteForm(note=reminder.rsvp.attendance_note) if answer == "yes" else None
    page = render_template(
        "events/rsvp/attendance.html",
        rsvp=reminder.rsvp,
        event=reminder.rsvp.event,
        token=token,
        answer=answer,
        form=form or AttendanceForm(),
        expired=not is_open,
    )
    return page, (status if is_open else 410)


# One view answers both links; `answer` (the template's word) comes from the route.
@bp.get("/rsvps/<token>/attended", endpoint="attended", defaults={"answer": "yes"})
@bp.get("/rsvps/<token>/missed", endpoint="missed", defaults={"answer": "no"})
@private_page
def attendance_question(token: str, answer: str):
    return _page(_question(token), token, answer)


@bp.post("/rsvps/<token>/attended", endpoint="answer_attended", defaults={"answer": "yes"})
@bp.post("/rsvps/<token>/missed", endpoint="answer_missed", defaults={"answer": "no"})
@private_page
def answer_attendance(token: str, answer: str):
    """Record "I was there" (with a line on how it was) or "I couldn't make it"."""
    reminder = _question(token)
    attended = answer == "yes"
    form = AttendanceNoteForm() if attended else AttendanceForm()
    if not answer_open(reminder):
        return _page(reminder, token, answer)
    if not form.validate():
        return _page(reminder, token, answer, form, 400)
    record_attendance(reminder, attended, form.data.get("note") or "")  # a no has no note
    if attended:
        flash(_("Thank you! The host knows you were there."), "success")
        return redirect(url_for("events.attended", token=token), code=303)
    flash(_("Thank you for letting the host know."), "success")
    return redirect(url_for("events.missed", token=token), code=303)
