"""Read-only lists for the trainer pages."""

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from app.auth.models import Role, User
from app.cohorts.models import TrainerCertification
from app.extensions import db
from app.institutions.models import Programme, programme_institutions


def list_certifications_for(viewer: User) -> list[TrainerCertification]:
    """Certifications (with their history) ``viewer`` may see: all for admins; the
    trainers of their institutions for coordinators; their own and those they signed
    off for trainers. Newest first."""
    query = (
        select(TrainerCertification)
        .join(User, User.id == TrainerCertification.user_id)
        .options(
            joinedload(TrainerCertification.certified_by), joinedload(TrainerCertification.course)
        )
        .order_by(TrainerCertification.certified_at.desc())
    )
    if not viewer.has_role(Role.ADMIN):
        query = query.where(
            or_(
                TrainerCertification.user_id == viewer.id,
                TrainerCertification.certified_by_id == viewer.id,
                User.institution_id.in_(viewer.coordinated_institution_ids),
            )
        )
    return list(db.session.scalars(query))


def visible_programmes(viewer: User) -> list[Programme]:
    """Programmes whose cascade ``viewer`` may see: all for admins; funders the ones they
    fund; trainers and coordinators those their institutions take part in."""
    query = select(Programme).order_by(Programme.name)
    if viewer.has_role(Role.ADMIN):
        return list(db.session.scalars(query))
    institutions = set(viewer.coordinated_institution_ids)
    if viewer.has_role(Role.TRAINER) and viewer.institution_id:
        institutions.add(viewer.institution_id)
    taking_part = select(programme_institutions.c.programme_id).where(
        programme_institutions.c.institution_id.in_(institutions)
    )
    return list(
        db.session.scalars(
            query.where(
                or_(Programme.id.in_(viewer.funded_programme_ids), Programme.id.in_(taking_part))
            )
        )
    )
