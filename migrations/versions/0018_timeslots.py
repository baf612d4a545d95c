"""timeslots: an event's shifts, each with its own start, end, capacity and seats; every
event becomes one timeslot with its times and seats, and every RSVP belongs to one

Revision ID: 0018_timeslots
Revises: 0017_show_up
Create Date: 2026-12-04 05:20:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0018_timeslots'
down_revision = '0017_show_up'
branch_labels = None
depends_on = None

import re

_EVENT_UNIQUE = 'CONSTRAINT uq_rsvps_event_id_email UNIQUE (event_id, email)'
_TIMESLOT_KEYS = (
    'CONSTRAINT uq_rsvps_timeslot_id_email UNIQUE (timeslot_id, email), '
    'CONSTRAINT fk_rsvps_timeslot_id_timeslots FOREIGN KEY(timeslot_id) '
    'REFERENCES timeslots (id) ON DELETE CASCADE'
)


def _sqlite_rows(sql: str) -> list:
    return list(op.get_bind().exec_driver_sql(sql))


def _rsvp_children() -> list[str]:
    """Tables whose rows name an RSVP (ON DELETE CASCADE): rsvp_links, reminders,
    outbox_messages, webhook_deliveries... read from the schema, so later ones count too."""
    tables = [row[0] for row in _sqlite_rows("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return [
        table
        for table in tables
        if table != 'rsvps'
        and any(key[2] == 'rsvps' for key in _sqlite_rows(f'PRAGMA foreign_key_list("{table}")'))
    ]


def _rebuilt_ddl(with_timeslots: bool) -> str:
    """rsvps' own CREATE TABLE (every column and CHECK later migrations added), for
    rsvps_rebuilt, with the timeslot column and keys added (or taken out)."""
    ddl = _sqlite_rows("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'rsvps'")[0][0]
    ddl, renamed = re.subn(r'^CREATE TABLE "?rsvps"?\s*\(', 'CREATE TABLE rsvps_rebuilt (', ddl)
    if with_timeslots:
        ddl, added = re.subn(
            r'(\bevent_id INTEGER NOT NULL,)', r'\1 timeslot_id INTEGER NOT NULL,', ddl, count=1
        )
        ddl, keyed = ddl.replace(_EVENT_UNIQUE, _TIMESLOT_KEYS), ddl.count(_EVENT_UNIQUE)
    else:
        ddl, added = re.subn(r'\s*\btimeslot_id INTEGER NOT NULL,', '', ddl, count=1)
        ddl, keyed = ddl.replace(_TIMESLOT_KEYS, _EVENT_UNIQUE), ddl.count(_TIMESLOT_KEYS)
    if (renamed, added, keyed) != (1, 1, 1):
        raise RuntimeError(f'Unexpected rsvps table on SQLite: {ddl}')
    return ddl


def _rebuild_rsvps_on_sqlite(with_timeslots: bool, slot_sql: str = '') -> None:
    """SQLite changes a table's UNIQUE constraint only by copying the table. The copy keeps
    every column and index of rsvps as it stands; the rows that name an RSVP in other
    tables (deleted with the old table by ON DELETE CASCADE) are kept aside and put back."""
    columns = ', '.join(
        row[1] for row in _sqlite_rows('PRAGMA table_info(rsvps)') if row[1] != 'timeslot_id'
    )
    indexes = [
        row[0]
        for row in _sqlite_rows(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'rsvps' "
            "AND sql IS NOT NULL"
        )
    ]
    children = _rsvp_children()
    for child in children:
        op.execute(f'CREATE TEMP TABLE kept_{child} AS SELECT * FROM {child}')
    op.execute(_rebuilt_ddl(with_timeslots))
    if with_timeslots:
        op.execute(
            f'INSERT INTO rsvps_rebuilt (timeslot_id, {columns}) '
            f'SELECT {slot_sql}, {columns} FROM rsvps'
        )
    else:
        op.execute(f'INSERT INTO rsvps_rebuilt ({columns}) SELECT {columns} FROM rsvps')
    op.execute('DROP TABLE rsvps')
    op.execute('ALTER TABLE rsvps_rebuilt RENAME TO rsvps')
    for child in children:
        op.execute(f'INSERT OR REPLACE INTO {child} SELECT * FROM kept_{child}')
        op.execute(f'DROP TABLE kept_{child}')
    for index in indexes:
        op.execute(index)


def upgrade():
    op.create_table('timeslots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ends_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('seats_taken', sa.Integer(), nullable=False),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('capacity IS NULL OR capacity > 0', name=op.f('ck_timeslots_capacity_positive')),
    sa.CheckConstraint('capacity IS NULL OR seats_taken <= capacity', name=op.f('ck_timeslots_seats_taken_within_capacity')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_timeslots_ends_after_start')),
    sa.CheckConstraint('seats_taken >= 0', name=op.f('ck_timeslots_seats_taken_not_negative')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_timeslots_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_timeslots'))
    )
    op.create_index('ix_timeslots_event_id_starts_at', 'timeslots', ['event_id', 'starts_at'], unique=False)
    op.create_index('ix_timeslots_starts_at', 'timeslots', ['starts_at'], unique=False)
    # Every event becomes one timeslot with its times, capacity and seats.
    op.execute(
        'INSERT INTO timeslots (event_id, starts_at, ends_at, capacity, seats_taken, '
        'created_at, updated_at) SELECT id, starts_at, ends_at, capacity, seats_taken, '
        'created_at, updated_at FROM events ORDER BY id'
    )
    slot_of_event = '(SELECT timeslots.id FROM timeslots WHERE timeslots.event_id = rsvps.event_id)'
    if op.get_bind().dialect.name == 'sqlite':
        _rebuild_rsvps_on_sqlite(True, slot_of_event)
    else:
        op.add_column('rsvps', sa.Column('timeslot_id', sa.Integer(), nullable=True))
        op.execute(f'UPDATE rsvps SET timeslot_id = {slot_of_event}')
        op.alter_column('rsvps', 'timeslot_id', nullable=False)
        op.create_foreign_key(op.f('fk_rsvps_timeslot_id_timeslots'), 'rsvps', 'timeslots', ['timeslot_id'], ['id'], ondelete='CASCADE')
        op.drop_constraint('uq_rsvps_event_id_email', 'rsvps', type_='unique')
        op.create_unique_constraint(op.f('uq_rsvps_timeslot_id_email'), 'rsvps', ['timeslot_id', 'email'])
    op.create_index('ix_rsvps_timeslot_id_status_created_at', 'rsvps', ['timeslot_id', 'status', 'created_at'], unique=False)
    # The events' own seat columns are retired (kept: SQLite could not drop them in place).
    op.execute('UPDATE events SET capacity = NULL, seats_taken = 0')


def downgrade():
    """Back to one time per event: each event takes its first shift's times and seats, and
    keeps each person's first RSVP (the others, to later shifts, are deleted)."""
    first_slot = (
        'SELECT timeslots.{0} FROM timeslots WHERE timeslots.event_id = events.id '
        'ORDER BY timeslots.starts_at, timeslots.id LIMIT 1'
    )
    columns = ('capacity', 'seats_taken', 'starts_at', 'ends_at')
    values = ', '.join(f'{column} = ({first_slot.format(column)})' for column in columns)
    # One statement: the events' CHECKs hold for the new values together.
    op.execute(
        f'UPDATE events SET {values} '
        'WHERE EXISTS (SELECT 1 FROM timeslots WHERE timeslots.event_id = events.id)'
    )
    op.execute(
        'DELETE FROM rsvps WHERE EXISTS (SELECT 1 FROM rsvps AS earlier WHERE '
        'earlier.event_id = rsvps.event_id AND earlier.email = rsvps.email AND earlier.id < rsvps.id)'
    )
    op.drop_index('ix_rsvps_timeslot_id_status_created_at', table_name='rsvps')
    if op.get_bind().dialect.name == 'sqlite':
        _rebuild_rsvps_on_sqlite(False)
    else:
        op.drop_constraint('uq_rsvps_timeslot_id_email', 'rsvps', type_='unique')
        op.create_unique_constraint(op.f('uq_rsvps_event_id_email'), 'rsvps', ['event_id', 'email'])
        op.drop_constraint('fk_rsvps_timeslot_id_timeslots', 'rsvps', type_='foreignkey')
        op.drop_column('rsvps', 'timeslot_id')
    op.drop_index('ix_timeslots_starts_at', table_name='timeslots')
    op.drop_index('ix_timeslots_event_id_starts_at', table_name='timeslots')
    op.drop_table('timeslots')
