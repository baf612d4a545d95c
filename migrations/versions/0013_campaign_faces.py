"""images and their variants (kept in the database); campaigns' image, tagline, accent
colour, hashtag, suggested post and actions; events' images (a table of their own).

Revision ID: 0013_campaign_faces
Revises: 0012_reminders
Create Date: 2026-12-04 05:45:00

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '0013_campaign_faces'
down_revision = '0012_reminders'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('images',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('widths_text', sa.String(length=60), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_images')),
    sa.UniqueConstraint('digest', name=op.f('uq_images_digest'))
    )
    op.create_table('image_variants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('image_id', sa.Integer(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('format', sa.String(length=10), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['image_id'], ['images.id'], name=op.f('fk_image_variants_image_id_images'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_image_variants')),
    sa.UniqueConstraint('image_id', 'width', 'format', name=op.f('uq_image_variants_image_id_width_format'))
    )
    _add_columns('campaigns', [
        sa.Column('tagline', sa.String(length=140), server_default='', nullable=False),
        sa.Column('accent_color', sa.String(length=7), server_default='', nullable=False),
        sa.Column('hashtag', sa.String(length=60), server_default='', nullable=False),
        sa.Column('suggested_post', sa.Text(), server_default='', nullable=False),
        sa.Column('actions', sa.JSON(none_as_null=True), nullable=True),
    ])
    _add_image_id('campaigns')
    # An events table rebuild trips on SQLite's generated column: a table of its own.
    op.create_table('event_images',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('image_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_images_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['image_id'], ['images.id'], name=op.f('fk_event_images_image_id_images'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', name=op.f('pk_event_images'))
    )


def _add_columns(table, columns):
    with op.batch_alter_table(table, schema=None, recreate='never') as batch_op:
        for column in columns:
            batch_op.add_column(column)


def _add_image_id(table):
    # SQLite keeps a foreign key's name and ON DELETE only when the table is rebuilt.
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.add_column(sa.Column('image_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f(f'fk_{table}_image_id_images'), 'images', ['image_id'], ['id'],
            ondelete='SET NULL',
        )

def downgrade():
    op.drop_table('event_images')
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_campaigns_image_id_images'), type_='foreignkey')
        for column in ('actions', 'suggested_post', 'hashtag', 'accent_color', 'tagline', 'image_id'):
            batch_op.drop_column(column)
    op.drop_table('image_variants')
    op.drop_table('images')
