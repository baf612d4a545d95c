"""forgetting people after the event: when an RSVP's details, an event's attendee list and
its host's details were erased, and when the host was warned

Revision ID: 0009_forgetting
Revises: 0008_organizer_sessions
Create Date: 2026-12-01 10:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0009_forgetting'
down_revision = '0008_organizer_sessions'
branch_labels = None
depends_on = None

EVENT_COLUMNS = ('erasure_warned_at', 'attendees_erased_at', 'host_erased_at')


def upgrade():
    # Columns added only: SQLite adds them in place, without copying the tables (a copy of
    # rsvps would cascade-delete rsvp_links when the old table is dropped).
    with op.batch_alter_table('rsvps', schema=None) as batch_op:
        batch_op.add_column(sa.Column('erased_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('events', schema=None) as batch_op:
        for name in EVENT_COLUMNS:
            batch_op.add_column(sa.Column(name, sa.DateTime(timezone=True), nullable=True))


def downgrade():
    # SQLite drops columns in place (3.35+): a rebuild could not copy latitude_band, and
    # dropping the old rsvps would cascade to rsvp_links.
    with op.batch_alter_table('events', schema=None, recreate='never') as batch_op:
        for name in reversed(EVENT_COLUMNS):
            batch_op.drop_column(name)
    with op.batch_alter_table('rsvps', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('erased_at')
