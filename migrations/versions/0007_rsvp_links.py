"""further private links to an RSVP, so a resent or promotion link leaves the first working

Revision ID: 0007_rsvp_links
Revises: 0006_outbox_reply_to
Create Date: 2026-11-29 19:05:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_rsvp_links'
down_revision = '0006_outbox_reply_to'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rsvp_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rsvp_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['rsvp_id'], ['rsvps.id'], name=op.f('fk_rsvp_links_rsvp_id_rsvps'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rsvp_links')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_rsvp_links_token_hash'))
    )
    with op.batch_alter_table('rsvp_links', schema=None) as batch_op:
        batch_op.create_index('ix_rsvp_links_rsvp_id_created_at', ['rsvp_id', 'created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('rsvp_links', schema=None) as batch_op:
        batch_op.drop_index('ix_rsvp_links_rsvp_id_created_at')

    op.drop_table('rsvp_links')
