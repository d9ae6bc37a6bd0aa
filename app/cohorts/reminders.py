"""Reminder e-mails to a cohort's learners: logged, and never twice in a day to anyone."""

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import exc

from app.auth.models import User
from app.auth.permissions import MANAGE, require
from app.cohorts import queries
from app.cohorts.models import Cohort, Reminder
from app.exceptions import ValidationFailed
from app.extensions import db

# One request may remind a whole (large) cohort, but no more.
MAX_RECIPIENTS = 1000


@dataclass
class ReminderOutcome:
    reminded: list[tuple[User, Reminder]] = field(default_factory=list)
    already_today: list[User] = field(default_factory=list)


def record_reminders(
    actor: User, cohort: Cohort, learner_ids: list[int], today: date
) -> ReminderOutcome:
    """Log a reminder for each chosen member not yet reminded today; the caller queues
    the e-mail for each of ``reminded`` in the same transaction. Non-members are ignored."""
    plan = plan_reminders(actor, cohort, learner_ids, today)
    outcome = ReminderOutcome(already_today=list(plan.already_today))
    for learner in plan.recipients:
        reminder = _log(cohort, learner, actor, today)
        if reminder is None:  # another request reminded them a moment ago
            outcome.already_today.append(learner)
        else:
            outcome.reminded.append((learner, reminder))
    return outcome


def _log(cohort: Cohort, learner: User, actor: User, today: date) -> Reminder | None:
    """Insert the day's reminder row; None if another request just did (unique per day)."""
    reminder = Reminder(
        cohort_id=cohort.id, learner_id=learner.id, sent_by_id=actor.id, sent_on=today
    )
    try:
        with db.session.begin_nested():
            db.session.add(reminder)
    except exc.IntegrityError:
        return None
    return reminder


@dataclass
class ReminderPlan:
    """Who a reminder would go to, before anything is sent or logged."""

    recipients: list[User] = field(default_factory=list)
    already_today: list[User] = field(default_factory=list)


def plan_reminders(
    actor: User, cohort: Cohort, learner_ids: list[int], today: date
) -> ReminderPlan:
    """Whom ``record_reminders`` would remind now (same rules; writes nothing): for the
    preview a trainer sees before sending."""
    require(actor, MANAGE, cohort, _l("You may not change this cohort."))
    if not learner_ids:
        raise ValidationFailed(_("Choose the learners to remind."))
    if len(learner_ids) > MAX_RECIPIENTS:
        raise ValidationFailed(_("At most %(n)d learners at a time.", n=MAX_RECIPIENTS))
    learners = queries.active_members_among(cohort, learner_ids)
    done_today = queries.reminded_on(today, [u.id for u in learners])
    plan = ReminderPlan()
    for learner in learners:
        (plan.already_today if learner.id in done_today else plan.recipients).append(learner)
    return plan
