"""The demo learners' learning: course progress, quiz attempts (passed and failed),
pre- and post-tests with their knowledge gain, and a certificate."""

import random
from datetime import timedelta

from werkzeug.datastructures import MultiDict

from app.auth import services as auth
from app.courses import queries as course_queries
from app.db_types import utcnow
from app.events import completions_changed
from app.learning.completion import Event, record_progress
from app.learning.enrolment import enrol_learner
from app.learning.progress import complete_lesson, record_lesson_visit
from app.learning.queries import get_completion
from app.quizzes import queries as quiz_queries
from app.quizzes import services as quiz_services
from app.quizzes.scoring import scored_ids

FOUNDATIONS, TEACHING = "foundations-of-palliative-care", "teaching-palliative-care"

# e-mail, course, lessons completed (in course order), quizzes taken as
# (quiz id, share of answers right) in order; the knowledge test is the pre-test first,
# then (once the lessons are done) the post-test.
LEARNERS = [
    ("learner@example.org", FOUNDATIONS, 4, [("knowledge-test", 0.4)]),
    (
        "doctor@example.org",
        FOUNDATIONS,
        21,
        [
            ("knowledge-test", 0.5),
            ("pain-check", 0.5),
            ("pain-check", 1.0),
            ("communication-check", 0.85),
            ("last-days-check", 1.0),
            ("symptoms-check", 1.0),
            ("home-care-check", 0.9),
            ("bereavement-check", 1.0),
            ("knowledge-test", 0.84),
        ],
    ),
    ("zhang.min@example.org", FOUNDATIONS, 2, [("knowledge-test", 0.35)]),
    ("askar.beken@example.org", FOUNDATIONS, 6, [("knowledge-test", 0.6), ("pain-check", 0.5)]),
    ("trainer@example.org", TEACHING, 3, []),
    # Trainees of the Beijing train-the-trainer cohort: the lessons and the quiz done; the
    # workshop attendance (app/demo/cohorts.py) completes the trainer track.
    ("liu.yang@example.org", TEACHING, 8, [("teaching-check", 1.0)]),
    ("wu.hong@example.org", TEACHING, 8, [("teaching-check", 0.8)]),
    ("zhao.lei@example.org", TEACHING, 8, [("teaching-check", 1.0)]),
    ("sun.li@example.org", FOUNDATIONS, 9, [("knowledge-test", 0.45), ("pain-check", 1.0)]),
    ("gao.yan@example.org", FOUNDATIONS, 14, [("knowledge-test", 0.3), ("pain-check", 0.8)]),
]


def ensure_learning() -> None:
    """Each demo learner's progress, once (learners who already have attempts are skipped)."""
    for email, course_key, lessons_done, quizzes in LEARNERS:
        course = course_queries.get_course(course_key)
        user = auth.get_user_by_email(email)
        if course is None or user is None:
            continue  # the courses have not been imported
        enrolment = enrol_learner(user, course)
        if quizzes and quiz_queries.list_attempts(user, _quiz(course, quizzes[0][0])):
            continue
        _learn(user, course, enrolment, lessons_done, quizzes)


def _learn(user, course, enrolment, lessons_done, quizzes) -> None:
    """Pre-test first, then the lessons, then the other quizzes, days apart."""
    rng = random.Random(user.email)  # the same demo world every time
    when = utcnow() - timedelta(days=40)
    pending = list(quizzes)
    if pending and pending[0][0] == course.pre_test_key:
        when = _take(user, course, enrolment, *pending.pop(0), when, rng)
    lessons = [state.lesson for state in course_queries.get_course_outline(user, course).states()]
    for lesson in lessons[:lessons_done]:
        complete_lesson(user, enrolment, lesson)
        progress = record_lesson_visit(enrolment, lesson)  # the row, to date it
        progress.started_at = progress.completed_at = when = when + timedelta(hours=20)
    if lessons_done < len(lessons):
        record_lesson_visit(enrolment, lessons[lessons_done])
    for key, share in pending:
        when = _take(user, course, enrolment, key, share, when, rng)
    record_progress(user, course, Event.QUIZ_PASSED)
    completion = get_completion(user, course)
    if completion is not None:
        completion.completed_at = completion.certificate.issued_at = when
        completions_changed.send(user_ids=[user.id])


def _quiz(course, key):
    return quiz_queries.get_quiz(course.id, key)


def _take(user, course, enrolment, key, share, when, rng):
    """One attempt with about ``share`` of the answers right, dated after ``when``."""
    attempt = quiz_services.start_attempt(
        user, _quiz(course, key), enrolment, user.locale or "en", rng
    )
    quiz_services.submit_attempt(user, attempt, _answer_sheet(attempt, share, rng))
    started = when + timedelta(days=1)
    attempt.started_at, attempt.submitted_at = started, started + timedelta(minutes=14)
    if attempt.deadline_at is not None:
        attempt.deadline_at = started + timedelta(minutes=attempt.quiz.time_limit_minutes)
    return attempt.submitted_at


def _answer_sheet(attempt, share: float, rng) -> MultiDict:
    questions = attempt.questions
    ids = scored_ids(attempt.draw)
    right = set(rng.sample(ids, round(share * len(ids))))
    form = MultiDict()
    for qid in ids:
        question, correct = questions[qid], qid in right
        if question["type"] in ("single", "multiple"):
            choices = [c["id"] for c in question["choices"] if c["correct"] is correct]
            form.setlist(f"q-{qid}", choices[:1] if question["type"] == "single" else choices)
        elif question["type"] == "true-false":
            form.add(f"q-{qid}", "true" if question["answer"] is correct else "false")
        else:
            form.add(f"q-{qid}", str(question["answer"] + (0 if correct else 10)))
    return form
