"""A course's offline manifest: what a device stores (the lessons in the learner's
language, held-back lessons included), which quizzes may be answered offline, and that
reading it writes nothing."""

import pytest
from sqlalchemy import event, select

from app.courses.models import LessonText
from app.extensions import db
from app.learning.enrolment import enrol_learner
from app.learning.progress import complete_lesson
from app.learning.queries import get_enrolment
from app.quizzes.queries import get_quiz
from app.quizzes.services import start_attempt
from tests.factories import make_user
from tests.quizzes.helpers import take

SAMPLE = "/courses/sample-course/offline.json"


def _as(app, user):
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    return client


def _manifest(app, user, url=SAMPLE) -> dict:
    response = _as(app, user).get(url)
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert response.headers["Cache-Control"] == "no-store"
    return response.get_json()


def _learner(course, locale="en"):
    user = make_user(locale=locale)
    enrol_learner(user, course)
    db.session.commit()
    return user


def _lessons(manifest) -> dict:
    return {
        page["url"].rsplit("/", 1)[-1]: page
        for page in manifest["pages"]
        if page["kind"] == "lesson"
    }


def test_the_manifest_lists_the_course_its_lessons_files_and_this_device(app, sample_course):
    manifest = _manifest(app, _learner(sample_course))
    assert manifest["course"] == "sample-course" and manifest["available"] is True
    assert manifest["reason"] is None and manifest["locale"] == "en"
    kinds = [page["kind"] for page in manifest["pages"]]
    assert kinds[0] == "course" and kinds[-1] == "device"
    assert manifest["pages"][0]["url"] == "/courses/sample-course"
    assert manifest["pages"][-1]["url"] == "/offline"
    assert set(_lessons(manifest)) == {"welcome", "second", "optional-reading"}
    for page in manifest["pages"]:
        assert set(page) == {"url", "kind", "title", "version", "bytes"}
        assert page["bytes"] > 1000 and page["version"]
    for file in manifest["files"]:
        assert file["url"].startswith("/courses/sample-course/files/")
    assert any(file["bytes"] > 0 for file in manifest["files"])


def test_lessons_come_in_the_learners_language(app, sample_course):
    english = _lessons(_manifest(app, _learner(sample_course, "en")))
    russian_manifest = _manifest(app, _learner(sample_course, "ru"))
    russian = _lessons(russian_manifest)
    assert russian_manifest["locale"] == "ru"
    assert russian["welcome"]["version"] != english["welcome"]["version"]
    ru_text = db.session.get(LessonText, (_lesson_id(sample_course, "welcome"), "ru"))
    assert russian["welcome"]["bytes"] >= len(ru_text.html.encode())


def _lesson_id(course, key) -> int:
    from app.courses.models import Lesson

    return db.session.scalar(
        select(Lesson.id).where(Lesson.course_id == course.id, Lesson.key == key)
    )


def test_a_held_back_lesson_takes_the_english_version(app, sample_course):
    learner = _learner(sample_course, "ru")
    before = _lessons(_manifest(app, learner))["welcome"]["version"]
    lesson_id = _lesson_id(sample_course, "welcome")
    # What the importer writes when a dose line goes stale in Russian: the English text,
    # held back to English.
    english_text = db.session.get(LessonText, (lesson_id, "en"))
    russian_text = db.session.get(LessonText, (lesson_id, "ru"))
    russian_text.html, russian_text.held_back_to = english_text.html, "en"
    db.session.commit()
    after = _lessons(_manifest(app, learner))["welcome"]["version"]
    assert after != before  # the stored Russian copy is replaced
    english_reader = _learner(sample_course, "en")
    assert after == _lessons(_manifest(app, english_reader))["welcome"]["version"]


def test_versions_change_with_the_text_and_the_top_version_with_them(app, sample_course):
    learner = _learner(sample_course)
    first = _manifest(app, learner)
    text = db.session.get(LessonText, (_lesson_id(sample_course, "second"), "en"))
    text.html += "<p>A corrected dose line.</p>"
    db.session.commit()
    second = _manifest(app, learner)
    assert _lessons(first)["second"]["version"] != _lessons(second)["second"]["version"]
    assert _lessons(first)["welcome"]["version"] == _lessons(second)["welcome"]["version"]
    assert first["version"] != second["version"]
    assert _manifest(app, learner)["version"] == second["version"]  # stable when unchanged


def test_completing_a_lesson_changes_its_version(app, sample_course):
    from app.courses import queries as course_queries

    learner = _learner(sample_course)
    before = _lessons(_manifest(app, learner))
    outline = course_queries.get_course_outline(learner, sample_course)
    lesson = next(s.lesson for s in outline.states() if s.lesson.key == "welcome")
    complete_lesson(learner, get_enrolment(learner, sample_course), lesson)
    db.session.commit()
    after = _lessons(_manifest(app, learner))
    assert before["welcome"]["version"] != after["welcome"]["version"]
    assert before["second"]["version"] == after["second"]["version"]


def test_reading_the_manifest_writes_nothing(app, quiz_course):
    learner = _learner(quiz_course)
    take(learner, quiz_course, "knowledge", right=False)
    db.session.commit()
    client = _as(app, learner)
    client.get("/courses/quiz-course/offline.json")  # warm up (the session's user)
    writes = []

    def listener(_conn, _cursor, statement, *args):
        if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            writes.append(statement)

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        response = client.get("/courses/quiz-course/offline.json")
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert response.status_code == 200 and writes == []


def _quizzes(manifest) -> dict:
    return {quiz["key"]: quiz for quiz in manifest["quizzes"]}


def test_a_timed_quiz_is_not_offered_offline(app, quiz_course):
    learner = _learner(quiz_course)
    take(learner, quiz_course, "knowledge", right=False)
    db.session.commit()
    check = _quizzes(_manifest(app, learner, "/courses/quiz-course/offline.json"))["check"]
    assert check["offline"] is False and check["start_url"] is None
    assert check["reason"] == "It is timed: take it online."
    assert check["url"] == "/courses/quiz-course/quizzes/check"


@pytest.fixture
def untimed(quiz_course):
    quiz = get_quiz(quiz_course.id, "check")
    quiz.time_limit_minutes, quiz.wait_minutes = None, 0
    db.session.commit()
    return quiz


def test_a_limited_quiz_says_what_it_uses(app, quiz_course, untimed):
    learner = _learner(quiz_course)
    take(learner, quiz_course, "knowledge", right=False)
    take(learner, quiz_course, "check", right=False)
    db.session.commit()
    check = _quizzes(_manifest(app, learner, "/courses/quiz-course/offline.json"))["check"]
    assert check["offline"] is True and check["reason"] is None
    assert check["note"] == "Uses one of your 2 remaining attempts."
    assert check["start_url"] == "/courses/quiz-course/quizzes/check/start"
    pages = _manifest(app, learner, "/courses/quiz-course/offline.json")["pages"]
    assert "/courses/quiz-course/quizzes/check" in [p["url"] for p in pages if p["kind"] == "quiz"]


def test_a_quiz_with_no_attempts_left_is_not_offered(app, quiz_course, untimed):
    learner = _learner(quiz_course)
    take(learner, quiz_course, "knowledge", right=False)
    for _ in range(3):
        take(learner, quiz_course, "check", right=False)
    db.session.commit()
    check = _quizzes(_manifest(app, learner, "/courses/quiz-course/offline.json"))["check"]
    assert check["offline"] is False and check["start_url"] is None
    assert check["reason"] == "You have used all your attempts at this quiz."


def test_an_open_attempt_is_offered_without_a_note(app, quiz_course, untimed):
    learner = _learner(quiz_course)
    take(learner, quiz_course, "knowledge", right=False)
    start_attempt(learner, untimed, get_enrolment(learner, quiz_course), "en")
    db.session.commit()
    check = _quizzes(_manifest(app, learner, "/courses/quiz-course/offline.json"))["check"]
    assert check["offline"] is True and check["note"] is None


def test_a_pending_pre_test_makes_it_unavailable(app, quiz_course):
    manifest = _manifest(app, _learner(quiz_course), "/courses/quiz-course/offline.json")
    assert manifest["available"] is False and "pre-test" in manifest["reason"]
    assert manifest["pages"] == manifest["files"] == manifest["quizzes"] == []


def test_not_enrolled_it_is_unavailable_and_lists_nothing(app, sample_course):
    manifest = _manifest(app, make_user(locale="en"))
    assert manifest["available"] is False and "Enrol" in manifest["reason"]
    assert manifest["pages"] == [] and manifest["quizzes"] == []


def test_signed_out_and_unknown_courses(app, client, sample_course):
    response = client.get(SAMPLE)
    assert response.status_code == 401 and response.get_json()["status"] == "signed_out"
    learner = _learner(sample_course)
    assert _as(app, learner).get("/courses/no-such-course/offline.json").status_code == 404


def test_the_course_page_links_its_manifest_for_the_enrolled_only(app, sample_course):
    from flask import template_rendered

    seen = []

    def record(sender, template, context, **extra):
        if template.name == "courses/course.html":
            seen.append(context["offline_manifest_url"])

    template_rendered.connect(record, app)
    try:
        _as(app, _learner(sample_course)).get("/courses/sample-course")
        _as(app, make_user(locale="en")).get("/courses/sample-course")
    finally:
        template_rendered.disconnect(record, app)
    assert seen == [SAMPLE, None]
