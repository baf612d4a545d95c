"""organizers.session_version: logging out (or a new password) ends every session

Revision ID: 0008_organizer_sessions
Revises: 0007_rsvp_links
Create Date: 2026-11-29 19:10:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0008_organizer_sessions'
down_revision = '0007_rsvp_links'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('organizers', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('session_version', sa.Integer(), server_default='0', nullable=False)
        )


def downgrade():
    with op.batch_alter_table('organizers', schema=None) as batch_op:
        batch_op.drop_column('session_version')
