"""Dates people cannot misread: English writes the month's name, day first ("5 Dec 2026",
never the US 12/5/26); other languages keep their own conventions."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from flask import render_template_string

from app.locales import format_date, format_datetime, format_local, format_time

MOMENT = datetime(2026, 12, 5, 14, 30, tzinfo=UTC)


@pytest.fixture
def in_language(app):
    """Run the rest of the test as a request in ``lang`` (its hooks included)."""

    def enter(lang: str):
        context = app.test_request_context(f"/?lang={lang}")
        context.push()
        app.preprocess_request()
        return context

    contexts = []
    yield lambda lang: contexts.append(enter(lang))
    for context in reversed(contexts):
        context.pop()


def test_english_dates_name_the_month_day_first(in_language):
    in_language("en")
    assert format_date(MOMENT) == "5 Dec 2026"
    assert format_date(date(2026, 12, 5), "short") == "5 Dec 2026"  # not 12/5/26
    assert format_datetime(MOMENT) == "5 Dec 2026, 14:30"
    assert format_datetime(MOMENT, "short") == "5 Dec 2026, 14:30"
    assert format_date(MOMENT, "long") == "5 December 2026"
    assert format_time(MOMENT) == "14:30"
    singapore = format_local(MOMENT, ZoneInfo("Asia/Singapore"))
    assert singapore == "Saturday, 5 December 2026, 22:30"
    assert format_local(MOMENT, ZoneInfo("Asia/Singapore"), "time") == "22:30"


def test_the_template_filters_use_the_same_formats(in_language):
    in_language("en")
    page = render_template_string(
        "{{ d|date }} · {{ d|date('short') }} · {{ d|datetime('medium') }} · {{ d|time }}",
        d=MOMENT,
    )
    assert page == "5 Dec 2026 · 5 Dec 2026 · 5 Dec 2026, 14:30 · 14:30"


@pytest.mark.parametrize(
    ("lang", "short_date", "medium_datetime"),
    [
        ("ru", "05.12.2026", "5 дек. 2026\u202fг., 14:30"),
        ("zh_Hans", "2026/12/5", "2026年12月5日 14:30"),
        ("sv", "2026-12-05", "5 dec. 2026 14:30"),
    ],
)
def test_other_languages_keep_their_conventions(in_language, lang, short_date, medium_datetime):
    in_language(lang)
    assert format_date(date(2026, 12, 5), "short") == short_date
    assert format_datetime(MOMENT) == medium_datetime


def test_dates_are_shown_in_the_viewers_time_zone(in_language, app, monkeypatch):
    monkeypatch.setitem(app.config, "BABEL_DEFAULT_TIMEZONE", "Pacific/Auckland")
    in_language("en")
    late = datetime(2026, 12, 5, 22, 0, tzinfo=UTC)  # already 6 December in Auckland
    assert format_date(late) == "6 Dec 2026"
    assert format_datetime(late) == "6 Dec 2026, 11:00"
