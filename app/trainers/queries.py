"""Reads of trainers: certifications (latest, current), trainer tracks completed, the
learners ready to certify, and the lists of the trainer pages."""

from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.orm import aliased, joinedload

from app.auth.models import User
from app.auth.permissions import CASCADE, scope
from app.cohorts.models import CohortMember, CohortTrainer
from app.courses.models import Course
from app.extensions import db
from app.institutions.models import Programme
from app.learning.models import Completion
from app.trainers.models import TrainerCertification


class ReadyTrainee(NamedTuple):
    user: User
    course: Course  # the trainer track they completed last


def list_certifications_for(viewer: User) -> list[TrainerCertification]:
    """Certifications (with their history) ``viewer`` may see: all for admins; the
    trainers of their institutions for coordinators; their own and those they signed
    off for trainers. Newest first."""
    query = (
        select(TrainerCertification)
        .join(User, User.id == TrainerCertification.user_id)
        .options(
            joinedload(TrainerCertification.certified_by), joinedload(TrainerCertification.course)
        )
        .order_by(TrainerCertification.certified_at.desc())
    )
    return list(db.session.scalars(scope(viewer, query, TrainerCertification)))


def visible_programmes(viewer: User) -> list[Programme]:
    """Programmes whose cascade ``viewer`` may see: all for admins; funders the ones they
    fund; trainers and coordinators those their institutions take part in."""
    query = select(Programme).order_by(Programme.name)
    return list(db.session.scalars(scope(viewer, query, Programme, CASCADE)))


def latest_certifications():
    """Each person's latest certification (a re-certification replaces a revoked one), as
    an aliased entity and the rank column to filter on (``rank == 1``)."""
    ranked = select(
        TrainerCertification,
        func.row_number()
        .over(
            partition_by=TrainerCertification.user_id,
            order_by=(TrainerCertification.certified_at.desc(), TrainerCertification.id.desc()),
        )
        .label("rank"),
    ).subquery()
    return aliased(TrainerCertification, ranked), ranked.c.rank


def current_certification(user_id: int) -> TrainerCertification | None:
    """The user's latest certification (active or revoked), if any."""
    return db.session.scalar(
        select(TrainerCertification)
        .where(TrainerCertification.user_id == user_id)
        .order_by(TrainerCertification.certified_at.desc(), TrainerCertification.id.desc())
        .limit(1)
    )


def completed_trainer_track(user_id: int) -> Course | None:
    """The trainer-track course the user completed most recently, if any."""
    return db.session.scalar(
        select(Course)
        .join(Completion, Completion.course_id == Course.id)
        .where(Completion.user_id == user_id, Course.trainer_track.is_(True))
        .order_by(Completion.completed_at.desc())
        .limit(1)
    )


def _taught_by(actor: User):
    """A query for the learners of the cohorts ``actor`` trains."""
    return (
        select(CohortMember.user_id)
        .join(CohortTrainer, CohortTrainer.cohort_id == CohortMember.cohort_id)
        .where(CohortTrainer.user_id == actor.id)
    )


def teaches(actor: User, learner_id: int) -> bool:
    """Whether the learner is in a cohort ``actor`` trains."""
    query = _taught_by(actor).where(CohortMember.user_id == learner_id)
    return db.session.scalar(query) is not None


def trainees_ready(actor: User) -> list[ReadyTrainee]:
    """Learners in ``actor``'s cohorts who completed a trainer track and are not certified
    trainers: the people whose teaching practice ``actor`` may sign off (two queries)."""
    rows = db.session.execute(
        select(User, Course)
        .join(Completion, Completion.user_id == User.id)
        .join(Course, (Course.id == Completion.course_id) & Course.trainer_track.is_(True))
        .where(User.id.in_(_taught_by(actor)), User.id != actor.id)
        .order_by(User.name, Completion.completed_at.desc())
    ).all()
    ready = {}
    for user, course in rows:
        ready.setdefault(user.id, ReadyTrainee(user, course))  # the latest trainer track completed
    certification, rank = latest_certifications()
    certified = set(
        db.session.scalars(
            select(certification.user_id).where(
                rank == 1, certification.revoked_at.is_(None), certification.user_id.in_(ready)
            )
        )
    )
    return [pair for user_id, pair in ready.items() if user_id not in certified]
