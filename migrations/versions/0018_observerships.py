"""observerships: placement offers, their supervisors, placements and their steps

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05 23:20:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

STATES = sa.Enum(
    "nominated", "applied", "endorsed", "selected", "accepted", "declined", "withdrawn",
    name="state", native_enum=False, length=20,
)  # fmt: skip


def upgrade():
    op.create_table(
        "placement_offers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("host_institution_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("window_starts_on", sa.Date(), nullable=False),
        sa.Column("window_ends_on", sa.Date(), nullable=False),
        sa.Column("fixed_dates", sa.Boolean(), nullable=False),
        sa.Column("length_days", sa.Integer(), nullable=False),
        sa.Column("places", sa.Integer(), nullable=False),
        sa.Column("supervision_locale", sa.String(length=16), nullable=False),
        sa.Column("activities", sa.JSON(), nullable=False),
        sa.Column("prerequisite_course_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["programme_id"], ["programmes.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["host_institution_id"], ["institutions.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["prerequisite_course_id"], ["courses.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_placement_offers_programme_id", "placement_offers", ["programme_id"])
    op.create_index(
        "ix_placement_offers_host_institution_id", "placement_offers", ["host_institution_id"]
    )
    op.create_table(
        "placement_offer_supervisors",
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["offer_id"], ["placement_offers.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("offer_id", "user_id"),
    )
    op.create_table(
        "placements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column("observer_id", sa.Integer(), nullable=False),
        sa.Column("state", STATES, nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=True),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("supervisor_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["offer_id"], ["placement_offers.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["observer_id"], ["users.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["supervisor_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_placements_offer_id", "placements", ["offer_id"])
    op.create_index("ix_placements_observer_id", "placements", ["observer_id"])
    op.create_table(
        "placement_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("placement_id", sa.Integer(), nullable=False),
        sa.Column("state", STATES, nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["placement_id"], ["placements.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_placement_steps_placement_id", "placement_steps", ["placement_id"])


def downgrade():
    op.drop_index("ix_placement_steps_placement_id", table_name="placement_steps")
    op.drop_table("placement_steps")
    op.drop_index("ix_placements_observer_id", table_name="placements")
    op.drop_index("ix_placements_offer_id", table_name="placements")
    op.drop_table("placements")
    op.drop_table("placement_offer_supervisors")
    op.drop_index("ix_placement_offers_host_institution_id", table_name="placement_offers")
    op.drop_index("ix_placement_offers_programme_id", table_name="placement_offers")
    op.drop_table("placement_offers")
