"""a Reply-To address on each outbox message (the host, or the organizers)

Revision ID: 0006_outbox_reply_to
Revises: 0005_moderation
Create Date: 2026-11-29 19:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_outbox_reply_to'
down_revision = '0005_moderation'
branch_labels = None
depends_on = None


def upgrade():
    # Messages already waiting have none; '' sends them as before (replies to From).
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reply_to', sa.Text(), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_column('reply_to')
