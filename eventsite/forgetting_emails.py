"""The emails forgetting sends: a warning to a host and the campaign's organizers before an
event's attendee list is erased, with where to export it first (emails.py has the rest)."""

from datetime import datetime

from flask import current_app
from flask_babel import gettext as _

from .dates import format_local_date
from .mail import MAX_SUBJECT_LENGTH, queue_email, shortened
from .models import Event
from .urls import external_url


def _warning_lines(event: Event, erase_on: str) -> list[str]:
    return [
        _(
            "To protect the people who RSVPed to “%(title)s”, we delete their names, emails "
            "and phone numbers %(days)s days after the event: on %(date)s. Counts of how many "
            "people came stay.",
            title=event.title,
            days=current_app.config["RETENTION_DAYS"],
            date=erase_on,
        ),
        "",
    ]


def _subject(event: Event, erase_on: str) -> str:
    title = shortened(event.title, MAX_SUBJECT_LENGTH // 2)
    return _(
        "The RSVP list for “%(title)s” will be deleted on %(date)s", title=title, date=erase_on
    )


def email_attendee_list_erasure_warning(event: Event, erase_at: datetime) -> None:
    """To the event's host and its campaign's organizers: the attendee list is erased soon."""
    erase_on = format_local_date(erase_at, event.timezone)
    privacy = _("How we handle personal details: %(link)s", link=external_url("site.privacy"))
    if event.host_email:
        lines = _warning_lines(event, erase_on) + [
            _(
                "If you need the list, download it before then from your private host page "
                "(the link we emailed you when you listed the event): “Download the list (CSV)”."
            ),
            "",
            privacy,
        ]
        greeting = _("Hi %(name)s,", name=event.host_name)
        queue_email(event.host_email, _subject(event, erase_on), "\n".join([greeting, "", *lines]))
    if event.campaign is None:
        return
    export = external_url("organizers.export_rsvps", slug=event.campaign.slug)
    for organizer in event.campaign.organizers:
        if not organizer.is_active:
            continue
        lines = _warning_lines(event, erase_on) + [
            _("If you need it, export the campaign's RSVPs before then: %(link)s", link=export),
            "",
            privacy,
        ]
        greeting = _("Hi %(name)s,", name=organizer.name) if organizer.name else _("Hi,")
        queue_email(organizer.email, _subject(event, erase_on), "\n".join([greeting, "", *lines]))
