"""timeslots: an event's shifts, each with its own start, end, capacity and seats; every
event becomes one timeslot with its times and seats, and every RSVP belongs to one

Revision ID: 0016_timeslots
Revises: 0012_reminders
Create Date: 2026-12-04 05:20:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0016_timeslots'
down_revision = '0012_reminders'
branch_labels = None
depends_on = None

# Tables whose rows name an RSVP (ON DELETE CASCADE): SQLite's rebuild of rsvps drops the
# old table, which would delete them, so they are kept aside and put back.
RSVP_CHILDREN = ('rsvp_links', 'reminders', 'outbox_messages')

RSVP_COLUMNS = (
    'id, event_id, name, email, phone, zip_code, guests, status, token_hash, created_at, '
    'updated_at, version, erased_at, checked_in_at, walk_in'
)


def _rsvps_table_sql(name: str, with_timeslots: bool) -> str:
    timeslot_column = 'timeslot_id INTEGER NOT NULL, ' if with_timeslots else ''
    timeslot_key = (
        'CONSTRAINT fk_rsvps_timeslot_id_timeslots FOREIGN KEY(timeslot_id) '
        'REFERENCES timeslots (id) ON DELETE CASCADE, '
        'CONSTRAINT uq_rsvps_timeslot_id_email UNIQUE (timeslot_id, email), '
        if with_timeslots
        else 'CONSTRAINT uq_rsvps_event_id_email UNIQUE (event_id, email), '
    )
    return (
        f'CREATE TABLE {name} (id INTEGER NOT NULL, event_id INTEGER NOT NULL, '
        f'{timeslot_column}name VARCHAR(120) NOT NULL, email VARCHAR(254) NOT NULL, '
        'phone VARCHAR(40) NOT NULL, zip_code VARCHAR(5) NOT NULL, guests INTEGER NOT NULL, '
        'status VARCHAR(20) NOT NULL, token_hash VARCHAR(64) NOT NULL, '
        'created_at DATETIME NOT NULL, updated_at DATETIME NOT NULL, version INTEGER NOT NULL, '
        'erased_at DATETIME, checked_in_at DATETIME, walk_in BOOLEAN DEFAULT 0 NOT NULL, '
        'CONSTRAINT pk_rsvps PRIMARY KEY (id), '
        'CONSTRAINT ck_rsvps_guests_in_range CHECK (guests >= 0 AND guests <= 10), '
        'CONSTRAINT fk_rsvps_event_id_events FOREIGN KEY(event_id) REFERENCES events (id) '
        f'ON DELETE CASCADE, {timeslot_key}'
        'CONSTRAINT uq_rsvps_token_hash UNIQUE (token_hash), '
        "CONSTRAINT ck_rsvps_rsvp_status CHECK (status IN ('going', 'waitlisted', 'cancelled')))"
    )


def _rebuild_rsvps_on_sqlite(with_timeslots: bool, select_sql: str) -> None:
    """SQLite changes a table's UNIQUE constraint only by copying the table."""
    for child in RSVP_CHILDREN:
        op.execute(f'CREATE TEMP TABLE kept_{child} AS SELECT * FROM {child} WHERE rsvp_id IS NOT NULL')
    op.execute(_rsvps_table_sql('rsvps_rebuilt', with_timeslots))
    columns = ('timeslot_id, ' if with_timeslots else '') + RSVP_COLUMNS
    op.execute(f'INSERT INTO rsvps_rebuilt ({columns}) {select_sql}')
    op.execute('DROP TABLE rsvps')
    op.execute('ALTER TABLE rsvps_rebuilt RENAME TO rsvps')
    for child in RSVP_CHILDREN:
        op.execute(f'INSERT INTO {child} SELECT * FROM kept_{child}')
        op.execute(f'DROP TABLE kept_{child}')
    op.create_index('ix_rsvps_event_id_status_created_at', 'rsvps', ['event_id', 'status', 'created_at'])
    op.create_index('ix_rsvps_event_id_name', 'rsvps', ['event_id', 'name'])


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
        _rebuild_rsvps_on_sqlite(True, f'SELECT {slot_of_event}, {RSVP_COLUMNS} FROM rsvps')
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
        _rebuild_rsvps_on_sqlite(False, f'SELECT {RSVP_COLUMNS} FROM rsvps')
    else:
        op.drop_constraint('uq_rsvps_timeslot_id_email', 'rsvps', type_='unique')
        op.create_unique_constraint(op.f('uq_rsvps_event_id_email'), 'rsvps', ['event_id', 'email'])
        op.drop_constraint('fk_rsvps_timeslot_id_timeslots', 'rsvps', type_='foreignkey')
        op.drop_column('rsvps', 'timeslot_id')
    op.drop_index('ix_timeslots_starts_at', table_name='timeslots')
    op.drop_index('ix_timeslots_event_id_starts_at', table_name='timeslots')
    op.drop_table('timeslots')
