"""lesson objectives

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 19:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    # Rows rendered before objectives existed state none; the next import renders them
    # again (RENDER_VERSION), so the default is only needed while the column is added.
    with op.batch_alter_table('lesson_texts', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('objectives', sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )
    with op.batch_alter_table('lesson_texts', schema=None) as batch_op:
        batch_op.alter_column('objectives', server_default=None)


def downgrade():
    with op.batch_alter_table('lesson_texts', schema=None) as batch_op:
        batch_op.drop_column('objectives')
