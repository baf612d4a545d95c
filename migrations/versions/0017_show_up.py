"""showing up (issue 15): the host's last message for the day-of reminder, a calendar
SEQUENCE per event, confirmation and attendance on RSVPs, the "Did you make it?" reminder
kind, and co-hosts with their own private links

Revision ID: 0017_show_up
Revises: 0016_referrals_and_webhooks
Create Date: 2026-12-04 05:30:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0017_show_up'
down_revision = '0016_referrals_and_webhooks'
branch_labels = None
depends_on = None


def _reminder_kind(*values):
    return sa.Enum(*values, name='reminder_kind', native_enum=False, create_constraint=True, length=20)


def upgrade():
    # Columns added only: in place on SQLite (a rebuild of events could not copy the
    # generated latitude_band; one of rsvps would cascade-delete rsvp_links).
    with op.batch_alter_table('events', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('last_message_subject', sa.String(length=150), server_default='', nullable=False))
        batch_op.add_column(sa.Column('last_message_body', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('last_message_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('calendar_sequence', sa.Integer(), server_default='0', nullable=False))
    with op.batch_alter_table('rsvps', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('attended', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('attendance_note', sa.String(length=200), server_default='', nullable=False))
    # The kind's CHECK names one more value (SQLite rebuilds reminders, which nothing references).
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.alter_column(
            'kind',
            existing_type=_reminder_kind('day_before', 'day_of'),
            type_=_reminder_kind('day_before', 'day_of', 'after'),
            existing_nullable=False,
        )
    # send-reminders reads each RSVP's newest message's language: by (rsvp_id, id), not a
    # backward scan of the whole outbox for an RSVP with none.
    with op.batch_alter_table('outbox_messages', schema=None, recreate='never') as batch_op:
        batch_op.drop_index('ix_outbox_messages_rsvp_id')
        batch_op.create_index('ix_outbox_messages_rsvp_id_id', ['rsvp_id', 'id'], unique=False)
    op.create_table('co_hosts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_co_hosts_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_co_hosts')),
    sa.UniqueConstraint('event_id', 'email', name=op.f('uq_co_hosts_event_id_email')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_co_hosts_token_hash'))
    )


def downgrade():
    op.drop_table('co_hosts')
    with op.batch_alter_table('outbox_messages', schema=None, recreate='never') as batch_op:
        batch_op.drop_index('ix_outbox_messages_rsvp_id_id')
        batch_op.create_index('ix_outbox_messages_rsvp_id', ['rsvp_id'], unique=False)
    op.execute("DELETE FROM reminders WHERE kind = 'after'")
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.alter_column(
            'kind',
            existing_type=_reminder_kind('day_before', 'day_of', 'after'),
            type_=_reminder_kind('day_before', 'day_of'),
            existing_nullable=False,
        )
    with op.batch_alter_table('rsvps', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('attendance_note')
        batch_op.drop_column('attended')
        batch_op.drop_column('confirmed_at')
    with op.batch_alter_table('events', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('calendar_sequence')
        batch_op.drop_column('last_message_at')
        batch_op.drop_column('last_message_body')
        batch_op.drop_column('last_message_subject')
