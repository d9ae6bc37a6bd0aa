"""What the review of a submitted attempt may show.

The score is always shown. Whether each answer was right, the correct answers and the
rationales are shown only as the quiz's ``review`` setting allows (Moodle's review
options): ``immediately``, ``after_passing``, ``after_last_attempt``,
``after_passing_or_last_attempt`` or ``never``. A pre-test never shows its answers,
whatever the setting: the final test asks the same questions.

Every page that shows an attempt's answers asks :func:`review_shown` and leaves out what
it refuses, so hidden answers never reach the browser.
"""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _

from app.quizzes.models import Attempt, Quiz
from app.quizzes.services import is_expired


@dataclass(frozen=True)
class ReviewShown:
    """Whether the answer key (verdicts, correct answers, rationales) is shown, and if
    not, the line that tells the learner when it will be."""

    key: bool
    note: str | None = None


def review_shown(attempt: Attempt, attempts: list[Attempt], now: datetime | None = None):
    """What the review of ``attempt`` may show, given all of its learner's attempts at
    the quiz (``attempts``)."""
    quiz = attempt.quiz
    if attempt.phase == "pre":
        return ReviewShown(False, _pre_test_note())
    in_phase = [a for a in attempts if a.phase == attempt.phase]
    passed = any(a.passed for a in in_phase)
    finished = sum(1 for a in in_phase if a.submitted_at or is_expired(a, now))
    out_of_attempts = quiz.max_attempts is not None and finished >= quiz.max_attempts
    allowed = {
        "immediately": True,
        "after_passing": passed,
        "after_last_attempt": out_of_attempts,
        "after_passing_or_last_attempt": passed or out_of_attempts,
    }.get(quiz.review, False)
    return ReviewShown(True) if allowed else ReviewShown(False, when_shown(quiz, attempt.phase))


def when_shown(quiz: Quiz, phase: str) -> str | None:
    """The line saying when a quiz shows its correct answers (None: at once)."""
    if phase == "pre":
        return _pre_test_note()
    limited = quiz.max_attempts is not None
    review = quiz.review
    if review == "immediately":
        return None
    if review == "after_passing" or (review == "after_passing_or_last_attempt" and not limited):
        return _("Correct answers and explanations are shown once you pass.")
    if review == "after_passing_or_last_attempt":
        return _(
            "Correct answers and explanations are shown once you pass or use your last attempt."
        )
    if review == "after_last_attempt" and limited:
        return _("Correct answers and explanations are shown once you have used your last attempt.")
    return _("This quiz does not show its correct answers.")


def _pre_test_note() -> str:
    return _(
        "The answers of the pre-test are not shown: the final test asks about the same topics."
    )
