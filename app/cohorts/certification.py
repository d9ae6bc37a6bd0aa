"""The trainer pathway: certifying trainers, who certified whom, and revocation.

A master trainer (generation 0) is certified by an administrator. Anyone else becomes a
certified trainer when they have completed a trainer-track course and a certified trainer
signs off their teaching practice; their generation is the certifier's plus one. A person
may be certified again after a revocation: the latest record is the one that counts.
"""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from app.auth.models import Role, RoleAssignment, User
from app.auth.policies import can_manage_institution
from app.cohorts.models import CohortMember, CohortTrainer, TrainerCertification
from app.courses.models import Course
from app.db_types import utcnow
from app.exceptions import PermissionDenied, ValidationFailed
from app.extensions import db
from app.quizzes.models import Completion


def current_certification(user_id: int) -> TrainerCertification | None:
    """The user's latest certification (active or revoked), if any."""
    return db.session.scalar(
        select(TrainerCertification)
        .where(TrainerCertification.user_id == user_id)
        .order_by(TrainerCertification.certified_at.desc(), TrainerCertification.id.desc())
        .limit(1)
    )


def active_certification(user_id: int) -> TrainerCertification | None:
    certification = current_certification(user_id)
    return certification if certification and certification.active else None


def completed_trainer_track(user_id: int) -> Course | None:
    """The trainer-track course the user completed most recently, if any."""
    return db.session.scalar(
        select(Course)
        .join(Completion, Completion.course_id == Course.id)
        .where(Completion.user_id == user_id, Course.trainer_track.is_(True))
        .order_by(Completion.completed_at.desc())
        .limit(1)
    )


def certify_master_trainer(actor: User, user: User, notes: str = "") -> TrainerCertification:
    """Certify ``user`` as a master trainer (generation 0); administrators only."""
    if not actor.has_role(Role.ADMIN):
        raise PermissionDenied(_("Only administrators certify master trainers."))
    return _certify(user, None, None, 0, None, notes)


def certify_trainer(
    actor: User, trainee: User, observed_on: date | None, notes: str
) -> TrainerCertification:
    """Sign off ``trainee``'s teaching practice, making them a certified trainer."""
    mine = active_certification(actor.id)
    if mine is None:
        raise PermissionDenied(_("Only certified trainers sign off teaching practice."))
    if trainee.id == actor.id:
        raise PermissionDenied(_("Nobody signs off their own teaching practice."))
    course = completed_trainer_track(trainee.id)
    if course is None:
        raise ValidationFailed(
            _("%(name)s has not completed a trainer-track course yet.", name=trainee.name)
        )
    if observed_on is None:
        raise ValidationFailed(
            _("Give the date the teaching practice was observed."), "observed_on"
        )
    if observed_on > utcnow().date():
        raise ValidationFailed(_("The observation date cannot be in the future."), "observed_on")
    return _certify(trainee, actor, course, mine.generation + 1, observed_on, notes)


def _certify(user, certifier, course, generation, observed_on, notes) -> TrainerCertification:
    if active_certification(user.id) is not None:
        raise ValidationFailed(_("%(name)s is already a certified trainer.", name=user.name))
    certification = TrainerCertification(
        user_id=user.id,
        certified_by_id=certifier.id if certifier else None,
        course_id=course.id if course else None,
        generation=generation,
        practice_observed_on=observed_on,
        notes=notes.strip(),
        certified_at=utcnow(),
    )
    db.session.add(certification)
    if not user.has_role(Role.TRAINER):
        user.role_assignments.append(RoleAssignment(role=Role.TRAINER))
    db.session.flush()
    return certification


def can_revoke(actor: User, certification: TrainerCertification) -> bool:
    """Administrators, the certifier, and the coordinators of the trainer's institution."""
    return actor.id == certification.certified_by_id or can_manage_institution(
        actor, certification.user.institution_id
    )


def revoke_certification(actor: User, certification: TrainerCertification, reason: str) -> None:
    """Revoke a certification with a reason; the trainer loses the trainer role.

    Their past cohorts still count in the cascade (the people were trained), and the
    trainers they certified keep their own certifications.
    """
    if not can_revoke(actor, certification):
        raise PermissionDenied(_("You may not revoke this certification."))
    if not reason.strip():
        raise ValidationFailed(_("Give the reason for the revocation."), "reason")
    if certification.revoked_at is not None:
        return
    certification.revoked_at = utcnow()
    certification.revoked_by_id = actor.id
    certification.revoked_reason = reason.strip()
    trainee = certification.user
    for assignment in list(trainee.role_assignments):
        if assignment.role == Role.TRAINER:
            trainee.role_assignments.remove(assignment)
    db.session.flush()


def trainees_ready(actor: User) -> list[tuple[User, Course]]:
    """Learners in ``actor``'s cohorts who completed a trainer track and are not certified
    trainers yet: the people whose teaching practice ``actor`` may sign off."""
    taught = (
        select(CohortMember.user_id)
        .join(CohortTrainer, CohortTrainer.cohort_id == CohortMember.cohort_id)
        .where(CohortTrainer.user_id == actor.id)
    )
    rows = db.session.execute(
        select(User, Course)
        .join(Completion, Completion.user_id == User.id)
        .join(Course, (Course.id == Completion.course_id) & Course.trainer_track.is_(True))
        .where(User.id.in_(taught), User.id != actor.id)
        .order_by(User.name)
    ).all()
    return [(user, course) for user, course in rows if active_certification(user.id) is None]
