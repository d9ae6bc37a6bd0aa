"""Read-only lists for the trainer pages."""

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.auth.models import User
from app.auth.permissions import CASCADE, scope
from app.extensions import db
from app.institutions.models import Programme
from app.trainers.models import TrainerCertification


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
    return list(db.session.scalars(scope(viewer, query, TrainerCertification)))


def visible_programmes(viewer: User) -> list[Programme]:
    """Programmes whose cascade ``viewer`` may see: all for admins; funders the ones they
    fund; trainers and coordinators those their institutions take part in."""
    query = select(Programme).order_by(Programme.name)
    return list(db.session.scalars(scope(viewer, query, Programme, CASCADE)))
