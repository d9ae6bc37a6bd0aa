"""What day it is for a placement: the host's day rules its logbook, assessments and
plan; the home institution's day rules the follow-ups answered at home. The one place
that reads the clock for placements, so tests fix the day by replacing these."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from app.db_types import utcnow
from app.placements.models import Placement


def _today_at(institution, now: datetime | None = None) -> date:
    """The day it is where ``institution`` is (UTC when it has no known time zone)."""
    zone = getattr(institution, "timezone", None) or "UTC"
    try:
        return (now or utcnow()).astimezone(ZoneInfo(zone)).date()
    except (KeyError, ValueError):
        return (now or utcnow()).date()


def host_today(placement: Placement, now: datetime | None = None) -> date:
    return _today_at(placement.offer.host, now)


def home_today(placement: Placement, now: datetime | None = None) -> date:
    return _today_at(placement.observer.institution, now)
