"""A calendar world: a cohort at a hospital on UTC with a late workshop session at the
end of March 2026, a weekly case-conference series across the March/April boundary, the
people who take part in them, and people from the other side of each rule."""

from datetime import datetime

import pytest

from app.auth.models import Role
from app.cohorts.services import add_trainer, remove_members
from app.conferences import services as conferences
from app.conferences.recurrence import build_rule
from app.extensions import db
from app.workshops.services import create_workshop, save_session
from tests.factories import make_cohort, make_institution, make_programme, make_user

# Thursdays at 15:00 in Stockholm, six weeks: 26 March (CET) to 30 April 2026 (CEST).
FIRST_SESSION = datetime(2026, 3, 26, 15, 0)


def weekly_series(organiser, programme, first=FIRST_SESSION, count=6, title="Hub conference"):
    details = conferences.SeriesDetails(
        title=title,
        description="",
        owner=("programme", programme.id),
        timezone="Europe/Stockholm",
        starts_local=first,
        duration_minutes=60,
        rrule=build_rule("weekly", 1, first.date(), count, None, "Europe/Stockholm"),
        meeting_url="https://meet.jit.si/calendar-test",
    )
    return conferences.create_series(organiser, details)


@pytest.fixture
def world(app, sample_course):
    here = make_institution(timezone="UTC", default_locale="en")
    elsewhere = make_institution(timezone="Europe/Stockholm", default_locale="en")
    programme = make_programme([here])
    people = {
        "trainer": make_user(roles=[Role.TRAINER], institution=here, name="Tara Trainer"),
        "co_trainer": make_user(roles=[Role.TRAINER], institution=here, name="Cody Co"),
        "learner": make_user(institution=here, name="Lena Learner"),
        "former": make_user(institution=here, name="Fred Former"),
        "outsider": make_user(institution=here, name="Olive Outsider"),
        "stranger": make_user(institution=elsewhere, name="Sven Stranger"),
        "admin": make_user(roles=[Role.ADMIN], name="Ada Admin"),
    }
    cohort = make_cohort(
        people["trainer"], [sample_course], here, members=[people["learner"], people["former"]]
    )
    add_trainer(people["trainer"], cohort, people["co_trainer"])
    workshop = create_workshop(people["trainer"], cohort, "Teaching workshop", None)
    late = save_session(
        people["trainer"], workshop, None, datetime(2026, 3, 31, 23, 30), 60, "Room 3", "", []
    )
    remove_members(people["trainer"], cohort, [people["former"].id])
    series = weekly_series(people["trainer"], programme)
    conferences.join_series(people["learner"], series)
    conferences.join_series(people["former"], series)
    people["former"].institution_id = elsewhere.id  # left the hospital: left the audience
    db.session.commit()
    return {
        **people,
        "here": here,
        "programme": programme,
        "cohort": cohort,
        "workshop": workshop,
        "late": late,
        "series": series,
    }
