"""Attempts, idempotent submission, pre/post gain, completion exactly once."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from app.auth.models import Profession
from app.db_types import utcnow
from app.exceptions import PermissionDenied, ValidationFailed
from app.extensions import db
from app.learning.completion import Event, record_progress, rule_for, rule_is_met
from app.learning.models import Certificate, Completion, KnowledgeGain
from app.learning.queries import get_completion
from app.quizzes import queries, services
from app.quizzes.models import AttemptItem
from app.quizzes.scoring import drawn_questions
from tests.factories import make_user
from tests.quizzes.helpers import complete_lessons, enrol, perfect_form, quiz, take, wrong_form


@pytest.fixture
def learner(quiz_course):
    user = make_user()
    enrol(user, quiz_course)
    return user


def test_starting_twice_starts_once(learner, quiz_course):
    enrolment = enrol(learner, quiz_course)
    first = services.start_attempt(learner, quiz(quiz_course, "check"), enrolment, "en")
    again = services.start_attempt(learner, quiz(quiz_course, "check"), enrolment, "en")
    assert first.id == again.id


def test_the_draw_follows_the_pools(learner, quiz_course):
    attempt = services.start_attempt(
        learner, quiz(quiz_course, "knowledge"), enrol(learner, quiz_course), "en"
    )
    assert attempt.phase == "pre"
    pools = [{"rescue", "start-opioid", "sc-morphine"}, {"mrs-chen"}]
    ids = [item["id"] for item in attempt.draw]
    assert len(ids) == 3 and sum(i in pools[0] for i in ids) == 2 and "mrs-chen" in ids


def test_submitting_twice_scores_once(learner, quiz_course):
    attempt = services.start_attempt(
        learner, quiz(quiz_course, "check"), enrol(learner, quiz_course), "en"
    )
    assert services.submit_attempt(learner, attempt, perfect_form(attempt)).recorded == 1
    assert services.submit_attempt(learner, attempt, wrong_form(attempt)).recorded == 0
    assert attempt.percent == 100 and attempt.passed
    assert db.session.scalar(select(func.count(AttemptItem.id))) == 3


@pytest.mark.parametrize(
    "tamper, message",
    [
        (lambda form: form.add("q-unknown-question", "true"), "did not ask"),
        (lambda form: form.setlist("q-early", ["maybe"]), "true or false"),
        (lambda form: form.setlist("q-early", ["true", "false"]), "true or false"),
    ],
)
def test_a_tampered_sheet_is_refused_and_nothing_is_scored(learner, quiz_course, tamper, message):
    attempt = services.start_attempt(
        learner, quiz(quiz_course, "check"), enrol(learner, quiz_course), "en"
    )
    form = perfect_form(attempt)
    tamper(form)
    with pytest.raises(ValidationFailed, match=message):
        services.submit_attempt(learner, attempt, form)
    assert attempt.submitted_at is None


def test_choices_and_numbers_are_checked(learner, quiz_course):
    knowledge = quiz(quiz_course, "knowledge")
    enrolment = enrol(learner, quiz_course)
    attempt = services.start_attempt(learner, knowledge, enrolment, "en")
    attempt.draw = [{"id": "rescue", "choices": ["sixth", "half", "double"]}, {"id": "sc-morphine"}]
    attempt.questions = drawn_questions(knowledge.definition, attempt.draw)
    with pytest.raises(ValidationFailed, match="not one of the question's"):
        services.submit_attempt(learner, attempt, MultiDict({"q-rescue": "quarter"}))
    with pytest.raises(ValidationFailed, match="enter a number"):
        services.submit_attempt(learner, attempt, MultiDict({"q-sc-morphine": "thirty"}))
    assert services.submit_attempt(learner, attempt, MultiDict({"q-sc-morphine": "30,0"})).recorded
    assert attempt.score == 1


def test_someone_elses_attempt_is_refused(learner, quiz_course):
    attempt = services.start_attempt(
        learner, quiz(quiz_course, "check"), enrol(learner, quiz_course), "en"
    )
    with pytest.raises(PermissionDenied):
        services.submit_attempt(make_user(), attempt, perfect_form(attempt))


def test_after_the_time_limit_nothing_is_scored(learner, quiz_course):
    attempt = services.start_attempt(
        learner, quiz(quiz_course, "check"), enrol(learner, quiz_course), "en"
    )
    late = attempt.deadline_at + services.SUBMIT_GRACE + timedelta(seconds=1)
    with pytest.raises(services.TimeUp):
        services.submit_attempt(learner, attempt, perfect_form(attempt), now=late)
    assert attempt.submitted_at is None


def test_waiting_time_and_maximum_attempts(learner, quiz_course, app):
    check = quiz(quiz_course, "check")
    enrolment = enrol(learner, quiz_course)
    take(learner, quiz_course, "check", right=False)
    status = services.quiz_status(learner, check, enrolment)
    assert not status.can_start and status.wait_until is not None
    with pytest.raises(PermissionDenied):
        services.start_attempt(learner, check, enrolment, "en")
    for _ in range(2):
        later = utcnow() + timedelta(minutes=6)
        for attempt in queries.list_attempts(learner, check):
            attempt.submitted_at = attempt.submitted_at - timedelta(minutes=6)
        assert services.quiz_status(learner, check, enrolment, now=later).can_start
        take(learner, quiz_course, "check", right=False)
    for attempt in queries.list_attempts(learner, check):
        attempt.submitted_at = attempt.submitted_at - timedelta(hours=1)
    status = services.quiz_status(learner, check, enrolment)
    assert not status.can_start and "used all" in status.reason


def test_pre_test_once_then_post_test_after_the_lessons_and_the_gain(learner, quiz_course):
    knowledge = quiz(quiz_course, "knowledge")
    enrolment = enrol(learner, quiz_course)
    pre = take(learner, quiz_course, "knowledge", right=False)
    assert pre.phase == "pre" and pre.percent == 0
    status = services.quiz_status(learner, knowledge, enrolment)
    assert status.phase == "post" and not status.can_start  # lessons first
    complete_lessons(learner, quiz_course)
    post = take(learner, quiz_course, "knowledge", right=True)
    assert post.phase == "post" and post.percent == 100
    gain = db.session.scalar(select(KnowledgeGain))
    assert (gain.pre_percent, gain.post_percent, gain.gain) == (0, 100, 100)
    take(learner, quiz_course, "knowledge", right=False)  # a later post-test changes nothing
    assert db.session.scalar(select(KnowledgeGain)).gain == 100


def test_completion_is_recorded_exactly_once_with_its_rule_version(learner, quiz_course):
    complete_lessons(learner, quiz_course)
    assert not rule_is_met(learner, quiz_course)  # the check quiz is not passed yet
    attempt = take(learner, quiz_course, "check", right=True)  # the last step
    completion = get_completion(learner, quiz_course)
    assert completion.rule_version == 3 and attempt.passed
    assert record_progress(learner, quiz_course, Event.QUIZ_PASSED).completions == ()
    assert get_completion(learner, quiz_course).id == completion.id
    assert db.session.scalar(select(func.count(Completion.id))) == 1
    certificate = db.session.scalar(select(Certificate))
    assert certificate.holder_name == learner.name and certificate.code.startswith("PAL-")
    quiz_course.completion_rule = {**quiz_course.completion_rule, "version": 4}
    assert get_completion(learner, quiz_course).rule_version == 3  # past records keep theirs


def test_a_professions_path_replaces_the_courses_quizzes(quiz_course):
    """Social workers follow their path (here: the lessons, no quiz); a nurse still needs
    the course's quiz; each completion keeps the rule its holder met."""
    quiz_course.completion_rule = {
        **quiz_course.completion_rule,
        "paths": {"social_worker": {"quizzes": []}},
    }
    social_worker = make_user(profession=Profession.SOCIAL_WORKER)
    nurse = make_user(profession=Profession.NURSE)
    for person in (social_worker, nurse):
        enrol(person, quiz_course)
        complete_lessons(person, quiz_course)
    assert get_completion(nurse, quiz_course) is None
    completion = get_completion(social_worker, quiz_course)
    assert completion is not None and completion.rule["quizzes"] == []
    assert "paths" not in completion.rule
    assert rule_for(nurse, quiz_course)["quizzes"] == ["check"]
    take(nurse, quiz_course, "check", right=True)
    assert get_completion(nurse, quiz_course).rule["quizzes"] == ["check"]


def test_item_statistics_per_question_and_language(quiz_course):
    check = quiz(quiz_course, "check")

    def answer(locale, wrong=()):
        user = make_user()
        attempt = services.start_attempt(user, check, enrol(user, quiz_course), locale)
        form = perfect_form(attempt)
        for question in wrong:
            form.setlist(f"q-{question}", ["true" if question == "ladder" else "false"])
        services.submit_attempt(user, attempt, form)

    answer("en", wrong=["ladder", "early"])  # the weakest learner
    answer("en", wrong=["ladder"])
    answer("en", wrong=["ladder"])
    for _ in range(5):
        answer("en")
    for wrong in (["early"], [], [], []):
        answer("ru", wrong=wrong)
    stats = {(s.question, s.locale): s for s in queries.item_statistics(check.id)}
    assert stats[("early", "en")].facility == 7 / 8 and stats[("early", "ru")].facility == 0.75
    assert stats[("ladder", "en")].answered == 8
    assert stats[("ladder", "en")].discrimination == 1.0  # bottom group wrong, top group right


def test_an_edited_quiz_file_never_changes_a_past_attempt(learner, quiz_course, tmp_path):
    import shutil

    from app.courses.importer import import_courses
    from tests.conftest import FIXTURE_COURSES
    from tests.courses.test_validation import edit

    attempt = take(learner, quiz_course, "check", right=True)
    root = tmp_path / "courses"
    shutil.copytree(FIXTURE_COURSES, root)
    check = root / "quiz-course/quizzes/check.yaml"
    edit(
        check,
        '        answer: true\n        rationale: "WHO:',
        '        answer: false\n        rationale: "WHO:',
    )
    import_courses(root)
    assert attempt.questions["early"]["answer"] is True  # the key the learner was marked by
    from app.quizzes.scoring import score_attempt

    assert score_attempt(attempt.questions, attempt.draw, attempt.answers).points == 3
