"""CSV downloads that are safe to open in a spreadsheet."""

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence

from flask import Response, stream_with_context

from .attribution import NAMES
from .models import Rsvp
from .phones import readable_phone

# A cell starting with one of these is run as a formula by Excel, LibreOffice and Sheets.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# A spreadsheet that splits cells on its locale's separator (; , tab), quotes or not,
# would start a new cell after it: "x;=1+1" holds a formula too.
_TRIGGER_AFTER_SEPARATOR = re.compile(r"[,;\t\r\n][=+\-@\t\r]")


def spreadsheet_safe(value) -> str:
    """The cell's text, with a leading apostrophe where a spreadsheet could see a formula."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_TRIGGERS) or _TRIGGER_AFTER_SEPARATOR.search(text):
        return "'" + text
    return text


# Rows written into one piece of the response: big enough to send few pieces, small
# enough that a million-row download holds only this much at a time.
ROWS_PER_PIECE = 500


def csv_lines(header: Sequence[str], rows: Iterable[Sequence]) -> Iterator[str]:
    """The CSV text of header and rows, a piece at a time, every cell quoted and neutralised."""
    buffer = io.StringIO()
    # Every cell quoted, so no separator inside one splits it, in any locale.
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL)
    writer.writerow(header)
    for count, row in enumerate(rows, start=1):
        writer.writerow([spreadsheet_safe(cell) for cell in row])
        if count % ROWS_PER_PIECE == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> Response:
    """A CSV attachment of header and rows, streamed as the rows are read (rows may be a
    generator reading the database: memory stays constant however many there are)."""
    return Response(
        stream_with_context(csv_lines(header, rows)),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


# One row per RSVP, the same in a host's download and an organizer's campaign download;
# checked_in_at is empty for who has not arrived, walk_in "yes" for who the host added there.
# Then where the RSVP came from (attribution.py) and the person's own invite code. Last,
# whether the number may be texted: "yes" only with the person's consent and no STOP
# since (a tool fed this file must not text the others), and when they agreed.
RSVP_CSV_HEADER = (
    "event_id", "name", "email", "phone", "zip", "guests", "status", "rsvped_at",
    "checked_in_at", "walk_in", "attended", "attendance_note", "timeslot_id",
    "timeslot_starts_at", *NAMES, "referral_code", "texts_ok", "texts_agreed_at",
)  # fmt: skip
# Rsvp.attendance in a cell: attended, didn't, or not known.
ATTENDED_CELL = {True: "yes", False: "no", None: ""}


def rsvp_csv_row(rsvp: Rsvp) -> tuple:
    """An RSVP as a row under RSVP_CSV_HEADER (load Rsvp.timeslot and Rsvp.texts_stopped
    with the rows)."""
    return (
        rsvp.event_id,
        rsvp.name,
        rsvp.email_address,
        readable_phone(rsvp.phone),  # (212) 555-0100: no leading + for a spreadsheet to run
        rsvp.zip_code,
        rsvp.guests,
        rsvp.status.value,
        rsvp.created_at.isoformat(timespec="seconds"),
        rsvp.checked_in_at.isoformat(timespec="seconds") if rsvp.checked_in_at else "",
        "yes" if rsvp.walk_in else "no",
        ATTENDED_CELL[rsvp.attendance],
        rsvp.attendance_note,
        rsvp.timeslot_id,
        rsvp.timeslot.starts_at.isoformat(timespec="minutes"),
        *(getattr(rsvp, name) or "" for name in NAMES),
        rsvp.referral_code or "",
        _texts_ok(rsvp),
        rsvp.sms_consent_at.isoformat(timespec="seconds") if rsvp.sms_consent_at else "",
    )


def _texts_ok(rsvp: Rsvp) -> str:
    """'yes', 'no', or '' without a number (load Rsvp.texts_stopped with the rows)."""
    if not rsvp.phone:
        return ""
    if rsvp.texts_stopped is None:
        raise ValueError("exported RSVPs need texts_stopped loaded (texts.stopped_texts)")
    return "yes" if rsvp.texts_allowed and not rsvp.texts_stopped else "no"
