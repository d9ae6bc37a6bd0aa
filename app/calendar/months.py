"""The month a calendar page shows: reading ``?month=YYYY-MM``, its bounds in the
viewer's time zone, and its grid of weeks (no request, no database: tested alone)."""

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")
# Months a person may ask for: wide enough for any programme, narrow enough that the
# next and previous month always exist.
FIRST_YEAR, LAST_YEAR = 1970, 2199


class BadMonth(ValueError):
    """``?month=`` is not a month the calendar can show."""


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def of(cls, day: date) -> "Month":
        return cls(day.year, day.month)

    @property
    def key(self) -> str:
        """As in the address: ``2026-12``."""
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    def next(self) -> "Month":
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    def previous(self) -> "Month":
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    def bounds(self, zone: ZoneInfo) -> tuple[datetime, datetime]:
        """From local midnight on its first day to local midnight on the next month's:
        a session belongs to the day it starts on where the viewer is."""
        following = self.next()
        return (
            datetime(self.year, self.month, 1, tzinfo=zone),
            datetime(following.year, following.month, 1, tzinfo=zone),
        )


def parse_month(text: str) -> Month:
    """``2026-12`` → Month(2026, 12); BadMonth for anything else."""
    match = MONTH_PATTERN.match(text.strip())
    if not match:
        raise BadMonth(text)
    year, month = int(match.group(1)), int(match.group(2))
    if not (1 <= month <= 12 and FIRST_YEAR <= year <= LAST_YEAR):
        raise BadMonth(text)
    return Month(year, month)


def weeks(month: Month, first_weekday: int) -> list[list[date | None]]:
    """The month's weeks, each seven days from ``first_weekday`` (0 = Monday, as Babel
    and the standard library count); days of the months around it are None."""
    days = calendar.Calendar(first_weekday).monthdatescalendar(month.year, month.month)
    return [[day if day.month == month.month else None for day in week] for week in days]


def weekday_order(first_weekday: int) -> list[int]:
    """The weekdays (0 = Monday) in the order a week is shown."""
    return [(first_weekday + offset) % 7 for offset in range(7)]
