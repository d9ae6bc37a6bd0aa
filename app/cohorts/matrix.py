"""The progress matrix of a cohort: learners × modules, with activity, scores and gains.

Built from a fixed number of grouped queries (members, modules, lessons, progress,
activity, latest scores, gains, completions), whatever the cohort's size: a test holds
the count equal at 5 and at 500 learners.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import lazyload

from app.auth.models import User
from app.cohorts.models import Cohort, CohortMember
from app.courses.models import Course, Enrolment, Lesson, LessonProgress, Module
from app.extensions import db
from app.learning.models import Completion, KnowledgeGain
from app.localised import localised
from app.quizzes.models import Attempt, Quiz

NOT_STARTED, IN_PROGRESS, DONE = 0, 1, 2
SORTS = ("name", "activity", "progress", "score", "gain")
STATUSES = ("all", "inactive", "not_started", "in_progress", "completed")


@dataclass
class ModuleColumn:
    course: Course
    module: Module
    lesson_count: int


@dataclass
class Score:
    """A learner's latest submitted quiz attempt in the cohort's courses."""

    percent: float
    passed: bool
    quiz_titles: dict

    def quiz_title(self, locale: str) -> str:
        return localised(self.quiz_titles, locale)


@dataclass
class Row:
    user: User
    joined_at: datetime
    cells: list[int]
    last_activity: datetime | None = None
    latest_score: Score | None = None
    gains: list[float] = field(default_factory=list)
    courses_completed: int = 0
    course_count: int = 0
    inactive: bool = False

    @property
    def modules_done(self) -> int:
        return sum(1 for cell in self.cells if cell == DONE)

    @property
    def progress(self) -> float:
        return self.modules_done / len(self.cells) if self.cells else 0.0

    @property
    def gain(self) -> float | None:
        return sum(self.gains) / len(self.gains) if self.gains else None

    @property
    def status(self) -> str:
        begun = self.last_activity or any(cell != NOT_STARTED for cell in self.cells)
        return member_status(self.courses_completed, self.course_count, begun)


def member_status(courses_completed: int, course_count: int, begun) -> str:
    """A member's status: completed (a completion record for every course of the cohort,
    not just its lessons), in progress (begun: a lesson or quiz opened) or not started."""
    if course_count and courses_completed >= course_count:
        return "completed"
    return "in_progress" if begun else "not_started"


def is_inactive(status: str, last_activity, joined_at, limit: datetime) -> bool:
    """Not completed, and nothing done since ``limit`` (or since joining, if nothing yet)."""
    return status != "completed" and (last_activity or joined_at) < limit


@dataclass
class Matrix:
    columns: list[ModuleColumn]
    rows: list[Row]
    course_count: int

    def filtered(self, status="all", profession="", search="", sort="name", descending=False):
        """The rows a trainer asked for, in the order asked for (a new list)."""
        rows = [
            row for row in self.rows if _wanted(row, status, profession, search.strip().lower())
        ]
        rows.sort(key=lambda row: row.user.name.lower())
        if sort != "name":
            rows.sort(key=_SORT_KEYS[sort])
        if descending:
            rows.reverse()
        return rows

    def chosen(self, filters: dict) -> list[Row]:
        """``filtered`` with the filters of ``matrix_filters`` (every page of them)."""
        return self.filtered(
            filters["status"], filters["profession"], filters["q"], filters["sort"], filters["desc"]
        )

    def status_counts(self) -> dict[str, int]:
        """How many learners each choice of the status filter would show."""
        counts = dict.fromkeys(STATUSES, 0)
        for row in self.rows:
            counts["all"] += 1
            counts[row.status] += 1
            counts["inactive"] += row.inactive
        return counts


def _wanted(row: Row, status: str, profession: str, search: str) -> bool:
    if status == "inactive" and not row.inactive:
        return False
    if status in ("not_started", "in_progress", "completed") and row.status != status:
        return False
    if profession and row.user.profession.value != profession:
        return False
    return not search or search in row.user.name.lower() or search in row.user.email


_SORT_KEYS = {
    # None sorts first, so that "who has not started" is at the top of an ascending sort.
    "activity": lambda row: (row.last_activity is not None, row.last_activity or 0),
    "progress": lambda row: row.progress,
    "score": lambda row: (
        row.latest_score is not None,
        row.latest_score.percent if row.latest_score else 0,
    ),
    "gain": lambda row: (row.gain is not None, row.gain or 0),
}


def build_matrix(cohort: Cohort, now: datetime) -> Matrix:
    """The whole matrix of ``cohort`` as of ``now`` (for the inactivity flag)."""
    course_ids = [course.id for course in cohort.courses]
    members = select(CohortMember.user_id).where(CohortMember.cohort_id == cohort.id)
    columns, module_of_lesson = _columns(cohort.courses)
    position = {column.module.id: i for i, column in enumerate(columns)}
    rows = {}
    for user, joined_at in db.session.execute(
        select(User, CohortMember.joined_at)
        .join(CohortMember, CohortMember.user_id == User.id)
        .where(CohortMember.cohort_id == cohort.id)
        .options(lazyload(User.role_assignments))
    ):
        rows[user.id] = Row(
            user=user,
            joined_at=joined_at,
            cells=[NOT_STARTED] * len(columns),
            course_count=len(course_ids),
        )
    _fill_cells(rows, columns, position, module_of_lesson, members)
    _fill_activity(rows, course_ids, members)
    _fill_scores(rows, course_ids, members)
    _fill_gains_and_completions(rows, course_ids, members)
    limit = now - timedelta(days=cohort.inactive_days)
    for row in rows.values():
        row.inactive = is_inactive(row.status, row.last_activity, row.joined_at, limit)
    return Matrix(columns=columns, rows=list(rows.values()), course_count=len(course_ids))


def counted_lessons(course: Course):
    """The lessons a course's completion rule counts (required ones, or all)."""
    condition = and_(Lesson.course_id == course.id, Lesson.retired_at.is_(None))
    if course.completion_rule.get("lessons", "required") == "required":
        condition = and_(condition, Lesson.required.is_(True))
    return condition


def _columns(courses: list[Course]) -> tuple[list[ModuleColumn], dict[int, int]]:
    if not courses:
        return [], {}
    module_of_lesson = dict(
        db.session.execute(
            select(Lesson.id, Lesson.module_id).where(or_(*(counted_lessons(c) for c in courses)))
        ).all()
    )
    counts: dict[int, int] = {}
    for module_id in module_of_lesson.values():
        counts[module_id] = counts.get(module_id, 0) + 1
    order = {course.id: i for i, course in enumerate(courses)}
    by_id = {course.id: course for course in courses}
    modules = db.session.scalars(
        select(Module).where(Module.course_id.in_(order), Module.retired_at.is_(None))
    )
    columns = [
        ModuleColumn(by_id[module.course_id], module, counts[module.id])
        for module in sorted(modules, key=lambda m: (order[m.course_id], m.position))
        if counts.get(module.id)
    ]
    return columns, module_of_lesson


def _fill_cells(rows, columns, position, module_of_lesson, members) -> None:
    if not columns:
        return
    done = func.count(LessonProgress.completed_at)
    query = (
        select(LessonProgress.user_id, Lesson.module_id, func.count(), done)
        .join(Lesson, Lesson.id == LessonProgress.lesson_id)
        .where(LessonProgress.user_id.in_(members), Lesson.id.in_(list(module_of_lesson)))
        .group_by(LessonProgress.user_id, Lesson.module_id)
    )
    for user_id, module_id, started, completed in db.session.execute(query):
        index = position.get(module_id)
        if index is None or user_id not in rows:
            continue
        if completed >= columns[index].lesson_count:
            rows[user_id].cells[index] = DONE
        elif started:
            rows[user_id].cells[index] = IN_PROGRESS


def _fill_activity(rows, course_ids, members) -> None:
    lessons = (
        select(Enrolment.user_id, func.max(Enrolment.last_activity_at))
        .where(Enrolment.user_id.in_(members), Enrolment.course_id.in_(course_ids))
        .group_by(Enrolment.user_id)
    )
    quizzes = (
        select(Attempt.user_id, func.max(Attempt.started_at))
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .where(Attempt.user_id.in_(members), Quiz.course_id.in_(course_ids))
        .group_by(Attempt.user_id)
    )
    for query in (lessons, quizzes):
        for user_id, moment in db.session.execute(query):
            row = rows.get(user_id)
            if row and moment and (row.last_activity is None or moment > row.last_activity):
                row.last_activity = moment


def _fill_scores(rows, course_ids, members) -> None:
    latest = (
        select(
            Attempt.user_id.label("user_id"),
            Attempt.percent.label("percent"),
            Attempt.passed.label("passed"),
            Quiz.titles.label("titles"),
            func.row_number()
            .over(partition_by=Attempt.user_id, order_by=Attempt.submitted_at.desc())
            .label("recency"),
        )
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .where(
            Attempt.user_id.in_(members),
            Quiz.course_id.in_(course_ids),
            Attempt.submitted_at.is_not(None),
        )
        .subquery()
    )
    query = select(latest).where(latest.c.recency == 1)
    for user_id, percent, passed, titles, _recency in db.session.execute(query):
        if user_id in rows:
            rows[user_id].latest_score = Score(percent, bool(passed), titles)


def _fill_gains_and_completions(rows, course_ids, members) -> None:
    for user_id, gain in db.session.execute(
        select(KnowledgeGain.user_id, KnowledgeGain.gain).where(
            KnowledgeGain.user_id.in_(members), KnowledgeGain.course_id.in_(course_ids)
        )
    ):
        if user_id in rows:
            rows[user_id].gains.append(gain)
    for user_id, count in db.session.execute(
        select(Completion.user_id, func.count())
        .where(Completion.user_id.in_(members), Completion.course_id.in_(course_ids))
        .group_by(Completion.user_id)
    ):
        if user_id in rows:
            rows[user_id].courses_completed = count
