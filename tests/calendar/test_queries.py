"""One's calendar entries: time zones, recurrence, moves and cancellations, and who may
see which session (from the other side of each rule too)."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask_login import AnonymousUserMixin

from app.auth.models import Role
from app.auth.services import revoke_role
from app.calendar.months import Month
from app.calendar.queries import (
    CANCELLED,
    CONFERENCE,
    MOVED,
    SCHEDULED,
    WORKSHOP,
    CalendarEntry,
    entries_between,
    upcoming_sessions,
)
from app.conferences import services as conferences
from app.conferences.recurrence import occurrences
from app.extensions import db
from app.workshops.services import create_workshop, save_session
from tests.calendar.conftest import weekly_series
from tests.helpers import count_statements

SHANGHAI, UTC_ZONE = ZoneInfo("Asia/Shanghai"), ZoneInfo("UTC")
STOCKHOLM = ZoneInfo("Europe/Stockholm")


@pytest.fixture(autouse=True)
def in_a_request(app):
    """As on a page: addresses are relative to the site."""
    with app.test_request_context():
        yield


def _month(user, year, month, zone):
    return entries_between(user, *Month(year, month).bounds(zone))


def _workshops(entries):
    return [e for e in entries if e.kind == WORKSHOP]


def _conferences(entries):
    return [e for e in entries if e.kind == CONFERENCE]


def test_a_session_at_23_30_utc_is_on_the_next_day_in_shanghai(world):
    learner = world["learner"]
    assert _workshops(_month(learner, 2026, 3, UTC_ZONE))  # 31 March for a viewer on UTC
    assert not _workshops(_month(learner, 2026, 3, SHANGHAI))
    (entry,) = _workshops(_month(learner, 2026, 4, SHANGHAI))
    assert entry.starts_at == datetime(2026, 3, 31, 23, 30, tzinfo=UTC)
    assert entry.starts_at.astimezone(SHANGHAI).date().isoformat() == "2026-04-01"
    assert entry.title == "Teaching workshop" and entry.place == "Room 3"
    assert entry.status == SCHEDULED and entry.moved_from is None
    assert entry.url == f"/workshops/{world['workshop'].id}#session-{world['late'].id}"


def test_entries_are_frozen_and_in_utc(world):
    (entry,) = _workshops(_month(world["learner"], 2026, 3, UTC_ZONE))
    assert isinstance(entry, CalendarEntry)
    assert entry.starts_at.utcoffset() == timedelta(0) and entry.ends_at.utcoffset() == timedelta(0)
    try:
        entry.title = "changed"
    except AttributeError:
        pass
    else:
        raise AssertionError("a calendar entry must be frozen")


def test_a_weekly_series_is_expanded_on_both_sides_of_a_month_boundary(world):
    learner = world["learner"]
    march = _conferences(_month(learner, 2026, 3, STOCKHOLM))
    april = _conferences(_month(learner, 2026, 4, STOCKHOLM))
    assert [e.starts_at.astimezone(STOCKHOLM).day for e in march] == [26]
    assert [e.starts_at.astimezone(STOCKHOLM).day for e in april] == [2, 9, 16, 23, 30]
    # 15:00 in Stockholm on both sides of the clock change (CET in March, CEST in April).
    assert {e.starts_at.astimezone(STOCKHOLM).hour for e in march + april} == {15}
    assert march[0].starts_at.hour == 14 and april[0].starts_at.hour == 13
    assert all(e.url.startswith(f"/conferences/{world['series'].id}/sessions/") for e in april)


def test_moved_and_cancelled_sessions_are_marked(world):
    series, organiser = world["series"], world["trainer"]
    plain = occurrences(series)
    conferences.change_occurrence(organiser, series, plain[1].original_start, True, None, "Off")
    # The 9 April session moves to 1 May, 10:00 in Stockholm: out of April, into May.
    conferences.change_occurrence(
        organiser, series, plain[2].original_start, False, datetime(2026, 5, 1, 10, 0), "Later"
    )
    db.session.commit()
    april = _conferences(_month(world["learner"], 2026, 4, STOCKHOLM))
    assert [(e.starts_at.astimezone(STOCKHOLM).day, e.status) for e in april] == [
        (2, CANCELLED),
        (16, SCHEDULED),
        (23, SCHEDULED),
        (30, SCHEDULED),
    ]
    (moved,) = _conferences(_month(world["learner"], 2026, 5, STOCKHOLM))
    assert moved.status == MOVED and moved.moved_from == plain[2].original_start
    assert moved.starts_at == datetime(2026, 5, 1, 8, 0, tzinfo=UTC)
    assert moved.ends_at - moved.starts_at == timedelta(minutes=60)


def test_the_people_who_run_a_workshop_see_it(world):
    for name in ("trainer", "co_trainer", "learner"):
        assert _workshops(_month(world[name], 2026, 3, UTC_ZONE)), name


def test_nobody_else_sees_a_session(world):
    """A colleague outside the cohort, another institution, a learner taken out of the
    cohort, an administrator with no part in it, and a signed-out visitor see nothing;
    the former participant who left the institution no longer sees the series."""
    for name in ("outsider", "stranger", "former", "admin"):
        assert _month(world[name], 2026, 3, UTC_ZONE) == [], name
        assert _month(world[name], 2026, 4, UTC_ZONE) == [], name
        assert upcoming_sessions(world[name], now=datetime(2026, 1, 1, tzinfo=UTC)) == []
    assert _month(AnonymousUserMixin(), 2026, 4, UTC_ZONE) == []
    assert upcoming_sessions(AnonymousUserMixin()) == []


def test_a_trainer_who_loses_the_role_loses_the_cohorts_workshops(world):
    co_trainer = world["co_trainer"]
    assignment = next(a for a in co_trainer.role_assignments if a.role == Role.TRAINER)
    revoke_role(world["admin"], assignment)
    db.session.commit()
    assert _workshops(_month(co_trainer, 2026, 3, UTC_ZONE)) == []


def test_an_organiser_sees_their_series_without_having_joined_it_as_a_participant(world):
    """Organising is enough (create_series also seats the organiser on the panel; take
    that seat away to see that the rule does not depend on it)."""
    from app.conferences.models import SeriesParticipant

    series, trainer = world["series"], world["trainer"]
    db.session.delete(db.session.get(SeriesParticipant, (series.id, trainer.id)))
    db.session.commit()
    assert len(_conferences(_month(trainer, 2026, 4, STOCKHOLM))) == 5


def test_upcoming_sessions_are_the_next_ones_not_yet_ended(world):
    learner = world["learner"]
    now = datetime(2026, 4, 2, 13, 30, tzinfo=UTC)  # the 2 April session is under way
    upcoming = upcoming_sessions(learner, limit=3, now=now)
    assert [e.starts_at for e in upcoming] == [
        datetime(2026, 4, 2, 13, 0, tzinfo=UTC),
        datetime(2026, 4, 9, 13, 0, tzinfo=UTC),
        datetime(2026, 4, 16, 13, 0, tzinfo=UTC),
    ]
    before = upcoming_sessions(learner, now=datetime(2026, 3, 31, 12, 0, tzinfo=UTC))
    assert len(before) == 5 and before[0].kind == WORKSHOP  # the default limit is 5
    assert upcoming_sessions(learner, now=datetime(2027, 1, 1, tzinfo=UTC)) == []


def test_one_query_per_source_however_many_sessions(world):
    """No query per series or per session: more of them cost no more statements."""
    learner, trainer = world["learner"], world["trainer"]
    bounds = Month(2026, 4).bounds(STOCKHOLM)
    few = count_statements(lambda: entries_between(learner, *bounds))
    for n in range(3):
        more = weekly_series(trainer, world["programme"], title=f"Series {n}")
        conferences.join_series(learner, more)
        workshop = create_workshop(trainer, world["cohort"], f"Workshop {n}", None)
        save_session(trainer, workshop, None, datetime(2026, 4, 10 + n, 9), 60, "Hall", "", [])
    db.session.commit()
    db.session.expunge_all()
    many = count_statements(lambda: entries_between(learner, *bounds))
    assert len(_conferences(entries_between(learner, *bounds))) == 20
    assert many == few <= 6
