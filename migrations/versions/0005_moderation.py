"""keep a host's edits to a listed event for an organizer to review

Revision ID: 0005_moderation
Revises: 0004_nearest_neighbour_index
Create Date: 2026-12-01 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_moderation'
down_revision = '0004_nearest_neighbour_index'
branch_labels = None
depends_on = None


def upgrade():
    # Nullable columns are added in place on SQLite too: no rebuild of events (which
    # would cascade-delete its RSVPs).
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('proposed_changes', sa.JSON(none_as_null=True), nullable=True))
        batch_op.add_column(sa.Column('changes_proposed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_events_changes_proposed_at'), ['changes_proposed_at'], unique=False)


def downgrade():
    # SQLite drops columns in place (3.35+); a rebuild could not copy latitude_band.
    with op.batch_alter_table('events', schema=None, recreate='never') as batch_op:
        batch_op.drop_index(batch_op.f('ix_events_changes_proposed_at'))
        batch_op.drop_column('changes_proposed_at')
        batch_op.drop_column('proposed_changes')
