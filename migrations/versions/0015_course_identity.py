"""course colour and icon (issue 16)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05 22:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    # All three are optional in course.yaml; a course imported before this revision has
    # none until its next import (its course.yaml changed, so its content hash did too).
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('colour', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('icon', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('cover', sa.String(length=200), nullable=True))


def downgrade():
    with op.batch_alter_table('courses', schema=None) as batch_op:
        batch_op.drop_column('cover')
        batch_op.drop_column('icon')
        batch_op.drop_column('colour')
