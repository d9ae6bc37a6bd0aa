"""Quiz attempts: an attempt is its learner's alone (the attempt rule of
``app.auth.permissions``)."""

from sqlalchemy import Select, false

from app.auth.permissions import VIEW, Rule, register
from app.quizzes.models import Attempt
from app.quizzes.queries import get_attempt


def can_attempt(user, action: str, attempt: Attempt) -> bool:
    return action == VIEW and attempt.user_id == user.id


def scope_attempts(user, query: Select, action: str) -> Select:
    return query.where(Attempt.user_id == user.id) if action == VIEW else query.where(false())


register(Rule(Attempt, can_attempt, scope_attempts, load=get_attempt))
