"""The learning agreement of an accepted placement: three to six objectives, each a
competency from the list (competencies.py) or written freely, set by the observer or the
supervisor and agreed by the supervisor.

    set (observer or supervisor, any number of times) → agreed (supervisor) → locked
    agreed → reopened (supervisor, until the mid-point assessment exists) → set again …

Every function checks who acts and the placement's state, validates everything before
writing (the list is replaced whole or not at all), notifies the other party (kind
``placement_agreement``) and flushes, never commits.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.auth.permissions import VIEW, can, require
from app.db_types import utcnow
from app.exceptions import PermissionDenied, ValidationFailed
from app.extensions import db
from app.placements import competencies, queries
from app.placements.access import KEEP_LOGBOOK, SUPERVISE
from app.placements.agreement_queries import find_assessment
from app.placements.models import Objective, Placement, Stage, State
from app.placements.notices import tell_each_once

KIND = "placement_agreement"
MIN_OBJECTIVES, MAX_OBJECTIVES = 3, 6
MAX_TEXT = 500


@dataclass(frozen=True)
class ObjectiveInput:
    """One row of the objectives form: a competency's code or one's own words (a row
    with neither is skipped)."""

    competency_code: str | None = None
    text: str | None = None


# --- What a person may do now (the pages offer only these) ------------------------------


def may_write(user: User, placement: Placement) -> bool:
    """The observer and the supervisor write the objectives."""
    return can(user, KEEP_LOGBOOK, placement) or can(user, SUPERVISE, placement)


def may_set_objectives(user: User, placement: Placement) -> bool:
    return (
        placement.state == State.ACCEPTED
        and placement.agreed_at is None
        and may_write(user, placement)
    )


def may_agree(user: User, placement: Placement) -> bool:
    return (
        placement.state == State.ACCEPTED
        and placement.agreed_at is None
        and MIN_OBJECTIVES <= len(placement.objectives) <= MAX_OBJECTIVES
        and can(user, SUPERVISE, placement)
    )


def may_reopen(user: User, placement: Placement) -> bool:
    return (
        placement.state == State.ACCEPTED
        and placement.agreed_at is not None
        and can(user, SUPERVISE, placement)
        and find_assessment(placement, Stage.MID) is None
    )


# --- Setting, agreeing and reopening ----------------------------------------------------


def set_objectives(actor: User, placement: Placement, rows: list[ObjectiveInput]) -> None:
    """Replace the objectives with the filled ``rows`` (in their order), before agreement."""
    if not may_write(actor, placement):
        raise PermissionDenied(
            _l("Only the observer and their supervisor set the objectives."),
            hidden=not can(actor, VIEW, placement),
        )
    lock(placement)
    _expect_accepted(placement)
    if placement.agreed_at is not None:
        raise ValidationFailed(
            _l("The objectives are agreed: the supervisor may reopen them to change them.")
        )
    chosen = _check_rows(rows)
    placement.objectives.clear()
    db.session.flush()  # the old rows go before the new ones take their positions
    for position, (code, text) in enumerate(chosen, start=1):
        placement.objectives.append(Objective(position=position, competency_code=code, text=text))
    db.session.flush()
    # The other party reads them: the supervisor agrees, the observer sees what changed.
    other = placement.supervisor if actor.id == placement.observer_id else placement.observer
    tell([other], placement, "proposed", actor)


def agree_objectives(supervisor: User, placement: Placement) -> None:
    """The supervisor agrees the objectives as they stand: they are locked."""
    require(supervisor, SUPERVISE, placement, _l("Only the observer's supervisor agrees."))
    lock(placement)
    _expect_accepted(placement)
    if placement.agreed_at is not None:
        raise ValidationFailed(_l("The objectives are already agreed."))
    if not MIN_OBJECTIVES <= len(placement.objectives) <= MAX_OBJECTIVES:
        raise ValidationFailed(_l("Set three to six objectives before agreeing them."))
    placement.agreed_at = utcnow()
    placement.agreed_by_id = supervisor.id
    db.session.flush()
    tell([placement.observer], placement, "agreed", supervisor)


def reopen_objectives(supervisor: User, placement: Placement) -> None:
    """The supervisor unlocks agreed objectives, until the mid-point assessment rates them."""
    require(supervisor, SUPERVISE, placement, _l("Only the observer's supervisor reopens them."))
    lock(placement)
    _expect_accepted(placement)
    if placement.agreed_at is None:
        raise ValidationFailed(_l("The objectives are not agreed yet: they can be changed."))
    if find_assessment(placement, Stage.MID) is not None:
        raise ValidationFailed(
            _l("The mid-point assessment rated these objectives: they can no longer change.")
        )
    placement.agreed_at = None
    placement.agreed_by_id = None
    db.session.flush()
    tell([placement.observer], placement, "reopened", supervisor)


# --- Helpers (assessment.py uses them too) ----------------------------------------------


def lock(placement: Placement) -> None:
    """Take the placement's row for this transaction and read it afresh, so that two
    people acting at once take turns (a no-op on SQLite, which writes one at a time)."""
    queries.lock_placement(placement)
    db.session.refresh(placement)


def tell(people, placement: Placement, variant: str, actor: User) -> None:
    """Notify each person concerned once, never the one who acted."""
    tell_each_once(people, placement, KIND, variant, actor, actor=actor.name)


def _expect_accepted(placement: Placement) -> None:
    if placement.state != State.ACCEPTED:
        raise ValidationFailed(
            _l(
                "This placement is %(state)s: objectives and assessments belong to an "
                "accepted placement.",
                state=placement.state_label,
            )
        )


def _check_rows(rows: list[ObjectiveInput]) -> list[tuple[str | None, str | None]]:
    """The filled rows as (code, text), once every rule holds; errors name the row."""
    titles = competencies.titles_of(
        (row.competency_code or "").strip() for row in rows if row.competency_code
    )
    chosen, seen = [], {}
    for index, row in enumerate(rows):
        code = (row.competency_code or "").strip() or None
        text = (row.text or "").strip() or None
        if code is None and text is None:
            continue
        num, where = index + 1, f"objectives-{index}-"
        if code and text:
            raise ValidationFailed(
                _l("Objective %(num)d: choose a competency or write your own, not both.", num=num),
                where + "text",
            )
        if code and code not in titles:
            raise ValidationFailed(
                _l("Objective %(num)d: choose a competency from the list.", num=num),
                where + "competency",
            )
        if text and len(text) > MAX_TEXT:
            raise ValidationFailed(
                _l("Objective %(num)d: at most %(max)d characters.", num=num, max=MAX_TEXT),
                where + "text",
            )
        key = ("code", code) if code else ("text", " ".join(text.split()).casefold())
        if key in seen:
            raise ValidationFailed(
                _l(
                    "Objective %(num)d: the same as objective %(other)d.",
                    num=num,
                    other=seen[key],
                ),
                where + ("competency" if code else "text"),
            )
        seen[key] = num
        chosen.append((code, text))
    if not MIN_OBJECTIVES <= len(chosen) <= MAX_OBJECTIVES:
        raise ValidationFailed(
            _l("Set three to six objectives (the form has %(num)d).", num=len(chosen))
        )
    return chosen
