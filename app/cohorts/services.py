"""Cohort rules: create and edit cohorts, their trainers, and joining (flush, never
commit; the acting user is always an argument). Rosters are in ``roster.py``."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import exc

from app.auth.models import Invitation, Role, User
from app.auth.permissions import MANAGE, require
from app.codes import random_code
from app.cohorts import access as cohort_rule
from app.cohorts import queries
from app.cohorts.models import (
    Cohort,
    CohortMember,
    CohortTrainer,
    MemberRemoval,
    RemovedMember,
)
from app.courses.models import Course, Enrolment
from app.db_types import utcnow
from app.events import enrolments_changed
from app.exceptions import PermissionDenied, ValidationFailed
from app.extensions import db
from app.institutions.models import Institution
from app.learning import queries as learning_queries

CODE_LENGTH = 8  # join codes are read out in workshops


def new_join_code() -> str:
    """A random join code such as ``K7QM2XHD`` (about 40 bits; joining needs an account)."""
    return random_code(CODE_LENGTH)


def normalise_code(code: str) -> str:
    """Codes are typed with or without spaces and dashes, in any case."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def local_today(cohort: Cohort, now: datetime | None = None) -> date:
    """Today at the cohort's institution (a Beijing day starts 8 hours before UTC's)."""
    return (now or utcnow()).astimezone(ZoneInfo(cohort.institution.timezone)).date()


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
    if details.institution.id not in {i.id for i in queries.cohort_institutions(actor)}:
        raise PermissionDenied(_("You may not run cohorts at this institution."))
    if not details.courses:
        raise ValidationFailed(_("Choose at least one course."), "courses")
    if details.ends_on < details.starts_on:
        raise ValidationFailed(_("The cohort must end on or after its start."), "ends_on")
    if cohort is not None and details.capacity < queries.places_taken(cohort):
        raise ValidationFailed(
            _("The cohort already has more members and invited people than this capacity."),
            "capacity",
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
    require(actor, MANAGE, cohort, _l("You may not change this cohort."))
    _check_details(actor, details, cohort)
    added = [course for course in details.courses if course not in cohort.courses]
    _apply(cohort, details)
    db.session.flush()
    if added:
        enrol_in_courses(queries.member_ids(cohort), added)


def _apply(cohort: Cohort, details: CohortDetails) -> None:
    # One line, no control characters: the name goes into e-mail subjects.
    cohort.name = " ".join(details.name.split())
    cohort.institution = details.institution
    cohort.courses = list(details.courses)
    cohort.locale = details.locale
    cohort.starts_on, cohort.ends_on = details.starts_on, details.ends_on
    cohort.capacity = details.capacity
    cohort.members_visible = details.members_visible
    cohort.inactive_days = details.inactive_days


def add_trainer(actor: User, cohort: Cohort, trainer: User | None) -> None:
    """Add a co-trainer: a trainer at the cohort's institution or a partner institution.
    Anyone else gets the same answer as an unknown address (no account is revealed)."""
    require(actor, MANAGE, cohort, _l("You may not change this cohort."))
    allowed = queries.partner_institution_ids(cohort.institution_id)
    if (
        trainer is None
        or not trainer.has_role(Role.TRAINER)
        or trainer.institution_id not in allowed
    ):
        raise ValidationFailed(
            _("No trainer at this or a partner institution has this e-mail address."), "email"
        )
    if trainer.id not in cohort.trainer_ids:
        cohort.trainers.append(CohortTrainer(user_id=trainer.id, lead=False))
        db.session.flush()


def remove_trainer(actor: User, cohort: Cohort, trainer_id: int) -> None:
    """Remove a co-trainer; the lead trainer stays."""
    require(actor, MANAGE, cohort, _l("You may not change this cohort."))
    for link in list(cohort.trainers):
        if link.user_id == trainer_id and not link.lead:
            cohort.trainers.remove(link)
    db.session.flush()


def renew_join_code(actor: User, cohort: Cohort) -> None:
    """A new join code: the old link and code stop working."""
    require(actor, MANAGE, cohort, _l("You may not change this cohort."))
    cohort.join_code = new_join_code()
    db.session.flush()


# --- Membership ----------------------------------------------------------------------


def enrol_in_courses(user_ids: list[int], courses: list[Course]) -> None:
    """Enrol the users in the courses (cohort courses need no open enrolment); two queries."""
    if not user_ids or not courses:
        return
    course_ids = [course.id for course in courses]
    existing = learning_queries.enrolments_among(user_ids, course_ids)
    enrolled = set()
    for user_id in user_ids:
        for course_id in course_ids:
            if (user_id, course_id) not in existing:
                db.session.add(Enrolment(user_id=user_id, course_id=course_id))
                enrolled.add(user_id)
    db.session.flush()
    enrolments_changed.send(user_ids=sorted(enrolled))


def add_members(cohort: Cohort, users: list[User], source: str) -> list[User]:
    """Add the users not yet in the cohort and enrol them in its courses; the added ones.
    Callers check capacity and rights (joining, rosters, invitations, the demo)."""
    present = set(queries.member_ids(cohort))
    added = [user for user in users if user.id not in present]
    for user in added:
        db.session.add(CohortMember(cohort_id=cohort.id, user_id=user.id, source=source))
    db.session.flush()
    enrol_in_courses([user.id for user in added], cohort.courses)
    return added


def find_cohort_by_code(code: str) -> Cohort | None:
    """The cohort with this join code (typed in any case, with or without dashes)."""
    return queries.cohort_with_code(normalise_code(code))


def join_cohort(user: User, cohort: Cohort, now: datetime | None = None) -> bool:
    """Join by code or link; True if the user was added (False: already a member)."""
    if cohort_rule.is_member(user, cohort):
        return False
    if local_today(cohort, now) > cohort.ends_on:
        raise ValidationFailed(_("This cohort has ended."))
    queries.lock_places(cohort)
    if queries.places_taken(cohort) + 1 > cohort.capacity:
        raise ValidationFailed(_("This cohort is full. Please ask its trainer."))
    try:
        with db.session.begin_nested():  # a double click joins once
            add_members(cohort, [user], "code")
    except exc.IntegrityError:
        return False
    return True


def join_after_invitation(user: User, invitation: Invitation) -> None:
    """A learner invited by a cohort's roster joins it as their account is made (the
    invitation held their place)."""
    cohort = db.session.get(Cohort, invitation.cohort_id) if invitation.cohort_id else None
    if cohort is not None:
        add_members(cohort, [user], "invitation")


def remove_members(actor: User, cohort: Cohort, user_ids: list[int]) -> MemberRemoval | None:
    """Take learners out of the cohort at once (their enrolments and progress stay
    theirs); the removal keeps how each had joined, for ``undo_removal``. None if none
    of them was a member."""
    require(actor, MANAGE, cohort, _l("You may not change this cohort."))
    members = queries.memberships_of(cohort, user_ids)
    if not members:
        return None
    removal = MemberRemoval(
        cohort_id=cohort.id,
        removed_by_id=actor.id,
        removed_at=utcnow(),
        members=[
            RemovedMember(user_id=m.user_id, joined_at=m.joined_at, source=m.source)
            for m in members
        ],
    )
    db.session.add(removal)
    for member in members:
        db.session.delete(member)
    db.session.flush()
    return removal


# How long the person who removed learners may put them back with one click. Short: the
# learners have no access meanwhile, and after it a roster or the join code adds them.
UNDO_WINDOW = timedelta(minutes=15)


def undo_removal(
    actor: User, cohort: Cohort, removal: MemberRemoval, now: datetime | None = None
) -> list[RemovedMember]:
    """Put the learners of ``removal`` back as they were (joined when they had joined;
    their progress never left them): only its author, only within ``UNDO_WINDOW``, only
    once, and only while the cohort has room. Learners who came back meanwhile are left
    as they are. Returns the learners put back."""
    require(actor, MANAGE, cohort, _l("You may not change this cohort."))
    if removal.cohort_id != cohort.id:
        raise PermissionDenied(hidden=True)
    if removal.removed_by_id != actor.id:
        raise PermissionDenied(_("Only the person who removed these learners can undo it."))
    queries.lock_places(cohort)  # one undo at a time, and no place taken twice
    db.session.refresh(removal)
    now = now or utcnow()
    if removal.undone_at is not None:
        raise ValidationFailed(_("These learners have already been put back."))
    if now > removal.removed_at + UNDO_WINDOW:
        raise ValidationFailed(
            _(
                "Too late to undo: a removal can be undone for %(minutes)d minutes. Add the "
                "learners again with a roster or the join code; their progress is kept.",
                minutes=UNDO_WINDOW.seconds // 60,
            )
        )
    present = set(queries.member_ids(cohort))
    back = [member for member in removal.members if member.user_id not in present]
    if queries.places_taken(cohort) + len(back) > cohort.capacity:
        raise ValidationFailed(
            _("The cohort no longer has room for them: raise its capacity first, then undo.")
        )
    for member in back:
        db.session.add(
            CohortMember(
                cohort_id=cohort.id,
                user_id=member.user_id,
                joined_at=member.joined_at,
                source=member.source,
            )
        )
    removal.undone_at = now
    db.session.flush()
    enrol_in_courses([member.user_id for member in back], cohort.courses)  # courses added since
    return back
