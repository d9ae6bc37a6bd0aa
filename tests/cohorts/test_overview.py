"""Cohorts at a glance (/dashboards/cohorts): the matrix's statuses counted per cohort,
for the cohorts one trains or coordinates, and for nobody else."""

from datetime import timedelta

from sqlalchemy import select

from app.cohorts.matrix import build_matrix
from app.courses.models import Enrolment
from app.dashboards.glance import glance
from app.dashboards.queries import list_cohorts_of_trainer
from app.db_types import utcnow
from app.demo import DEMO_PASSWORD
from app.extensions import db
from tests.factories import make_cohort, make_completion, make_user
from tests.helpers import sign_in, text_of


def _matrix_counts(cohort, now) -> dict:
    matrix = build_matrix(cohort, now)
    counts = {"members": len(matrix.rows), "inactive": len(matrix.filtered("inactive"))}
    for status in ("not_started", "in_progress", "completed"):
        counts[status] = len(matrix.filtered(status))
    return counts


def test_the_counts_equal_each_cohorts_matrix(world, trainer_course):
    learner, classmate = world["learner"], world["classmate"]
    third = make_user(institution=world["here"])
    second = make_cohort(world["trainer"], [trainer_course], members=[classmate, third])
    enrolment = db.session.scalar(select(Enrolment).filter_by(user_id=learner.id))
    enrolment.last_activity_at = utcnow() - timedelta(days=30)  # began, then stopped
    make_completion(classmate.id, trainer_course.id)
    db.session.commit()
    for now in (utcnow(), utcnow() + timedelta(days=60)):
        glances = {g.cohort.id: g for g in glance(list_cohorts_of_trainer(world["trainer"]), now)}
        assert set(glances) == {world["cohort"].id, second.id}
        for cohort in (world["cohort"], second):
            g = glances[cohort.id]
            got = {k: getattr(g, k) for k in ("members", "inactive", "not_started",
                                              "in_progress", "completed")}  # fmt: skip
            assert got == _matrix_counts(cohort, now)
    first = glances[world["cohort"].id]
    assert (first.in_progress, first.completed, first.inactive) == (1, 1, 1)


def _signed_in(app, user):
    client = app.test_client()
    assert sign_in(client, user.email, DEMO_PASSWORD).status_code == 302
    return client


def test_only_ones_own_cohorts_are_shown(world, app):
    cohort = world["cohort"]
    assert app.test_client().get("/dashboards/cohorts").status_code == 302  # to sign-in
    for who, sees in (("trainer", True), ("coordinator", True), ("other_trainer", False),
                      ("other_coordinator", False), ("co_trainer", False)):  # fmt: skip
        client = _signed_in(app, world[who])
        html = text_of(client.get("/dashboards/cohorts?lang=en"))
        assert (cohort.name in html) == sees, who
    client = _signed_in(app, world["learner"])
    assert client.get("/dashboards/cohorts").status_code == 403
