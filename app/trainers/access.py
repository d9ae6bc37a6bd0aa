"""Trainer certifications. Seen by administrators, the trainer, the trainer who signed
them off, and the coordinators of the trainer's institution. Revoked by administrators
(a master trainer's only by them), by the certifier while their own certification is in
force, and by those coordinators."""

from sqlalchemy import Select, false, or_, select

from app.auth.models import Role, User
from app.auth.permissions import REVOKE, VIEW, Rule, register
from app.auth.permissions.institution import can_manage as can_manage_institution
from app.extensions import db
from app.trainers.models import TrainerCertification


def is_certified(user) -> bool:
    """Whether ``user``'s latest certification is in force."""
    latest = db.session.scalar(
        select(TrainerCertification.revoked_at.is_(None))
        .where(TrainerCertification.user_id == user.id)
        .order_by(TrainerCertification.certified_at.desc(), TrainerCertification.id.desc())
        .limit(1)
    )
    return bool(latest)


def can(user, action: str, record: TrainerCertification, certified: bool | None = None) -> bool:
    """``certified`` (whether ``user`` is a certified trainer) saves a query in lists."""
    if user.has_role(Role.ADMIN):
        return action in (VIEW, REVOKE)
    coordinates = can_manage_institution(user, record.user.institution_id)
    if action == VIEW:
        return coordinates or user.id in (record.user_id, record.certified_by_id)
    if action != REVOKE or record.generation == 0:
        return False
    if coordinates:
        return True
    if user.id != record.certified_by_id:
        return False
    return is_certified(user) if certified is None else certified


def scope(user, query: Select, action: str) -> Select:
    if action not in (VIEW, REVOKE):
        return query.where(false())
    if user.has_role(Role.ADMIN):
        return query
    trainer = select(User.id).where(User.institution_id.in_(user.coordinated_institution_ids))
    coordinates = TrainerCertification.user_id.in_(trainer)
    if action == VIEW:
        mine = TrainerCertification.user_id == user.id
        return query.where(or_(coordinates, mine, TrainerCertification.certified_by_id == user.id))
    reachable = [coordinates]
    if is_certified(user):
        reachable.append(TrainerCertification.certified_by_id == user.id)
    return query.where(TrainerCertification.generation > 0, or_(*reachable))


register(Rule(TrainerCertification, can, scope))
