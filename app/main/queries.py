"""Small read-only counts for the home page."""

from dataclasses import dataclass

from sqlalchemy import func, select

from app.auth.models import Invitation, Role, User
from app.db_types import utcnow
from app.extensions import db
from app.institutions.models import Institution, Programme


@dataclass(frozen=True)
class InstitutionSummary:
    institution: Institution
    members: int


@dataclass(frozen=True)
class Totals:
    users: int
    institutions: int
    programmes: int


def list_coordinated_institutions(user: User) -> list[InstitutionSummary]:
    """The institutions ``user`` coordinates, with their number of members (one query)."""
    ids = user.coordinated_institution_ids
    if not ids:
        return []
    query = (
        select(Institution, func.count(User.id))
        .outerjoin(User, User.institution_id == Institution.id)
        .where(Institution.id.in_(ids))
        .group_by(Institution.id)
        .order_by(Institution.name)
    )
    return [InstitutionSummary(inst, count) for inst, count in db.session.execute(query)]


def list_funded_programmes(user: User) -> list[Programme]:
    """The programmes ``user`` funds."""
    ids = user.funded_programme_ids
    if not ids:
        return []
    query = select(Programme).where(Programme.id.in_(ids)).order_by(Programme.name)
    return list(db.session.scalars(query))


def count_everything() -> Totals:
    """How many accounts, institutions and programmes exist (for administrators)."""
    return Totals(
        users=db.session.scalar(select(func.count(User.id))),
        institutions=db.session.scalar(select(func.count(Institution.id))),
        programmes=db.session.scalar(select(func.count(Programme.id))),
    )


def count_open_invitations(user: User) -> int:
    """Invitations ``user`` sent that are neither used, withdrawn nor expired."""
    if not user.has_role(Role.ADMIN, Role.COORDINATOR, Role.TRAINER):
        return 0
    query = select(func.count(Invitation.id)).where(
        Invitation.invited_by_id == user.id,
        Invitation.accepted_at.is_(None),
        Invitation.revoked_at.is_(None),
        Invitation.expires_at > utcnow(),
    )
    return db.session.scalar(query)
