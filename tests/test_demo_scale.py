"""`flask demo --scale N`: a large world whose parts agree with each other."""

from pathlib import Path

from sqlalchemy import func, select

from app.cohorts.models import CohortMember
from app.courses.importer import import_courses
from app.courses.models import Enrolment, LessonProgress
from app.demo.scale import generate
from app.extensions import db
from app.learning.models import Certificate, Completion, KnowledgeGain
from app.quizzes.models import Attempt
from app.trainers.cascade import Scope, compute_cascade
from tests.factories import make_user

REAL_COURSES = Path(__file__).resolve().parents[1] / "courses"


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_scaled_world_is_consistent(app):
    import_courses(REAL_COURSES)
    world = generate(300, seed=7)
    assert len(world.learners) == 300 and len(world.institutions) == 50
    assert _count(Enrolment) == _count(CohortMember) == 300
    assert world.counts["lesson_progress"] == _count(LessonProgress) > 300
    # Each learner took the pre-test; those who finished the lessons, the post-test too.
    assert _count(Attempt) == 300 + _count(KnowledgeGain)
    assert _count(Certificate) == _count(Completion) <= _count(KnowledgeGain)
    cascade = compute_cascade(Scope())
    assert [g.trainers for g in cascade.generations] == [5, 2]  # 300 learners: 7 cohorts
    assert cascade.learners_total == 300  # every learner is in a certified trainer's cohort
    make_user()  # new rows get fresh ids after the generated ones (PostgreSQL sequences)
    assert generate(10, seed=8).counts["users"] == 10 + 5  # a second run adds, no clash
