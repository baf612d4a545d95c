""""Did you make it?" per shift: send-reminders finds the shifts that ended in the last
two days through an index on their end, so each week of a weekly event is asked about
after it (not once the whole series is over).

Revision ID: 0020_timeslot_ends_index
Revises: 0019_filtered_search_indexes
Create Date: 2026-12-04 10:30:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0020_timeslot_ends_index'
down_revision = '0019_filtered_search_indexes'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('timeslots', schema=None, recreate='never') as batch_op:
        batch_op.create_index('ix_timeslots_ends_at', ['ends_at'], unique=False)


def downgrade():
    with op.batch_alter_table('timeslots', schema=None, recreate='never') as batch_op:
        batch_op.drop_index('ix_timeslots_ends_at')
