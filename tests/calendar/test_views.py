"""The calendar page: the month grid and agenda in the viewer's zone and language,
month navigation, a month it cannot show, the empty month, and who reaches it."""

import re
from datetime import datetime, timedelta

from app.calendar.months import Month
from app.conferences import services as conferences
from app.conferences.recurrence import occurrences
from app.db_types import utcnow
from app.extensions import db
from tests.calendar.conftest import weekly_series
from tests.helpers import text_of


def _page(client, month=None, **query):
    if month:
        query["month"] = month
    return client.get("/calendar", query_string=query)


def test_a_signed_out_visitor_is_sent_to_sign_in(client):
    response = _page(client, "2026-04")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_month_grid_and_agenda_show_ones_sessions_in_ones_own_zone(world, client, login):
    world["learner"].timezone = "Asia/Shanghai"
    db.session.commit()
    login(world["learner"])
    html = text_of(_page(client, "2026-04"))
    assert "<caption>April 2026</caption>" in html
    assert "Asia/Shanghai" in html
    # The 23:30 UTC workshop session of 31 March is on 1 April at 07:30 in Shanghai.
    assert 'id="day-2026-04-01"' in html and "7:30" in html
    assert f'href="/workshops/{world["workshop"].id}#session-{world["late"].id}"' in html
    # Weekly on Thursdays at 15:00 in Stockholm: 21:00 in Shanghai (CEST).
    for day in (2, 9, 16, 23, 30):
        assert f'id="day-2026-04-{day:02d}"' in html
    assert "21:00" in html or "9:00\u202fPM" in html or "9:00 PM" in html
    # Weeks start on the locale's first weekday (Monday for English without a region).
    headers = re.findall(r'<th scope="col"><abbr title="(\w+)"', html)
    assert headers[0] == "Monday" and len(headers) == 7


def test_moved_and_cancelled_sessions_are_marked_in_words(world, client, login):
    series, organiser = world["series"], world["trainer"]
    plain = occurrences(series)
    conferences.change_occurrence(organiser, series, plain[1].original_start, True, None, "")
    conferences.change_occurrence(
        organiser, series, plain[2].original_start, False, datetime(2026, 4, 10, 10, 0), ""
    )
    db.session.commit()
    login(world["learner"])
    html = text_of(_page(client, "2026-04"))
    assert html.count('class="cal-entry cancelled"') == 2  # in the grid and the agenda
    assert html.count('class="cal-entry moved"') == 2
    assert "Cancelled</strong>" in html and "Moved</strong>" in html
    assert re.search(r"was Thursday, (9 April|April 9),? 2026", html)  # its old time


def test_the_weekday_names_and_caption_follow_the_language(world, client, login):
    world["learner"].locale = "ru"
    db.session.commit()
    login(world["learner"])
    html = text_of(_page(client, "2026-04"))
    assert re.search(r"<caption>Апрель 2026\sг\.</caption>", html)
    assert re.findall(r'<abbr title="([^"]+)"', html)[0] == "понедельник"


def test_prev_next_and_this_month_links(world, client, login):
    login(world["learner"])
    html = text_of(_page(client, "2026-01"))
    assert 'href="/calendar?month=2025-12" rel="prev"' in html
    assert 'href="/calendar?month=2026-02" rel="next"' in html
    assert 'href="/calendar">This month</a>' in html
    this_month = text_of(_page(client))
    key = Month.of(utcnow().date()).key  # the learner's zone is UTC (their hospital's)
    assert f'value="{key}"' in this_month and ">This month</a>" not in this_month
    assert 'aria-current="date"' in this_month


def test_a_month_it_cannot_show_is_a_clear_400_with_this_month_instead(world, client, login):
    login(world["learner"])
    for bad in ("2026-13", "2026-4", "April", "0999-01", "2026-04-01"):
        response = _page(client, bad)
        html = text_of(response)
        assert response.status_code == 400, bad
        assert 'id="month-error"' in html and "is not a month the calendar can show" in html
        assert 'aria-invalid="true"' in html
        assert f"<caption>{_caption_of_this_month()}</caption>" in html


def _caption_of_this_month() -> str:
    return utcnow().strftime("%B %Y")


def test_an_empty_month_says_where_to_find_sessions(world, client, login):
    login(world["learner"])
    html = text_of(_page(client, "2025-06"))
    assert "You have no workshop or case-conference session in June 2025." in html
    assert 'href="/conferences/"' in html and 'href="/cohorts/"' in html


def test_an_empty_month_points_to_the_next_session(world, client, login):
    later = (utcnow() + timedelta(days=70)).replace(tzinfo=None, hour=12, minute=0)
    series = weekly_series(world["trainer"], world["programme"], first=later, count=1)
    conferences.join_series(world["outsider"], series)
    db.session.commit()
    login(world["outsider"])
    html = text_of(_page(client))
    assert "You have no workshop or case-conference session in" in html
    assert "Your next session:" in html
    assert f'href="/calendar?month={later:%Y-%m}"' in html


def test_someone_else_sees_no_session_of_the_world(world, client, login):
    login(world["stranger"])
    html = text_of(_page(client, "2026-04"))
    assert "Teaching workshop" not in html and "Hub conference" not in html
    assert "You have no workshop or case-conference session in April 2026." in html


def test_the_page_needs_no_script_and_every_session_is_a_link(world, client, login):
    login(world["learner"])
    html = text_of(_page(client, "2026-04"))
    assert "<script" not in html.split("<main", 1)[1]
    entries = re.findall(
        r'<li class="cal-entry [a-z]+">\s*(?:<span[^>]*>[^<]*</span>\s*)?<a href="([^"]+)"', html
    )
    assert len(entries) == 2 * 5  # five conference sessions, in the grid and the agenda
    # The month form works with a plain GET (no script needed to navigate).
    assert '<form method="get" action="/calendar"' in html
