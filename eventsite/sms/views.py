"""POST /sms/inbound: a text someone sent to the site's number, as the provider forwards it.

Only requests signed by the provider count (Twilio's X-Twilio-Signature, checked with the
auth token of EVENTSITE_SMS_URL): anyone else could stop someone's texts. The answer is
TwiML, whose message the provider texts back.
"""

from xml.sax.saxutils import escape

from flask import abort, current_app, request
from flask_babel import force_locale
from flask_babel import gettext as _
from twilio.request_validator import RequestValidator

from ..phones import NotAMobileNumber, mobile_e164
from ..sms_transports import twilio_auth_token
from ..urls import external_url
from . import bp
from .operations import (
    HELP_WORDS,
    SPANISH_WORDS,
    START_WORDS,
    STOP_WORDS,
    keyword,
    start_texts,
    stop_texts,
)


@bp.post("/sms/inbound")
def inbound():
    if not _signed_by_provider():
        abort(403)
    try:
        phone = mobile_e164(request.form.get("From", "")[:40])
    except NotAMobileNumber:
        return _twiml("")
    word = keyword(request.form.get("Body", "")[:200])
    with force_locale("es" if word in SPANISH_WORDS else "en"):
        if word in STOP_WORDS:
            stop_texts(phone)
            return _twiml(_stopped())
        if word in START_WORDS:
            start_texts(phone)
            return _twiml(_started())
        if word in HELP_WORDS:
            return _twiml(_help())
    return _twiml("")


def _signed_by_provider() -> bool:
    """The request carries the provider's signature of the URL it was given and the form."""
    token = twilio_auth_token()
    signature = request.headers.get("X-Twilio-Signature", "")
    if token is None or not signature:
        return False
    url = external_url("sms.inbound")
    return RequestValidator(token).validate(url, request.form.to_dict(), signature)


def _site() -> str:
    return current_app.config["SITE_NAME"]


def _stopped() -> str:
    return _(
        "%(site)s: You won't get any more texts from us. Reply START to get them again.",
        site=_site(),
    )


def _started() -> str:
    return _(
        "%(site)s: You can get texts from us again, about events you RSVPed to and agreed to "
        "texts for. Reply STOP to stop.",
        site=_site(),
    )


def _help() -> str:
    return _(
        "%(site)s: texts about events you RSVPed to. Reply STOP to stop them. Message and data "
        "rates may apply. %(link)s",
        site=_site(),
        link=external_url("site.privacy"),
    )


def _twiml(message: str):
    body = f"<Message>{escape(message)}</Message>" if message else ""
    xml = f'<?xml version="1.0" encoding="UTF-8"?><Response>{body}</Response>'
    return xml, 200, {"Content-Type": "text/xml; charset=utf-8"}
