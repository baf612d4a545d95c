"""CSV downloads that are safe to open in a spreadsheet."""

import csv
import io
import re
from collections.abc import Iterable, Sequence

from flask import Response

from .models import Rsvp

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


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> Response:
    """A CSV attachment of header and rows, every cell quoted and neutralised."""
    buffer = io.StringIO()
    # Every cell quoted, so no separator inside one splits it, in any locale.
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL)
    writer.writerow(header)
    for row in rows:
        writer.writerow([spreadsheet_safe(cell) for cell in row])
    return Response(
        buffer.getvalue(),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


# One row per RSVP, the same in a host's download and an organizer's campaign download;
# checked_in_at is empty for who has not arrived, walk_in "yes" for who the host added there.
RSVP_CSV_HEADER = (
    "event_id", "name", "email", "phone", "zip", "guests", "status", "rsvped_at",
    "checked_in_at", "walk_in", "attended", "attendance_note",
)  # fmt: skip
# Rsvp.attendance in a cell: attended, didn't, or not known.
ATTENDED_CELL = {True: "yes", False: "no", None: ""}


def rsvp_csv_row(rsvp: Rsvp) -> tuple:
    """An RSVP as a row under RSVP_CSV_HEADER."""
    return (
        rsvp.event_id,
        rsvp.name,
        rsvp.email_address,
        rsvp.phone,
        rsvp.zip_code,
        rsvp.guests,
        rsvp.status.value,
        rsvp.created_at.isoformat(timespec="seconds"),
        rsvp.checked_in_at.isoformat(timespec="seconds") if rsvp.checked_in_at else "",
        "yes" if rsvp.walk_in else "no",
        ATTENDED_CELL[rsvp.attendance],
        rsvp.attendance_note,
    )
