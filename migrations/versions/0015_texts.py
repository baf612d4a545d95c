"""texts: RSVPs keep their consent to texts (when, which wording) and are found by phone;
the outbox gains a channel (email or sms); numbers that texted STOP are kept.

Revision ID: 0015_texts
Revises: 0014_virtual_and_private_places
Create Date: 2026-12-04 05:30:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0015_texts'
down_revision = '0014_virtual_and_private_places'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('sms_opt_outs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('phone', sa.String(length=40), nullable=False),
    sa.Column('opted_out_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sms_opt_outs')),
    sa.UniqueConstraint('phone', name=op.f('uq_sms_opt_outs_phone'))
    )
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', sa.Enum('email', 'sms', name='message_channel', native_enum=False, create_constraint=True, length=20), server_default='email', nullable=False))
        batch_op.drop_index('ix_outbox_messages_status_next_attempt_at')
        batch_op.create_index('ix_outbox_messages_channel_status_next_attempt_at', ['channel', 'status', 'next_attempt_at'], unique=False)
    # In place on SQLite: other tables point at rsvps, and the new columns need no rebuild.
    with op.batch_alter_table('rsvps', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('sms_consent_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('sms_consent_wording', sa.String(length=20), nullable=True))
        batch_op.create_index('ix_rsvps_event_id_phone', ['event_id', 'phone'], unique=False)


def downgrade():
    with op.batch_alter_table('rsvps', schema=None, recreate='never') as batch_op:
        batch_op.drop_index('ix_rsvps_event_id_phone')
        batch_op.drop_column('sms_consent_wording')
        batch_op.drop_column('sms_consent_at')
    # Texts have no email to become: they go.
    op.execute("DELETE FROM outbox_messages WHERE channel = 'sms'")
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_messages_channel_status_next_attempt_at')
        batch_op.create_index('ix_outbox_messages_status_next_attempt_at', ['status', 'next_attempt_at'], unique=False)
        batch_op.drop_constraint(batch_op.f('ck_outbox_messages_message_channel'), type_='check')
        batch_op.drop_column('channel')
    op.drop_table('sms_opt_outs')
