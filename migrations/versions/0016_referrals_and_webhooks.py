"""where RSVPs come from (UTM tags, the referral code they arrived with, their own code),
indexes for the campaign dashboard's figures, and signed webhooks with their outbox

Revision ID: 0016_referrals_and_webhooks
Revises: 0015_texts
Create Date: 2026-12-04 05:30:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0016_referrals_and_webhooks'
down_revision = '0015_texts'
branch_labels = None
depends_on = None

STATUS = sa.Enum('pending', 'sent', 'failed', name='message_status', native_enum=False,
                 create_constraint=True, length=20)


def upgrade():
    # Columns and indexes added only: SQLite adds them in place (see 0011).
    with op.batch_alter_table('rsvps', schema=None, recreate='never') as batch_op:
        for name in ('utm_source', 'utm_medium', 'utm_campaign', 'utm_content', 'utm_term'):
            batch_op.add_column(sa.Column(name, sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column('ref', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('referral_code', sa.String(length=32), nullable=True))
        batch_op.create_index('ix_rsvps_referral_code', ['referral_code'], unique=True)
        batch_op.create_index('ix_rsvps_event_id_checked_in_at', ['event_id', 'checked_in_at'], unique=False)
        batch_op.create_index('ix_rsvps_event_id_utm_source', ['event_id', 'utm_source'], unique=False)
        batch_op.create_index('ix_rsvps_ref_event_id', ['ref', 'event_id'], unique=False,
                              postgresql_where=sa.text('ref IS NOT NULL'),
                              sqlite_where=sa.text('ref IS NOT NULL'))
    op.create_table('webhooks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('url', sa.String(length=2000), nullable=False),
    sa.Column('secret', sa.String(length=100), nullable=False),
    sa.Column('topics', sa.JSON(), nullable=False),
    sa.Column('is_active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_webhooks_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webhooks'))
    )
    op.create_index('ix_webhooks_campaign_id', 'webhooks', ['campaign_id'], unique=False)
    op.create_table('webhook_deliveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('webhook_id', sa.Integer(), nullable=False),
    sa.Column('delivery_id', sa.String(length=36), nullable=False),
    sa.Column('topic', sa.String(length=30), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('rsvp_id', sa.Integer(), nullable=True),
    sa.Column('order_key', sa.String(length=40), nullable=False),
    sa.Column('facts', sa.JSON(), nullable=True),
    sa.Column('status', STATUS, nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_attempt_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_status_code', sa.Integer(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_webhook_deliveries_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['rsvp_id'], ['rsvps.id'], name=op.f('fk_webhook_deliveries_rsvp_id_rsvps'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['webhook_id'], ['webhooks.id'], name=op.f('fk_webhook_deliveries_webhook_id_webhooks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_webhook_deliveries')),
    sa.UniqueConstraint('delivery_id', name=op.f('uq_webhook_deliveries_delivery_id'))
    )
    op.create_index('ix_webhook_deliveries_event_id', 'webhook_deliveries', ['event_id'], unique=False)
    op.create_index('ix_webhook_deliveries_rsvp_id', 'webhook_deliveries', ['rsvp_id'], unique=False)
    op.create_index('ix_webhook_deliveries_status_next_attempt_at', 'webhook_deliveries', ['status', 'next_attempt_at'], unique=False)
    op.create_index('ix_webhook_deliveries_webhook_id_id', 'webhook_deliveries', ['webhook_id', 'id'], unique=False)
    op.create_index('ix_webhook_deliveries_webhook_id_order_key_id', 'webhook_deliveries', ['webhook_id', 'order_key', 'id'], unique=False)


def downgrade():
    op.drop_table('webhook_deliveries')
    op.drop_table('webhooks')
    with op.batch_alter_table('rsvps', schema=None, recreate='never') as batch_op:
        batch_op.drop_index('ix_rsvps_ref_event_id')
        batch_op.drop_index('ix_rsvps_event_id_utm_source')
        batch_op.drop_index('ix_rsvps_event_id_checked_in_at')
        batch_op.drop_index('ix_rsvps_referral_code')
        for name in ('referral_code', 'ref', 'utm_term', 'utm_content', 'utm_campaign', 'utm_medium', 'utm_source'):
            batch_op.drop_column(name)
