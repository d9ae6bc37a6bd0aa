"""What the calendar page shows for a month: its grid of days with their sessions and
the same sessions as an agenda, both by the viewer's local dates."""

from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from babel import Locale, dates

from app.calendar.months import Month, weekday_order, weeks
from app.calendar.queries import CalendarEntry


@dataclass
class Day:
    day: date
    entries: list[CalendarEntry] = field(default_factory=list)
    today: bool = False


@dataclass
class Weekday:
    wide: str  # "Monday"
    short: str  # "Mon"


@dataclass
class MonthPage:
    month: Month
    caption: str  # "December 2026", in the viewer's language
    weekdays: list[Weekday]
    weeks: list[list[Day | None]]
    agenda: list[Day]  # the days with sessions, in order
    previous: tuple[Month, str]  # the month before, with its caption
    following: tuple[Month, str]


def month_page(
    month: Month, entries: list[CalendarEntry], zone: ZoneInfo, today: date, locale: Locale
) -> MonthPage:
    """The grid and agenda of ``month`` (weeks start on the locale's first weekday)."""
    by_day: dict[date, list[CalendarEntry]] = {}
    for entry in entries:
        by_day.setdefault(entry.starts_at.astimezone(zone).date(), []).append(entry)
    grid = [
        [Day(d, by_day.get(d, []), d == today) if d else None for d in week]
        for week in weeks(month, locale.first_week_day)
    ]
    agenda = [Day(d, by_day[d], d == today) for d in sorted(by_day)]
    return MonthPage(
        month,
        month_caption(month, locale),
        weekday_names(locale),
        grid,
        agenda,
        (month.previous(), month_caption(month.previous(), locale)),
        (month.next(), month_caption(month.next(), locale)),
    )


def month_caption(month: Month, locale: Locale) -> str:
    """The month and year as the locale writes them, capitalised (a heading)."""
    text = dates.format_skeleton("yMMMM", month.first_day, locale=locale)
    return text[:1].upper() + text[1:]


def weekday_names(locale: Locale) -> list[Weekday]:
    wide = dates.get_day_names("wide", locale=locale)
    short = dates.get_day_names("abbreviated", locale=locale)
    return [Weekday(wide[i], short[i]) for i in weekday_order(locale.first_week_day)]
