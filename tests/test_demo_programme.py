"""`flask demo` at full size: the Beijing programme a funder opens has real figures, each
equal to a count from the raw rows, every stage of learning, suppression only where a
group is really small, and rows as the services would have written them."""

import random
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.auth.models import User
from app.cohorts.models import Cohort
from app.courses.importer import import_courses
from app.courses.models import Course
from app.dashboards import report
from app.dashboards.glance import glance
from app.dashboards.queries import Scope
from app.db_types import utcnow
from app.demo import seed_demo
from app.demo.beijing import INSTITUTIONS, LEARNERS
from app.demo.people import PROGRAMMES
from app.extensions import db
from app.institutions.models import Institution, Programme
from app.learning.completion import rule_is_met
from app.learning.models import Certificate, Completion, KnowledgeGain
from app.quizzes.models import Attempt, AttemptItem
from app.trainers.models import TrainerCertification
from tests.dashboards.test_numbers import _check_programme
from tests.dashboards.test_summary import assert_summaries_equal_raw_rows
from tests.helpers import sign_in, text_of

REAL_COURSES = Path(__file__).resolve().parents[1] / "courses"


@pytest.fixture
def full(app):
    """The demo world at full size, committed (the pages read it as a visitor would)."""
    import_courses(REAL_COURSES)
    seed_demo()
    db.session.commit()
    return db.session.scalar(select(Programme).where(Programme.name == PROGRAMMES[0][0]))


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _eight_institutions_and_hundreds_of_learners(full):
    beijing = [i for i in full.institutions if i.city == "Beijing"]
    assert len(beijing) == 8 and set(INSTITUTIONS) <= {i.name for i in beijing}
    learners = db.session.scalar(
        select(func.count(User.id)).where(User.institution_id.in_([i.id for i in beijing]))
    )
    assert learners >= LEARNERS["full"]
    professions = set(db.session.scalars(select(User.profession).distinct()))
    assert {"doctor", "nurse", "social_worker"} <= {str(p) for p in professions}


def _figures_equal_counts_from_the_raw_rows(full):
    raw = _check_programme(Scope(full.id))
    assert sum(raw.months().values()) >= 200  # real figures, not a handful
    assert_summaries_equal_raw_rows()


def _every_stage(full):
    beijing = select(Institution.id).where(Institution.city == "Beijing")
    cohorts = db.session.scalars(select(Cohort).where(Cohort.institution_id.in_(beijing))).all()
    totals = {"not_started": 0, "in_progress": 0, "completed": 0, "inactive": 0}
    for found in glance(cohorts, utcnow()):
        for name in totals:
            totals[name] += getattr(found, name)
    assert all(count >= 30 for count in totals.values()), totals
    assert totals["completed"] > totals["in_progress"] > totals["not_started"]


def _suppression_only_where_a_group_is_small(full):
    tables = report.programme_report(Scope(full.id), "en")
    headline = report.finished_headline(tables)
    assert not headline.hidden and headline.shown >= 200
    months = next(t for t in tables if t.key == "months")
    assert len(months.rows) >= 6  # the chart has a shape
    for table in tables:
        for column in range(1, len(table.columns)):
            hidden = [row[column] for row in table.rows if getattr(row[column], "hidden", False)]
            small = [cell for cell in hidden if 0 < cell.value < cell.limit]
            # beside the small figures, at most the one partner a shown total needs
            assert len(hidden) - len(small) <= (1 if len(small) == 1 else 0), table.key
    hidden_counts = [
        cell
        for table in tables
        if table.key in ("institutions", "countries", "professions", "courses")
        for row in table.rows
        for cell in row[1:]
        if getattr(cell, "hidden", False)
    ]
    assert hidden_counts == []
    assert sum(cell.hidden for cell in months.column("finished")) <= 2  # first and last


def _rows_as_the_services_write_them(full):
    assert _count(Certificate) == _count(Completion) > 300
    completions = db.session.scalars(select(Completion)).all()
    for completion in random.Random(1).sample(completions, 40):
        user, course = db.session.get(User, completion.user_id), completion.course
        assert rule_is_met(user, course), (user.email, course.key)
        assert completion.rule_version == course.completion_rule["version"]
        assert completion.certificate.holder_name == user.name
    gains = db.session.scalars(select(KnowledgeGain)).all()
    assert len(gains) > 250
    for gain in gains[:50]:
        pre, post = (
            db.session.get(Attempt, gain.pre_attempt_id),
            db.session.get(Attempt, gain.post_attempt_id),
        )
        assert (pre.phase, post.phase) == ("pre", "post") and pre.user_id == post.user_id
        assert gain.gain == pytest.approx(post.percent - pre.percent)
        items = db.session.scalars(select(AttemptItem).where(AttemptItem.attempt_id == post.id))
        assert sum(item.points for item in items) == pytest.approx(post.score)
    now = utcnow()
    assert db.session.scalar(select(func.max(Attempt.submitted_at))) < now
    generations = dict(
        db.session.execute(
            select(TrainerCertification.generation, func.count()).group_by(
                TrainerCertification.generation
            )
        ).all()
    )
    assert generations[1] >= 10 and generations[2] >= 10


def _certificates_verified_and_the_doctor_keeps_hers(client):
    foundations = db.session.scalar(select(Course).where(Course.key.like("foundations%")))
    doctor = db.session.scalar(select(User).where(User.email == "doctor@example.org"))
    held = db.session.scalar(
        select(Completion).where(
            Completion.user_id == doctor.id, Completion.course_id == foundations.id
        )
    )
    assert held is not None and held.certificate is not None
    code = db.session.scalar(select(Certificate.code).order_by(Certificate.id.desc()))
    page = text_of(client.get(f"/verify/{code}?lang=en"))
    assert code in page and "revoked" not in page.lower()
    unnamed = db.session.scalar(
        select(func.count())
        .select_from(Certificate)
        .where(Certificate.issuer_institution.is_(None))
    )
    assert unnamed == 0  # every certificate written in bulk names its holder's institution


def _the_funder_sees_real_figures(full, client):
    assert sign_in(client, "funder@example.org", "palliare-demo").status_code == 302
    html = text_of(client.get(f"/dashboards/programmes/{full.id}?lang=en"))
    assert "&lt;5 of 1,000" not in html and " of 1,000 trainees have finished" in html
    assert html.count("<rect") >= 6


def _added_once(app):
    users = _count(User)
    seed_demo()
    assert _count(User) == users
    result = app.test_cli_runner().invoke(args=["demo", "--if-empty"])
    assert "already has accounts" in result.output and _count(User) == users


# Each test builds the full world once (several seconds): the checks share it.


def test_the_full_demo_world_is_big_consistent_and_counted_right(full):
    """The figures a funder sees equal counts from the raw rows; every stage is there;
    only really small groups are suppressed; rows are what the services would write."""
    _eight_institutions_and_hundreds_of_learners(full)
    _figures_equal_counts_from_the_raw_rows(full)
    _every_stage(full)
    _suppression_only_where_a_group_is_small(full)
    _rows_as_the_services_write_them(full)


def test_the_full_demo_world_in_pages_and_added_once(full, app, client):
    _certificates_verified_and_the_doctor_keeps_hers(client)
    _the_funder_sees_real_figures(full, client)
    _added_once(app)
