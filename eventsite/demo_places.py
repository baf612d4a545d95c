"""Demo events held online or with a private address (demo.py makes the rest): every
twenty-fifth event online only, one hybrid, and one whose address only attendees read,
so `make run` shows each kind of place."""

from .geo import lookup_zip
from .models import AttendanceMode

EVERY = 25
ONLINE, HYBRID, PRIVATE = 1, 7, 13


def demo_meeting_link(index: int) -> str:
    return f"https://meet.example.org/demo-{index}"


def with_demo_place(row: dict, index: int) -> dict:
    """The demo event's row, held online, in both ways or at a private address by its index."""
    turn = index % EVERY
    # Every row names every column: a batch insert takes its columns from the first row.
    row = row | {
        "attendance_mode": AttendanceMode.IN_PERSON,
        "meeting_link": "",
        "address_private": False,
    }
    if turn == HYBRID:
        return row | {
            "attendance_mode": AttendanceMode.BOTH,
            "meeting_link": demo_meeting_link(index),
        }
    if turn not in (ONLINE, PRIVATE):
        return row
    # Placed at the zip code's centre, as the site places them (event_details.place_event).
    centre = lookup_zip(row["zip_code"])
    placed = row | {"latitude": centre.latitude, "longitude": centre.longitude}
    if turn == PRIVATE:
        return placed | {"address_private": True}
    return placed | {
        "attendance_mode": AttendanceMode.VIRTUAL,
        "meeting_link": demo_meeting_link(index),
        "title": "Online: " + row["title"],
        "venue": "",
        "street_address": "",
    }
