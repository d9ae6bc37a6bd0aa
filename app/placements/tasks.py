"""The 3- and 6-month follow-ups of adaptation plans: once a day, everyone whose follow-up
is due is asked (``flask placements ask-follow-ups`` does the same by hand). Each
follow-up is claimed by a conditional update in the transaction that writes its
notifications, so two runs (or two consumers) never ask twice."""

from datetime import date

from app.db_types import utcnow
from app.extensions import db
from app.placements.outcome_queries import due_follow_up_ids
from app.placements.outcomes import ask_follow_up
from app.tasks import crontab, periodic_task


@periodic_task(crontab(minute="41", hour="6"), lock="placement-follow-ups", lock_ttl=1800)
def ask_due_follow_ups() -> None:
    """Every morning (UTC): ask the follow-ups that are due."""
    ask_follow_ups(utcnow().date())


def ask_follow_ups(today: date) -> int:
    """Ask every follow-up due by ``today`` not asked yet, committing one by one;
    returns how many this run asked."""
    asked = 0
    for follow_up_id in due_follow_up_ids(today):
        if ask_follow_up(follow_up_id, utcnow()):
            asked += 1
        db.session.commit()
    return asked
