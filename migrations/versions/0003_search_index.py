"""index nearest-event search by latitude band and longitude

Revision ID: 0003_search_index
Revises: 0001_initial_schema
Create Date: 2026-11-25 13:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003_search_index'
down_revision = '0001_initial_schema'
branch_labels = None
depends_on = None


def upgrade():
    # A generated column, indexable on both. SQLite can add one in place only as VIRTUAL
    # (rebuilding events would cascade-delete its RSVPs); PostgreSQL 15 has only STORED.
    persisted = None if op.get_bind().dialect.name == 'sqlite' else True
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('latitude_band', sa.Integer(), sa.Computed('floor(latitude * 10)', persisted=persisted), nullable=True)
        )
        # The band index does the old (latitude, longitude) index's work, better.
        batch_op.drop_index('ix_events_latitude_longitude')
        batch_op.create_index(
            'ix_events_latitude_band_longitude',
            ['latitude_band', 'longitude', 'latitude', 'status', 'ends_at'],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_latitude_band_longitude')
        batch_op.create_index('ix_events_latitude_longitude', ['latitude', 'longitude'], unique=False)
        batch_op.drop_column('latitude_band')
