"""The rows of the later parts of a placement, for the demo (app/demo/placements.py):
the learning agreement, the logbook, check-ins, assessments, completion, the
certificate, what the host learned, the adaptation plan and its follow-ups.

Each function writes what one service of those parts writes, with the dates of the
story (the services date everything today); completion calls completion.complete()
itself. ``dated`` makes what a service writes look as if it happened on a given day.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select

from app.auth.models import User
from app.extensions import db
from app.notifications import outbox
from app.notifications.models import Notification, OutboxMessage
from app.placements import completion, outcome_queries
from app.placements.models import (
    AdaptationChange,
    Assessment,
    CheckIn,
    FollowUp,
    FollowUpAnswer,
    LogbookComment,
    LogbookEntry,
    Objective,
    ObjectiveRating,
    Placement,
    PlacementStep,
    Stage,
)

# --- Rows of the later parts (each to become its service's call) ----------------------


def record_agreement(
    placement: Placement, objectives: list[str], supervisor: User, when: datetime
) -> None:
    """The learning agreement: free-text objectives, agreed by the supervisor."""
    for position, text in enumerate(objectives, start=1):
        placement.objectives.append(Objective(position=position, text=text))
    placement.agreed_at, placement.agreed_by_id = when, supervisor.id
    db.session.flush()


def write_logbook_entry(
    placement, day, activities, saw, learned, adapt, submitted_at
) -> LogbookEntry:
    """One day of the logbook; a draft when ``submitted_at`` is None."""
    entry = LogbookEntry(
        placement_id=placement.id,
        day=day,
        activities=[{"kind": kind, "hours": hours} for kind, hours in activities],
        saw=saw,
        learned=learned,
        adapt=adapt,
        submitted_at=submitted_at,
        updated_at=submitted_at or at(day, 14),
    )
    db.session.add(entry)
    return entry


def write_logbook_comment(entry: LogbookEntry, author: User, body: str, when: datetime) -> None:
    entry.comments.append(LogbookComment(author_id=author.id, body=body, at=when))


def write_check_in(placement, week_starts_on: date, note: str, by: User, when: datetime) -> None:
    db.session.add(
        CheckIn(
            placement_id=placement.id,
            week_starts_on=week_starts_on,
            note=note,
            updated_by_id=by.id,
            updated_at=when,
        )
    )


def write_assessment(
    placement,
    stage: Stage,
    days_present: int,
    comment: str,
    ratings,
    assessor: User,
    when: datetime,
) -> Assessment:
    """The supervisor's rating of each objective, in the objectives' order."""
    assessment = Assessment(
        placement_id=placement.id,
        stage=stage,
        days_present=days_present,
        comment=comment,
        assessor_id=assessor.id,
        assessed_at=when,
    )
    for objective, (level, note) in zip(placement.objectives, ratings, strict=True):
        assessment.ratings.append(
            ObjectiveRating(objective_id=objective.id, level=level, comment=note)
        )
    db.session.add(assessment)
    return assessment


def record_completion(placement: Placement, actor: User, when: datetime) -> None:
    """The final assessment's completion (app/placements/completion.py: the certificate of
    observership is issued with it), dated ``when``."""
    completion.complete(placement, actor)
    placement.completed_at = placement.steps[-1].at = when
    outcome_queries.certificate_of(placement).issued_at = when


def record_host_learning(placement: Placement, text: str, by: User, when: datetime) -> None:
    """What the host team learned from the visitor, recorded by the supervisor."""
    placement.host_learning = text
    placement.host_learning_by_id, placement.host_learning_at = by.id, when


def write_adaptation_plan(placement: Placement, ends: date, plan, shared_at: datetime) -> None:
    """The changes to make at home (target days counted from ``ends``), shared."""
    for position, (description, owner, days) in enumerate(plan, start=1):
        placement.changes.append(
            AdaptationChange(
                position=position,
                description=description,
                owner=owner,
                target_on=ends + timedelta(days=days),
            )
        )
    placement.plan_shared_at = shared_at
    db.session.flush()


def write_follow_up(placement: Placement, months: int, due_on: date) -> FollowUp:
    """The ``months`` follow-up, asked on the day it fell due."""
    follow_up = FollowUp(
        placement_id=placement.id, months=months, due_on=due_on, asked_at=at(due_on, 2)
    )
    db.session.add(follow_up)
    db.session.flush()
    return follow_up


def record_follow_up_answers(follow_up: FollowUp, answers, by: User, when: datetime) -> None:
    """Where each change of the plan stands (in the plan's order)."""
    for change, (status, note) in zip(follow_up.placement.changes, answers, strict=True):
        follow_up.answers.append(FollowUpAnswer(change_id=change.id, status=status, note=note))
    follow_up.answered_at, follow_up.answered_by_id = when, by.id


# --- Dates --------------------------------------------------------------------------


def at(day: date, hour: int) -> datetime:
    """``hour`` o'clock UTC on ``day``."""
    return datetime.combine(day, time(hour), tzinfo=UTC)


def _last_id(model) -> int:
    return db.session.scalar(select(func.max(model.id))) or 0


@contextmanager
def dated(when: datetime, unread_by: tuple[User, ...] = ()) -> Iterator[None]:
    """What a service writes inside is dated ``when``, as if done then: its steps, the
    notifications (read since, but by ``unread_by``) and their e-mails (sent then)."""
    db.session.flush()
    marks = {model: _last_id(model) for model in (PlacementStep, Notification, OutboxMessage)}
    yield
    db.session.flush()

    def new(model):
        return db.session.scalars(select(model).where(model.id > marks[model]))

    for step in new(PlacementStep):
        step.at = when
        if step.placement.created_at > when:
            step.placement.created_at = when
    for notice in new(Notification):
        notice.created_at = when
        unread = notice.recipient_id in {person.id for person in unread_by}
        notice.read_at = None if unread else when + timedelta(hours=5)
    for message in new(OutboxMessage):
        outbox.mark_sent(message)
        message.created_at = message.next_attempt_at = message.sent_at = when
        message.attempts = 1
    db.session.flush()
