"""Case-conference series.

- Administrators, and the organiser while they still hold an organising role, run a
  series (an organiser who holds none any more has handed it over).
- Its audience sees it and may join it: whoever may run it, and the people of what owns
  it *now* (the programme's institutions, the institution, the cohort's learners and
  trainers). Having joined grants nothing by itself: someone who left the cohort or the
  institution sees no more of it.
- Participants who are still in the audience submit cases.
Others are told nothing of it.
"""

from sqlalchemy import Select, false, or_, select

from app.auth.models import Role
from app.auth.permissions import JOIN, MANAGE, SUBMIT, VIEW, Rule, register
from app.cohorts.models import CohortMember, CohortTrainer
from app.conferences.models import ConferenceSeries, SeriesParticipant
from app.extensions import db
from app.institutions.models import programme_institutions

ORGANISING_ROLES = (Role.TRAINER, Role.COORDINATOR)


def can_organise(user, series: ConferenceSeries) -> bool:
    if user.has_role(Role.ADMIN):
        return True
    return series.organiser_id == user.id and user.has_role(*ORGANISING_ROLES)


def _cohort_people(cohort_id: int | None):
    learners = select(CohortMember.user_id).where(CohortMember.cohort_id == cohort_id)
    return learners.union(select(CohortTrainer.user_id).where(CohortTrainer.cohort_id == cohort_id))


def in_audience(user, series: ConferenceSeries) -> bool:
    if can_organise(user, series):
        return True
    if series.programme_id is not None:
        members = select(programme_institutions.c.institution_id).where(
            programme_institutions.c.programme_id == series.programme_id
        )
        return user.institution_id in set(db.session.scalars(members))
    if series.institution_id is not None:
        return user.institution_id == series.institution_id
    return user.id in set(db.session.scalars(_cohort_people(series.cohort_id)))


def is_participant(user, series: ConferenceSeries) -> bool:
    return db.session.get(SeriesParticipant, (series.id, user.id)) is not None


def can(user, action: str, series: ConferenceSeries) -> bool:
    if action == MANAGE:
        return can_organise(user, series)
    if action in (VIEW, JOIN):
        return in_audience(user, series)
    if action == SUBMIT:
        return in_audience(user, series) and is_participant(user, series)
    return False


def _audience(user):
    """A filter for the series ``user`` is in the audience of (None: every series)."""
    if user.has_role(Role.ADMIN):
        return None
    cohorts = (
        select(CohortMember.cohort_id)
        .where(CohortMember.user_id == user.id)
        .union(select(CohortTrainer.cohort_id).where(CohortTrainer.user_id == user.id))
    )
    reachable = [ConferenceSeries.cohort_id.in_(cohorts)]
    if user.has_role(*ORGANISING_ROLES):
        reachable.append(ConferenceSeries.organiser_id == user.id)
    if user.institution_id is not None:  # "== None" would match every series without one
        programmes = select(programme_institutions.c.programme_id).where(
            programme_institutions.c.institution_id == user.institution_id
        )
        reachable += [
            ConferenceSeries.institution_id == user.institution_id,
            ConferenceSeries.programme_id.in_(programmes),
        ]
    return or_(*reachable)


def scope(user, query: Select, action: str) -> Select:
    if action == MANAGE:
        if user.has_role(Role.ADMIN):
            return query
        if not user.has_role(*ORGANISING_ROLES):
            return query.where(false())
        return query.where(ConferenceSeries.organiser_id == user.id)
    if action not in (VIEW, JOIN, SUBMIT):
        return query.where(false())
    audience = _audience(user)
    query = query if audience is None else query.where(audience)
    if action == SUBMIT:
        joined = select(SeriesParticipant.series_id).where(SeriesParticipant.user_id == user.id)
        query = query.where(ConferenceSeries.id.in_(joined))
    return query


register(Rule(ConferenceSeries, can, scope))
