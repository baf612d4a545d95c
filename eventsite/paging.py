"""Long lists a page at a time, so every list stays a few phone screens long and every
request reads a bounded number of rows."""

from dataclasses import dataclass

from sqlalchemy import Select, func, select

from .extensions import db


@dataclass(frozen=True)
class Paged:
    """One page of a list: its rows, its number, whether more follow, and the whole count."""

    items: list
    page: int
    has_next: bool
    total: int

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def paged(statement: Select, page: int, page_size: int) -> Paged:
    """Rows of one page of an ordered ORM statement, and how many rows it has in all.

    A page past the end shows the last one, so a stale link still shows something.
    """
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    page = max(1, min(page, -(-total // page_size) or 1))
    rows = list(db.session.scalars(statement.limit(page_size + 1).offset((page - 1) * page_size)))
    return Paged(rows[:page_size], page, len(rows) > page_size, total)
