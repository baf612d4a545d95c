"""What a text to the site does: STOP ends every text to its number until START."""

from sqlalchemy import delete

from ..extensions import db
from ..models import MessageChannel, OutboxMessage, SmsOptOut
from ..texts import opted_out
from ..transactions import retrying_race, unit_of_work

# The provider's own opt-out words (Twilio's), and Spanish; a text that is exactly one.
STOP_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "PARAR"})
START_WORDS = frozenset({"START", "UNSTOP", "INICIAR"})
HELP_WORDS = frozenset({"HELP", "INFO", "AYUDA"})
SPANISH_WORDS = frozenset({"PARAR", "INICIAR", "AYUDA"})


def keyword(body: str) -> str:
    """The text as a keyword: trimmed, upper case, without the punctuation around it."""
    return body.strip().strip(".!¡¿?\"'").strip().upper()


def stop_texts(phone: str) -> None:
    """STOP: the number gets no more texts from the site until START; the texts waiting for
    it go now."""
    with unit_of_work():
        retrying_race(lambda: _insert_opt_out(phone))
        db.session.execute(
            delete(OutboxMessage).where(
                OutboxMessage.channel == MessageChannel.SMS,
                OutboxMessage.to_address == phone,
                OutboxMessage.sent_at.is_(None),
            )
        )


def _insert_opt_out(phone: str) -> None:
    if not opted_out(phone):  # a second STOP at the same moment: its insert lost
        db.session.add(SmsOptOut(phone=phone))


def start_texts(phone: str) -> None:
    """START: texts may go to the number again, to RSVPs whose people consented."""
    with unit_of_work():
        db.session.execute(delete(SmsOptOut).where(SmsOptOut.phone == phone))
