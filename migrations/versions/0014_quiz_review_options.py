"""quiz review options (issue 16)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05 22:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    # Quizzes imported before review options existed get the careful setting (answers
    # once passed or out of attempts); the next import sets each quiz's own.
    with op.batch_alter_table('quizzes', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'review',
                sa.String(length=32),
                nullable=False,
                server_default='after_passing_or_last_attempt',
            )
        )
    with op.batch_alter_table('quizzes', schema=None) as batch_op:
        batch_op.alter_column('review', server_default=None)


def downgrade():
    with op.batch_alter_table('quizzes', schema=None) as batch_op:
        batch_op.drop_column('review')
