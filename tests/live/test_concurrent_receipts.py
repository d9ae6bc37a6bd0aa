"""One submission key sent twice at the same moment (two connections): stored once.

On PostgreSQL the two requests really overlap, and the second claim waits on the unique
index until the first commits; on SQLite the database serialises them. Either way one
lesson completion, one scored attempt and one receipt are stored, and both senders are
told the same place to go."""

import threading
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select

from app import create_app
from app.auth.models import Profession
from app.auth.services import create_user
from app.courses.importer import import_courses
from app.courses.models import LessonProgress
from app.courses.queries import get_course
from app.extensions import db
from app.learning.enrolment import enrol_learner
from app.learning.models import SubmissionReceipt
from app.quizzes.models import Attempt, AttemptItem
from app.quizzes.queries import get_quiz
from app.quizzes.services import start_attempt
from tests.database import fresh_database
from tests.helpers import sign_in
from tests.quizzes.helpers import perfect_form, take

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "courses"
OUTBOX = {"X-Palliare-Outbox": "1", "Accept": "application/json"}
KEY = "same-key-from-one-device"


@pytest.fixture(scope="module")
def committed_app(tmp_path_factory):
    """An app on its own database: one learner, enrolled, past the pre-test, with one
    open attempt at the module quiz."""
    with fresh_database(tmp_path_factory, "receipts") as url:
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
            user = create_user("twin@example.org", "Twin", "a long password", Profession.NURSE)
            enrolment = enrol_learner(user, course)
            take(user, course, "knowledge", right=False)
            attempt = start_attempt(user, get_quiz(course.id, "check"), enrolment, "en")
            db.session.commit()
            app.config["ATTEMPT_ID"], app.config["FORM"] = attempt.id, perfect_form(attempt)
        yield app
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def _twice_at_once(app, url: str, form: dict, key: str = KEY) -> list:
    clients = []
    for _ in range(2):
        client = app.test_client()
        assert sign_in(client, "twin@example.org", "a long password").status_code == 302
        token = client.get("/offline/token").get_json()["csrf_token"]
        clients.append((client, {"csrf_token": token, "submission_key": key, **form}))
    barrier, answers = threading.Barrier(2), []

    def send(client, data):
        barrier.wait()
        response = client.post(url, data=data, headers=OUTBOX)
        answers.append((response.status_code, response.get_json()))

    threads = [threading.Thread(target=send, args=pair) for pair in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return answers


def _count(app, model, *where) -> int:
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(model).where(*where))
        db.session.remove()
        return count


def test_one_attempt_sent_twice_at_once_is_scored_once(committed_app):
    app = committed_app
    attempt_id = app.config["ATTEMPT_ID"]
    form = app.config["FORM"].to_dict(flat=False)
    answers = _twice_at_once(app, f"/attempts/{attempt_id}/submit", form)
    assert sorted(body["status"] for _status, body in answers) == ["duplicate", "stored"]
    assert {status for status, _body in answers} == {200}
    assert {body["url"] for _status, body in answers} == {f"/attempts/{attempt_id}"}
    assert _count(app, Attempt, Attempt.submitted_at.is_not(None), Attempt.id == attempt_id) == 1
    assert _count(app, AttemptItem, AttemptItem.attempt_id == attempt_id) == 3
    assert _count(app, SubmissionReceipt, SubmissionReceipt.key == KEY) == 1


def test_one_lesson_completion_sent_twice_at_once_is_stored_once(committed_app):
    app = committed_app
    key = "lesson-key-from-one-device"
    answers = _twice_at_once(app, "/courses/quiz-course/lessons/reading/complete", {}, key)
    assert sorted(body["status"] for _status, body in answers) == ["duplicate", "stored"]
    assert len({body["url"] for _status, body in answers}) == 1
    assert _count(app, LessonProgress, LessonProgress.completed_at.is_not(None)) == 1
    assert _count(app, SubmissionReceipt, SubmissionReceipt.key == key) == 1
