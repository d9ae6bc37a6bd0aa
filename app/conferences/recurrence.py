"""Occurrences of a series: the RFC 5545 rule (python-dateutil) on the organiser's
wall-clock start, with cancelled and moved occurrences applied.

Each occurrence is identified by its *original* start in UTC (the RECURRENCE-ID), which
never changes when the occurrence is moved, so cases and attendance stay attached.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

from app.conferences.models import ConferenceSeries

# A series is shown and exported at most this far ahead or back (a rule without an end).
HORIZON = timedelta(days=3 * 366)


@dataclass(frozen=True)
class Occurrence:
    original_start: datetime  # UTC, the occurrence's identity
    start: datetime  # UTC, after any move
    end: datetime
    cancelled: bool = False
    moved: bool = False
    note: str = ""

    def local(self, tz: ZoneInfo) -> datetime:
        return self.start.astimezone(tz)


def rule_starts(series: ConferenceSeries, after: datetime, before: datetime) -> list[datetime]:
    """The rule's starts between ``after`` and ``before`` (UTC), before any change.

    dateutil steps in wall-clock time with a zone-aware start, so each start keeps the
    organiser's local time and gets that day's UTC offset (DST handled by zoneinfo).
    """
    zone = ZoneInfo(series.timezone)
    first = series.starts_local.replace(tzinfo=zone)
    rule = rrulestr(series.rrule, dtstart=first)
    starts = rule.between(after.astimezone(zone), before.astimezone(zone), inc=True)
    return [start.astimezone(UTC) for start in starts]


def occurrences(
    series: ConferenceSeries, after: datetime | None = None, before: datetime | None = None
) -> list[Occurrence]:
    """Every occurrence that takes place between ``after`` and ``before`` (default: the
    whole series within the horizon), by start: cancelled ones included and marked,
    moved ones at their new time — including those moved into the window from outside."""
    first = series.starts_local.replace(tzinfo=ZoneInfo(series.timezone)).astimezone(UTC)
    after = after or first
    before = before or first + HORIZON
    changes = {change.original_start: change for change in series.changes}
    margin = timedelta(minutes=series.duration_minutes)
    starts = set(rule_starts(series, after - margin, before))
    starts |= {
        c.original_start
        for c in series.changes
        if c.new_start is not None and after - margin <= c.new_start <= before
    }
    found = [_occurrence(series, start, changes.get(start)) for start in starts]
    return sorted((o for o in found if o.end >= after and o.start <= before), key=lambda o: o.start)


def _occurrence(series: ConferenceSeries, start: datetime, change) -> Occurrence:
    length = timedelta(minutes=series.duration_minutes)
    if change is None:
        return Occurrence(start, start, start + length)
    moved_to = change.new_start or start
    return Occurrence(
        start,
        moved_to,
        moved_to + length,
        cancelled=change.cancelled,
        moved=change.new_start is not None,
        note=change.note,
    )


def find_occurrence(series: ConferenceSeries, original_start: datetime) -> Occurrence | None:
    """The occurrence whose original start is ``original_start``, if the rule has one."""
    near = timedelta(minutes=1)
    if original_start not in rule_starts(series, original_start - near, original_start + near):
        return None
    change = next((c for c in series.changes if c.original_start == original_start), None)
    return _occurrence(series, original_start, change)


def usual_local_time(items: list[Occurrence], tz: ZoneInfo):
    """The local time most occurrences have for a viewer in ``tz`` (to flag the others)."""
    counts: dict = {}
    for item in items:
        if not item.moved and not item.cancelled:
            key = item.local(tz).time()
            counts[key] = counts.get(key, 0) + 1
    return max(counts, key=counts.get) if counts else None


# --- Building rules from the form ------------------------------------------------------

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def build_rule(
    kind: str, interval: int, starts: date, count: int | None, until: date | None, zone: str
) -> str:
    """An RRULE for ``weekly`` (every ``interval`` weeks on the start's weekday) or
    ``monthly`` (the start's nth weekday every ``interval`` months; the 5th becomes the
    last), ending after ``count`` occurrences or on ``until`` (a local date)."""
    parts = []
    weekday = WEEKDAYS[starts.weekday()]
    if kind == "weekly":
        parts += ["FREQ=WEEKLY", f"INTERVAL={interval}", f"BYDAY={weekday}"]
    else:
        nth = (starts.day - 1) // 7 + 1
        parts += [
            "FREQ=MONTHLY",
            f"INTERVAL={interval}",
            f"BYDAY={-1 if nth == 5 else nth}{weekday}",
        ]
    if count:
        parts.append(f"COUNT={count}")
    elif until:
        # UNTIL is in UTC for a zoned start (RFC 5545): the end of that local day.
        last = datetime(until.year, until.month, until.day, 23, 59, 59, tzinfo=ZoneInfo(zone))
        parts.append("UNTIL=" + last.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ"))
    return ";".join(parts)


def parse_rule(rule: str, zone: str) -> dict:
    """The form's fields back from a rule made by ``build_rule`` (to edit a series)."""
    parts = dict(part.split("=", 1) for part in rule.split(";"))
    fields = {
        "frequency": "weekly" if parts.get("FREQ") == "WEEKLY" else "monthly",
        "interval": int(parts.get("INTERVAL", 1)),
        "count": int(parts["COUNT"]) if "COUNT" in parts else None,
        "until": None,
    }
    if "UNTIL" in parts:
        moment = datetime.strptime(parts["UNTIL"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        fields["until"] = moment.astimezone(ZoneInfo(zone)).date()
    return fields
