"""Reads of the learner's journey: enrolments, lesson progress, completions, knowledge
gains and certificates."""

from typing import NamedTuple

from sqlalchemy import select

from app.auth.models import User
from app.courses.models import Course, Enrolment, Lesson, LessonProgress
from app.extensions import db
from app.learning.models import Certificate, Completion, KnowledgeGain


class EnrolmentKey(NamedTuple):
    user_id: int
    course_id: int


def get_enrolment(user: User, course: Course) -> Enrolment | None:
    """The user's enrolment in ``course``, if any."""
    return db.session.scalar(
        select(Enrolment).where(Enrolment.user_id == user.id, Enrolment.course_id == course.id)
    )


def enrolments_among(user_ids: list[int], course_ids: list[int]) -> set[EnrolmentKey]:
    """Which of these users are enrolled in which of these courses (one query)."""
    rows = db.session.execute(
        select(Enrolment.user_id, Enrolment.course_id).where(
            Enrolment.user_id.in_(user_ids), Enrolment.course_id.in_(course_ids)
        )
    )
    return {EnrolmentKey(*row) for row in rows}


def lesson_progress(user_id: int, lesson: Lesson) -> LessonProgress | None:
    """The user's progress row for ``lesson``, if they opened it."""
    return db.session.scalar(
        select(LessonProgress).where(
            LessonProgress.user_id == user_id, LessonProgress.lesson_id == lesson.id
        )
    )


def lesson_ids(course: Course, which: str = "required") -> set[int]:
    """The ids of the course's current lessons: the ``required`` ones, or ``all``."""
    lessons = select(Lesson.id).where(Lesson.course_id == course.id, Lesson.retired_at.is_(None))
    if which == "required":
        lessons = lessons.where(Lesson.required.is_(True))
    return set(db.session.scalars(lessons))


def completed_lesson_ids(user: User, lesson_ids: set[int]) -> set[int]:
    """Which of ``lesson_ids`` the user completed."""
    return set(
        db.session.scalars(
            select(LessonProgress.lesson_id).where(
                LessonProgress.user_id == user.id,
                LessonProgress.completed_at.is_not(None),
                LessonProgress.lesson_id.in_(lesson_ids),
            )
        )
    )


def get_completion(user: User, course: Course) -> Completion | None:
    """The user's completion of ``course``, if any."""
    return db.session.scalar(
        select(Completion).where(Completion.user_id == user.id, Completion.course_id == course.id)
    )


def get_gain(user: User, course: Course) -> KnowledgeGain | None:
    """The user's knowledge gain in ``course``, if recorded."""
    return db.session.scalar(
        select(KnowledgeGain).where(
            KnowledgeGain.user_id == user.id, KnowledgeGain.course_id == course.id
        )
    )


def find_certificate(code: str) -> Certificate | None:
    """The certificate with this code (codes are matched without regard to case)."""
    return db.session.scalar(select(Certificate).where(Certificate.code == code.strip().upper()))


def list_certificates(user: User) -> list[Certificate]:
    """The user's certificates, newest first."""
    return list(
        db.session.scalars(
            select(Certificate)
            .join(Completion)
            .where(Completion.user_id == user.id)
            .order_by(Certificate.issued_at.desc())
        )
    )
