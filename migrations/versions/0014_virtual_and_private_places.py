"""virtual events and private addresses: each event's attendance mode (in person, virtual
or both), its meeting link (for people who RSVPed only), whether its address is shown only
to them, an index for online events soonest first, and the search's band index covering
the mode, start and kind the filters read.

Revision ID: 0014_virtual_and_private_places
Revises: 0013_campaign_faces
Create Date: 2026-12-04 05:20:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0014_virtual_and_private_places'
down_revision = '0013_campaign_faces'
branch_labels = None
depends_on = None

# The same SQL on SQLite and PostgreSQL: a column CHECK can be added in place on both (a
# rebuild of events could not copy the generated latitude_band).
ADD_ATTENDANCE_MODE = (
    "ALTER TABLE events ADD COLUMN attendance_mode VARCHAR(20) DEFAULT 'in_person' NOT NULL "
    "CONSTRAINT ck_events_attendance_mode "
    "CHECK (attendance_mode IN ('in_person', 'virtual', 'both'))"
)


def upgrade():
    op.execute(ADD_ATTENDANCE_MODE)
    with op.batch_alter_table('events', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('meeting_link', sa.String(length=500), server_default='', nullable=False))
        batch_op.add_column(sa.Column('address_private', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_index('ix_events_attendance_mode_status_starts_at', ['attendance_mode', 'status', 'starts_at'], unique=False)
        # The search leaves out online-only events and filters by date and kind: with these
        # in its index, it still decides from the index alone which entries match.
        batch_op.drop_index('ix_events_latitude_band_longitude')
        batch_op.create_index(
            'ix_events_latitude_band_longitude',
            ['latitude_band', 'longitude', 'latitude', 'status', 'ends_at', 'attendance_mode', 'starts_at', 'kind'],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table('events', schema=None, recreate='never') as batch_op:
        batch_op.drop_index('ix_events_latitude_band_longitude')
        batch_op.create_index(
            'ix_events_latitude_band_longitude',
            ['latitude_band', 'longitude', 'latitude', 'status', 'ends_at'],
            unique=False,
        )
        batch_op.drop_index('ix_events_attendance_mode_status_starts_at')
        batch_op.drop_column('address_private')
        batch_op.drop_column('meeting_link')
    # Its CHECK goes with it.
    op.drop_column('events', 'attendance_mode')
