"""Reads behind the lesson page: everything about the learner and the course's content
version in one query, and the learner's progress in the course in a second."""

from dataclasses import dataclass

from sqlalchemy import and_, select

from app.courses.content_cache import version_columns
from app.courses.content_queries import content_version
from app.courses.models import Course, Enrolment, Lesson, LessonProgress
from app.extensions import db
from app.notifications.queries import unread_count_column
from app.quizzes.queries import pre_test_taken_column


@dataclass
class LessonVisit:
    """A signed-in person opening a lesson of ``course``."""

    course: Course
    enrolment: Enrolment | None
    pre_test_taken: bool
    unread: int  # their unread notifications (the header's badge)
    version: tuple  # the course's content version (app/courses/content_cache.py)


def get_lesson_visit(user, course_key: str) -> LessonVisit | None:
    """The current course ``course_key`` with the user's enrolment, whether they took its
    pre-test, their unread count and the content version: one query (None: no course)."""
    parts = version_columns()
    row = db.session.execute(
        select(
            Course,
            Enrolment,
            pre_test_taken_column(user.id),
            unread_count_column(user.id),
            *parts,
        )
        .outerjoin(Enrolment, and_(Enrolment.course_id == Course.id, Enrolment.user_id == user.id))
        .where(Course.key == course_key, Course.retired_at.is_(None))
    ).first()
    if row is None:
        return None
    course, enrolment, taken, unread, *values = row
    version = content_version(course, tuple(values))
    return LessonVisit(course, enrolment, bool(taken), unread or 0, version)


def list_course_progress(user_id: int, course_id: int) -> dict[int, LessonProgress]:
    """The user's progress rows in the course's lessons, by lesson id: one query."""
    return {
        p.lesson_id: p
        for p in db.session.scalars(
            select(LessonProgress)
            .join(Lesson, Lesson.id == LessonProgress.lesson_id)
            .where(LessonProgress.user_id == user_id, Lesson.course_id == course_id)
        )
    }
