"""Quiz attempts: an attempt is its learner's alone (the attempt rule of
``app.auth.permissions``). A quiz's preview: its course's teaching staff."""

from sqlalchemy import Select, false

from app.auth.permissions import STAFF, VIEW, Rule, can, register
from app.quizzes.models import Attempt
from app.quizzes.queries import get_attempt


def can_attempt(user, action: str, attempt: Attempt) -> bool:
    return action == VIEW and attempt.user_id == user.id


def scope_attempts(user, query: Select, action: str) -> Select:
    return query.where(Attempt.user_id == user.id) if action == VIEW else query.where(false())


def may_preview(user, course) -> bool:
    """Previewing a quiz (every question with its answer key and rationales, no attempt
    made) is for whoever may see its item statistics: the course's teaching staff (its
    ``STAFF`` action; course staff are not bound to an institution). Learners never."""
    return can(user, STAFF, course)


register(Rule(Attempt, can_attempt, scope_attempts, load=get_attempt))
