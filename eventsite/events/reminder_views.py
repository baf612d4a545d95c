"""The one-tap links in reminders (/rsvps/<token>/coming, /rsvps/<token>/not-coming) and
the host's switch for reminders (/host/<token>/reminders).

Mail scanners open links: a GET only shows the button, the POST changes the RSVP.
"""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from ..dates import format_local_date, format_local_time
from ..lookups import found_or_404
from ..reminder_queries import find_reminder_by_token, reminder_summaries
from ..reminders import cannot_come, confirm_coming, link_open, set_reminders
from ..rsvp_forms import RemindersForm
from ..security import private_page
from . import bp
from .queries import find_event_by_manage_token


def _one_tap_page(reminder, token: str, answer: str):
    """The page a one-tap link opens: a button to press, or, after the event, that the
    link has expired (410)."""
    is_open = link_open(reminder)
    page = render_template(
        "events/rsvp/one_tap.html",
        reminder=reminder,
        rsvp=reminder.rsvp,
        event=reminder.rsvp.event,
        token=token,
        answer=answer,
        expired=not is_open,
    )
    return page if is_open else (page, 410)


def _coming(reminder) -> str | None:
    return _("Thank you! The host knows you're coming.") if confirm_coming(reminder) else None


def _not_coming(reminder) -> str:
    cannot_come(reminder)
    return _("Your RSVP is cancelled and your spot goes to someone else. Thank you.")


# Each one-tap answer: what its button does (and the thanks it returns), and its page.
_ONE_TAP = {
    "coming": (_coming, "events.one_tap_coming"),
    "not_coming": (_not_coming, "events.one_tap_not_coming"),
}


# One view shows both links' pages and one presses both buttons; `answer` comes from the route.
@bp.get("/rsvps/<token>/coming", endpoint="one_tap_coming", defaults={"answer": "coming"})
@bp.get(
    "/rsvps/<token>/not-coming", endpoint="one_tap_not_coming", defaults={"answer": "not_coming"}
)
@private_page
def one_tap(token: str, answer: str):
    return _one_tap_page(found_or_404(find_reminder_by_token(token)), token, answer)


@bp.post("/rsvps/<token>/coming", endpoint="confirm_from_reminder", defaults={"answer": "coming"})
@bp.post(
    "/rsvps/<token>/not-coming", endpoint="cancel_from_reminder", defaults={"answer": "not_coming"}
)
@private_page
def answer_one_tap(token: str, answer: str):
    """The POST behind a one-tap button: act on the reminder, then show its page again."""
    reminder = found_or_404(find_reminder_by_token(token))
    if not link_open(reminder):
        return _one_tap_page(reminder, token, answer)
    act, page_endpoint = _ONE_TAP[answer]
    message = act(reminder)
    if message:
        flash(message, "success")
    return redirect(url_for(page_endpoint, token=token), code=303)


@bp.post("/host/<token>/reminders")
@private_page
def host_reminders(token: str):
    event = found_or_404(find_event_by_manage_token(token))
    form = RemindersForm()
    if form.validate():
        set_reminders(event, form.send_reminders.data)
        if form.send_reminders.data:
            flash(_("Attendees will get reminders before the event."), "success")
        else:
            flash(_("Reminders are off: attendees get no reminders."), "success")
    return redirect(url_for("events.manage_hosted_event", token=token), code=303)


def reminders_on_host_page(event) -> dict:
    """What the host's page shows of reminders: the switch, and each kind that went out
    (when, in the event's time zone, to how many, how many confirmed)."""
    sent = [
        {
            "kind": summary.kind.value,
            "count": summary.sent,
            "confirmed": summary.confirmed,
            "when": _local(summary.first_queued_at, event.timezone),
        }
        for summary in reminder_summaries(event.id)
    ]
    return {
        "reminders_form": RemindersForm(send_reminders=not event.reminders_off),
        "reminders_sent": sent,
    }


def _local(moment, timezone: str) -> str:
    return f"{format_local_date(moment, timezone)}, {format_local_time(moment, timezone)}"
