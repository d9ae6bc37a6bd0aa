"""Read-only lists for the conference pages."""

from sqlalchemy import or_, select

from app.auth.models import Role, User
from app.cohorts.models import CohortMember, CohortTrainer
from app.conferences.models import ConferenceCase, ConferenceSeries
from app.conferences.services import ORGANISING_ROLES
from app.extensions import db
from app.institutions.models import programme_institutions


def list_series_for(user: User) -> list[ConferenceSeries]:
    """Series ``user`` may see (``services.in_audience`` as a filter): all for admins;
    else those they organise while they may, and those of their institution, its
    programmes and their cohorts (one query)."""
    query = select(ConferenceSeries).order_by(ConferenceSeries.title)
    if user.has_role(Role.ADMIN):
        return list(db.session.scalars(query))
    programmes = select(programme_institutions.c.programme_id).where(
        programme_institutions.c.institution_id == user.institution_id
    )
    cohorts = (
        select(CohortMember.cohort_id)
        .where(CohortMember.user_id == user.id)
        .union(select(CohortTrainer.cohort_id).where(CohortTrainer.user_id == user.id))
    )
    reachable = [ConferenceSeries.cohort_id.in_(cohorts)]  # the rule of services.in_audience
    if user.has_role(*ORGANISING_ROLES):
        reachable.append(ConferenceSeries.organiser_id == user.id)
    if user.institution_id is not None:  # "== None" would match every series without one
        reachable += [
            ConferenceSeries.institution_id == user.institution_id,
            ConferenceSeries.programme_id.in_(programmes),
        ]
    return list(db.session.scalars(query.where(or_(*reachable))))


def list_cases_of(user: User, series: ConferenceSeries) -> list[ConferenceCase]:
    """The cases ``user`` submitted to a series, newest first."""
    return list(
        db.session.scalars(
            select(ConferenceCase)
            .where(ConferenceCase.series_id == series.id, ConferenceCase.submitter_id == user.id)
            .order_by(ConferenceCase.created_at.desc())
        )
    )
