"""Learner actions in courses: enrol, open a lesson, mark it complete (flush, no commit)."""

from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import exc, select

from app.auth.models import User
from app.courses.models import Course, Enrolment, Lesson, LessonProgress
from app.db_types import utcnow
from app.exceptions import PermissionDenied
from app.extensions import db


def get_enrolment(user: User, course: Course) -> Enrolment | None:
    """The user's enrolment in ``course``, if any."""
    return db.session.scalar(
        select(Enrolment).where(Enrolment.user_id == user.id, Enrolment.course_id == course.id)
    )


def can_enrol(user: User, course: Course) -> bool:
    """Open courses take anyone signed in; cohort courses are enrolled by their trainers."""
    return course.retired_at is None and course.enrolment == "open"


def enrol_learner(user: User, course: Course) -> Enrolment:
    """Enrol ``user`` in an open course (once; enrolling again changes nothing)."""
    enrolment = get_enrolment(user, course)
    if enrolment is not None:
        return enrolment
    if not can_enrol(user, course):
        raise PermissionDenied(_("This course is open only to the members of a cohort."))
    enrolment = Enrolment(user_id=user.id, course_id=course.id)
    try:
        with db.session.begin_nested():  # a double click may enrol at the same moment
            db.session.add(enrolment)
    except exc.IntegrityError:
        return get_enrolment(user, course)
    return enrolment


# Reading the same lesson again within this time writes nothing (no write per page view).
ACTIVITY_RESOLUTION = timedelta(minutes=10)


def record_lesson_visit(enrolment: Enrolment, lesson: Lesson, progress=None) -> LessonProgress:
    """Remember that the learner opened ``lesson``, and resume there next time.

    ``progress`` is the learner's row for the lesson when the caller already has it.
    """
    now = utcnow()
    recent = enrolment.last_activity_at and now - enrolment.last_activity_at < ACTIVITY_RESOLUTION
    if enrolment.last_lesson_id != lesson.id or not recent:
        enrolment.last_lesson_id = lesson.id
        enrolment.last_activity_at = now
    progress = progress or _progress(enrolment.user_id, lesson)
    if progress is None:
        progress = LessonProgress(user_id=enrolment.user_id, lesson_id=lesson.id, started_at=now)
        db.session.add(progress)
    db.session.flush()
    return progress


def complete_lesson(enrolment: Enrolment, lesson: Lesson) -> LessonProgress:
    """Mark ``lesson`` complete for the enrolled learner (the first time counts)."""
    progress = record_lesson_visit(enrolment, lesson)
    if progress.completed_at is None:
        progress.completed_at = utcnow()
        db.session.flush()
    return progress


def _progress(user_id: int, lesson: Lesson) -> LessonProgress | None:
    return db.session.scalar(
        select(LessonProgress).where(
            LessonProgress.user_id == user_id, LessonProgress.lesson_id == lesson.id
        )
    )
