"""One submission key sent twice at the same moment (two connections): stored once.

On PostgreSQL the two requests really overlap, and the second claim waits on the unique
index until the first commits; on SQLite the database serialises them. Either way one
lesson completion, one scored attempt and one receipt are stored, and both senders are
told the same place to go. Below them, claim_receipt itself on two connections: the second
claim waits for the first transaction, then gets its receipt as a duplicate (committed) or
claims the key afresh (rolled back)."""

import threading
import time
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select, text

from app import create_app
from app.auth.models import Profession, User
from app.auth.services import create_user
from app.courses.importer import import_courses
from app.courses.models import LessonProgress
from app.courses.queries import get_course
from app.extensions import db
from app.learning.enrolment import enrol_learner
from app.learning.models import SubmissionReceipt
from app.learning.receipts import claim_receipt, settle_receipt
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


def _twice_at_once(app, url: str, form: dict, key: str = KEY, email="twin@example.org") -> list:
    clients = []
    for _ in range(2):
        client = app.test_client()
        assert sign_in(client, email, "a long password").status_code == 302
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


def test_one_logbook_day_sent_twice_at_once_is_saved_once(committed_app, monkeypatch):
    from datetime import date

    from app.auth.models import Role
    from app.placements import days, services
    from app.placements.models import LogbookEntry
    from app.placements.services import OfferDetails
    from tests.factories import make_institution, make_programme, make_user

    app = committed_app
    monkeypatch.setattr(days, "host_today", lambda placement, now=None: date(2030, 3, 15))
    with app.app_context():
        home, host = make_institution(), make_institution()
        coordinator = make_user(roles=[(Role.COORDINATOR, host)], institution=host)
        admin = make_user(roles=[Role.ADMIN])
        supervisor = make_user(institution=host)
        observer = create_user("observer@example.org", "O", "a long password", Profession.NURSE)
        observer.institution_id, observer.locale = home.id, "en"
        details = OfferDetails(
            make_programme([home, host]), host, "Observership", date(2030, 3, 1),
            date(2030, 4, 30), 14, 2, "en", ["ward_rounds"], [supervisor.email],
        )  # fmt: skip
        offer = services.create_offer(coordinator, details)
        placement = services.nominate(
            make_user(roles=[(Role.COORDINATOR, home)], institution=home), offer, observer
        )
        services.select_placement(admin, placement)
        services.accept(coordinator, placement, date(2030, 3, 2), supervisor)
        db.session.commit()
        placement_id = placement.id
        db.session.remove()
    form = {
        "activities-0-kind": "ward_rounds", "activities-0-hours": "2",
        "saw": "A ward round.", "learned": "Pain review.", "adapt": "A chart.",
        "client_key": "client-key-one", "action": "submit",
    }  # fmt: skip
    key = "logbook-key-from-one-device"
    url = f"/placements/{placement_id}/logbook/2030-03-04"
    answers = _twice_at_once(app, url, form, key, email="observer@example.org")
    assert sorted(body["status"] for _status, body in answers) == ["duplicate", "stored"]
    assert len({body["url"] for _status, body in answers}) == 1
    assert _count(app, LogbookEntry, LogbookEntry.placement_id == placement_id) == 1
    assert _count(app, SubmissionReceipt, SubmissionReceipt.key == key) == 1


def _claim_meanwhile(app, key: str) -> tuple[threading.Thread, list]:
    """Claim ``key`` for the learner on a connection of its own, in a thread; its claim
    (duplicate, id, url, message) lands in the list, and its transaction commits."""
    claims = []

    def claim():
        with app.app_context():
            user = db.session.scalar(select(User).where(User.email == "twin@example.org"))
            got = claim_receipt(user, key, "lesson")
            claims.append((got.duplicate, got.receipt.id, got.receipt.url, got.receipt.message))
            db.session.commit()
            db.session.remove()

    thread = threading.Thread(target=claim)
    thread.start()
    return thread, claims


def _until_waiting(thread: threading.Thread) -> None:
    """Return once the thread's claim waits for the first transaction: on PostgreSQL its
    INSERT waits on the unique index (a lock wait); on SQLite its BEGIN IMMEDIATE waits for
    the write lock (not visible from outside: it is still running after a while)."""
    deadline = time.monotonic() + 10
    if db.engine.dialect.name != "postgresql":
        time.sleep(0.5)
        assert thread.is_alive()
        return
    waiting = text(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
        " AND wait_event_type = 'Lock' AND query LIKE 'INSERT INTO submission_receipts%'"
    )
    with db.engine.connect() as connection:
        while not connection.scalar(waiting):
            assert thread.is_alive() and time.monotonic() < deadline, "the claim never waited"
            time.sleep(0.02)
            connection.rollback()  # a fresh snapshot of pg_stat_activity
    assert thread.is_alive()


def test_a_claim_waits_for_the_same_key_and_gets_it_as_a_duplicate(committed_app):
    app, key = committed_app, "claimed-by-two-connections"
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "twin@example.org"))
        first = claim_receipt(user, key, "lesson")  # not committed yet: the work goes on
        assert not first.duplicate
        thread, claims = _claim_meanwhile(app, key)
        _until_waiting(thread)
        settle_receipt(first, "/courses/quiz-course", "Lesson marked as complete.")
        db.session.commit()
        thread.join(30)
        assert claims == [
            (True, first.receipt.id, "/courses/quiz-course", "Lesson marked as complete.")
        ]
        db.session.remove()
    assert _count(app, SubmissionReceipt, SubmissionReceipt.key == key) == 1


def test_a_claim_waiting_on_refused_work_claims_the_key_afresh(committed_app):
    app, key = committed_app, "refused-while-the-other-waits"
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == "twin@example.org"))
        first = claim_receipt(user, key, "lesson")
        assert not first.duplicate
        thread, claims = _claim_meanwhile(app, key)
        _until_waiting(thread)
        db.session.rollback()  # the work was refused: the claim goes with it
        thread.join(30)
        assert len(claims) == 1 and claims[0][0] is False  # claimed afresh, not a duplicate
        db.session.remove()
    assert _count(app, SubmissionReceipt, SubmissionReceipt.key == key) == 1
