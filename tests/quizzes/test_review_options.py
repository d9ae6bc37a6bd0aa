"""Issue 16's quiz work: review options (when the answer key is shown), the unanswered
confirmation, the countdown as text, numeric answers with their unit, question text in
the item statistics and the staff preview."""

import random
import re
import shutil
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from app.auth.models import Role
from app.courses.content.problems import CourseFilesInvalid
from app.courses.importer import import_courses
from app.exceptions import ValidationFailed
from app.extensions import db
from app.learning.queries import get_enrolment
from app.quizzes import services
from app.quizzes.answers import parse_answers, unanswered_numbers
from app.quizzes.importer import default_review
from app.quizzes.models import Attempt
from app.quizzes.review import review_shown
from app.quizzes.scoring import draw_questions, score_question
from tests.conftest import FIXTURE_COURSES
from tests.courses.test_validation import edit, problems_of
from tests.factories import make_user
from tests.helpers import csrf_token, post_form, text_of
from tests.quizzes.helpers import enrol, perfect_form, quiz, take, wrong_form

COURSE = "/courses/quiz-course"
# What the review of the "check" quiz shows only with its answer key.
KEY_TEXTS = (
    "WHO: it starts early",  # rationales
    "dropped the stepwise",
    "tolerance does not develop",
    "Correct answer:",
    "Source: WHO 2002",
)


# --- The setting in the quiz file ------------------------------------------------------


def test_an_unknown_review_option_names_the_file_line_and_field(tmp_path):
    shutil.copytree(FIXTURE_COURSES / "quiz-course", tmp_path / "quiz-course")
    edit(
        tmp_path / "quiz-course/quizzes/check.yaml",
        "pass_mark: 100",
        "pass_mark: 100\nreview: later",
    )
    problems = problems_of(tmp_path)
    assert any(
        p.startswith("quiz-course/quizzes/check.yaml:5: 'review' must be one of: immediately,")
        for p in problems
    ), problems
    with pytest.raises(CourseFilesInvalid):
        import_courses(tmp_path)


def test_a_review_option_in_the_file_is_stored_on_the_quiz(app, tmp_path):
    shutil.copytree(FIXTURE_COURSES / "quiz-course", tmp_path / "quiz-course")
    edit(
        tmp_path / "quiz-course/quizzes/check.yaml",
        "pass_mark: 100",
        "pass_mark: 100\nreview: never",
    )
    import_courses(tmp_path)
    from app.courses.queries import get_course

    course = get_course("quiz-course")
    assert quiz(course, "check").review == "never"
    assert quiz(course, "knowledge").review == "after_passing_or_last_attempt"  # its default


def test_graded_quizzes_default_to_after_passing_or_the_last_attempt():
    source = SimpleNamespace(
        pre_test="knowledge",
        post_test="final",
        completion={"quizzes": ["check"], "paths": {"nurse": {"quizzes": ["doses"]}}},
    )
    for graded in ("knowledge", "final", "check", "doses"):
        assert default_review(source, graded) == "after_passing_or_last_attempt"
    assert default_review(source, "practice") == "immediately"  # nothing requires it


# --- Who sees the answer key, when -----------------------------------------------------


def _attempt(phase="quiz", passed=False, submitted=True, review="after_passing", limit=3):
    quiz_row = SimpleNamespace(review=review, max_attempts=limit)
    return SimpleNamespace(
        quiz=quiz_row,
        phase=phase,
        passed=passed,
        submitted_at=object() if submitted else None,
        deadline_at=None,
    )


@pytest.mark.parametrize(
    "review, passed, used, shown",
    [
        ("immediately", False, 1, True),
        ("never", True, 3, False),
        ("after_passing", False, 3, False),
        ("after_passing", True, 1, True),
        ("after_last_attempt", True, 1, False),
        ("after_last_attempt", False, 3, True),
        ("after_passing_or_last_attempt", False, 1, False),
        ("after_passing_or_last_attempt", False, 2, False),
        ("after_passing_or_last_attempt", True, 1, True),
        ("after_passing_or_last_attempt", False, 3, True),
    ],
)
def test_review_shown_follows_the_setting(app, review, passed, used, shown):
    attempts = [_attempt(review=review) for _ in range(used)]
    attempts[-1].passed = passed
    with app.test_request_context():
        result = review_shown(attempts[0], attempts)
    assert result.key is shown
    assert (result.note is None) is shown


def test_an_attempt_still_open_is_not_the_last_one_used(app):
    attempts = [_attempt(review="after_last_attempt") for _ in range(2)]
    attempts.append(_attempt(review="after_last_attempt", submitted=False))
    with app.test_request_context():
        assert review_shown(attempts[0], attempts).key is False


def test_a_pre_test_never_shows_its_answers(app):
    attempt = _attempt(phase="pre", review="immediately")
    with app.test_request_context():
        assert review_shown(attempt, [attempt]).key is False


def _learner(client, login, quiz_course):
    user = make_user(locale="en")
    enrol(user, quiz_course)
    take(user, quiz_course, "knowledge", right=False)  # the pre-test
    db.session.commit()
    login(user)
    return user


def _submit(client, user, quiz_course, right: bool) -> str:
    """Start and submit an attempt at "check" through HTTP; the review's HTML."""
    page = f"{COURSE}/quizzes/check"
    started = post_form(client, f"{page}/start", {}, form_page=page)
    attempt_url = started.headers["Location"]
    attempt = db.session.scalar(
        select(Attempt)
        .where(Attempt.user_id == user.id, Attempt.phase == "quiz")
        .order_by(Attempt.id.desc())
    )
    form = (perfect_form if right else wrong_form)(attempt).to_dict(flat=False)
    token = csrf_token(client, attempt_url)
    assert (
        client.post(f"{attempt_url}/submit", data={"csrf_token": token, **form}).status_code == 303
    )
    db.session.expire_all()
    return text_of(client.get(attempt_url))


def _allow_retry_now(user):
    for attempt in db.session.scalars(select(Attempt).where(Attempt.user_id == user.id)):
        attempt.submitted_at = attempt.submitted_at.replace(year=2025)
    db.session.commit()


def test_a_failed_first_attempt_of_a_graded_check_shows_no_answer_or_rationale(
    client, login, quiz_course
):
    user = _learner(client, login, quiz_course)
    review = _submit(client, user, quiz_course, right=False)
    assert "Score: 0 of 3" in review
    assert (
        "Correct answers and explanations are shown once you pass or use your last attempt"
        in review
    )
    for secret in (*KEY_TEXTS, "Not correct", "correct answer"):
        assert secret not in review, secret
    assert "Palliative care can start at diagnosis." in review  # the questions are there


def test_the_key_is_shown_after_the_last_attempt_and_for_earlier_attempts_too(
    client, login, quiz_course
):
    user = _learner(client, login, quiz_course)
    for _ in range(2):
        assert "WHO: it starts early" not in _submit(client, user, quiz_course, right=False)
        _allow_retry_now(user)
    review = _submit(client, user, quiz_course, right=False)  # the third and last
    assert "WHO: it starts early" in review and "Not correct" in review
    first = db.session.scalar(
        select(Attempt.id).where(Attempt.phase == "quiz").order_by(Attempt.id)
    )
    assert "WHO: it starts early" in text_of(client.get(f"/attempts/{first}"))


def test_the_key_is_shown_once_passed(client, login, quiz_course):
    user = _learner(client, login, quiz_course)
    review = _submit(client, user, quiz_course, right=True)
    assert "WHO: it starts early" in review and "Correct answer:" in review


@pytest.mark.parametrize("setting, shown", [("immediately", True), ("never", False)])
def test_immediately_and_never(client, login, quiz_course, setting, shown):
    quiz(quiz_course, "check").review = setting
    user = _learner(client, login, quiz_course)
    _allow_retry_now(user)
    review = _submit(client, user, quiz_course, right=False)
    assert ("WHO: it starts early" in review) is shown
    if not shown:
        assert "This quiz does not show its correct answers." in review


def test_the_quiz_page_says_when_answers_are_shown(client, login, quiz_course):
    _learner(client, login, quiz_course)
    html = text_of(client.get(f"{COURSE}/quizzes/check"))
    assert "shown once you pass or use your last attempt" in html
    assert "Preview the quiz" not in html and "Question statistics" not in html


# --- Questions left blank --------------------------------------------------------------


def test_unanswered_numbers_follow_the_page_order():
    draw = [{"id": "a"}, {"id": "case", "parts": [{"id": "b"}, {"id": "c"}]}, {"id": "d"}]
    form = MultiDict([("q-a", "x"), ("q-c", " "), ("q-d", "4")])
    assert unanswered_numbers(draw, form) == [2, 3]


def _open_attempt(client, user):
    page = f"{COURSE}/quizzes/check"
    attempt_url = post_form(client, f"{page}/start", {}, form_page=page).headers["Location"]
    return attempt_url, db.session.scalar(
        select(Attempt).where(Attempt.user_id == user.id, Attempt.phase == "quiz")
    )


def test_blank_questions_ask_for_confirmation_and_keep_the_answers(client, login, quiz_course):
    user = _learner(client, login, quiz_course)
    attempt_url, attempt = _open_attempt(client, user)
    first = attempt.draw[0]["id"]
    token = csrf_token(client, attempt_url)
    response = client.post(
        f"{attempt_url}/submit", data={"csrf_token": token, f"q-{first}": "true"}
    )
    html = text_of(response)
    assert response.status_code == 200
    assert "2 questions have no answer:" in html
    assert 'href="#question-2"' in html and 'href="#question-3"' in html
    assert 'href="#question-1"' not in html
    assert re.search(rf'name="q-{first}" value="true"\s+checked', html)  # nothing lost
    assert 'name="confirm_unanswered" value="1"' in html
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).submitted_at is None  # not scored yet
    confirmed = client.post(
        f"{attempt_url}/submit",
        data={"csrf_token": token, f"q-{first}": "true", "confirm_unanswered": "1"},
    )
    assert confirmed.status_code == 303
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).submitted_at is not None


def test_a_complete_sheet_needs_no_confirmation(client, login, quiz_course):
    user = _learner(client, login, quiz_course)
    attempt_url, attempt = _open_attempt(client, user)
    token = csrf_token(client, attempt_url)
    data = perfect_form(attempt).to_dict(flat=False)
    assert (
        client.post(f"{attempt_url}/submit", data={"csrf_token": token, **data}).status_code == 303
    )


# --- The countdown ---------------------------------------------------------------------


def test_a_timed_attempt_shows_the_time_left_as_text_and_loads_the_script(
    client, login, quiz_course
):
    user = _learner(client, login, quiz_course)
    attempt_url, _attempt = _open_attempt(client, user)
    html = text_of(client.get(attempt_url))
    assert "Time left:" in html
    assert re.search(r'id="quiz-timer-clock">(10:00|9:5\d)<', html)
    assert re.search(r'data-seconds="(600|59\d)"', html)
    assert 'aria-live="polite"' in html and "/js/quiz.js" in html
    assert "<script>" not in html  # no inline script (CSP)


def test_an_untimed_attempt_has_no_countdown(client, login, quiz_course):
    user = make_user(locale="en")
    enrol(user, quiz_course)
    db.session.commit()
    login(user)
    page = f"{COURSE}/quizzes/knowledge"
    attempt_url = post_form(client, f"{page}/start", {}, form_page=page).headers["Location"]
    html = text_of(client.get(attempt_url))
    assert "quiz-timer" not in html and "/js/quiz.js" in html  # the blank-answer warning


def test_seconds_left():
    from datetime import UTC, datetime, timedelta

    now = datetime(2026, 1, 1, tzinfo=UTC)
    timed = SimpleNamespace(deadline_at=now + timedelta(minutes=5, seconds=3))
    assert services.seconds_left(timed, now) == 303
    assert services.seconds_left(timed, now + timedelta(hours=1)) == 0
    assert services.seconds_left(SimpleNamespace(deadline_at=None), now) is None


# --- Numeric answers with their unit ---------------------------------------------------

NUMERIC = {"id": "dose", "type": "numeric", "answer": 40, "tolerance": 0, "unit": "mg"}
DRAW = [{"id": "dose"}]


def _parse(typed: str, locale="en", shown="mg per 24 hours"):
    return parse_answers(
        {"dose": NUMERIC}, DRAW, MultiDict({"q-dose": typed}), locale, {"dose": shown}
    )["dose"]


@pytest.mark.parametrize(
    "typed",
    ["40", "40 mg", "40mg", "40 MG", "40 Mg", "40 milligrams", "40 мг", "40 毫克", "40毫克",
     "40 mg per 24 hours", "40 MG PER 24 HOURS", " 40 ", "40.0 mg"],
)  # fmt: skip
def test_the_questions_unit_in_any_spelling_is_accepted(app, typed):
    with app.test_request_context():
        response = _parse(typed)
    assert response == 40.0 and score_question(NUMERIC, response) == 1.0


def test_another_unit_is_kept_and_marked_wrong(app):
    with app.test_request_context():
        response = _parse("40 g")
    assert response == {"value": 40.0, "unit": "g"}
    assert score_question(NUMERIC, response) == 0.0


def test_an_unknown_unit_is_refused_naming_the_unit(app):
    with app.test_request_context(), pytest.raises(ValidationFailed) as error:
        _parse("40 apples")
    assert "Question 1" in str(error.value) and "mg per 24 hours" in str(error.value)


@pytest.mark.parametrize(
    "typed, locale, value",
    [("2,5", "ru", 2.5), ("2,5 мг", "kk", 2.5), ("1 000", "ru", 1000.0), ("1,000", "en", 1000.0),
     ("2,5", "en", 2.5), ("2.5", "ru", 2.5), ("1,000.5", "en", 1000.5)],
)  # fmt: skip
def test_decimal_commas_where_the_locale_writes_them(app, typed, locale, value):
    with app.test_request_context():
        assert _parse(typed, locale) == value


@pytest.mark.parametrize("typed", ["forty", "mg", "1,000.5", "4 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0"])
def test_what_is_not_a_number_is_refused(app, typed):
    with app.test_request_context(), pytest.raises(ValidationFailed):
        _parse(typed, "ru")


def test_the_file_unit_text_names_the_canonical_unit(quiz_course):
    definition = quiz(quiz_course, "knowledge").definition
    numeric = next(q for p in definition["pools"] for q in p["items"] if q["id"] == "sc-morphine")
    assert numeric["unit"] == "mg"  # from "mg per 24 hours"


def test_the_review_says_which_unit_was_asked(client, login, quiz_course):
    """A pre-test with the numeric question, answered in grams: the review names the unit."""
    user = make_user(locale="en")
    enrol(user, quiz_course)
    knowledge = quiz(quiz_course, "knowledge")
    enrolment = get_enrolment(user, quiz_course)
    seed = next(
        s
        for s in range(200)
        if any(
            i["id"] == "sc-morphine" for i in draw_questions(knowledge.definition, random.Random(s))
        )
    )
    attempt = services.start_attempt(user, knowledge, enrolment, "en", random.Random(seed))
    form = wrong_form(attempt)
    form.setlist("q-sc-morphine", ["30 g"])
    services.submit_attempt(user, attempt, form)
    db.session.commit()
    login(user)
    review = text_of(client.get(f"/attempts/{attempt.id}"))
    assert "Your answer: 30 g" in review
    assert "This question asks for mg per 24 hours; an answer in g is marked wrong." in review


# --- Item statistics and the preview ---------------------------------------------------


def _staff(app, role=Role.TRAINER):
    staff = app.test_client()
    post_form(
        staff, "/login", {"email": make_user(roles=[role]).email, "password": "palliare-demo"}
    )
    return staff


def test_statistics_show_the_question_text_and_keep_the_id(client, login, quiz_course, app):
    user = make_user(locale="en")
    enrol(user, quiz_course)
    take(user, quiz_course, "knowledge", right=False)
    take(user, quiz_course, "check", right=False)
    db.session.commit()
    html = text_of(_staff(app).get(f"{COURSE}/quizzes/check/statistics"))
    assert "Palliative care can start at diagnosis." in html
    assert '<code class="hint">early</code>' in html
    assert f"{COURSE}/quizzes/check/preview" in html


def test_a_trainer_previews_every_question_with_its_key_and_nothing_is_recorded(app, quiz_course):
    trainer = _staff(app)
    before = db.session.scalar(select(func.count(Attempt.id)))
    html = text_of(trainer.get(f"{COURSE}/quizzes/knowledge/preview"))
    assert "Preview: Knowledge test" in html
    expected = ("About 1/6", "correct answer", "Scottish guidelines: 1/6", "Mrs Chen",
                "Correct answer: 30 mg per 24 hours", "Each attempt draws 2 of the 3")  # fmt: skip
    for text in expected:
        assert text in html, text
    assert db.session.scalar(select(func.count(Attempt.id))) == before
    quiz_page = text_of(trainer.get(f"{COURSE}/quizzes/knowledge"))
    assert f"{COURSE}/quizzes/knowledge/preview" in quiz_page


def test_learners_and_visitors_cannot_preview(client, login, quiz_course, app):
    _learner(client, login, quiz_course)
    assert client.get(f"{COURSE}/quizzes/check/preview").status_code == 403
    assert app.test_client().get(f"{COURSE}/quizzes/check/preview").status_code == 302
    funder = _staff(app, Role.FUNDER)
    assert funder.get(f"{COURSE}/quizzes/check/preview").status_code == 403
    assert _staff(app).get(f"{COURSE}/quizzes/nothing/preview").status_code == 404
