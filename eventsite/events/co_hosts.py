"""A host's co-hosts: added by email, each with their own private management link (only
its hash is kept), removed by the host; every host page works from their link, and they
get the host's emails (emails._to_host) but for the host's own link."""

from flask_babel import gettext as _
from sqlalchemy import delete, select

from .. import emails
from ..event_details import HostingError
from ..extensions import db
from ..models import CoHost, Event, hash_token, new_token
from ..rsvp_forms import CoHostForm, RemoveCoHostForm
from ..transactions import retrying_race, unit_of_work
from .queries import co_hosts_of, is_the_host

# Enough hands for any event; bounds the emails one host can have sent.
MAX_CO_HOSTS = 10


def add_co_host(event: Event, email: str) -> CoHost:
    """Add a co-host and email them their own private link."""
    event_id, email = event.id, email.strip().lower()
    if email == event.host_email.lower():
        raise HostingError(_("That is your own email: you are the host already."), field="email")
    with unit_of_work():
        # The same form sent twice: the second insert fails, and its retry finds the first.
        co_host, token = retrying_race(lambda: _new_co_host(event_id, email))
        emails.email_co_host_invitation(event, co_host, token)
    return co_host


def _new_co_host(event_id: int, email: str) -> tuple[CoHost, str]:
    taken = db.session.scalars(select(CoHost.email).where(CoHost.event_id == event_id)).all()
    if email in taken:
        raise HostingError(_("%(email)s is a co-host already.", email=email), field="email")
    if len(taken) >= MAX_CO_HOSTS:
        raise HostingError(
            _("An event can have up to %(num)s co-hosts.", num=MAX_CO_HOSTS), field="email"
        )
    token = new_token()
    co_host = CoHost(event_id=event_id, email=email, token_hash=hash_token(token))
    db.session.add(co_host)
    db.session.flush()
    return co_host, token


def remove_co_host(event: Event, co_host_id: int) -> bool:
    """Remove a co-host of the event: their link stops working at once. False if the
    event has no such co-host."""
    event_id = event.id
    with unit_of_work():
        result = db.session.execute(
            delete(CoHost).where(CoHost.id == co_host_id, CoHost.event_id == event_id)
        )
    return result.rowcount == 1


def co_hosts_on_host_page(event, token: str, co_host_form=None) -> dict:
    """What the host's page shows of co-hosts: the list and forms for the host; for a
    co-host, that they are one."""
    return {
        "is_the_host": is_the_host(event, token),
        "co_hosts": co_hosts_of(event.id),
        "co_host_form": co_host_form or CoHostForm(),
        "remove_co_host_form": RemoveCoHostForm(),
    }
