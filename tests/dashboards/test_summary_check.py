"""The nightly check finds every drift of the summary tables and repairs it."""

import logging

from sqlalchemy import delete, select, update

from app.courses.importer import import_courses
from app.dashboards.summary import COUNTS, GAINS, PEOPLE
from app.dashboards.summary_check import check_and_repair, find_mismatches
from app.dashboards.tasks import check_summaries
from app.demo.scale import generate
from app.extensions import db
from tests.dashboards.test_summary import REAL_COURSES, assert_summaries_equal_raw_rows


def _world():
    import_courses(REAL_COURSES)
    generate(120, seed=7)
    db.session.commit()


def test_summaries_kept_by_the_commits_pass_the_check(app):
    _world()
    assert find_mismatches(db.session.connection()) == []


def test_each_kind_of_drift_is_found_logged_and_repaired(app, caplog):
    _world()
    connection = db.session.connection()
    person = connection.execute(select(PEOPLE).limit(1)).mappings().one()
    connection.execute(
        delete(PEOPLE).where(
            PEOPLE.c.user_id == person["user_id"], PEOPLE.c.course_key == person["course_key"]
        )
    )
    connection.execute(update(COUNTS).where(COUNTS.c.people > 1).values(people=COUNTS.c.people + 1))
    connection.execute(update(GAINS).values(total=GAINS.c.total + 7))
    problems = find_mismatches(connection)
    assert any(p.startswith(f"person {person['user_id']}") for p in problems)
    assert any(p.startswith("counts") for p in problems)
    assert any(p.startswith("gains") for p in problems)

    with caplog.at_level(logging.ERROR):
        assert check_and_repair(connection) == problems
    assert "differ from the raw rows" in caplog.text
    assert find_mismatches(connection) == []
    assert_summaries_equal_raw_rows()


def test_the_nightly_task_repairs(app):
    _world()
    db.session.connection().execute(update(COUNTS).values(begun=COUNTS.c.begun + 1))
    check_summaries.call_local()
    assert find_mismatches(db.session.connection()) == []
