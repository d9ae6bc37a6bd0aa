"""Occurrences from RFC 5545 rules: daylight-saving edges, month ends, count and until,
moved and cancelled sessions."""

from datetime import UTC, date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from app.conferences.recurrence import build_rule, occurrences, usual_local_time

STOCKHOLM, ALMATY, BEIJING = (
    ZoneInfo(z) for z in ("Europe/Stockholm", "Asia/Almaty", "Asia/Shanghai")
)


def _series(first: datetime, rule: str, zone="Europe/Stockholm", changes=()):
    return SimpleNamespace(
        timezone=zone, starts_local=first, rrule=rule, duration_minutes=90, changes=list(changes)
    )


def _local(items, tz):
    return [o.local(tz).strftime("%m-%d %H:%M") for o in items]


def test_a_stockholm_series_keeps_its_local_time_across_the_clock_change():
    rule = build_rule("weekly", 2, date(2026, 3, 12), 4, None, "Europe/Stockholm")
    items = occurrences(_series(datetime(2026, 3, 12, 15, 0), rule))
    assert _local(items, STOCKHOLM) == ["03-12 15:00", "03-26 15:00", "04-09 15:00", "04-23 15:00"]
    # Almaty and Beijing keep their clocks: the session moves an hour earlier for them
    # after Stockholm's change on 29 March.
    assert _local(items, ALMATY) == ["03-12 19:00", "03-26 19:00", "04-09 18:00", "04-23 18:00"]
    assert _local(items, BEIJING) == ["03-12 22:00", "03-26 22:00", "04-09 21:00", "04-23 21:00"]
    assert usual_local_time(items[:1] + items[2:], ALMATY).hour == 18


def test_autumn_change_and_a_count():
    rule = build_rule("weekly", 1, date(2026, 10, 15), 3, None, "Europe/Stockholm")
    items = occurrences(_series(datetime(2026, 10, 15, 9, 30), rule))
    assert _local(items, STOCKHOLM) == ["10-15 09:30", "10-22 09:30", "10-29 09:30"]
    assert [o.start.hour for o in items] == [7, 7, 8]  # UTC: CEST then CET


def test_until_is_the_last_local_day_inclusive():
    rule = build_rule("weekly", 2, date(2026, 3, 12), None, date(2026, 4, 9), "Europe/Stockholm")
    assert "UNTIL=20260409T215959Z" in rule
    items = occurrences(_series(datetime(2026, 3, 12, 15, 0), rule))
    assert _local(items, STOCKHOLM) == ["03-12 15:00", "03-26 15:00", "04-09 15:00"]


def test_the_fifth_weekday_of_a_month_becomes_the_last():
    rule = build_rule("monthly", 1, date(2026, 1, 29), 5, None, "Asia/Almaty")
    assert "BYDAY=-1TH" in rule
    items = occurrences(_series(datetime(2026, 1, 29, 16, 0), rule, "Asia/Almaty"))
    assert _local(items, ALMATY) == [
        "01-29 16:00", "02-26 16:00", "03-26 16:00", "04-30 16:00", "05-28 16:00"
    ]  # fmt: skip


def test_second_tuesday_every_two_months():
    rule = build_rule("monthly", 2, date(2026, 1, 13), 3, None, "Asia/Shanghai")
    items = occurrences(_series(datetime(2026, 1, 13, 9, 0), rule, "Asia/Shanghai"))
    assert _local(items, BEIJING) == ["01-13 09:00", "03-10 09:00", "05-12 09:00"]


def test_moved_and_cancelled_occurrences_keep_their_identity():
    rule = build_rule("weekly", 2, date(2026, 3, 12), 4, None, "Europe/Stockholm")
    first = datetime(2026, 3, 12, 15, 0)
    plain = occurrences(_series(first, rule))
    moved = SimpleNamespace(
        original_start=plain[1].original_start, cancelled=False,
        new_start=datetime(2026, 3, 27, 14, 0, tzinfo=UTC), note="Friday this time",
    )  # fmt: skip
    cancelled = SimpleNamespace(
        original_start=plain[2].original_start, cancelled=True, new_start=None, note="Holiday"
    )
    items = occurrences(_series(first, rule, changes=[moved, cancelled]))
    assert [o.original_start for o in items] == [o.original_start for o in plain]
    assert items[1].moved and _local(items[1:2], STOCKHOLM) == ["03-27 15:00"]
    assert items[2].cancelled and items[2].note == "Holiday"
    assert not items[0].moved and not items[3].cancelled


def test_a_session_moved_into_a_window_is_found_there_in_order():
    rule = build_rule("weekly", 1, date(2026, 3, 5), 4, None, "Europe/Stockholm")
    first = datetime(2026, 3, 5, 15, 0)
    plain = occurrences(_series(first, rule))
    moved = SimpleNamespace(
        original_start=plain[0].original_start, cancelled=False,
        new_start=datetime(2026, 3, 20, 14, 0, tzinfo=UTC), note="",
    )  # fmt: skip
    series = _series(first, rule, changes=[moved])
    window = occurrences(
        series, datetime(2026, 3, 19, tzinfo=UTC), datetime(2026, 3, 21, tzinfo=UTC)
    )
    assert [o.original_start for o in window] == [plain[2].original_start, plain[0].original_start]
    assert [o.start for o in occurrences(series)] == sorted(o.start for o in occurrences(series))
