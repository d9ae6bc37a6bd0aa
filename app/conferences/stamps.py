"""How the conference pages name an occurrence in a URL (its original start in UTC) and
which time zone they show times in."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import abort
from flask_babel import get_timezone

STAMP = "%Y%m%dT%H%M%SZ"


def stamp_of(moment: datetime) -> str:
    """An occurrence's id in URLs: its original start in UTC, e.g. ``20260312T140000Z``."""
    return moment.astimezone(UTC).strftime(STAMP)


def moment_of(stamp: str) -> datetime:
    try:
        return datetime.strptime(stamp, STAMP).replace(tzinfo=UTC)
    except ValueError:
        abort(404)


def viewer_zone() -> ZoneInfo:
    return ZoneInfo(str(get_timezone()))
