"""Every page read in the pseudo-locale: any visible interface text left plain (not
accented between ⟦ ⟧) cannot be translated. People's and places' names, course content,
dates and numbers are data, not interface, and are set aside."""

import html as html_module
import re
from zoneinfo import available_timezones

import pytest
from babel import Locale
from babel.dates import get_timezone_location
from flask import url_for
from pytz import common_timezones
from sqlalchemy import select

from app import create_app
from app.auth.models import User
from app.auth.policies import policy_of
from app.cohorts.models import Cohort
from app.courses.models import Course, Lesson, Module
from app.extensions import babel, db
from app.i18n.pseudo import CLOSE, OPEN, pseudo_text, write_pseudo_translations
from app.institutions.models import Institution, Programme
from app.library.models import CaptionCue, Video
from app.locales import _grouped_zones, language_name
from app.placements.models import PlacementOffer
from app.protocols.models import Protocol, ProtocolSection, ProtocolVersion
from config import Config
from tests.auth.test_policies import ENDPOINT_VALUES, _client_for, routes, world  # noqa: F401
from tests.conftest import FIXTURE_COURSES
from tests.i18n.test_workflow import ROOT

LANGUAGES = Config.LANGUAGES

ENGLISH = Locale.parse("en")
CALENDAR = {
    *(name for kind in (ENGLISH.months, ENGLISH.days) for names in kind["format"].values()
      for name in names.values()),
    "AM", "PM", "UTC", "GMT",
    # durations written by Babel from the locale's data (format_timedelta: "12 seconds")
    *(word for unit in ("second", "minute", "hour", "day", "week", "month", "year")
      for word in (unit, unit + "s")),
}  # fmt: skip
# Content and data blocks: lessons, quiz items and cases are course or user content.
CONTENT = re.compile(r"<(article|script|style|code|pre)\b[^>]*>.*?</\1>", re.S)
WORD = re.compile(r"[A-Za-z]{3,}")
# The test world's own texts, format examples, product names and file types.
ALSO_DATA = {
    "Palliare", "Cohort", "Workshop", "Series", "Room", "Alone", "Cancer", "Home", "How",
    "Pain", "sample", "welcome", "Check", "your", "understanding", "source", "test", "new",
    "https", "http", "jit", "meet", "palliare", "join", "cohorts", "PAL", "XXXX", "YYYY",
    "Apple", "Calendar", "Google", "Outlook", "Thunderbird", "PDF", "JPEG", "PNG", "pdf",
    "CPD", "WHO", "library",  # "library": a public address shown as text (/library/…)
}  # fmt: skip


def test_pseudo_text_keeps_placeholders_and_markup():
    text = pseudo_text('Hello %(name)s, <a href="/x">see</a> {n} 50%% &amp; more')
    assert text.startswith(OPEN) and text.endswith(CLOSE)
    assert "%(name)s" in text and '<a href="/x">' in text and "{n}" in text
    assert "%%" in text and "&amp;" in text and "Hello" not in text
    assert len(text) >= len("Hello %(name)s, see") * 1.3


@pytest.fixture
def pseudo_app(app, tmp_path):
    """The app under test, reading the pseudo-locale as its English. Flask-Babel keeps
    loaded catalogs in one cache for every app (by locale only), and the time-zone picker
    keeps its translated region names per locale: empty both before and after, so
    neither app reads the other's English."""
    folder = write_pseudo_translations(ROOT / "translations", tmp_path / "translations")
    babel.domain_instance.cache.clear()
    _grouped_zones.cache_clear()
    yield create_app("testing", SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"],
                     BABEL_TRANSLATION_DIRECTORIES=str(folder), SERVER_NAME="palliare.test",
                     COURSES_DIR=str(FIXTURE_COURSES))  # fmt: skip
    babel.domain_instance.cache.clear()
    _grouped_zones.cache_clear()


def _data() -> set[str]:
    """Words that are data on the pages: names, places, course content."""
    words = set(CALENDAR)
    columns = (User.name, User.email, Institution.name, Institution.city, Programme.name,
               Programme.funding_organisation, PlacementOffer.title)  # fmt: skip
    for column in columns:
        for text in db.session.scalars(select(column)):
            words.update(WORD.findall(text or ""))
    for model in (Course, Module, Lesson):
        for titles in db.session.scalars(select(model.titles)):
            for title in titles.values():
                words.update(WORD.findall(title))
    for summaries in db.session.scalars(select(Course.summaries)):
        for summary in summaries.values():
            words.update(WORD.findall(summary))
    for template in FIXTURE_COURSES.glob("*/translations/*.pot"):  # course content
        words.update(WORD.findall(template.read_text(encoding="utf-8")))
    words.update(WORD.findall(" ".join(db.session.scalars(select(Cohort.join_code)))))
    written_in_the_app = (Video.slug, Video.title, Video.summary, Video.transcript,
                          CaptionCue.text, ProtocolVersion.title, ProtocolVersion.scope,
                          ProtocolSection.heading, ProtocolSection.body, Protocol.slug)  # fmt: skip
    for column in written_in_the_app:
        words.update(
            WORD.findall(" ".join(text or "" for text in db.session.scalars(select(column))))
        )
    words.update(WORD.findall(" ".join(ENGLISH.territories.values())))
    words.update(WORD.findall(" ".join(ENGLISH.languages.values())))
    words.update(WORD.findall(" ".join(language_name(code) for code in LANGUAGES)))
    words.update(WORD.findall(" ".join(available_timezones())))  # the time-zone list
    cities = (get_timezone_location(zone, ENGLISH, return_city=True) for zone in common_timezones)
    words.update(WORD.findall(" ".join(cities)))  # the time-zone list's labels
    return words


def _plain_words(page: str, data: set[str]) -> set[str]:
    """Words of visible text (and labels) outside the pseudo-locale's ⟦ ⟧ and the data."""
    page = CONTENT.sub(" ", page)
    texts = re.findall(r">([^<]+)<", page)
    texts += re.findall(r'(?:aria-label|title|placeholder|alt)="([^"]*)"', page)
    found = set()
    for text in texts:
        text = re.sub(rf"{OPEN}.*?{CLOSE}", " ", html_module.unescape(text), flags=re.S)
        found.update(word for word in WORD.findall(text) if word not in data)
    return found


@pytest.mark.parametrize("role", ["admin", "learner"])
def test_every_page_is_translatable(world, pseudo_app, role):  # noqa: F811
    # The world first: building it renders e-mails (notifications of certificates…),
    # which loads the real English into Flask-Babel's cache; pseudo_app empties it after.
    users, shared, owned = world
    values = {**shared, **owned[role]}
    client = _client_for(pseudo_app, role, users)
    data = _data() | ALSO_DATA
    plain = {}
    for endpoint, rule in routes(pseudo_app):
        if "GET" not in rule.methods or endpoint.startswith(("static", "dashboards.api")):
            continue
        with pseudo_app.test_request_context():
            own = ENDPOINT_VALUES.get(endpoint, {})
            url = url_for(endpoint, **{a: own.get(a, values.get(a)) for a in rule.arguments})
        if not policy_of(endpoint).allows(users[role]):
            continue
        response = client.get(url, query_string={"lang": "en"})  # English: the pseudo-locale
        if response.status_code != 200 or "text/html" not in response.content_type:
            continue
        words = _plain_words(response.get_data(as_text=True), data)
        if words:
            plain[url] = sorted(words)
    assert not plain, plain
