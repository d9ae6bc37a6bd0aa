"""Once a day, the authors of protocols past their review-by date are told (``flask
protocols remind-reviews`` does the same by hand); see reminders.py."""

from app.db_types import utcnow
from app.protocols.reminders import remind_reviews
from app.tasks import crontab, periodic_task


@periodic_task(crontab(minute="47", hour="6"), lock="protocol-review-reminders", lock_ttl=1800)
def remind_due_reviews() -> None:
    """Every morning (UTC): tell the authors of protocols due for review."""
    remind_reviews(utcnow().date())
