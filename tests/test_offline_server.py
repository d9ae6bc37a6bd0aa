"""Offline learning, the server half: forms sent with a ``submission_key`` are stored once
(lesson completion, a quiz attempt's submit, a logbook day), a device's outbox is answered
in JSON (stored, duplicate, refused with the reason, signed out), and the endpoints a
device needs (a fresh CSRF token, the service worker, the web app manifest)."""

import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import event, func, select

from app.courses.models import Enrolment, LessonProgress
from app.extensions import db
from app.learning.enrolment import enrol_learner
from app.learning.models import SubmissionReceipt
from app.placements import days
from app.placements.models import LogbookEntry
from app.quizzes.models import Attempt, AttemptItem
from app.quizzes.queries import get_quiz
from app.quizzes.services import start_attempt
from tests.factories import make_user
from tests.helpers import csrf_token, text_of
from tests.placements.conftest import accepted, pw  # noqa: F401  (fixtures)
from tests.quizzes.helpers import perfect_form, take

OUTBOX = {"X-Palliare-Outbox": "1", "Accept": "application/json"}
KEY = "device-key-0001"


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def _as(app, user):
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    return client


def _token(client) -> str:
    response = client.get("/offline/token")
    assert response.status_code == 200, text_of(response)[:300]
    return response.get_json()["csrf_token"]


def _outbox_post(client, url, data):
    return client.post(url, data={"csrf_token": _token(client), **data}, headers=OUTBOX)


# --- Marking a lesson complete --------------------------------------------------------

LESSON = "/courses/sample-course/lessons/welcome"


@pytest.fixture
def reader(app, sample_course):
    user = make_user(locale="en")
    enrol_learner(user, sample_course)
    db.session.commit()
    return user


def test_the_lesson_page_carries_a_fresh_submission_key(app, reader):
    client = _as(app, reader)
    keys = [
        re.search(r'name="submission_key" value="([0-9a-f]{32})"', text_of(client.get(LESSON)))
        for _ in range(2)
    ]
    assert all(keys) and keys[0].group(1) != keys[1].group(1)


def test_a_lesson_completed_twice_with_one_key_is_stored_once(app, reader):
    client = _as(app, reader)
    first = _outbox_post(
        client, f"{LESSON}/complete", {"submission_key": KEY, "offline_next": "/x"}
    )
    assert first.status_code == 200
    body = first.get_json()
    assert body == {
        "status": "stored",
        "message": "Lesson marked as complete.",
        "url": "/courses/sample-course/lessons/second",
    }
    again = _outbox_post(client, f"{LESSON}/complete", {"submission_key": KEY})
    assert again.status_code == 200
    assert again.get_json() == body | {"status": "duplicate"}
    assert _count(SubmissionReceipt, SubmissionReceipt.user_id == reader.id) == 1
    assert _count(LessonProgress, LessonProgress.user_id == reader.id) == 1


def test_a_plain_form_resent_with_its_key_lands_where_the_first_did(app, reader):
    client = _as(app, reader)
    data = {"csrf_token": csrf_token(client, LESSON), "submission_key": KEY}
    first = client.post(f"{LESSON}/complete", data=data)
    again = client.post(f"{LESSON}/complete", data=data)
    assert first.status_code == again.status_code == 303
    assert first.headers["Location"] == again.headers["Location"]
    assert first.headers["Location"].endswith("/lessons/second")
    assert _count(SubmissionReceipt, SubmissionReceipt.user_id == reader.id) == 1


def test_a_form_without_a_key_works_as_before(app, reader):
    client = _as(app, reader)
    response = client.post(f"{LESSON}/complete", data={"csrf_token": csrf_token(client, LESSON)})
    assert response.status_code == 303
    assert _count(LessonProgress, LessonProgress.completed_at.is_not(None)) == 1
    assert _count(SubmissionReceipt) == 0


@pytest.mark.parametrize("bad", ["short", "x" * 65, "has space1", "ключ-ключ-ключ", "a/b/c/d/e"])
def test_a_malformed_key_is_refused_naming_the_field(app, reader, bad):
    client = _as(app, reader)
    response = _outbox_post(client, f"{LESSON}/complete", {"submission_key": bad})
    assert response.status_code == 400
    assert response.get_json()["status"] == "refused"
    assert "submission_key" in response.get_json()["message"]
    plain = client.post(
        f"{LESSON}/complete",
        data={"csrf_token": csrf_token(client, LESSON), "submission_key": bad},
    )
    assert plain.status_code == 400 and "submission_key" in text_of(plain)
    assert _count(LessonProgress, LessonProgress.completed_at.is_not(None)) == 0
    assert _count(SubmissionReceipt) == 0


def test_keys_are_each_persons_own(app, reader, sample_course):
    other = make_user(locale="en")
    enrol_learner(other, sample_course)
    db.session.commit()
    for person in (reader, other):
        response = _outbox_post(_as(app, person), f"{LESSON}/complete", {"submission_key": KEY})
        assert response.get_json()["status"] == "stored"
    assert _count(SubmissionReceipt) == 2


def test_not_enrolled_is_refused_and_nothing_is_stored(app, sample_course):
    stranger = make_user(locale="en")
    db.session.commit()
    response = _outbox_post(_as(app, stranger), f"{LESSON}/complete", {"submission_key": KEY})
    assert response.status_code == 403 and response.get_json()["status"] == "refused"
    assert _count(SubmissionReceipt) == 0 and _count(LessonProgress) == 0


def test_signed_out_outbox_requests_get_401_json(client, sample_course):
    response = client.post(f"{LESSON}/complete", data={"submission_key": KEY}, headers=OUTBOX)
    assert response.status_code == 401
    assert response.get_json()["status"] == "signed_out" and response.get_json()["url"] is None
    # A person's form (no outbox header) is still sent to sign in.
    assert client.post(f"{LESSON}/complete", data={}).status_code == 302


# --- Shared devices: each form is its owner's --------------------------------------------


def test_the_token_names_whose_session_it_is(app, reader):
    client = _as(app, reader)
    assert client.get("/offline/token").get_json()["user"] == str(reader.id)


def test_the_three_forms_name_their_owner(app, reader):
    page = text_of(_as(app, reader).get(LESSON))
    assert f'name="offline_owner" value="{reader.id}"' in page


def test_a_form_owned_by_another_person_is_refused_409_and_nothing_is_stored(
    app, reader, sample_course
):
    other = make_user(locale="en")
    enrol_learner(other, sample_course)
    db.session.commit()
    client = _as(app, other)  # B signed in; the device holds A's (the reader's) form
    form = {"submission_key": KEY, "offline_owner": str(reader.id)}
    response = _outbox_post(client, f"{LESSON}/complete", form)
    assert response.status_code == 409
    assert response.get_json()["status"] == "refused"
    assert "another account" in response.get_json()["message"]
    plain = client.post(
        f"{LESSON}/complete", data={"csrf_token": csrf_token(client, LESSON), **form}
    )
    assert plain.status_code == 409 and "another account" in text_of(plain)
    done = LessonProgress.completed_at.is_not(None)  # (the GET above records a visit)
    assert _count(LessonProgress, done) == 0 and _count(SubmissionReceipt) == 0
    # The owner's own session: stored; signed out: told to sign in (the device keeps it).
    mine = _outbox_post(_as(app, reader), f"{LESSON}/complete", form)
    assert mine.get_json()["status"] == "stored"
    signed_out = app.test_client().post(f"{LESSON}/complete", data=form, headers=OUTBOX)
    assert signed_out.status_code == 401
    assert _count(LessonProgress, done, LessonProgress.user_id == other.id) == 0
    assert _count(LessonProgress, done, LessonProgress.user_id == reader.id) == 1


def test_the_page_after_signing_out_names_who_signed_out_once(app, reader):
    client = _as(app, reader)
    response = client.post("/logout", data={"csrf_token": csrf_token(client, "/offline")})
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    after = text_of(client.get(response.headers["Location"]))
    assert f'data-signed-out="{reader.id}"' in after and 'data-user=""' in after
    assert 'data-signed-out=""' in text_of(client.get("/login"))


def test_a_csrf_failure_on_an_outbox_request_is_refused_in_json(app, reader):
    client = _as(app, reader)
    response = client.post(
        f"{LESSON}/complete", data={"csrf_token": "stale", "submission_key": KEY}, headers=OUTBOX
    )
    assert response.status_code == 400 and response.get_json()["status"] == "refused"
    assert _count(SubmissionReceipt) == 0


def test_a_download_of_a_lesson_records_no_visit(app, reader):
    client = _as(app, reader)
    response = client.get(LESSON, headers={"X-Palliare-Offline": "download"})
    assert response.status_code == 200 and "Mark as complete" in text_of(response)
    enrolment = db.session.scalar(select(Enrolment).where(Enrolment.user_id == reader.id))
    assert _count(LessonProgress) == 0 and enrolment.last_lesson_id is None
    client.get(LESSON)  # reading it does
    assert _count(LessonProgress) == 1


def test_a_download_of_a_quiz_page_writes_nothing(app, quiz_taker):
    user, _attempt = quiz_taker
    client = _as(app, user)
    download = {"X-Palliare-Offline": "download"}
    writes = []

    def listener(_conn, _cursor, statement, *args):
        if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            writes.append(statement)

    client.get("/courses/quiz-course/quizzes/check", headers=download)  # the session's user
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        page = client.get("/courses/quiz-course/quizzes/check", headers=download)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert page.status_code == 200 and writes == []


# --- A quiz attempt --------------------------------------------------------------------


@pytest.fixture
def quiz_taker(app, quiz_course):
    user = make_user(locale="en")
    enrolment = enrol_learner(user, quiz_course)
    take(user, quiz_course, "knowledge", right=False)
    attempt = start_attempt(user, get_quiz(quiz_course.id, "check"), enrolment, "en")
    db.session.commit()
    return user, attempt


def _sheet(attempt, **extra) -> dict:
    return {**perfect_form(attempt).to_dict(flat=False), **extra}


def test_an_attempt_sent_twice_with_one_key_is_scored_once(app, quiz_taker):
    user, attempt = quiz_taker
    client = _as(app, user)
    url = f"/attempts/{attempt.id}/submit"
    first = _outbox_post(client, url, _sheet(attempt, submission_key=KEY))
    assert first.status_code == 200
    assert first.get_json() == {
        "status": "stored",
        "message": "Your answers were sent and scored.",
        "url": f"/attempts/{attempt.id}",
    }
    again = _outbox_post(client, url, _sheet(attempt, submission_key=KEY))
    assert again.get_json()["status"] == "duplicate"
    assert again.get_json()["url"] == f"/attempts/{attempt.id}"
    assert _count(Attempt, Attempt.id == attempt.id, Attempt.submitted_at.is_not(None)) == 1
    assert _count(AttemptItem, AttemptItem.attempt_id == attempt.id) == 3


def test_an_outbox_sheet_with_blanks_is_scored_without_asking(app, quiz_taker):
    user, attempt = quiz_taker
    response = _outbox_post(
        _as(app, user), f"/attempts/{attempt.id}/submit", {"submission_key": KEY}
    )
    assert response.get_json()["status"] == "stored"
    db.session.refresh(attempt)
    assert attempt.submitted_at is not None and attempt.score == 0


def test_an_attempt_submitted_under_another_key_is_refused_409(app, quiz_taker):
    user, attempt = quiz_taker
    client = _as(app, user)
    url = f"/attempts/{attempt.id}/submit"
    assert _outbox_post(client, url, _sheet(attempt, submission_key=KEY)).status_code == 200
    other = _outbox_post(client, url, _sheet(attempt, submission_key="another-device-key"))
    assert other.status_code == 409
    body = other.get_json()
    assert body["status"] == "refused"
    assert "already submitted from another device or page" in body["message"]
    assert "not stored" in body["message"]
    assert _count(SubmissionReceipt) == 1


def test_the_plain_quiz_form_resent_lands_on_the_review_and_another_key_is_told(app, quiz_taker):
    user, attempt = quiz_taker
    client = _as(app, user)
    url = f"/attempts/{attempt.id}/submit"
    data = {"csrf_token": csrf_token(client, f"/attempts/{attempt.id}"), **_sheet(attempt)}
    first = client.post(url, data=data | {"submission_key": KEY})
    again = client.post(url, data=data | {"submission_key": KEY})
    assert first.status_code == again.status_code == 303
    assert first.headers["Location"] == again.headers["Location"] == f"/attempts/{attempt.id}"
    other = client.post(
        url, data=data | {"submission_key": "second-tab-key"}, follow_redirects=True
    )
    assert "already submitted from another device or page" in text_of(other)
    assert _count(AttemptItem, AttemptItem.attempt_id == attempt.id) == 3
    assert _count(SubmissionReceipt) == 1


def test_an_expired_attempt_is_refused_403_with_the_reason(app, quiz_taker):
    user, attempt = quiz_taker
    attempt.deadline_at = attempt.started_at.replace(year=2000)
    db.session.commit()
    response = _outbox_post(
        _as(app, user), f"/attempts/{attempt.id}/submit", _sheet(attempt, submission_key=KEY)
    )
    assert response.status_code == 403
    assert response.get_json()["status"] == "refused"
    assert "time for this attempt ran out" in response.get_json()["message"]
    assert _count(SubmissionReceipt) == 0


def test_malformed_answers_are_refused_422(app, quiz_taker):
    user, attempt = quiz_taker
    question = next(iter(attempt.questions))
    response = _outbox_post(
        _as(app, user),
        f"/attempts/{attempt.id}/submit",
        {"submission_key": KEY, f"q-{question}": "no-such-choice"},
    )
    assert response.status_code == 422 and response.get_json()["status"] == "refused"
    assert response.get_json()["message"]
    db.session.refresh(attempt)
    assert attempt.submitted_at is None and _count(SubmissionReceipt) == 0


def test_another_learners_attempt_is_not_found(app, quiz_taker):
    _user, attempt = quiz_taker
    stranger = make_user(locale="en")
    db.session.commit()
    response = _outbox_post(
        _as(app, stranger), f"/attempts/{attempt.id}/submit", _sheet(attempt, submission_key=KEY)
    )
    assert response.status_code == 404 and response.get_json()["status"] == "refused"
    db.session.refresh(attempt)
    assert attempt.submitted_at is None and _count(SubmissionReceipt) == 0


def test_the_attempt_page_carries_a_key_and_starting_from_the_outbox_answers_json(app, quiz_course):
    user = make_user(locale="en")
    enrol_learner(user, quiz_course)
    take(user, quiz_course, "knowledge", right=False)
    db.session.commit()
    client = _as(app, user)
    response = _outbox_post(client, "/courses/quiz-course/quizzes/check/start", {})
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "stored" and re.fullmatch(r"/attempts/\d+", body["url"])
    assert 'name="submission_key"' in text_of(client.get(body["url"]))
    assert f'name="offline_owner" value="{user.id}"' in text_of(client.get(body["url"]))
    # Not enrolled: refused with the reason.
    stranger = _as(app, make_user(locale="en"))
    refused = _outbox_post(stranger, "/courses/quiz-course/quizzes/check/start", {})
    assert refused.status_code == 403 and refused.get_json()["status"] == "refused"
    assert "Enrol" in refused.get_json()["message"]


# --- A logbook day ----------------------------------------------------------------------

TODAY, DAY = date(2030, 3, 15), date(2030, 3, 4)


@pytest.fixture
def on_day(monkeypatch, pw):  # noqa: F811
    monkeypatch.setattr(days, "host_today", lambda placement, now=None: TODAY)
    pw.observer.locale = "en"
    db.session.commit()


def _day_url(placement) -> str:
    return f"/placements/{placement.id}/logbook/{DAY.isoformat()}"


def _day_form(**changes) -> dict:
    return {
        "activities-0-kind": "ward_rounds",
        "activities-0-hours": "2.5",
        "saw": "The morning ward round.",
        "learned": "How pain is reviewed.",
        "adapt": "A shared pain chart.",
        "client_key": "client-one",
        "submission_key": KEY,
        "action": "submit",
    } | changes


def test_a_logbook_day_sent_twice_is_saved_once(app, pw, accepted, on_day):  # noqa: F811
    client = _as(app, pw.observer)
    assert 'name="submission_key"' in text_of(client.get(_day_url(accepted)))
    first = _outbox_post(client, _day_url(accepted), _day_form())
    assert first.status_code == 200
    body = first.get_json()
    assert body["status"] == "stored" and "supervisor can read this day" in body["message"]
    assert body["url"].endswith(f"saved={DAY.isoformat()}#day-{DAY.isoformat()}")
    again = _outbox_post(client, _day_url(accepted), _day_form(saw="Changed on replay."))
    assert again.get_json() == body | {"status": "duplicate"}
    entry = db.session.scalar(select(LogbookEntry))
    assert _count(LogbookEntry) == 1 and entry.saw == "The morning ward round."
    assert _count(SubmissionReceipt) == 1


def test_an_identifier_refuses_the_day_naming_the_field(app, pw, accepted, on_day):  # noqa: F811
    client = _as(app, pw.observer)
    response = _outbox_post(
        client, _day_url(accepted), _day_form(learned="Her son wrote from anna.petrova@mail.ru")
    )
    assert response.status_code == 422
    body = response.get_json()
    assert body["status"] == "refused"
    assert "What I learned" in body["message"] and "anna.petrova@mail.ru" in body["message"]
    assert "nothing was saved" in body["message"]
    assert _count(LogbookEntry) == 0 and _count(SubmissionReceipt) == 0


def test_a_day_with_bad_hours_is_refused_with_the_field_messages(app, pw, accepted, on_day):  # noqa: F811
    client = _as(app, pw.observer)
    response = _outbox_post(client, _day_url(accepted), _day_form(**{"activities-0-hours": "13"}))
    assert response.status_code == 422
    assert "give the hours from 0.25 to 12" in response.get_json()["message"]
    assert _count(LogbookEntry) == 0


def test_a_day_still_to_come_is_refused(app, pw, accepted, monkeypatch):  # noqa: F811
    monkeypatch.setattr(days, "host_today", lambda placement, now=None: date(2030, 3, 3))
    pw.observer.locale = "en"
    db.session.commit()
    response = _outbox_post(_as(app, pw.observer), _day_url(accepted), _day_form())
    assert response.status_code == 422 and "has not come yet" in response.get_json()["message"]


def test_another_placements_logbook_is_refused(app, pw, accepted, on_day):  # noqa: F811
    for person in (pw.colleague, pw.supervisor, pw.stranger):
        response = _outbox_post(_as(app, person), _day_url(accepted), _day_form())
        assert response.status_code in (403, 404), person.name
        assert response.get_json()["status"] == "refused"
    assert _count(LogbookEntry) == 0 and _count(SubmissionReceipt) == 0


def test_the_plain_logbook_form_resent_with_its_key_is_one_save(app, pw, accepted, on_day):  # noqa: F811
    client = _as(app, pw.observer)
    data = {"csrf_token": csrf_token(client, _day_url(accepted)), **_day_form()}
    first = client.post(_day_url(accepted), data=data)
    again = client.post(_day_url(accepted), data=data | {"client_key": "client-two"})
    assert first.status_code == again.status_code == 303
    assert first.headers["Location"] == again.headers["Location"]
    assert _count(LogbookEntry) == 1
    page = text_of(client.get(_day_url(accepted)))
    assert f'name="offline_owner" value="{pw.observer.id}"' in page


# --- The endpoints a device needs ---------------------------------------------------------


def test_the_token_is_fresh_and_never_stored(app, reader):
    response = _as(app, reader).get("/offline/token")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert len(response.get_json()["csrf_token"]) > 20


def test_the_token_is_refused_to_the_signed_out_in_json(client):
    response = client.get("/offline/token")
    assert response.status_code == 401 and response.get_json()["status"] == "signed_out"


@pytest.fixture
def service_worker_file(app):
    """app/static/js/sw.js (the client half writes it): a stand-in while it is missing."""
    path = Path(app.static_folder) / "js" / "sw.js"
    made = not path.exists()
    if made:
        path.write_text("self.addEventListener('fetch', () => {});\n", encoding="utf-8")
    yield path
    if made:
        path.unlink()


def test_the_service_worker_is_served_from_the_root(client, service_worker_file):
    response = client.get("/sw.js")  # signed out: no session needed
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert response.get_data() == service_worker_file.read_bytes()
    csp = response.headers["Content-Security-Policy"]
    for directive in ("worker-src 'self'", "manifest-src 'self'", "connect-src 'self'"):
        assert directive in csp


def test_the_web_app_manifest(client):
    response = client.get("/manifest.webmanifest?lang=ru")
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    manifest = response.get_json()
    assert manifest["start_url"] == manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#0b5d5b"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"any", "192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_the_device_page_is_for_the_signed_in(app, client, reader):
    assert client.get("/offline").status_code == 302
    page = _as(app, reader).get("/offline")
    assert page.status_code == 200 and 'id="offline-device"' in text_of(page)


def test_receipts_older_than_the_retention_are_pruned_and_newer_ones_kept(app, reader):
    from datetime import timedelta

    from app.db_types import utcnow
    from app.learning.models import SubmissionReceipt
    from app.learning.receipts import prune_receipts

    now = utcnow()
    old = SubmissionReceipt(
        user_id=reader.id, key="old-key-1", kind="lesson", created_at=now - timedelta(days=400)
    )
    new = SubmissionReceipt(
        user_id=reader.id, key="new-key-1", kind="lesson", created_at=now - timedelta(days=10)
    )
    db.session.add_all([old, new])
    db.session.flush()
    old_id, new_id = old.id, new.id
    assert prune_receipts(now, 365) == 1
    db.session.expire_all()
    assert db.session.get(SubmissionReceipt, new_id) is not None
    assert db.session.get(SubmissionReceipt, old_id) is None
