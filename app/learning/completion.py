"""Course completion: when a learner meets the course's rule, record it once, with the
rule's version, and issue the certificate.

A rule (``completion:`` in course.yaml) is a set of clauses: ``lessons`` (required or
all; always checked), and any others the course names, e.g. ``quizzes: [pain-check]``
or ``workshop_sessions: 2``. Each clause's checker is registered by the package that
owns the fact it reads, with a describer that says in the reader's words what the clause
asks (``describe_rule``: the course page's "To complete this course"); a rule that names
a clause nobody registered cannot be met and says so loudly.
"""

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import exc

from app.auth.models import PROFESSION_LABELS, User
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
# A clause's describer: (course, the clause's value, locale) -> what it asks, in words
# translated into the request's language ("Attend 2 workshop sessions").
Describer = Callable[[Course, Any, str], str]
_CLAUSES: dict[str, Checker] = {}
_DESCRIBERS: dict[str, Describer] = {}
RULE_KEYS_NOT_CLAUSES = {"version", "paths"}


def register_clause(name: str, checker: Checker, describe: Describer | None = None) -> None:
    """Make ``name`` a clause that completion rules may use; ``describe`` says what it asks
    of the learner (every clause should have one: the course page lists them)."""
    _CLAUSES[name] = checker
    if describe is not None:
        _DESCRIBERS[name] = describe


@dataclass(frozen=True)
class PathRequirements:
    """What one profession's path asks in place of the course's own clauses."""

    profession: str  # a Profession value
    label: str  # the profession, translated
    steps: list[str]


@dataclass(frozen=True)
class Requirements:
    """A course's completion rule in words: its steps, and each profession's path."""

    steps: list[str]
    paths: list[PathRequirements]


def _describe(course: Course, clauses: dict, locale: str) -> list[str]:
    steps = []
    for name, value in clauses.items():
        if name in RULE_KEYS_NOT_CLAUSES:
            continue
        describe = _DESCRIBERS.get(name)
        steps.append(
            describe(course, value, locale) if describe else _("Meet: %(name)s", name=name)
        )
    return steps


def describe_rule(course: Course, locale: str) -> Requirements:
    """What completing ``course`` takes, generated from its rule, so that every course says
    it: the clauses in order (lessons first), then the per-profession paths."""
    rule = {"lessons": "required"} | course.completion_rule
    paths = [
        PathRequirements(
            profession,
            str(PROFESSION_LABELS.get(profession, profession)),  # StrEnum keys match values
            _describe(course, clauses, locale),
        )
        for profession, clauses in (rule.get("paths") or {}).items()
    ]
    return Requirements(_describe(course, rule, locale), paths)


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
