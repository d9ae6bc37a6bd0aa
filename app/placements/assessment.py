"""The supervisor's assessments of a placement, at mid-point and at the end: each agreed
objective rated on an entrustment scale, with a comment, and the days present.

The scale is ten Cate's entrustment–supervision scale for entrustable professional
activities (ten Cate O. Nuts and bolts of entrustable professional activities. J Grad Med
Educ 2013;5(1):157–158; ten Cate O, Chen HC, Hoff RG, et al. Curriculum development for
the workplace using Entrustable Professional Activities (EPAs): AMEE Guide No. 99. Med
Teach 2015;37(11):983–1002): from "observe only" to "supervise others". Observers do not
practise at the host, so the supervisor rates what they would trust the observer to do
back at their own institution.

    mid:   the objectives agreed; from the placement's mid-point day; correctable until
           the final assessment exists
    final: the mid-point assessment recorded; from the last day; it completes the
           placement (completion.complete, in the same transaction) and never changes
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from app.auth.models import User
from app.auth.permissions import can, require
from app.db_types import utcnow
from app.exceptions import ValidationFailed
from app.extensions import db
from app.locales import format_date
from app.placements import completion, queries
from app.placements.access import SUPERVISE
from app.placements.agreement import lock, tell
from app.placements.agreement_queries import find_assessment
from app.placements.models import Assessment, ObjectiveRating, Placement, Stage, State

ENTRUSTMENT: dict[int, LazyString] = {
    1: _l("Observed only"),
    2: _l("Could do it with direct supervision"),
    3: _l("Could do it with supervision at hand"),
    4: _l("Could do it unsupervised"),
    5: _l("Could supervise others"),
}
SCALE_HELP = _l(
    "Rate what you would trust the observer to do at their own institution: observers "
    "do not practise at the host."
)
STAGE_LABELS = {Stage.MID: _l("Mid-point assessment"), Stage.FINAL: _l("Final assessment")}
MAX_COMMENT = 2000


@dataclass
class RatingInput:
    level: int | None
    comment: str = ""


@dataclass
class AssessmentInput:
    """What the supervisor fills in: one rating per objective, in the objectives' order."""

    days_present: int | None
    ratings: list[RatingInput] = field(default_factory=list)
    comment: str = ""


# --- Days -------------------------------------------------------------------------------


def length_of(placement: Placement) -> int:
    return (placement.ends_on - placement.starts_on).days + 1


def midpoint(placement: Placement) -> date:
    """The day the mid-point assessment opens (the 7th of 14 days, the 8th of 15)."""
    return placement.starts_on + timedelta(days=(length_of(placement) - 1) // 2)


def days_so_far(placement: Placement, today: date) -> int:
    """The placement's days up to ``today`` included (at most its length)."""
    return max(0, min((today - placement.starts_on).days + 1, length_of(placement)))


# --- What is possible now ---------------------------------------------------------------


def blocker(placement: Placement, stage: Stage, today: date) -> LazyString | None:
    """Why the ``stage`` assessment cannot be recorded or corrected ``today``; None if it can."""
    if placement.state == State.COMPLETED:
        return _l("This placement is completed: its assessments no longer change.")
    if placement.state != State.ACCEPTED:
        return _l(
            "This placement is %(state)s: only an accepted placement is assessed.",
            state=placement.state_label,
        )
    if stage == Stage.MID:
        if placement.agreed_at is None:
            return _l("Agree the objectives first: the assessment rates them.")
        if today < midpoint(placement):
            return _l(
                "The mid-point assessment opens on %(day)s.", day=format_date(midpoint(placement))
            )
        if find_assessment(placement, Stage.FINAL) is not None:
            return _l("The final assessment is recorded: the mid-point one no longer changes.")
        return None
    if find_assessment(placement, Stage.MID) is None:
        return _l("Record the mid-point assessment first.")
    if today < placement.ends_on:
        return _l(
            "The final assessment opens on the last day, %(day)s.",
            day=format_date(placement.ends_on),
        )
    return None


def may_assess(user: User, placement: Placement, stage: Stage, today: date) -> bool:
    return can(user, SUPERVISE, placement) and blocker(placement, stage, today) is None


# --- Recording --------------------------------------------------------------------------


def record_assessment(
    supervisor: User, placement: Placement, stage: Stage, data: AssessmentInput, today: date
) -> Assessment:
    """Record (or correct, for mid) the ``stage`` assessment; the final one completes the
    placement. Everything is checked before anything is written."""
    require(supervisor, SUPERVISE, placement, _l("Only the observer's supervisor assesses."))
    lock(placement)
    reason = blocker(placement, stage, today)
    if reason is not None:
        raise ValidationFailed(reason)
    ratings = _check_ratings(placement, data.ratings)
    days = _check_days(placement, stage, data.days_present, today)
    comment = _check_comment(data.comment, "comment")
    existing = find_assessment(placement, stage)
    assessment = existing or Assessment(placement_id=placement.id, stage=stage)
    assessment.days_present, assessment.comment = days, comment
    assessment.assessor_id, assessment.assessed_at = supervisor.id, utcnow()
    by_objective = {r.objective_id: r for r in assessment.ratings}
    for objective, (level, note) in zip(placement.objectives, ratings, strict=True):
        rating = by_objective.get(objective.id)
        if rating is None:
            rating = ObjectiveRating(objective_id=objective.id)
            assessment.ratings.append(rating)
        rating.level, rating.comment = level, note
    db.session.add(assessment)
    db.session.flush()
    if stage == Stage.FINAL:
        completion.complete(placement, supervisor)
        db.session.flush()
    _announce(placement, stage, supervisor, corrected=existing is not None)
    return assessment


def _announce(placement: Placement, stage: Stage, supervisor: User, corrected: bool) -> None:
    """The observer and their home coordinators hear of an assessment; of a correction,
    the observer alone."""
    if corrected:
        tell([placement.observer], placement, "corrected_mid", supervisor)
        return
    home = queries.coordinators_of(placement.observer.institution_id)
    tell([placement.observer, *home], placement, f"assessed_{stage.value}", supervisor)


def _check_ratings(
    placement: Placement, ratings: list[RatingInput]
) -> list[tuple[int, str | None]]:
    checked = []
    for index, objective in enumerate(placement.objectives):
        given = ratings[index] if index < len(ratings) else RatingInput(None)
        if given.level not in ENTRUSTMENT:
            raise ValidationFailed(
                _l("Objective %(num)d: choose a level from 1 to 5.", num=objective.position),
                f"ratings-{index}-level",
            )
        note = _check_comment(given.comment, f"ratings-{index}-comment", objective.position)
        checked.append((given.level, note))
    return checked


def _check_comment(text: str | None, where: str, num: int | None = None) -> str | None:
    text = (text or "").strip()
    if len(text) > MAX_COMMENT:
        message = (
            _l("Objective %(num)d: at most %(max)d characters.", num=num, max=MAX_COMMENT)
            if num is not None
            else _l("At most %(max)d characters.", max=MAX_COMMENT)
        )
        raise ValidationFailed(message, where)
    return text or None


def most_days(placement: Placement, stage: Stage, today: date) -> int:
    """The most days present an assessment may count: the whole placement at the end,
    the days so far at mid-point."""
    return length_of(placement) if stage == Stage.FINAL else days_so_far(placement, today)


def _check_days(placement: Placement, stage: Stage, days: int | None, today: date) -> int:
    most = most_days(placement, stage, today)
    if days is None or not 0 <= days <= most:
        raise ValidationFailed(
            _l("Enter the days present, from 0 to %(max)d.", max=most), "days_present"
        )
    if stage == Stage.FINAL:
        mid = find_assessment(placement, Stage.MID)
        if days < mid.days_present:
            raise ValidationFailed(
                _l(
                    "The mid-point assessment counted %(num)d days present: the final one "
                    "counts the whole placement, at least as many.",
                    num=mid.days_present,
                ),
                "days_present",
            )
    return days
