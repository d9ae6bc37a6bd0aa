"""certificates record their issuing institution and programmes

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05 23:00:00

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.add_column(sa.Column("issuer_institution", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("issuer_programmes", sa.JSON(), nullable=True))
    _record_issuers_of_existing_certificates()
    op.execute("UPDATE certificates SET issuer_programmes = '[]' WHERE issuer_programmes IS NULL")
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.alter_column("issuer_programmes", existing_type=sa.JSON(), nullable=False)


def _record_issuers_of_existing_certificates():
    """Certificates issued before this revision get their holder's institution and its
    programmes as they are now: the best record there is of who stood behind them."""
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT c.id, i.id, i.name FROM certificates c"
            " JOIN completions k ON k.id = c.completion_id"
            " JOIN users u ON u.id = k.user_id"
            " JOIN institutions i ON i.id = u.institution_id"
        )
    ).all()
    programmes = {}
    for institution_id, name in bind.execute(
        sa.text(
            "SELECT ip.institution_id, p.name FROM programme_institutions ip"
            " JOIN programmes p ON p.id = ip.programme_id"
        )
    ):
        programmes.setdefault(institution_id, []).append(name)
    certificates = sa.table(
        "certificates",
        sa.column("id", sa.Integer),
        sa.column("issuer_institution", sa.String),
        sa.column("issuer_programmes", sa.JSON),
    )
    for certificate_id, institution_id, name in rows:
        bind.execute(
            certificates.update()
            .where(certificates.c.id == certificate_id)
            .values(
                issuer_institution=name,
                issuer_programmes=sorted(programmes.get(institution_id, [])),
            )
        )


def downgrade():
    with op.batch_alter_table("certificates", schema=None) as batch_op:
        batch_op.drop_column("issuer_programmes")
        batch_op.drop_column("issuer_institution")
