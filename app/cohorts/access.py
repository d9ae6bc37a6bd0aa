"""Cohorts: administrators, the cohort's trainers (while they hold the trainer role: a
revoked trainer loses their cohorts) and its institution's coordinators run it; its
learners see it while they are members. Nobody else learns that it exists."""

from sqlalchemy import Select, false, or_, select

from app.auth.models import Role
from app.auth.permissions import MANAGE, SEE_MEMBERS, VIEW, Rule, register
from app.auth.permissions.institution import can_manage as can_manage_institution
from app.cohorts.models import Cohort, CohortMember, CohortTrainer
from app.extensions import db


def is_member(user, cohort: Cohort) -> bool:
    """Whether ``user`` is one of the cohort's learners now."""
    query = select(CohortMember.id).where(
        CohortMember.cohort_id == cohort.id, CohortMember.user_id == user.id
    )
    return db.session.scalar(query) is not None


def can_manage(user, cohort: Cohort) -> bool:
    trains_it = user.has_role(Role.TRAINER) and user.id in cohort.trainer_ids
    return trains_it or can_manage_institution(user, cohort.institution_id)


def can(user, action: str, cohort: Cohort) -> bool:
    if can_manage(user, cohort):
        return action in (VIEW, MANAGE, SEE_MEMBERS)
    if action == VIEW:
        return is_member(user, cohort)
    if action == SEE_MEMBERS:
        return cohort.members_visible and is_member(user, cohort)
    return False


def _managed(user):
    """A filter for the cohorts ``user`` runs (None: every cohort)."""
    if user.has_role(Role.ADMIN):
        return None
    reachable = [Cohort.institution_id.in_(user.coordinated_institution_ids)]
    if user.has_role(Role.TRAINER):
        trained = select(CohortTrainer.cohort_id).where(CohortTrainer.user_id == user.id)
        reachable.append(Cohort.id.in_(trained))
    return or_(*reachable)


def scope(user, query: Select, action: str) -> Select:
    if action not in (VIEW, MANAGE, SEE_MEMBERS):
        return query.where(false())
    managed = _managed(user)
    if managed is None:  # administrators
        return query
    if action == MANAGE:
        return query.where(managed)
    membership = select(CohortMember.cohort_id).where(CohortMember.user_id == user.id)
    as_member = Cohort.id.in_(membership)
    if action == SEE_MEMBERS:
        as_member = as_member & Cohort.members_visible.is_(True)
    return query.where(or_(managed, as_member))


register(Rule(Cohort, can, scope))
