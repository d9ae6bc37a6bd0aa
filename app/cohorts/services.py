"""Cohort rules: create and edit cohorts, their trainers, joining, and enrolment from a
roster (flush, never commit; the acting user is always an argument)."""

import secrets
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import exc, func, select

from app.auth import services as auth_services
from app.auth.models import Invitation, Role, User
from app.auth.policies import can_manage_cohort
from app.cohorts.models import Cohort, CohortMember, CohortTrainer
from app.cohorts.roster_csv import RosterRow
from app.courses.models import Course, Enrolment
from app.db_types import utcnow
from app.exceptions import PermissionDenied, ValidationFailed
from app.extensions import db
from app.institutions.models import Institution, programme_institutions

# Join codes avoid look-alike characters (0/O, 1/I/L): they are read out in workshops.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def new_join_code() -> str:
    """A random join code such as ``K7QM2XHD`` (about 40 bits; joining needs an account)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(code: str) -> str:
    """Codes are typed with or without spaces and dashes, in any case."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def cohort_institutions(actor: User) -> list[Institution]:
    """Where ``actor`` may run cohorts: admins anywhere; coordinators their institutions;
    trainers their own institution and those sharing a programme with it (a Singapore
    trainer teaches in Beijing)."""
    query = select(Institution).order_by(Institution.name)
    if actor.has_role(Role.ADMIN):
        return list(db.session.scalars(query))
    ids = set(actor.coordinated_institution_ids)
    if actor.has_role(Role.TRAINER) and actor.institution_id:
        ids.add(actor.institution_id)
        partners = select(programme_institutions.c.institution_id).where(
            programme_institutions.c.programme_id.in_(
                select(programme_institutions.c.programme_id).where(
                    programme_institutions.c.institution_id == actor.institution_id
                )
            )
        )
        ids.update(db.session.scalars(partners))
    return list(db.session.scalars(query.where(Institution.id.in_(ids))))


@dataclass
class CohortDetails:
    """What a trainer fills in for a cohort."""

    name: str
    institution: Institution
    courses: list[Course]
    locale: str
    starts_on: date
    ends_on: date
    capacity: int
    members_visible: bool = False
    inactive_days: int = 14


def _check_details(actor: User, details: CohortDetails, cohort: Cohort | None = None) -> None:
    if details.institution.id not in {i.id for i in cohort_institutions(actor)}:
        raise PermissionDenied(_("You may not run cohorts at this institution."))
    if not details.courses:
        raise ValidationFailed(_("Choose at least one course."), "courses")
    if details.ends_on < details.starts_on:
        raise ValidationFailed(_("The cohort must end on or after its start."), "ends_on")
    if cohort is not None and details.capacity < count_members(cohort):
        raise ValidationFailed(
            _("The cohort already has more members than this capacity."), "capacity"
        )


def create_cohort(actor: User, details: CohortDetails) -> Cohort:
    """A new cohort; a trainer who creates it becomes its lead trainer."""
    _check_details(actor, details)
    cohort = Cohort(join_code=new_join_code(), created_by_id=actor.id)
    _apply(cohort, details)
    db.session.add(cohort)
    if actor.has_role(Role.TRAINER):
        cohort.trainers.append(CohortTrainer(user_id=actor.id, lead=True))
    db.session.flush()
    return cohort


def update_cohort(actor: User, cohort: Cohort, details: CohortDetails) -> None:
    """Change a cohort's details; members keep their enrolments in removed courses."""
    if not can_manage_cohort(actor, cohort):
        raise PermissionDenied(_("You may not change this cohort."))
    _check_details(actor, details, cohort)
    added = [course for course in details.courses if course not in cohort.courses]
    _apply(cohort, details)
    db.session.flush()
    if added:
        enrol_in_courses(member_ids(cohort), added)


def _apply(cohort: Cohort, details: CohortDetails) -> None:
    cohort.name = details.name.strip()
    cohort.institution = details.institution
    cohort.courses = list(details.courses)
    cohort.locale = details.locale
    cohort.starts_on, cohort.ends_on = details.starts_on, details.ends_on
    cohort.capacity = details.capacity
    cohort.members_visible = details.members_visible
    cohort.inactive_days = details.inactive_days


def add_trainer(actor: User, cohort: Cohort, trainer: User) -> None:
    """Add a co-trainer (someone holding the trainer role)."""
    if not can_manage_cohort(actor, cohort):
        raise PermissionDenied(_("You may not change this cohort."))
    if not trainer.has_role(Role.TRAINER):
        raise ValidationFailed(_("%(name)s is not a trainer.", name=trainer.name), "email")
    if trainer.id not in cohort.trainer_ids:
        cohort.trainers.append(CohortTrainer(user_id=trainer.id, lead=False))
        db.session.flush()


def remove_trainer(actor: User, cohort: Cohort, trainer_id: int) -> None:
    """Remove a co-trainer; the lead trainer stays."""
    if not can_manage_cohort(actor, cohort):
        raise PermissionDenied(_("You may not change this cohort."))
    for link in list(cohort.trainers):
        if link.user_id == trainer_id and not link.lead:
            cohort.trainers.remove(link)
    db.session.flush()


def renew_join_code(actor: User, cohort: Cohort) -> None:
    """A new join code: the old link and code stop working."""
    if not can_manage_cohort(actor, cohort):
        raise PermissionDenied(_("You may not change this cohort."))
    cohort.join_code = new_join_code()
    db.session.flush()


# --- Membership ----------------------------------------------------------------------


def member_ids(cohort: Cohort) -> list[int]:
    return list(
        db.session.scalars(select(CohortMember.user_id).where(CohortMember.cohort_id == cohort.id))
    )


def count_members(cohort: Cohort) -> int:
    return db.session.scalar(
        select(func.count()).select_from(CohortMember).where(CohortMember.cohort_id == cohort.id)
    )


def count_open_invitations(cohort: Cohort) -> int:
    """Roster invitations not yet accepted, withdrawn or expired (they hold a place)."""
    return db.session.scalar(
        select(func.count())
        .select_from(Invitation)
        .where(
            Invitation.cohort_id == cohort.id,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > utcnow(),
        )
    )


def is_member(cohort: Cohort, user: User) -> bool:
    return (
        db.session.scalar(
            select(CohortMember.id).where(
                CohortMember.cohort_id == cohort.id, CohortMember.user_id == user.id
            )
        )
        is not None
    )


def enrol_in_courses(user_ids: list[int], courses: list[Course]) -> None:
    """Enrol the users in the courses (cohort courses need no open enrolment); two queries."""
    if not user_ids or not courses:
        return
    course_ids = [course.id for course in courses]
    existing = set(
        db.session.execute(
            select(Enrolment.user_id, Enrolment.course_id).where(
                Enrolment.user_id.in_(user_ids), Enrolment.course_id.in_(course_ids)
            )
        ).all()
    )
    for user_id in user_ids:
        for course_id in course_ids:
            if (user_id, course_id) not in existing:
                db.session.add(Enrolment(user_id=user_id, course_id=course_id))
    db.session.flush()


def add_members(cohort: Cohort, users: list[User], source: str) -> list[User]:
    """Add the users not yet in the cohort and enrol them in its courses; the added ones."""
    present = set(member_ids(cohort))
    added = [user for user in users if user.id not in present]
    for user in added:
        db.session.add(CohortMember(cohort_id=cohort.id, user_id=user.id, source=source))
    db.session.flush()
    enrol_in_courses([user.id for user in added], cohort.courses)
    return added


def find_cohort_by_code(code: str) -> Cohort | None:
    """The cohort with this join code (typed in any case, with or without dashes)."""
    return db.session.scalar(select(Cohort).where(Cohort.join_code == normalise_code(code)))


def join_cohort(user: User, cohort: Cohort, today: date) -> bool:
    """Join by code or link; True if the user was added (False: already a member)."""
    if is_member(cohort, user):
        return False
    if today > cohort.ends_on:
        raise ValidationFailed(_("This cohort has ended."))
    if count_members(cohort) + 1 > cohort.capacity:
        raise ValidationFailed(_("This cohort is full. Please ask its trainer."))
    try:
        with db.session.begin_nested():  # a double click joins once
            add_members(cohort, [user], "code")
    except exc.IntegrityError:
        return False
    return True


def join_after_invitation(user: User, invitation: Invitation) -> None:
    """A learner invited by a cohort's roster joins it as their account is made."""
    cohort = db.session.get(Cohort, invitation.cohort_id) if invitation.cohort_id else None
    if cohort is not None:
        add_members(cohort, [user], "invitation")


def remove_members(actor: User, cohort: Cohort, user_ids: list[int]) -> int:
    """Take learners out of the cohort (their enrolments and progress stay theirs)."""
    if not can_manage_cohort(actor, cohort):
        raise PermissionDenied(_("You may not change this cohort."))
    members = db.session.scalars(
        select(CohortMember).where(
            CohortMember.cohort_id == cohort.id, CohortMember.user_id.in_(user_ids)
        )
    ).all()
    for member in members:
        db.session.delete(member)
    db.session.flush()
    return len(members)


# --- Enrolment from a roster ----------------------------------------------------------


@dataclass
class RosterOutcome:
    """What an accepted roster did: enrolled known users, invited new people."""

    enrolled: list[User] = field(default_factory=list)
    already_members: list[User] = field(default_factory=list)
    invited: list[tuple[Invitation, str]] = field(default_factory=list)  # with their tokens
    already_invited: list[str] = field(default_factory=list)


def enrol_roster(actor: User, cohort: Cohort, rows: list[RosterRow]) -> RosterOutcome:
    """Enrol every row (all or nothing: rows were checked in full before): known users
    join at once, new people are invited by e-mail and join when they accept."""
    if not can_manage_cohort(actor, cohort):
        raise PermissionDenied(_("You may not change this cohort."))
    emails = [row.email for row in rows]
    users = {u.email: u for u in db.session.scalars(select(User).where(User.email.in_(emails)))}
    pending = set(
        db.session.scalars(
            select(Invitation.email).where(
                Invitation.cohort_id == cohort.id,
                Invitation.email.in_(emails),
                Invitation.accepted_at.is_(None),
                Invitation.revoked_at.is_(None),
                Invitation.expires_at > utcnow(),
            )
        )
    )
    present = set(member_ids(cohort))
    outcome = RosterOutcome()
    outcome.already_members = [u for u in users.values() if u.id in present]
    outcome.already_invited = [e for e in emails if e not in users and e in pending]
    new_rows = [row for row in rows if row.email not in users and row.email not in pending]
    joining = [users[e] for e in emails if e in users and users[e].id not in present]
    places = cohort.capacity - len(present) - count_open_invitations(cohort)
    if len(joining) + len(new_rows) > places:
        raise ValidationFailed(
            _(
                "The roster adds %(n)d people but the cohort has %(places)d places left.",
                n=len(joining) + len(new_rows),
                places=max(places, 0),
            )
        )
    outcome.enrolled = add_members(cohort, joining, "roster")
    institutions = _institutions_by_name({row.institution for row in new_rows})
    for row in new_rows:
        institution = institutions.get(row.institution, cohort.institution)
        outcome.invited.append(
            auth_services.invite_learner(actor, row.email, institution, cohort_id=cohort.id)
        )
    return outcome


def _institutions_by_name(names: set[str]) -> dict[str, Institution]:
    names.discard("")
    if not names:
        return {}
    return {
        i.name: i
        for i in db.session.scalars(select(Institution).where(Institution.name.in_(names)))
    }


def roster_institution_names(actor: User, cohort: Cohort) -> set[str]:
    """Institutions a roster may name: the cohort's and those where ``actor`` runs cohorts."""
    return {i.name for i in cohort_institutions(actor)} | {cohort.institution.name}
