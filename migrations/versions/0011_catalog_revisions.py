"""catalog revisions

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 14:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'catalog_revisions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('course_key', sa.String(length=100), nullable=False),
        sa.Column('locale', sa.String(length=16), nullable=False),
        sa.Column('content', sa.Text(), nullable=False),
        sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('translated', sa.Integer(), nullable=False),
        sa.Column('changed', sa.Integer(), nullable=False),
        sa.Column('removed', sa.Integer(), nullable=False),
        sa.Column('reverted_from_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['reverted_from_id'], ['catalog_revisions.id'], name=op.f('fk_catalog_revisions_reverted_from_id_catalog_revisions'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_catalog_revisions_uploaded_by_id_users'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_catalog_revisions'))
    )
    with op.batch_alter_table('catalog_revisions', schema=None) as batch_op:
        batch_op.create_index('ix_catalog_revisions_course_locale', ['course_key', 'locale', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_catalog_revisions_uploaded_by_id'), ['uploaded_by_id'], unique=False)


def downgrade():
    with op.batch_alter_table('catalog_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_catalog_revisions_uploaded_by_id'))
        batch_op.drop_index('ix_catalog_revisions_course_locale')

    op.drop_table('catalog_revisions')
