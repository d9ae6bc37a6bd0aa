"""Knowledge gain: a learner's first pre-test and first post-test in a course, kept once
as a matched pair (the quiz package finds the attempts; flush, no commit)."""

from typing import Protocol

from app.auth.models import User
from app.courses.models import Course
from app.events import gains_changed
from app.extensions import db
from app.learning.models import KnowledgeGain
from app.learning.queries import get_gain


class ScoredAttempt(Protocol):
    id: int
    percent: float


def record_gain(
    user: User, course: Course, pre: ScoredAttempt, post: ScoredAttempt
) -> KnowledgeGain:
    """The pair, recorded the first time (later post-tests do not change it)."""
    gain = get_gain(user, course)
    if gain is not None:
        return gain
    gain = KnowledgeGain(
        user_id=user.id,
        course_id=course.id,
        pre_attempt_id=pre.id,
        post_attempt_id=post.id,
        pre_percent=pre.percent,
        post_percent=post.percent,
        gain=post.percent - pre.percent,
    )
    db.session.add(gain)
    gains_changed.send(user_ids=[user.id])
    return gain
