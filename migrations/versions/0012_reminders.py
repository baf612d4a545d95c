"""reminders: one row per RSVP and kind (unique), with its one-tap links' hash; hosts may
turn reminders off for their event; an index finds the events starting soon.

Revision ID: 0012_reminders
Revises: 0011_check_in
Create Date: 2026-12-04 03:20:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0012_reminders'
down_revision = '0011_check_in'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rsvp_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('day_before', 'day_of', name='reminder_kind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('queued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['rsvp_id'], ['rsvps.id'], name=op.f('fk_reminders_rsvp_id_rsvps'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminders')),
    sa.UniqueConstraint('rsvp_id', 'kind', name=op.f('uq_reminders_rsvp_id_kind')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_reminders_token_hash'))
    )
    # In place on SQLite too: a rebuild could not copy the generated latitude_band.
    with op.batch_alter_table('events', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('reminders_off', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_index('ix_events_status_starts_at', ['status', 'starts_at'], unique=False)


def downgrade():
    with op.batch_alter_table('events', schema=None, recreate='never') as batch_op:
        batch_op.drop_index('ix_events_status_starts_at')
        batch_op.drop_column('reminders_off')
    op.drop_table('reminders')
