"""Reads of a course's content for the lesson page, as plain frozen snapshots that may be
kept across requests and threads (app/courses/content_cache.py), never ORM rows bound to
one request's session."""

from dataclasses import dataclass, field

from sqlalchemy import select

from app.courses.content_cache import outlines
from app.courses.models import Course, Lesson, LessonText, Module
from app.extensions import db
from app.localised import localised


@dataclass(frozen=True)
class ModuleSnapshot:
    id: int
    key: str
    titles: dict = field(hash=False, compare=False)

    def title(self, locale: str) -> str:
        return localised(self.titles, locale, default=self.key)


@dataclass(frozen=True)
class LessonSnapshot:
    id: int
    key: str
    titles: dict = field(hash=False, compare=False)
    minutes: int | None
    module: ModuleSnapshot

    def title(self, locale: str) -> str:
        return localised(self.titles, locale, default=self.key)


@dataclass(frozen=True)
class CourseContent:
    """A course's current lessons in order (in modules that are current too)."""

    version: tuple
    lessons: tuple[LessonSnapshot, ...]

    def find(self, key: str) -> int | None:
        """The position of the lesson ``key``, or None."""
        return next((i for i, lesson in enumerate(self.lessons) if lesson.key == key), None)

    def neighbours(self, index: int) -> tuple[LessonSnapshot | None, LessonSnapshot | None]:
        previous = self.lessons[index - 1] if index > 0 else None
        following = self.lessons[index + 1] if index + 1 < len(self.lessons) else None
        return previous, following


def content_version(course: Course, parts: tuple = ()) -> tuple:
    """The version of ``course``'s content: what an import changes, and the registered parts
    read beside it (app/courses/content_cache.py)."""
    return (course.id, course.content_hash, course.imported_at.isoformat(), *parts)


def get_course_content(course: Course, version: tuple) -> CourseContent:
    """The course's outline at ``version``: kept per process, else 2 queries."""
    return outlines.get_or_make(version, lambda: _read_content(course, version))


def _read_content(course: Course, version: tuple) -> CourseContent:
    modules = {
        m.id: ModuleSnapshot(m.id, m.key, dict(m.titles))
        for m in db.session.scalars(
            select(Module).where(Module.course_id == course.id, Module.retired_at.is_(None))
        )
    }
    rows = db.session.execute(
        select(Lesson.id, Lesson.key, Lesson.titles, Lesson.minutes, Lesson.module_id)
        .where(Lesson.course_id == course.id, Lesson.retired_at.is_(None))
        .order_by(Lesson.position)
    )
    lessons = tuple(
        LessonSnapshot(id_, key, dict(titles), minutes, modules[module_id])
        for id_, key, titles, minutes, module_id in rows
        if module_id in modules
    )
    return CourseContent(version, lessons)


def get_lesson_text_row(lesson_id: int, locale: str, source_locale: str) -> LessonText | None:
    """The lesson rendered in ``locale``, or in the course's source language when that
    language was added after the last import."""
    return db.session.get(LessonText, (lesson_id, locale)) or db.session.get(
        LessonText, (lesson_id, source_locale)
    )
