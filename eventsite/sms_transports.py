"""Where a written text goes: Twilio's Messages API (EVENTSITE_SMS_URL=twilio://...), or the
console (console://); empty: texts wait in the outbox.

mail.send_pending_texts() hands each text to one of these. A provider that can't take
texts now (down, 5xx, 429, refused credentials) raises SmsProviderUnavailable: the sender
stops the batch and the texts wait, however long it lasts. A text the provider refuses
for good (a number that can't get texts) raises MessageRefused: it is never tried again.
"""

import base64
import json
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qs, quote, unquote, urlencode

from flask import current_app

TWILIO_API = "https://api.twilio.com"
# Twilio's errors for a text that can never go to its number: not a valid number, not a
# mobile, the number replied STOP to Twilio, unreachable carrier, region not allowed.
PERMANENT_ERRORS = frozenset({21211, 21214, 21408, 21610, 21612, 21614})


class SmsProviderUnavailable(Exception):
    """The provider can't take texts now: stop this batch, retry later."""


class MessageRefused(Exception):
    """The provider refused this text for good: give it up now."""


@dataclass(frozen=True)
class Text:
    """A text as it goes: to an E.164 number, in plain words."""

    to: str
    body: str


@dataclass(frozen=True)
class TwilioSettings:
    account_sid: str
    auth_token: str
    sender: str  # a number in E.164, or a Messaging Service SID (MG...)
    api_base: str
    timeout: float


def sms_settings(url: str, timeout: float) -> TwilioSettings | str | None:
    """twilio://SID:TOKEN@FROM as settings, "console" for console://, None if unset."""
    if not url:
        return None
    scheme, _, rest = url.partition("://")
    if scheme == "console":
        return "console"
    credentials, _, sender_part = rest.rpartition("@")
    sid, _, token = credentials.partition(":")
    sender, _, query = sender_part.partition("?")
    if scheme != "twilio" or not (sid and token and sender):
        raise ValueError(
            "EVENTSITE_SMS_URL must look like twilio://ACCOUNT_SID:AUTH_TOKEN@+15551234567 "
            "or console://"
        )
    # ?api=http://127.0.0.1:PORT: a stand-in of Twilio's API, for tests.
    api_base = parse_qs(query).get("api", [TWILIO_API])[0].rstrip("/")
    if not api_base.startswith(("https://", "http://")):
        raise ValueError("EVENTSITE_SMS_URL's api= must be an http(s) address")
    return TwilioSettings(unquote(sid), unquote(token), unquote(sender), api_base, timeout)


class TwilioTransport:
    """Twilio's Messages API, one HTTPS POST a text (their REST call, as their library makes)."""

    def __init__(self, settings: TwilioSettings):
        self.settings = settings

    def _request(self, text: Text) -> urllib.request.Request:
        settings = self.settings
        sender_field = "MessagingServiceSid" if settings.sender.startswith("MG") else "From"
        url = f"{settings.api_base}/2010-04-01/Accounts/{quote(settings.account_sid)}/Messages.json"
        basic = base64.b64encode(f"{settings.account_sid}:{settings.auth_token}".encode()).decode()
        return urllib.request.Request(  # noqa: S310 (api_base is http(s), sms_settings checks)
            url,
            data=urlencode(
                {"To": text.to, sender_field: settings.sender, "Body": text.body}
            ).encode(),
            headers={"Authorization": f"Basic {basic}", "Accept": "application/json"},
            method="POST",
        )

    def send(self, text: Text) -> None:
        try:
            request = self._request(text)
            with urllib.request.urlopen(request, timeout=self.settings.timeout):  # noqa: S310
                return
        except urllib.error.HTTPError as error:
            raise _error_from(error.code, error.read()) from error
        except OSError as error:  # refused, reset, timed out, DNS
            raise SmsProviderUnavailable(f"{type(error).__name__}: {error}") from error

    def close(self) -> None:
        pass


def _error_from(status: int, body: bytes) -> Exception:
    """What a Twilio error answer means for the text: wait, give up, or try again later."""
    try:
        answer = json.loads(body)
    except ValueError:
        answer = {}
    code = answer.get("code") if isinstance(answer, dict) else None
    message = f"Twilio {status}" + (f" error {code}: {answer.get('message', '')}" if code else "")
    if status == 429 or status >= 500 or status in (401, 403):
        return SmsProviderUnavailable(message)
    if code in PERMANENT_ERRORS:
        return MessageRefused(message)
    return RuntimeError(message)


class ConsoleSmsTransport:
    """Prints each text instead of sending it: for development."""

    def __init__(self, echo: Callable[[str], None] = print):
        self.echo = echo

    def send(self, text: Text) -> None:
        self.echo("\n".join(["-" * 72, f"Text to: {text.to}", "", text.body, "-" * 72]))

    def close(self) -> None:
        pass


def configured_sms_transport() -> TwilioTransport | ConsoleSmsTransport | None:
    """The provider EVENTSITE_SMS_URL names, or None: then texts wait."""
    config = current_app.config
    settings = sms_settings(config.get("SMS_URL", ""), config["SMS_TIMEOUT"])
    if settings == "console":
        return ConsoleSmsTransport()
    return TwilioTransport(settings) if settings else None


def twilio_auth_token() -> str | None:
    """The auth token inbound texts are signed with; None unless Twilio is the provider."""
    config = current_app.config
    settings = sms_settings(config.get("SMS_URL", ""), config["SMS_TIMEOUT"])
    return settings.auth_token if isinstance(settings, TwilioSettings) else None
