"""Calendar feeds parsed back with icalendar and recurring-ical-events: the expected local
times, moves and cancellations, stable UIDs and rising SEQUENCE, VTIMEZONE included."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events

from app.conferences import services
from app.conferences.calendar import calendar_for
from app.conferences.recurrence import occurrences
from tests.conferences.conftest import series_details
from tests.helpers import post_form, text_of

ALMATY, BEIJING = ZoneInfo("Asia/Almaty"), ZoneInfo("Asia/Shanghai")


def _events(ics: bytes, tz):
    calendar = icalendar.Calendar.from_ical(ics)
    found = recurring_ical_events.of(calendar).between(datetime(2026, 1, 1), datetime(2027, 6, 1))
    return sorted(event["DTSTART"].dt.astimezone(tz).strftime("%m-%d %H:%M") for event in found)


def _stockholm_series(world):
    details = series_details(("programme", world["programme"].id), datetime(2026, 3, 12, 15, 0))
    return services.create_series(world["organiser"], details)


def test_a_feed_of_a_stockholm_series_gives_the_right_local_times(world):
    series = _stockholm_series(world)
    ics = calendar_for([series], "Test")
    assert b"BEGIN:VTIMEZONE" in ics and b"TZID:Europe/Stockholm" in ics
    expected = [o.start.astimezone(ALMATY).strftime("%m-%d %H:%M") for o in occurrences(series)]
    assert _events(ics, ALMATY) == expected == [
        "03-12 19:00", "03-26 19:00", "04-09 18:00", "04-23 18:00", "05-07 18:00", "05-21 18:00"
    ]  # fmt: skip
    assert _events(ics, BEIJING)[2] == "04-09 21:00"


def test_moves_and_cancellations_update_the_same_events(world):
    series = _stockholm_series(world)
    uid, before = series.uid, series.sequence
    plain = occurrences(series)
    services.change_occurrence(
        world["organiser"], series, plain[1].original_start, True, None, "Holiday"
    )
    friday = datetime(2026, 4, 10, 15, 0)
    services.change_occurrence(
        world["organiser"], series, plain[2].original_start, False, friday, "Friday"
    )
    ics = calendar_for([series], "Test")
    assert _events(ics, ALMATY) == [
        "03-12 19:00",
        "04-10 18:00",
        "04-23 18:00",
        "05-07 18:00",
        "05-21 18:00",
    ]
    calendar = icalendar.Calendar.from_ical(ics)
    events = list(calendar.walk("VEVENT"))
    assert {str(e["UID"]) for e in events} == {uid}  # one identity: clients update, not copy
    moved = next(e for e in events if "RECURRENCE-ID" in e)
    assert moved["RECURRENCE-ID"].dt.astimezone(UTC) == plain[2].original_start
    master = next(e for e in events if "RRULE" in e)
    assert int(master["SEQUENCE"]) == before + 2 and "EXDATE" in master


def test_editing_a_series_raises_its_sequence_and_keeps_its_uid(world):
    series = _stockholm_series(world)
    uid = series.uid
    details = series_details(("programme", world["programme"].id), datetime(2026, 3, 12, 16, 0))
    services.update_series(world["organiser"], series, details)
    master = icalendar.Calendar.from_ical(calendar_for([series], "T")).walk("VEVENT")[0]
    assert str(master["UID"]) == uid and int(master["SEQUENCE"]) == 1
    assert master["DTSTART"].dt.hour == 16


def test_the_personal_feed_lists_what_one_attends_and_can_be_revoked(world, client, login):
    login(world["clinician"])
    made = post_form(client, "/conferences/calendar/new", {}, form_page="/conferences/calendar")
    assert made.status_code == 303 and made.headers["Location"].endswith("/conferences/calendar")
    html = text_of(client.get("/conferences/calendar"))
    url = html.split('readonly value="', 1)[1].split('"', 1)[0].replace("http://palliare.test", "")
    assert url.endswith(".ics")
    feed = client.get(url)
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    assert world["series"].uid.encode() in feed.data
    post_form(client, "/conferences/calendar/revoke", {}, form_page="/conferences/calendar")
    assert client.get(url).status_code == 404
    assert client.get("/calendar/not-a-token.ics").status_code == 404


def test_a_schedule_with_history_cannot_change_but_its_title_can(world):
    import pytest

    from app.exceptions import ValidationFailed

    series = _stockholm_series(world)
    start = occurrences(series)[0].original_start
    services.change_occurrence(world["organiser"], series, start, True, None, "Holiday")
    owner = ("programme", world["programme"].id)
    with pytest.raises(ValidationFailed, match="schedule cannot change"):
        services.update_series(
            world["organiser"], series, series_details(owner, datetime(2026, 3, 12, 16, 0))
        )
    renamed = series_details(owner, datetime(2026, 3, 12, 15, 0), title="Renamed")
    services.update_series(world["organiser"], series, renamed)
    assert series.title == "Renamed"
    services.restore_occurrence(world["organiser"], series, start)
    assert not occurrences(series)[0].cancelled
