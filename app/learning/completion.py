"""Course completion: when a learner meets the course's rule, record it once, with the
rule's version, and issue the certificate.

A rule (``completion:`` in course.yaml) is a set of clauses: ``lessons`` (required or
all; always checked), and any others the course names, e.g. ``quizzes: [pain-check]``
or ``workshop_sessions: 2``. Each clause's checker is registered by the package that
owns the fact it reads; a rule that names a clause nobody registered cannot be met and
says so loudly.
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from sqlalchemy import exc

from app.auth.models import User
from app.courses.models import Course
from app.db_types import utcnow
from app.events import completions_changed
from app.extensions import db
from app.learning.certificates import issue_certificate
from app.learning.models import Completion
from app.learning.queries import get_completion


class Event(Enum):
    """What just happened that may complete a course."""

    LESSON_COMPLETED = "lesson completed"
    QUIZ_PASSED = "quiz passed"
    SESSION_ATTENDED = "session attended"


@dataclass(frozen=True)
class Outcome:
    """What a learning action changed, for the view to show. ``recorded``: the facts this
    call recorded (a lesson newly done, an attempt scored, people marked present);
    ``completions``: the course completions it caused."""

    recorded: int = 0
    completions: tuple[Completion, ...] = ()

    @property
    def completed(self) -> bool:
        return bool(self.completions)

    def __add__(self, other: "Outcome") -> "Outcome":
        return Outcome(self.recorded + other.recorded, self.completions + other.completions)


# A clause's checker: (user, course, the clause's value in the rule) -> whether it is met.
Checker = Callable[[User, Course, Any], bool]
_CLAUSES: dict[str, Checker] = {}
RULE_KEYS_NOT_CLAUSES = {"version", "paths"}


def register_clause(name: str, checker: Checker) -> None:
    """Make ``name`` a clause that completion rules may use."""
    _CLAUSES[name] = checker


def rule_for(user: User, course: Course) -> dict:
    """The completion rule ``user`` follows in ``course``: the course's own, with the
    clauses of their profession's path in its place where the course has one (medical
    social workers, for instance, need not pass the dose quizzes)."""
    rule = {"lessons": "required"} | course.completion_rule
    path = rule.pop("paths", {}).get(str(user.profession), {})
    return rule | path


def rule_is_met(user: User, course: Course) -> bool:
    """Whether every clause of the user's rule is met (lessons always count)."""
    rule = rule_for(user, course)
    for name, value in rule.items():
        if name in RULE_KEYS_NOT_CLAUSES:
            continue
        if name not in _CLAUSES:
            raise LookupError(f"Course {course.key}: no checker for the clause {name!r}")
        if not _CLAUSES[name](user, course, value):
            return False
    return True


def record_progress(user: User, course: Course, event: Event) -> Outcome:
    """After ``event``, record the completion (and its certificate) the first time the
    course's rule is met. The Outcome names the completion this call recorded, if any."""
    if get_completion(user, course) is not None or not rule_is_met(user, course):
        return Outcome()
    completion = Completion(
        user_id=user.id,
        course_id=course.id,
        completed_at=utcnow(),
        rule_version=course.completion_rule.get("version", 1),
        rule=rule_for(user, course),  # the rule this person met, their path included
    )
    try:
        with db.session.begin_nested():  # a concurrent request may have recorded it
            db.session.add(completion)
            db.session.flush()
            db.session.add(issue_certificate(completion, user, course))
    except exc.IntegrityError:
        return Outcome()
    completions_changed.send(user_ids=[user.id])
    return Outcome(completions=(completion,))
