"""What scoring an answer sheet costs: the statements it runs (the hot path of a busy
quiz), and that the shortcuts keep every answer read and stored as before."""

import random

from sqlalchemy import select

from app.auth.models import User
from app.extensions import db
from app.quizzes import queries, services
from app.quizzes.models import AttemptItem
from app.quizzes.scoring import draw_questions, scored_ids
from tests.factories import make_user
from tests.helpers import count_statements
from tests.quizzes.helpers import enrol, perfect_form, quiz, wrong_form


def _attempt_with(user, course, key: str, question: str):
    """An open attempt at ``key`` whose draw includes ``question``, loaded as the submit
    view loads it (with its quiz's settings)."""
    found = quiz(course, key)
    seed = next(
        s
        for s in range(500)
        if question in scored_ids(draw_questions(found.definition, random.Random(s)))
    )
    attempt = services.start_attempt(user, found, enrol(user, course), "en", random.Random(seed))
    db.session.commit()
    db.session.expunge_all()
    return queries.get_attempt(attempt.id), db.session.get(User, user.id)


def _items(attempt) -> dict[str, tuple[float, bool]]:
    rows = db.session.execute(
        select(AttemptItem.question_key, AttemptItem.points, AttemptItem.correct).where(
            AttemptItem.attempt_id == attempt.id
        )
    )
    return {key: (points, correct) for key, points, correct in rows}


def _storing_statements() -> int:
    """The statements that store a score and its items: the UPDATE and one INSERT of
    every item, which PostgreSQL runs as one (the UPDATE in a WITH)."""
    return 1 if db.engine.dialect.name == "postgresql" else 2


def test_a_sheet_is_stored_with_one_update_and_one_insert(quiz_course):
    """The UPDATE that scores it and one INSERT of all its items (one statement on
    PostgreSQL): no quiz texts (no unit typed), no course (a pre-test cannot complete it)."""
    attempt, user = _attempt_with(make_user(), quiz_course, "knowledge", "sc-morphine")
    form = wrong_form(attempt)
    statements = count_statements(lambda: services.submit_attempt(user, attempt, form))
    assert statements == _storing_statements()
    items = _items(attempt)
    assert set(items) == set(scored_ids(attempt.draw))
    assert all(points == 0 and not correct for points, correct in items.values())


def test_every_item_is_stored_once_with_its_points(quiz_course):
    attempt, user = _attempt_with(make_user(), quiz_course, "knowledge", "sc-morphine")
    services.submit_attempt(user, attempt, perfect_form(attempt))
    services.submit_attempt(user, attempt, perfect_form(attempt))  # resent: not again
    items = _items(attempt)
    assert len(items) == len(scored_ids(attempt.draw)) == attempt.max_score
    assert all(points == 1 and correct for points, correct in items.values())
    rows = db.session.scalars(select(AttemptItem).where(AttemptItem.attempt_id == attempt.id))
    assert {(row.quiz_id, row.locale) for row in rows} == {(attempt.quiz_id, "en")}


def test_a_number_typed_with_the_unit_shown_reads_the_texts(quiz_course):
    """Text after the number is compared with the unit the question shows: the quiz's
    texts are read then (one statement more), and the answer counts as right."""
    attempt, user = _attempt_with(make_user(), quiz_course, "knowledge", "sc-morphine")
    form = perfect_form(attempt)
    answer = form["q-sc-morphine"]
    form.setlist("q-sc-morphine", [f"{answer} mg per 24 hours"])
    statements = count_statements(lambda: services.submit_attempt(user, attempt, form))
    assert statements == 1 + _storing_statements()
    assert _items(attempt)["sc-morphine"] == (1, True)
    assert attempt.percent == 100


def test_a_sheet_scored_meanwhile_elsewhere_is_not_scored_again(quiz_course):
    """Another request scored the attempt after this one loaded it: the conditional
    UPDATE changes no row (one statement, nothing inserted), and the attempt then reads
    what the other request stored."""
    from sqlalchemy import update

    from app.db_types import utcnow
    from app.quizzes.models import Attempt

    attempt, user = _attempt_with(make_user(), quiz_course, "knowledge", "sc-morphine")
    db.session.execute(
        update(Attempt)
        .where(Attempt.id == attempt.id)
        .values(submitted_at=utcnow(), score=1, max_score=1, percent=100.0, passed=True)
        .execution_options(synchronize_session=False)
    )
    assert attempt.submitted_at is None  # as this request loaded it
    outcome = None

    def submit():
        nonlocal outcome
        outcome = services.submit_attempt(user, attempt, perfect_form(attempt))

    assert count_statements(submit) == 1
    assert not outcome.recorded
    assert attempt.submitted_at is not None and attempt.percent == 100.0
    assert _items(attempt) == {}


def test_the_stored_score_reads_back_as_it_was_set(quiz_course):
    """What the UPDATE stored (time, answers, points) is what a fresh read finds."""
    from app.quizzes.models import Attempt

    attempt, user = _attempt_with(make_user(), quiz_course, "knowledge", "sc-morphine")
    form = perfect_form(attempt)
    assert services.submit_attempt(user, attempt, form).recorded == 1
    expected = {
        name: getattr(attempt, name)
        for name in ("submitted_at", "answers", "score", "max_score", "percent", "passed")
    }
    db.session.expire_all()
    stored = db.session.get(Attempt, attempt.id)
    assert {name: getattr(stored, name) for name in expected} == expected
    assert stored.answers == services.read_answers(stored, form) and stored.passed
