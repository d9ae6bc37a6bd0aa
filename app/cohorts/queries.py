"""Read-only lists for the cohort pages."""

from dataclasses import dataclass

from sqlalchemy import func, select

from app.auth.models import Invitation, User
from app.auth.permissions import MANAGE, scope
from app.cohorts.models import Cohort, CohortMember
from app.db_types import utcnow
from app.extensions import db


@dataclass
class CohortSummary:
    cohort: Cohort
    members: int


def list_cohorts_run_by(user: User) -> list[CohortSummary]:
    """Cohorts ``user`` runs: all for admins; their own for trainers; their institution's
    for coordinators. Newest first, with member counts (two queries)."""
    query = select(Cohort).order_by(Cohort.starts_on.desc(), Cohort.name)
    cohorts = list(db.session.scalars(scope(user, query, Cohort, MANAGE)))
    counts = dict(
        db.session.execute(
            select(CohortMember.cohort_id, func.count())
            .where(CohortMember.cohort_id.in_([c.id for c in cohorts]))
            .group_by(CohortMember.cohort_id)
        ).all()
    )
    return [CohortSummary(cohort, counts.get(cohort.id, 0)) for cohort in cohorts]


def list_cohorts_of_member(user: User) -> list[Cohort]:
    """The cohorts ``user`` is a learner in."""
    return list(
        db.session.scalars(
            select(Cohort)
            .join(CohortMember, CohortMember.cohort_id == Cohort.id)
            .where(CohortMember.user_id == user.id)
            .order_by(Cohort.starts_on.desc())
        )
    )


def list_member_names(cohort: Cohort) -> list[str]:
    """Members' names only (what fellow members may see when the cohort allows it)."""
    return list(
        db.session.scalars(
            select(User.name)
            .join(CohortMember, CohortMember.user_id == User.id)
            .where(CohortMember.cohort_id == cohort.id)
            .order_by(User.name)
        )
    )


def list_open_invitations(cohort: Cohort) -> list[Invitation]:
    """People invited by the roster who have not created their account yet."""
    return list(
        db.session.scalars(
            select(Invitation)
            .where(
                Invitation.cohort_id == cohort.id,
                Invitation.accepted_at.is_(None),
                Invitation.revoked_at.is_(None),
                Invitation.expires_at > utcnow(),
            )
            .order_by(Invitation.email)
        )
    )
