"""Background tasks of the dashboards (see app/tasks.py)."""

from app.dashboards.summary_check import check_and_repair
from app.extensions import db
from app.tasks import crontab, periodic_task


@periodic_task(crontab(hour="2", minute="30"), lock="summary-check", lock_ttl=3600)
def check_summaries() -> None:
    """Nightly (02:30 UTC): the summary tables equal the raw rows, or are rebuilt."""
    check_and_repair(db.session.connection())
    db.session.commit()
