"""The summary tables stay equal to the raw rows when many commits about people of the
same bucket (and two about the same person) land at once. On PostgreSQL the commits
really overlap: each adds to the same sums in place (an upsert, never read-then-write);
on SQLite the database serialises them."""

import threading
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import select

from app import create_app
from app.auth.models import Profession, User
from app.auth.services import create_user
from app.courses.importer import import_courses
from app.courses.models import Enrolment
from app.courses.queries import get_course
from app.db_types import utcnow
from app.events import completions_changed, enrolments_changed, profiles_changed
from app.extensions import db
from app.institutions.models import Institution
from app.learning.models import Completion
from tests.dashboards.test_summary import raw_counts, summed_counts
from tests.database import fresh_database

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "courses"
PEOPLE = 10


@pytest.fixture(scope="module")
def committed_app(tmp_path_factory):
    """An app on its own database: one institution, its people, the sample course."""
    with fresh_database(tmp_path_factory, "summaries") as url:
        app = create_app("testing", SQLALCHEMY_DATABASE_URI=url, SERVER_NAME=None,
                         MAIL_BACKEND="file", COURSES_DIR=str(FIXTURES))  # fmt: skip
        with app.app_context():
            upgrade()
            import_courses(FIXTURES)
            place = Institution(name="Hospice", country="SE", city="Luleå",
                                timezone="Europe/Stockholm", default_locale="sv")  # fmt: skip
            db.session.add(place)
            db.session.flush()
            for n in range(PEOPLE):
                user = create_user(f"p{n}@example.org", f"P {n}", "a long password",
                                   Profession.NURSE)  # fmt: skip
                user.institution_id = place.id
            db.session.commit()
        yield app
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_simultaneous_commits_keep_the_sums_equal(committed_app):
    app = committed_app
    with app.app_context():
        course_id = get_course("sample-course").id
        ids = db.session.scalars(select(User.id).order_by(User.id)).all()
    barrier = threading.Barrier(PEOPLE + 1)
    errors = []

    def finish(user_id):  # enrol, open a lesson and complete, in one commit
        with app.app_context():
            try:
                # Added, not flushed: SQLite would hold its write lock from the flush on.
                db.session.add(Enrolment(user_id=user_id, course_id=course_id,
                                         last_activity_at=utcnow()))  # fmt: skip
                db.session.add(Completion(user_id=user_id, course_id=course_id,
                                          rule_version=1, rule={}))  # fmt: skip
                enrolments_changed.send(user_ids=[user_id])  # as the services do
                completions_changed.send(user_ids=[user_id])
                barrier.wait()
                db.session.commit()
            except Exception as error:  # noqa: BLE001 (reported below)
                errors.append(error)
            finally:
                db.session.remove()

    def change_profession(user_id):  # the same person as one of the completions
        with app.app_context():
            try:
                db.session.get(User, user_id).profession = Profession.DOCTOR
                profiles_changed.send(user_ids=[user_id])  # as the profile services do
                barrier.wait()
                db.session.commit()
            except Exception as error:  # noqa: BLE001
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=finish, args=(i,)) for i in ids]
    threads.append(threading.Thread(target=change_profession, args=(ids[0],)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    with app.app_context():
        counts, gains = raw_counts()
        assert summed_counts() == (counts, gains)
        finished = sum(v for k, v in counts.items() if k[3] == 0 and k[4] and k[5] == "people")
        assert finished == PEOPLE
        db.session.remove()
