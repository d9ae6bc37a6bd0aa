"""Idempotent submission under truly concurrent requests (one connection per request).

On PostgreSQL the requests really overlap; on SQLite the database serialises them. In
both cases exactly one of the requests may score the attempt.
"""

import threading
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from app import create_app
from app.auth.models import Profession
from app.auth.services import create_user
from app.courses.importer import import_courses
from app.courses.queries import get_course
from app.extensions import db
from app.learning.enrolment import enrol_learner
from app.quizzes.models import Attempt, AttemptItem
from app.quizzes.queries import get_quiz
from app.quizzes.services import start_attempt
from tests.database import fresh_database
from tests.helpers import csrf_token, sign_in
from tests.quizzes.helpers import perfect_form

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "courses"
REQUESTS = 8


@pytest.fixture(scope="module")
def committed_app(tmp_path_factory):
    """An app on its own database holding one learner with one open attempt."""
    with fresh_database(tmp_path_factory, "concurrency") as url:
        app = create_app(
            "testing",
            SQLALCHEMY_DATABASE_URI=url,
            SERVER_NAME=None,
            MAIL_BACKEND="file",
            COURSES_DIR=str(FIXTURES),
        )
        with app.app_context():
            upgrade()
            import_courses(FIXTURES)
            course = get_course("quiz-course")
            user = create_user("racer@example.org", "Racer", "a long password", Profession.NURSE)
            enrolment = enrol_learner(user, course)
            attempt = start_attempt(user, get_quiz(course.id, "check"), enrolment, "en")
            db.session.commit()
            app.config["ATTEMPT_ID"], app.config["FORM"] = attempt.id, perfect_form(attempt)
        yield app
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def test_simultaneous_submissions_score_the_attempt_once(committed_app):
    app = committed_app
    attempt_id = app.config["ATTEMPT_ID"]
    clients = []
    for _ in range(REQUESTS):  # a double click, a second tab, a retry after a dropped line
        client = app.test_client()
        assert sign_in(client, "racer@example.org", "a long password").status_code == 302
        token = csrf_token(client, f"/attempts/{attempt_id}")
        clients.append((client, {"csrf_token": token, **app.config["FORM"].to_dict(flat=False)}))
    barrier, statuses = threading.Barrier(REQUESTS), []

    def submit(client, data):
        barrier.wait()
        statuses.append(client.post(f"/attempts/{attempt_id}/submit", data=data).status_code)

    threads = [threading.Thread(target=submit, args=pair) for pair in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert statuses == [303] * REQUESTS  # every sender lands on the same review
    with app.app_context():
        scored = db.session.scalar(
            select(func.count(Attempt.id)).where(Attempt.submitted_at.is_not(None))
        )
        items = db.session.scalar(select(func.count(AttemptItem.id)))
        assert (scored, items) == (1, 3)
