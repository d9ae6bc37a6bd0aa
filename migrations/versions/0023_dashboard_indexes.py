"""indexes for the dashboards at scale: an institution's people, their scored attempts

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06 07:35:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

REPORTED = "submitted_at IS NOT NULL AND phase <> 'pre'"


def upgrade():
    # An institution's people by the index alone (institution, then id).
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index("ix_users_institution_id")
        batch_op.create_index("ix_users_institution_id", ["institution_id", "id"], unique=False)
    # uq_attempts_user_id (user_id first) serves a person's attempts; the scored attempts
    # of the quiz pass rates get a small partial index, covering on PostgreSQL.
    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.drop_index("ix_attempts_user_id")
        batch_op.create_index(
            "ix_attempts_reported",
            ["user_id"],
            unique=False,
            postgresql_include=["quiz_id", "passed", "submitted_at"],
            postgresql_where=sa.text(REPORTED),
            sqlite_where=sa.text(REPORTED),
        )


def downgrade():
    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.drop_index("ix_attempts_reported")
        batch_op.create_index("ix_attempts_user_id", ["user_id"], unique=False)
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index("ix_users_institution_id")
        batch_op.create_index("ix_users_institution_id", ["institution_id"], unique=False)
