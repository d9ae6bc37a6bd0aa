"""What a placement leads to, besides its certificate: what the host team learned from
the visitor, the observer's adaptation plan (the changes they will make at home), and
the 3- and 6-month follow-ups asking where each change stands.

Services take the actor and, where the rule depends on the day, ``today`` (a date: the
views pass the day where the placement or its observer is). They check everything before
writing (nothing half-written), flush and never commit."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from app.auth.models import User
from app.auth.permissions import can
from app.cases.deidentify import KIND_LABELS
from app.cases.services import IdentifiersFound, checked_texts
from app.db_types import utcnow
from app.exceptions import PermissionDenied, ValidationFailed
from app.extensions import db
from app.placements.access import ANSWER_FOLLOW_UP, KEEP_LOGBOOK, RECORD_HOST_LEARNING, VIEW
from app.placements.models import (
    AdaptationChange,
    ChangeStatus,
    FollowUp,
    FollowUpAnswer,
    Placement,
    State,
)
from app.placements.notices import tell_each_once
from app.placements.observership_certificates import KIND
from app.placements.queries import coordinators_of

MAX_HOST_LEARNING = 4000
MAX_CHANGES = 10
MAX_DESCRIPTION = 500
MAX_OWNER = 200
MAX_NOTE = 1000
PLAN_OPENS_DAYS = 7  # the observer writes the plan from the placement's last 7 days on
FOLLOW_UP_MONTHS = (3, 6)
ANSWERERS_ONLY = _l("Only the observer or their institution's coordinators answer.")


def _guarded(text: str, where) -> str:
    """``text`` as stored (tags removed), refused when it identifies a patient: the case
    form's de-identification guard, read exactly as a case submission reads it."""
    try:
        return checked_texts({"text": text})["text"]
    except IdentifiersFound as error:
        first = error.findings[0]
        raise ValidationFailed(
            _l(
                "%(where)s identifies a patient (“%(passage)s”: %(kind)s). Remove or reword it.",
                where=where,
                passage=first.text,
                kind=KIND_LABELS[first.kind],
            ),
            getattr(where, "field", None),
        ) from None


# --- What the host team learned ---------------------------------------------------------


def may_record_host_learning(user: User, placement: Placement) -> bool:
    return placement.state in (State.ACCEPTED, State.COMPLETED) and can(
        user, RECORD_HOST_LEARNING, placement
    )


def record_host_learning(actor: User, placement: Placement, text: str) -> None:
    """The supervisor or a host coordinator records (or edits) what the host team learned
    from the visitor, once the placement is accepted."""
    if not can(actor, RECORD_HOST_LEARNING, placement):
        raise PermissionDenied(
            _l("Only the supervisor or the host's coordinators record what the host learned."),
            hidden=not can(actor, VIEW, placement),
        )
    if placement.state not in (State.ACCEPTED, State.COMPLETED):
        raise ValidationFailed(
            _l("What the host learned is recorded once the placement is accepted."), "text"
        )
    text = (text or "").strip()
    if not 1 <= len(text) <= MAX_HOST_LEARNING:
        raise ValidationFailed(
            _l("Write from 1 to %(max)d characters.", max=MAX_HOST_LEARNING), "text"
        )
    placement.host_learning = _guarded(text, _l("What the host team learned"))
    placement.host_learning_by_id = actor.id
    placement.host_learning_at = utcnow()
    db.session.flush()


# --- The adaptation plan ----------------------------------------------------------------


@dataclass
class ChangeRow:
    """One row of the plan's form, as typed (blank rows are ignored)."""

    description: str = ""
    owner: str = ""
    target_on: date | None = None

    @property
    def blank(self) -> bool:
        return (
            not (self.description or "").strip()
            and not (self.owner or "").strip()
            and (self.target_on is None)
        )


class RowField(str):
    """A row's field named for the form (``changes-<index>-<name>``), spoken as "Change n"."""

    field: str


def _where(index: int, name: str, label) -> RowField:
    where = RowField(_l("Change %(num)d: %(what)s", num=index + 1, what=label))
    where.field = f"changes-{index}-{name}"
    return where


def plan_opens_on(placement: Placement) -> date | None:
    """The first day the observer may write the plan (an accepted placement's last week)."""
    if placement.ends_on is None:
        return None
    return placement.ends_on - timedelta(days=PLAN_OPENS_DAYS - 1)


def may_write_plan(user: User, placement: Placement, today: date) -> bool:
    if placement.plan_shared_at is not None or not can(user, KEEP_LOGBOOK, placement):
        return False
    if placement.state == State.COMPLETED:
        return True
    return placement.state == State.ACCEPTED and today >= plan_opens_on(placement)


def save_plan(actor: User, placement: Placement, rows: list[ChangeRow], today: date) -> None:
    """Replace the plan with the changes of ``rows`` (blank rows ignored), all at once:
    a bad row (named in the message) leaves the plan as it was."""
    _check_plan_open(actor, placement, today)
    filled = [(index, row) for index, row in enumerate(rows) if not row.blank]
    if not filled:
        raise ValidationFailed(_l("Write at least one change."), "changes-0-description")
    if len(filled) > MAX_CHANGES or len(rows) > MAX_CHANGES:
        raise ValidationFailed(_l("At most %(max)d changes.", max=MAX_CHANGES))
    changes = [_checked_change(placement, index, row) for index, row in filled]
    placement.changes.clear()
    db.session.flush()  # the old rows go before the new take their positions
    for position, change in enumerate(changes, start=1):
        change.position = position
        placement.changes.append(change)
    db.session.flush()


def _check_plan_open(actor: User, placement: Placement, today: date) -> None:
    if not can(actor, KEEP_LOGBOOK, placement):
        raise PermissionDenied(
            _l("Only the observer writes the adaptation plan."),
            hidden=not can(actor, VIEW, placement),
        )
    if placement.plan_shared_at is not None:
        raise ValidationFailed(_l("The plan is shared with your coordinator: it is final."))
    if placement.state == State.COMPLETED:
        return
    if placement.state != State.ACCEPTED:
        raise ValidationFailed(_l("The adaptation plan is written during an accepted placement."))
    if today < plan_opens_on(placement):
        raise ValidationFailed(
            _l(
                "You can write the adaptation plan from %(date)s, in the placement's last week.",
                date=plan_opens_on(placement).isoformat(),
            )
        )


def _checked_change(placement: Placement, index: int, row: ChangeRow) -> AdaptationChange:
    description = (row.description or "").strip()
    owner = (row.owner or "").strip()
    if not 1 <= len(description) <= MAX_DESCRIPTION:
        where = _where(index, "description", _l("describe the change"))
        raise ValidationFailed(
            _l("%(where)s in 1 to %(max)d characters.", where=where, max=MAX_DESCRIPTION),
            where.field,
        )
    if not 1 <= len(owner) <= MAX_OWNER:
        where = _where(index, "owner", _l("name who owns it (a name or a role)"))
        raise ValidationFailed(
            _l("%(where)s, in 1 to %(max)d characters.", where=where, max=MAX_OWNER), where.field
        )
    latest = placement.ends_on + relativedelta(years=2)
    if row.target_on is None or not placement.starts_on < row.target_on <= latest:
        where = _where(index, "target_on", _l("the target date"))
        raise ValidationFailed(
            _l(
                "%(where)s must be after %(first)s and no later than %(last)s.",
                where=where,
                first=placement.starts_on.isoformat(),
                last=latest.isoformat(),
            ),
            where.field,
        )
    return AdaptationChange(
        description=_guarded(description, _where(index, "description", _l("the description"))),
        owner=_guarded(owner, _where(index, "owner", _l("the owner"))),
        target_on=row.target_on,
    )


def may_share_plan(user: User, placement: Placement) -> bool:
    return (
        placement.state == State.COMPLETED
        and placement.plan_shared_at is None
        and bool(placement.changes)
        and can(user, KEEP_LOGBOOK, placement)
    )


def follow_up_due_on(placement: Placement, months: int) -> date:
    """``months`` calendar months after the placement's last day (31 Aug + 6 → 28/29 Feb)."""
    return placement.ends_on + relativedelta(months=months)


def share_plan(actor: User, placement: Placement) -> None:
    """The observer shares the plan with their home coordinators: it is locked, and the
    3- and 6-month follow-ups are due from the placement's last day."""
    if not can(actor, KEEP_LOGBOOK, placement):
        raise PermissionDenied(
            _l("Only the observer shares the adaptation plan."),
            hidden=not can(actor, VIEW, placement),
        )
    if placement.plan_shared_at is not None:
        raise ValidationFailed(_l("The plan is already shared."))
    if placement.state != State.COMPLETED:
        raise ValidationFailed(_l("Share the plan once the placement is completed."))
    if not placement.changes:
        raise ValidationFailed(_l("Write at least one change before sharing the plan."))
    placement.plan_shared_at = utcnow()
    for months in FOLLOW_UP_MONTHS:
        due_on = follow_up_due_on(placement, months)
        db.session.add(FollowUp(placement_id=placement.id, months=months, due_on=due_on))
    db.session.flush()
    _tell(coordinators_of(placement.observer.institution_id), placement, "plan_shared", actor)


# --- The follow-ups -----------------------------------------------------------------------


def is_open(follow_up: FollowUp, today: date) -> bool:
    """Whether a follow-up may be answered: asked already, or due by ``today``."""
    return follow_up.asked_at is not None or follow_up.due_on <= today


def may_answer(user: User, placement: Placement) -> bool:
    return can(user, ANSWER_FOLLOW_UP, placement)


@dataclass
class Answer:
    status: str | None  # a ChangeStatus value as typed
    note: str = ""


def answer_follow_up(
    actor: User, follow_up: FollowUp, answers: dict[int, Answer], today: date
) -> None:
    """Record where each change of the plan stands: every change answered, all answers
    replacing the previous ones at once (a correction records its answerer and time)."""
    placement = follow_up.placement
    if not may_answer(actor, placement):
        raise PermissionDenied(ANSWERERS_ONLY, hidden=not can(actor, VIEW, placement))
    if not is_open(follow_up, today):
        raise ValidationFailed(
            _l("This follow-up is not due until %(date)s.", date=follow_up.due_on.isoformat())
        )
    rows = [_checked_answer(change, answers.get(change.id)) for change in placement.changes]
    follow_up.answers.clear()
    db.session.flush()
    follow_up.answers.extend(rows)
    follow_up.answered_at = utcnow()
    follow_up.answered_by = actor
    db.session.flush()


def _checked_answer(change: AdaptationChange, answer: Answer | None) -> FollowUpAnswer:
    field = f"status-{change.id}"
    statuses = {status.value for status in ChangeStatus}
    if answer is None or answer.status not in statuses:
        raise ValidationFailed(
            _l("Change %(num)d: choose where it stands.", num=change.position), field
        )
    note = (answer.note or "").strip()
    if len(note) > MAX_NOTE:
        raise ValidationFailed(
            _l("Change %(num)d: at most %(max)d characters.", num=change.position, max=MAX_NOTE),
            f"note-{change.id}",
        )
    if note:
        where = RowField(_l("Change %(num)d: the note", num=change.position))
        where.field = f"note-{change.id}"
        note = _guarded(note, where)
    status = ChangeStatus(answer.status)
    return FollowUpAnswer(change_id=change.id, status=status, note=note or None)


def ask_follow_up(follow_up_id: int, now: datetime) -> bool:
    """Mark one due follow-up asked and tell the observer and their home coordinators;
    False when another run asked it first (the conditional update claims it once)."""
    claimed = db.session.execute(
        update(FollowUp)
        .where(FollowUp.id == follow_up_id, FollowUp.asked_at.is_(None))
        .values(asked_at=now)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        return False
    follow_up = db.session.get(FollowUp, follow_up_id)
    db.session.refresh(follow_up)
    placement = follow_up.placement
    people = [placement.observer, *coordinators_of(placement.observer.institution_id)]
    _tell(people, placement, "follow_up_due", None, months=follow_up.months)
    return True


def _tell(people, placement: Placement, variant: str, actor: User | None, **extra) -> None:
    tell_each_once(people, placement, KIND, variant, actor, **extra)
