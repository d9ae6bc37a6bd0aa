"""The progress matrix: what each cell says, and a query count that does not grow."""

from datetime import timedelta

from sqlalchemy import insert, select

from app.auth.models import Profession, User
from app.cohorts.matrix import DONE, IN_PROGRESS, NOT_STARTED, build_matrix
from app.cohorts.services import add_members
from app.courses.models import Enrolment, Lesson, LessonProgress
from app.db_types import utcnow
from app.extensions import db
from tests.factories import make_cohort
from tests.helpers import count_statements


def _lessons(course):
    return db.session.scalars(
        select(Lesson).where(Lesson.course_id == course.id).order_by(Lesson.position)
    ).all()


def test_cells_follow_the_lessons_done_per_module(world, trainer_course):
    plan, teach, give = _lessons(trainer_course)
    now = utcnow()
    db.session.add_all(
        [
            LessonProgress(user_id=world["learner"].id, lesson_id=plan.id, completed_at=now),
            LessonProgress(user_id=world["learner"].id, lesson_id=teach.id, completed_at=now),
            LessonProgress(user_id=world["learner"].id, lesson_id=give.id),
            LessonProgress(user_id=world["classmate"].id, lesson_id=teach.id, completed_at=now),
        ]
    )
    db.session.flush()
    matrix = build_matrix(world["cohort"], now)
    assert [c.module.key for c in matrix.columns] == ["practice", "feedback"]
    rows = {row.user.id: row for row in matrix.rows}
    assert rows[world["learner"].id].cells == [DONE, IN_PROGRESS]
    assert rows[world["classmate"].id].cells == [IN_PROGRESS, NOT_STARTED]


def test_inactive_learners_are_flagged_and_filtered(world):
    cohort = world["cohort"]
    enrolment = db.session.scalar(select(Enrolment).filter_by(user_id=world["learner"].id))
    enrolment.last_activity_at = utcnow() - timedelta(days=1)
    db.session.flush()
    later = utcnow() + timedelta(days=cohort.inactive_days - 2)
    matrix = build_matrix(cohort, later)
    # The classmate never did anything and joined more than the limit ago by then.
    assert {r.user.id for r in matrix.filtered("inactive")} == set()
    much_later = utcnow() + timedelta(days=cohort.inactive_days + 2)
    flagged = build_matrix(cohort, much_later).filtered("inactive")
    assert {r.user.id for r in flagged} == {world["learner"].id, world["classmate"].id}
    assert [r.user.name for r in matrix.filtered(sort="name")] == ["Carl Classmate", "Lena Learner"]
    by_activity = matrix.filtered(sort="activity", descending=True)
    assert by_activity[0].user.id == world["learner"].id
    assert [r.user.name for r in matrix.filtered(search="lena")] == ["Lena Learner"]


def _queries_for(cohort) -> int:
    return count_statements(lambda: build_matrix(cohort, utcnow()))


def _learners(n: int) -> list[User]:
    now = utcnow()
    first = db.session.scalar(select(User.id).order_by(User.id.desc()).limit(1)) or 0
    rows = [
        {"email": f"m{first}-{i}@example.org", "name": f"M {i}", "password_hash": "x",
         "profession": Profession.NURSE, "active": True, "session_version": 1, "created_at": now}
        for i in range(n)
    ]  # fmt: skip
    db.session.execute(insert(User), rows)
    emails = [row["email"] for row in rows]
    return db.session.scalars(select(User).where(User.email.in_(emails))).all()


def test_the_matrix_takes_as_many_queries_for_500_learners_as_for_5(world, trainer_course):
    lessons = _lessons(trainer_course)
    counts = {}
    for size in (5, 500):
        learners = _learners(size)
        cohort = make_cohort(world["trainer"], [trainer_course], world["here"], capacity=1000)
        add_members(cohort, learners, "roster")
        db.session.execute(
            insert(LessonProgress),
            [{"user_id": u.id, "lesson_id": lessons[i % 3].id, "started_at": utcnow(),
              "completed_at": utcnow() if i % 2 else None} for i, u in enumerate(learners)],
        )  # fmt: skip
        db.session.flush()
        db.session.expire_all()
        counts[size] = _queries_for(cohort)
        assert len(build_matrix(cohort, utcnow()).rows) == size
    assert counts[5] == counts[500] <= 12  # 8 for the matrix, the rest reload the cohort
