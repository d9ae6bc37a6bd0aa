"""The dashboards take as many queries for 10,000 learners as for 100."""

from pathlib import Path

from sqlalchemy import func, select

from app.auth.models import Role
from app.cohorts.models import Cohort
from app.courses.importer import import_courses
from app.demo.scale import generate
from app.extensions import db
from tests.factories import make_programme, make_user
from tests.helpers import count_statements

REAL_COURSES = Path(__file__).resolve().parents[2] / "courses"


def _queries(client, url) -> int:
    def visit():
        assert client.get(url).status_code == 200

    return count_statements(visit)


def _institution_with_cohorts() -> int:
    return db.session.execute(
        select(Cohort.institution_id)
        .group_by(Cohort.institution_id)
        .order_by(func.count().desc())
        .limit(1)
    ).scalar_one()


def test_the_query_count_does_not_grow_with_the_data(app, client, login):
    import_courses(REAL_COURSES)
    programme = make_programme()  # the scaled world puts its institutions in it
    login(make_user(roles=[Role.ADMIN]))
    counts = []
    for size in (100, 10_000):
        generate(size, seed=size)
        db.session.commit()
        institution = _institution_with_cohorts()
        counts.append([
            _queries(client, f"/dashboards/programmes/{programme.id}"),
            _queries(client, f"/dashboards/programmes/{programme.id}?since=2020-01"),
            _queries(client, f"/dashboards/institutions/{institution}"),
            _queries(client, f"/dashboards/programmes/{programme.id}.xlsx"),
        ])  # fmt: skip
    assert counts[0] == counts[1], counts
