"""cohort removals, kept for undo

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 22:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('cohort_removals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('removed_by_id', sa.Integer(), nullable=True),
    sa.Column('removed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('undone_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_cohort_removals_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['removed_by_id'], ['users.id'], name=op.f('fk_cohort_removals_removed_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cohort_removals'))
    )
    with op.batch_alter_table('cohort_removals', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cohort_removals_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cohort_removals_removed_by_id'), ['removed_by_id'], unique=False)

    op.create_table('cohort_removed_members',
    sa.Column('removal_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('joined_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('source', sa.String(length=12), nullable=False),
    sa.ForeignKeyConstraint(['removal_id'], ['cohort_removals.id'], name=op.f('fk_cohort_removed_members_removal_id_cohort_removals'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_cohort_removed_members_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('removal_id', 'user_id', name=op.f('pk_cohort_removed_members'))
    )
    with op.batch_alter_table('cohort_removed_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cohort_removed_members_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('cohort_removed_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cohort_removed_members_user_id'))

    op.drop_table('cohort_removed_members')
    with op.batch_alter_table('cohort_removals', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cohort_removals_removed_by_id'))
        batch_op.drop_index(batch_op.f('ix_cohort_removals_cohort_id'))

    op.drop_table('cohort_removals')
