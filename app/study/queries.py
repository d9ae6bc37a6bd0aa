"""Reads behind the lesson page: everything about the learner and the course's content
version in one query, and the learner's progress in the course in a second."""

from dataclasses import dataclass

from sqlalchemy import and_, bindparam, select
from sqlalchemy.orm import defer

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
    params = {"user_id": user.id, "course_key": course_key}
    row = db.session.execute(_visit_statement(), params).first()
    if row is None:
        return None
    course, enrolment, taken, unread, *values = row
    version = content_version(course, tuple(values))
    return LessonVisit(course, enrolment, bool(taken), unread or 0, version)


_STATEMENTS: dict = {}


def _visit_statement():
    # Built once per process (the version parts are registered at start-up): the lesson
    # page's hottest query then costs its execution only, not its construction.
    if "visit" not in _STATEMENTS:
        user_id = bindparam("user_id")
        _STATEMENTS["visit"] = (
            select(
                Course,
                Enrolment,
                pre_test_taken_column(user_id),
                unread_count_column(user_id),
                *version_columns(),
            )
            .outerjoin(
                Enrolment, and_(Enrolment.course_id == Course.id, Enrolment.user_id == user_id)
            )
            .where(Course.key == bindparam("course_key"), Course.retired_at.is_(None))
            # What the lesson page never shows of the course: JSON that would be decoded
            # at every view (read only if something asks for it, in a query of its own).
            .options(defer(Course.summaries), defer(Course.sources), defer(Course.audience))
            .options(defer(Course.completion_rule), defer(Course.cpd_hours))
        )
    return _STATEMENTS["visit"]


def _progress_statement():
    if "progress" not in _STATEMENTS:
        _STATEMENTS["progress"] = (
            select(LessonProgress)
            .join(Lesson, Lesson.id == LessonProgress.lesson_id)
            .where(
                LessonProgress.user_id == bindparam("user_id"),
                Lesson.course_id == bindparam("course_id"),
            )
        )
    return _STATEMENTS["progress"]


def list_course_progress(user_id: int, course_id: int) -> dict[int, LessonProgress]:
    """The user's progress rows in the course's lessons, by lesson id: one query."""
    params = {"user_id": user_id, "course_id": course_id}
    return {p.lesson_id: p for p in db.session.scalars(_progress_statement(), params)}
