"""One visible transaction per operation: `with unit_of_work():` commits when the block
ends and rolls back if it raises, so no operation leaves half its changes behind."""

import sqlite3
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
    """Run statements in a savepoint, again from the savepoint when a concurrent request
    won a race (a unique key taken, a row changed since it was read); inside a unit_of_work.

    Only these statements repeat: what the caller does with their result (say, writing
    emails) happens once, after they succeed.
    """
    _open_transaction()
    for attempt in range(MAX_ATTEMPTS):
        try:
            with db.session.begin_nested():
                return statements()
        except (IntegrityError, StaleDataError):
            if attempt == MAX_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _open_transaction() -> None:
    """Python's sqlite3 sends BEGIN only before its first INSERT or UPDATE: a SAVEPOINT
    before that would open a transaction of its own, and releasing it would commit. So the
    transaction begins here (IMMEDIATE: it will write, and SQLite has one writer)."""
    connection = db.session.connection()
    driver_connection = connection.connection.dbapi_connection
    if isinstance(driver_connection, sqlite3.Connection) and not driver_connection.in_transaction:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
