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


@bp.get("/rsvps/<token>/attended")
@private_page
def attended(token: str):
    return _page(_question(token), token, "yes")


@bp.post("/rsvps/<token>/attended")
@private_page
def answer_attended(token: str):
    reminder = _question(token)
    form = AttendanceNoteForm()
    if not answer_open(reminder):
        return _page(reminder, token, "yes")
    if not form.validate():
        return _page(reminder, token, "yes", form, 400)
    record_attendance(reminder, True, form.note.data or "")
    flash(_("Thank you! The host knows you were there."), "success")
    return redirect(url_for("events.attended", token=token), code=303)


@bp.get("/rsvps/<token>/missed")
@private_page
def missed(token: str):
    return _page(_question(token), token, "no")


@bp.post("/rsvps/<token>/missed")
@private_page
def answer_missed(token: str):
    reminder = _question(token)
    form = AttendanceForm()
    if not answer_open(reminder):
        return _page(reminder, token, "no")
    if not form.validate():
        return _page(reminder, token, "no", form, 400)
    record_attendance(reminder, False)
    flash(_("Thank you for letting the host know."), "success")
    return redirect(url_for("events.missed", token=token), code=303)
