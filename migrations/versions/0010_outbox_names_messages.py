"""outbox rows name their message (kind, event, RSVP, language, facts, private token);
the sender writes it. Rows already queued keep their written subject and body.

Revision ID: 0010_outbox_names_messages
Revises: 0009_forgetting
Create Date: 2026-11-30 10:00:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0010_outbox_names_messages'
down_revision = '0009_forgetting'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('language', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('event_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('rsvp_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('private_token', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('facts', sa.JSON(), nullable=True))
        batch_op.alter_column('subject', existing_type=sa.String(length=300), nullable=True)
        batch_op.alter_column('body_text', existing_type=sa.Text(), nullable=True)
        batch_op.create_foreign_key(
            batch_op.f('fk_outbox_messages_event_id_events'), 'events', ['event_id'], ['id'],
            ondelete='CASCADE',
        )
        batch_op.create_foreign_key(
            batch_op.f('fk_outbox_messages_rsvp_id_rsvps'), 'rsvps', ['rsvp_id'], ['id'],
            ondelete='CASCADE',
        )
        batch_op.create_index('ix_outbox_messages_event_id', ['event_id'], unique=False)
        batch_op.create_index('ix_outbox_messages_rsvp_id', ['rsvp_id'], unique=False)


def downgrade():
    # Rows that name their message have no written body to keep: they go.
    op.execute("DELETE FROM outbox_messages WHERE kind IS NOT NULL")
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_messages_rsvp_id')
        batch_op.drop_index('ix_outbox_messages_event_id')
        batch_op.drop_constraint(batch_op.f('fk_outbox_messages_rsvp_id_rsvps'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_outbox_messages_event_id_events'), type_='foreignkey')
        batch_op.alter_column('body_text', existing_type=sa.Text(), nullable=False)
        batch_op.alter_column('subject', existing_type=sa.String(length=300), nullable=False)
        batch_op.drop_column('facts')
        batch_op.drop_column('private_token')
        batch_op.drop_column('rsvp_id')
        batch_op.drop_column('event_id')
        batch_op.drop_column('language')
        batch_op.drop_column('kind')
