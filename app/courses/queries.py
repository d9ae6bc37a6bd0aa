"""Read-only queries behind the catalog, course and lesson pages (a fixed number each)."""

from dataclasses import dataclass, field

from sqlalchemy import func, select

from app.auth.models import User
from app.courses.models import (
    Course,
    DocumentCatalogRevision,
    Enrolment,
    Lesson,
    LessonProgress,
    LessonText,
    Module,
)
from app.extensions import db


@dataclass
class CatalogEntry:
    course: Course
    lessons: int
    enrolled: bool
    completed: int

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.lessons) if self.lessons else 0


@dataclass
class LessonState:
    lesson: Lesson
    started: bool = False
    completed: bool = False
    progress: LessonProgress | None = None  # the learner's row, when there is one


@dataclass
class ModuleOutline:
    module: Module
    lessons: list[LessonState] = field(default_factory=list)

    @property
    def completed(self) -> int:
        return sum(state.completed for state in self.lessons)

    @property
    def percent(self) -> int:
        return round(100 * self.completed / len(self.lessons)) if self.lessons else 0


@dataclass
class CourseOutline:
    course: Course
    modules: list[ModuleOutline]
    enrolment: Enrolment | None

    def states(self) -> list[LessonState]:
        return [state for module in self.modules for state in module.lessons]

    @property
    def percent(self) -> int:
        states = self.states()
        return round(100 * sum(s.completed for s in states) / len(states)) if states else 0

    def resume_lesson(self) -> Lesson | None:
        """Where the learner left off, or the next lesson to do after it."""
        states = self.states()
        if not states:
            return None
        last_id = self.enrolment.last_lesson_id if self.enrolment else None
        start = next((i for i, s in enumerate(states) if s.lesson.id == last_id), 0)
        if not states[start].completed:
            return states[start].lesson
        pending = [s for s in states[start:] + states[:start] if not s.completed]
        return pending[0].lesson if pending else states[start].lesson

    def neighbours(self, lesson: Lesson) -> tuple[Lesson | None, Lesson | None]:
        """The previous and next lessons of the course."""
        lessons = [state.lesson for state in self.states()]
        index = lessons.index(lesson)
        previous = lessons[index - 1] if index > 0 else None
        following = lessons[index + 1] if index + 1 < len(lessons) else None
        return previous, following


def list_catalog(user: User, profession: str | None) -> list[CatalogEntry]:
    """Current courses (for one profession, or all), with the user's progress: 4 queries."""
    query = select(Course).where(Course.retired_at.is_(None)).order_by(Course.position)
    courses = [c for c in db.session.scalars(query) if not profession or profession in c.audience]
    ids = [course.id for course in courses]
    lessons = dict(
        db.session.execute(
            select(Lesson.course_id, func.count(Lesson.id))
            .where(Lesson.course_id.in_(ids), Lesson.retired_at.is_(None))
            .group_by(Lesson.course_id)
        ).all()
    )
    enrolled = set(
        db.session.scalars(
            select(Enrolment.course_id).where(
                Enrolment.user_id == user.id, Enrolment.course_id.in_(ids)
            )
        )
    )
    completed = dict(
        db.session.execute(
            select(Lesson.course_id, func.count(LessonProgress.id))
            .join(LessonProgress, LessonProgress.lesson_id == Lesson.id)
            .where(
                LessonProgress.user_id == user.id,
                LessonProgress.completed_at.is_not(None),
                Lesson.retired_at.is_(None),
                Lesson.course_id.in_(ids),
            )
            .group_by(Lesson.course_id)
        ).all()
    )
    return [
        CatalogEntry(c, lessons.get(c.id, 0), c.id in enrolled, completed.get(c.id, 0))
        for c in courses
    ]


def list_courses() -> list[Course]:
    """Every course that is not retired, in catalogue order."""
    return list(
        db.session.scalars(
            select(Course).where(Course.retired_at.is_(None)).order_by(Course.position)
        )
    )


def get_course(key: str) -> Course | None:
    """A current (not retired) course by its id."""
    return db.session.scalar(select(Course).where(Course.key == key, Course.retired_at.is_(None)))


def get_course_outline(user: User, course: Course) -> CourseOutline:
    """Modules, lessons and the user's progress in ``course``: 4 queries, whatever its size."""
    modules = db.session.scalars(
        select(Module)
        .where(Module.course_id == course.id, Module.retired_at.is_(None))
        .order_by(Module.position)
    ).all()
    lessons = db.session.scalars(
        select(Lesson)
        .where(Lesson.course_id == course.id, Lesson.retired_at.is_(None))
        .order_by(Lesson.position)
    ).all()
    progress = {
        p.lesson_id: p
        for p in db.session.scalars(
            select(LessonProgress)
            .join(Lesson, Lesson.id == LessonProgress.lesson_id)
            .where(LessonProgress.user_id == user.id, Lesson.course_id == course.id)
        )
    }
    enrolment = db.session.scalar(
        select(Enrolment).where(Enrolment.user_id == user.id, Enrolment.course_id == course.id)
    )
    outlines = {module.id: ModuleOutline(module) for module in modules}
    for lesson in lessons:
        state = LessonState(lesson)
        if (p := progress.get(lesson.id)) is not None:
            state.started, state.completed, state.progress = True, p.completed_at is not None, p
        if lesson.module_id in outlines:
            outlines[lesson.module_id].lessons.append(state)
    return CourseOutline(course, [o for o in outlines.values() if o.lessons], enrolment)


def get_lesson_text(lesson: Lesson, locale: str) -> LessonText | None:
    """The lesson rendered in ``locale``, or in its source language when that language was
    added after the last import."""
    return db.session.get(LessonText, (lesson.id, locale)) or db.session.get(
        LessonText, (lesson.id, lesson.course.source_locale)
    )


def latest_document_catalog(document: str, locale: str):
    """The latest catalog revision of a document written in the app, or None."""
    return db.session.scalars(
        select(DocumentCatalogRevision)
        .where(
            DocumentCatalogRevision.document == document,
            DocumentCatalogRevision.locale == locale,
        )
        .order_by(DocumentCatalogRevision.id.desc())
        .limit(1)
    ).first()


def list_document_catalogs(document: str, locale: str):
    """Every catalog revision of a document in one language, newest first."""
    return db.session.scalars(
        select(DocumentCatalogRevision)
        .where(
            DocumentCatalogRevision.document == document,
            DocumentCatalogRevision.locale == locale,
        )
        .order_by(DocumentCatalogRevision.id.desc())
    ).all()
