"""One visible transaction per operation: `with unit_of_work():` commits when the block
ends and rolls back if it raises, so no operation leaves half its changes behind."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from .extensions import db

T = TypeVar("T")
# How often a racing statement is tried before the request gives up with the error.
MAX_ATTEMPTS = 5


class OperationRefused(Exception):
    """What an operation refuses to do, in words fit to show the person, beside the form
    field it is about (field None: the whole form, shown at its top)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


@contextmanager
def unit_of_work() -> Iterator[None]:
    """Commit the session's changes made inside the block, or roll them all back."""
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise


def retrying_race(statements: Callable[[], T]) -> T:
    """Run statements as the first writes of a unit_of_work, again when a concurrent
    request won a race (a unique key taken, a row changed since it was read).

    Only these statements repeat: what the caller does with their result (say, writing
    emails) happens once, after they succeed. Being first, a lost race rolls back nothing
    but them, so no savepoint is needed (one costs three statements on every RSVP).
    """
    if db.session.new or db.session.dirty or db.session.deleted:
        raise RuntimeError("retrying_race must run before anything else its transaction writes")
    for attempt in range(MAX_ATTEMPTS):
        try:
            result = statements()
            db.session.flush()
            return result
        except (IntegrityError, StaleDataError):
            db.session.rollback()
            if attempt == MAX_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")
