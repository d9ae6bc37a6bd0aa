"""iCalendar (RFC 5545) for conference series, built with the icalendar library.

One VEVENT per series carries the rule (RRULE) in the organiser's zone, with EXDATEs for
cancelled occurrences; each moved occurrence is a VEVENT with the same UID and its
RECURRENCE-ID. UIDs never change and SEQUENCE rises with every edit, so calendar clients
update the events they have instead of adding copies. VTIMEZONE blocks are included.
"""

from datetime import UTC, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from app.conferences.models import ConferenceSeries
from app.conferences.safe_text import clean_url
from app.db_types import utcnow

if TYPE_CHECKING:  # imported where used: only the feeds and invitations need it (~3 MiB)
    import icalendar

PRODID = "-//Palliare//Case conferences//EN"


def calendar_for(
    series_list: list[ConferenceSeries], name: str, method: str | None = None
) -> bytes:
    """An .ics document of the series (a feed, or an e-mail attachment with ``method``)."""
    import icalendar

    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    if method:
        calendar.add("method", method)
    stamp = utcnow()
    for series in series_list:
        for event in series_events(series, stamp):
            calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def series_events(series: ConferenceSeries, stamp) -> "list[icalendar.Event]":
    """The master event with its rule, and one event per moved occurrence."""
    import icalendar

    zone = ZoneInfo(series.timezone)
    start = series.starts_local.replace(tzinfo=zone)
    master = _event(series, start, series.sequence, stamp)
    master.add("rrule", icalendar.vRecur.from_ical(series.rrule))
    cancelled = [c.original_start.astimezone(zone) for c in series.changes if c.cancelled]
    if cancelled:
        master.add("exdate", cancelled)
    events = [master]
    for change in series.changes:
        if change.new_start is not None and not change.cancelled:
            moved = _event(
                series, change.new_start.astimezone(zone), series.sequence + change.sequence, stamp
            )
            moved.add("recurrence-id", change.original_start.astimezone(zone))
            if change.note:
                moved["description"] = f"{change.note}\n\n{_description(series)}"
            events.append(moved)
    return events


def _event(series: ConferenceSeries, start, sequence: int, stamp) -> "icalendar.Event":
    import icalendar

    event = icalendar.Event()
    event.add("uid", series.uid)
    event.add("sequence", sequence)
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("summary", series.title)
    event.add("dtstart", start)
    # A duration, not an end: wall-clock start + length would be an hour off for a
    # session that spans a clock change.
    event.add("duration", timedelta(minutes=series.duration_minutes))
    # A link stored before links were checked may not be a plain address (a line break
    # in a URI value makes icalendar raise): it is left out, never let break the feed.
    if url := clean_url(series.meeting_url):
        event.add("location", url)
        event.add("url", url)
    event.add("description", _description(series))
    return event


def _description(series: ConferenceSeries) -> str:
    return f"{series.description}\n\n{clean_url(series.meeting_url) or ''}".strip()
