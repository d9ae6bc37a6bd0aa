"""Reads of cohorts: the lists their pages show, members, places, invitations, reminders."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import lazyload

from app.auth.models import Invitation, Role, User
from app.auth.permissions import MANAGE, scope
from app.cohorts.models import Cohort, CohortMember, MemberRemoval, Reminder
from app.db_types import utcnow
from app.extensions import db
from app.institutions.models import Institution, programme_institutions


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


def _open_invitations(cohort: Cohort):
    """A query for roster invitations not yet accepted, withdrawn or expired."""
    return select(Invitation).where(
        Invitation.cohort_id == cohort.id,
        Invitation.accepted_at.is_(None),
        Invitation.revoked_at.is_(None),
        Invitation.expires_at > utcnow(),
    )


def list_open_invitations(cohort: Cohort) -> list[Invitation]:
    """People invited by the roster who have not created their account yet."""
    return list(db.session.scalars(_open_invitations(cohort).order_by(Invitation.email)))


def invited_among(cohort: Cohort, emails: list[str]) -> set[str]:
    """Which of ``emails`` hold an open roster invitation to the cohort."""
    invited = _open_invitations(cohort).with_only_columns(Invitation.email)
    return set(db.session.scalars(invited.where(Invitation.email.in_(emails))))


def partner_institution_ids(institution_id: int) -> set[int]:
    """The institution and every institution sharing a programme with it."""
    programmes = select(programme_institutions.c.programme_id).where(
        programme_institutions.c.institution_id == institution_id
    )
    partners = select(programme_institutions.c.institution_id).where(
        programme_institutions.c.programme_id.in_(programmes)
    )
    return {institution_id, *db.session.scalars(partners)}


def cohort_institutions(actor: User) -> list[Institution]:
    """Where ``actor`` may run cohorts: admins anywhere; coordinators their institutions;
    trainers their own institution and those sharing a programme with it (a Singapore
    trainer teaches in Beijing)."""
    query = select(Institution).order_by(Institution.name)
    if actor.has_role(Role.ADMIN):
        return list(db.session.scalars(query))
    ids = set(actor.coordinated_institution_ids)
    if actor.has_role(Role.TRAINER) and actor.institution_id:
        ids |= partner_institution_ids(actor.institution_id)
    return list(db.session.scalars(query.where(Institution.id.in_(ids))))


def member_ids(cohort: Cohort) -> list[int]:
    """The ids of the cohort's learners."""
    query = select(CohortMember.user_id).where(CohortMember.cohort_id == cohort.id)
    return list(db.session.scalars(query))


def count_members(cohort: Cohort) -> int:
    """How many learners the cohort has."""
    return db.session.scalar(
        select(func.count()).select_from(CohortMember).where(CohortMember.cohort_id == cohort.id)
    )


def places_taken(cohort: Cohort) -> int:
    """Members plus open roster invitations (an invitation holds its place)."""
    invited = select(func.count()).select_from(_open_invitations(cohort).subquery())
    return count_members(cohort) + db.session.scalar(invited)


def lock_places(cohort: Cohort) -> None:
    """Hold the cohort's row until the transaction ends, so that two people joining at
    once cannot both take the last place (PostgreSQL; SQLite writers queue anyway)."""
    db.session.execute(select(Cohort.id).where(Cohort.id == cohort.id).with_for_update())


def cohort_with_code(join_code: str) -> Cohort | None:
    """The cohort with this (normalised) join code."""
    return db.session.scalar(select(Cohort).where(Cohort.join_code == join_code))


def memberships_of(cohort: Cohort, user_ids: list[int]) -> list[CohortMember]:
    """The cohort's memberships of these users (non-members are left out)."""
    query = select(CohortMember).where(
        CohortMember.cohort_id == cohort.id, CohortMember.user_id.in_(user_ids)
    )
    return list(db.session.scalars(query))


def active_members_among(cohort: Cohort, user_ids: list[int]) -> list[User]:
    """The active learners of the cohort among ``user_ids``, by name (roles not loaded)."""
    return list(
        db.session.scalars(
            select(User)
            .join(CohortMember, CohortMember.user_id == User.id)
            .where(CohortMember.cohort_id == cohort.id, User.id.in_(user_ids), User.active)
            .options(lazyload(User.role_assignments))
            .order_by(User.name)
        )
    )


def reminded_on(day: date, learner_ids: list[int]) -> set[int]:
    """Which of ``learner_ids`` were sent a reminder on ``day``."""
    query = select(Reminder.learner_id).where(
        Reminder.sent_on == day, Reminder.learner_id.in_(learner_ids)
    )
    return set(db.session.scalars(query))


def list_reminders(cohort: Cohort, limit: int = 50) -> list[Reminder]:
    """The cohort's latest reminders, newest first (the log trainers see)."""
    return list(
        db.session.scalars(
            select(Reminder)
            .where(Reminder.cohort_id == cohort.id)
            .order_by(Reminder.sent_at.desc())
            .limit(limit)
        )
    )


def members_among(cohort: Cohort, user_ids: list[int]) -> list[User]:
    """The cohort's learners among ``user_ids``, by name (what a removal will take out)."""
    return list(
        db.session.scalars(
            select(User)
            .join(CohortMember, CohortMember.user_id == User.id)
            .where(CohortMember.cohort_id == cohort.id, User.id.in_(user_ids))
            .options(lazyload(User.role_assignments))
            .order_by(User.name)
        )
    )


def removal_in(cohort: Cohort, removal_id: int) -> MemberRemoval | None:
    """One of the cohort's removals (None for another cohort's)."""
    return db.session.scalar(
        select(MemberRemoval).where(
            MemberRemoval.id == removal_id, MemberRemoval.cohort_id == cohort.id
        )
    )


def latest_undoable_removal(cohort: Cohort, user: User, since: datetime) -> MemberRemoval | None:
    """``user``'s latest removal from the cohort made after ``since`` and not undone:
    the one their cohort page offers to undo."""
    return db.session.scalar(
        select(MemberRemoval)
        .where(
            MemberRemoval.cohort_id == cohort.id,
            MemberRemoval.removed_by_id == user.id,
            MemberRemoval.removed_at >= since,
            MemberRemoval.undone_at.is_(None),
        )
        .order_by(MemberRemoval.removed_at.desc(), MemberRemoval.id.desc())
        .limit(1)
    )
