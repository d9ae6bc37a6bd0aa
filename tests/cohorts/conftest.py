"""Cohort fixtures: the trainer-track fixture course, and a small cohort world."""

import pytest

from app.auth.models import Role
from app.courses.importer import import_courses
from app.courses.queries import get_course
from app.extensions import db
from tests.conftest import FIXTURE_COURSES
from tests.factories import make_cohort, make_institution, make_programme, make_user


@pytest.fixture
def trainer_course(app):
    """tests/fixtures/courses/trainer-course: a trainer track of two modules (two lessons,
    then one) whose completion asks for one workshop session."""
    import_courses(FIXTURE_COURSES)
    db.session.commit()
    return get_course("trainer-course")


@pytest.fixture
def world(trainer_course):
    """Two institutions in one programme, their people, and a cohort at the first."""
    here = make_institution(default_locale="en")  # the tests read English messages
    there = make_institution(country="SE", default_locale="sv")
    make_programme([here, there])
    elsewhere = make_institution(country="CN")
    people = {
        "trainer": make_user(roles=[Role.TRAINER], institution=here, name="Tara Trainer"),
        "co_trainer": make_user(roles=[Role.TRAINER], institution=there),
        "other_trainer": make_user(roles=[Role.TRAINER], institution=elsewhere),
        "coordinator": make_user(roles=[(Role.COORDINATOR, here)], institution=here),
        "other_coordinator": make_user(
            roles=[(Role.COORDINATOR, elsewhere)], institution=elsewhere
        ),
        "learner": make_user(institution=here, name="Lena Learner"),
        "classmate": make_user(institution=here, name="Carl Classmate"),
        "outsider": make_user(institution=here),
        "admin": make_user(roles=[Role.ADMIN]),
        "funder": make_user(roles=[Role.FUNDER]),
    }
    cohort = make_cohort(
        people["trainer"], [trainer_course], here, members=[people["learner"], people["classmate"]]
    )
    return {"here": here, "there": there, "elsewhere": elsewhere, "cohort": cohort, **people}
