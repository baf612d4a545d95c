"""filtered searches anywhere: when nothing matches near the searcher, a filtered search
reads the nearest matches anywhere. On SQLite (no nearest-point index) that read went
through (status, ends_at) and the table row of every upcoming event; these two indexes
carry every column the filters and the distance read, so the index alone decides which
entries match, and a filter by kind seeks only that kind's events.

Revision ID: 0019_filtered_search_indexes
Revises: 0018_timeslots
Create Date: 2026-12-04 09:20:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0019_filtered_search_indexes'
down_revision = '0018_timeslots'
branch_labels = None
depends_on = None

# What a filter or the distance reads, after the columns each index is sought by.
FILTERED_COLUMNS = ['starts_at', 'attendance_mode', 'latitude', 'longitude']


def upgrade():
    with op.batch_alter_table('events', schema=None, recreate='never') as batch_op:
        batch_op.drop_index('ix_events_status_ends_at')
        batch_op.create_index(
            'ix_events_status_ends_at', ['status', 'ends_at', 'kind', *FILTERED_COLUMNS], unique=False
        )
        batch_op.create_index(
            'ix_events_status_kind_ends_at', ['status', 'kind', 'ends_at', *FILTERED_COLUMNS], unique=False
        )


def downgrade():
    with op.batch_alter_table('events', schema=None, recreate='never') as batch_op:
        batch_op.drop_index('ix_events_status_kind_ends_at')
        batch_op.drop_index('ix_events_status_ends_at')
        batch_op.create_index('ix_events_status_ends_at', ['status', 'ends_at'], unique=False)
