"""on PostgreSQL, a nearest-neighbour (GiST) index on each event's position on the earth

Revision ID: 0004_nearest_neighbour_index
Revises: 0003_search_index
Create Date: 2026-11-25 16:50:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0004_nearest_neighbour_index'
down_revision = '0003_search_index'
branch_labels = None
depends_on = None


def upgrade():
    # "Nearest events anywhere" from a place far from every event (Puerto Rico, Guam)
    # would otherwise read most of the band index. cube and earthdistance ship with
    # PostgreSQL and are trusted extensions: a database owner may create them.
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute('CREATE EXTENSION IF NOT EXISTS cube')
    op.execute('CREATE EXTENSION IF NOT EXISTS earthdistance')
    op.execute(
        'CREATE INDEX ix_events_earth_position ON events '
        'USING gist (ll_to_earth(latitude, longitude))'
    )


def downgrade():
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute('DROP INDEX ix_events_earth_position')
