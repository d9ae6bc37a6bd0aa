"""The trainer pathway: certifying trainers, who certified whom, and revocation.

A master trainer (generation 0) is certified by an administrator. Anyone else becomes a
certified trainer when they have completed a trainer-track course and a certified trainer
signs off their teaching practice; their generation is the certifier's plus one. A person
may be certified again after a revocation: the latest record is the one that counts.
"""

from datetime import date, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.auth.models import Role, RoleAssignment, User
from app.auth.permissions import REVOKE, require
from app.db_types import utcnow
from app.exceptions import PermissionDenied, ValidationFailed
from app.extensions import db
from app.trainers import queries
from app.trainers.models import TrainerCertification


def active_certification(user_id: int) -> TrainerCertification | None:
    """The user's certification if it is in force."""
    certification = queries.current_certification(user_id)
    return certification if certification and certification.active else None


def certify_master_trainer(actor: User, user: User, notes: str = "") -> TrainerCertification:
    """Certify ``user`` as a master trainer (generation 0); administrators only."""
    if not actor.has_role(Role.ADMIN):
        raise PermissionDenied(_("Only administrators certify master trainers."))
    return _certify(user, None, None, 0, None, notes)


def certify_trainer(
    actor: User, trainee: User, observed_on: date | None, notes: str
) -> TrainerCertification:
    """Sign off the teaching practice of a trainee in one of ``actor``'s cohorts, making
    them a certified trainer one generation after ``actor``."""
    mine = active_certification(actor.id)
    if mine is None:
        raise PermissionDenied(_("Only certified trainers sign off teaching practice."))
    if trainee.id == actor.id:
        raise PermissionDenied(_("Nobody signs off their own teaching practice."))
    if not queries.teaches(actor, trainee.id):
        raise PermissionDenied(_("You sign off the trainees of your own cohorts."))
    course = queries.completed_trainer_track(trainee.id)
    if course is None:
        raise ValidationFailed(
            _("%(name)s has not completed a trainer-track course yet.", name=trainee.name)
        )
    if observed_on is None:
        raise ValidationFailed(
            _("Give the date the teaching practice was observed."), "observed_on"
        )
    if observed_on > (utcnow() + timedelta(hours=14)).date():  # today, in any time zone
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


def revoke_certification(actor: User, certification: TrainerCertification, reason: str) -> None:
    """Revoke a certification with a reason; the trainer loses the trainer role.

    Their past cohorts still count in the cascade (the people were trained), and the
    trainers they certified keep their own certifications.
    """
    require(actor, REVOKE, certification, _l("You may not revoke this certification."))
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
