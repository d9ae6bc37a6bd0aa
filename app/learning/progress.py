"""Lesson progress: opening a lesson (to resume there) and completing it, and the
``lessons`` clause of completion rules (flush, no commit)."""

from datetime import timedelta

from flask_babel import ngettext

from app.auth.models import User
from app.courses.models import Course, Enrolment, Lesson, LessonProgress
from app.db_types import utcnow
from app.events import enrolments_changed
from app.extensions import db
from app.learning import queries
from app.learning.completion import Event, Outcome, record_progress, register_clause

# Reading the same lesson again within this time writes nothing (no write per page view).
ACTIVITY_RESOLUTION = timedelta(minutes=10)


def record_lesson_visit(enrolment: Enrolment, lesson: Lesson, progress=None) -> LessonProgress:
    """Remember that the learner opened ``lesson``, and resume there next time.

    ``progress`` is the learner's row for the lesson when the caller already has it.
    """
    now = utcnow()
    recent = enrolment.last_activity_at and now - enrolment.last_activity_at < ACTIVITY_RESOLUTION
    if enrolment.last_activity_at is None:  # begun: the reports count it
        enrolments_changed.send(user_ids=[enrolment.user_id])
    if enrolment.last_lesson_id != lesson.id or not recent:
        enrolment.last_lesson_id = lesson.id
        enrolment.last_activity_at = now
    progress = progress or queries.lesson_progress(enrolment.user_id, lesson)
    if progress is None:
        progress = LessonProgress(user_id=enrolment.user_id, lesson_id=lesson.id, started_at=now)
        db.session.add(progress)
    db.session.flush()
    return progress


def complete_lesson(user: User, enrolment: Enrolment, lesson: Lesson) -> Outcome:
    """Mark ``lesson`` complete for the enrolled learner (the first time counts), then
    check the course's rule (also when it was done before: the rule may have changed)."""
    progress = record_lesson_visit(enrolment, lesson)
    newly_done = progress.completed_at is None
    if newly_done:
        progress.completed_at = utcnow()
        db.session.flush()
    outcome = record_progress(user, lesson.course, Event.LESSON_COMPLETED)
    return Outcome(recorded=int(newly_done)) + outcome


def required_lessons_done(user: User, course: Course, which: str = "required") -> bool:
    """Whether the user completed every lesson the rule asks for: the ``required`` ones,
    or ``all``."""
    needed = queries.lesson_ids(course, which)
    return needed <= queries.completed_lesson_ids(user, needed)


def describe_lessons(course: Course, which: str, locale: str) -> str:
    """``lessons: required`` or ``lessons: all``, in words with the number of lessons."""
    count = len(queries.lesson_ids(course, which))
    if which == "all":
        return ngettext("Complete the lesson", "Complete all %(num)d lessons", count)
    return ngettext("Complete the required lesson", "Complete the %(num)d required lessons", count)


register_clause("lessons", required_lessons_done, describe_lessons)
