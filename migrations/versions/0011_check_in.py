"""check-in at the door: when each RSVP arrived, and walk-ins the host added there

Revision ID: 0011_check_in
Revises: 0010_outbox_names_messages
Create Date: 2026-12-04 03:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0011_check_in'
down_revision = '0010_outbox_names_messages'
branch_labels = None
depends_on = None


def upgrade():
    # Columns and an index added only: SQLite adds them in place, without copying the table
    # (a copy of rsvps would cascade-delete rsvp_links when the old table is dropped).
    with op.batch_alter_table('rsvps', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('checked_in_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column('walk_in', sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.create_index('ix_rsvps_event_id_name', ['event_id', 'name'], unique=False)


def downgrade():
    with op.batch_alter_table('rsvps', schema=None, recreate='never') as batch_op:
        batch_op.drop_index('ix_rsvps_event_id_name')
        batch_op.drop_column('walk_in')
        batch_op.drop_column('checked_in_at')
