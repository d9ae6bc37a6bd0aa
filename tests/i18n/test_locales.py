"""Choosing the language and time zone, and formatting in them."""

from datetime import UTC, datetime

import pytest
from flask_babel import format_datetime, refresh
from flask_login import login_user

from app.extensions import db
from app.locales import match_language_tag
from tests.factories import make_institution, make_user
from tests.helpers import text_of


@pytest.mark.parametrize(
    "tag, expected",
    [
        ("zh-CN", "zh_Hans"),
        ("zh", "zh_Hans"),
        ("zh-TW", None),
        ("kk-KZ", "kk"),
        ("sv-SE", "sv"),
        ("ru", "ru"),
        ("en-GB", "en"),
        ("de", None),
        ("not a tag", None),
    ],
)
def test_browser_language_tags_match_supported_locales(app, tag, expected):
    with app.app_context():
        assert match_language_tag(tag) == expected


def test_lang_parameter_switches_and_is_remembered_in_the_session(client):
    page = text_of(client.get("/?lang=kk"))
    assert '<html lang="kk" dir="ltr">' in page
    assert "Кіру" in page  # "Sign in" in Kazakh
    assert '<html lang="kk"' in text_of(client.get("/login"))  # remembered


def test_lang_parameter_is_saved_in_the_profile(client, login):
    user = make_user()
    login(user)
    client.get("/?lang=ru")
    assert db.session.get(type(user), user.id).locale == "ru"


def test_unknown_lang_changes_nothing_and_says_so(client):
    client.get("/?lang=kk")
    page = text_of(client.get("/?lang=xx-evil<script>"))
    assert '<html lang="kk"' in page
    assert "xx-evil&lt;script&gt;" in page  # told, and escaped
    assert "<script>" not in page.split("<body")[1].split("</header>")[0]


def test_accept_language_then_institution_default(client, login):
    page = text_of(client.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"}))
    assert '<html lang="zh-Hans"' in page
    institution = make_institution(default_locale="sv", timezone="Europe/Stockholm")
    login(make_user(institution=institution))
    page = text_of(client.get("/", headers={"Accept-Language": "de-DE"}))
    assert '<html lang="sv"' in page


def test_profile_language_beats_accept_language(client, login):
    login(make_user(locale="ru"))
    page = text_of(client.get("/", headers={"Accept-Language": "sv"}))
    assert '<html lang="ru"' in page


def test_dates_follow_the_viewers_locale_and_time_zone(app):
    moment = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)
    institution = make_institution(timezone="Europe/Stockholm")
    user = make_user(institution=institution, locale="ru")
    with app.test_request_context("/"):
        refresh()
        login_user(user)
        # 00:30 UTC is 01:30 in Stockholm, before the clocks change that night.
        shown = format_datetime(moment, "medium").replace("\u202f", " ")  # narrow NBSP (CLDR)
        assert shown == "29 мар. 2026 г., 01:30:00"
    user.timezone = "Asia/Almaty"
    with app.test_request_context("/", headers={"Accept-Language": "sv"}):
        refresh()
        login_user(user)
        assert format_datetime(moment, "short") == "29.03.2026, 05:30"


def test_chosen_language_survives_sign_in_and_sign_out(client):
    from tests.helpers import post_form, sign_in

    user = make_user()
    client.get("/login?lang=kk")
    sign_in(client, user.email, "palliare-demo")
    assert '<html lang="kk"' in text_of(client.get("/"))
    post_form(client, "/logout", {}, form_page="/")
    assert '<html lang="kk"' in text_of(client.get("/login"))


def test_a_cross_site_lang_link_does_not_change_the_profile(client, login):
    user = make_user(locale="en")
    login(user)
    page = text_of(client.get("/?lang=kk", headers={"Sec-Fetch-Site": "cross-site"}))
    assert '<html lang="kk"' in page  # this page, yes
    assert db.session.get(type(user), user.id).locale == "en"  # the profile, no


def test_arabic_pages_are_right_to_left(client):
    """Arabic (partly translated) is right-to-left: the page says so, and its translated
    strings show; the switcher does not offer it until 80% is translated."""
    html = text_of(client.get("/login?lang=ar"))
    assert '<html lang="ar" dir="rtl">' in html
    assert "تسجيل الدخول" in html  # "Sign in"
    switcher = html.split('id="lang-select"', 1)[1].split("</select>", 1)[0]
    assert 'value="ar"' in switcher  # the current language is always offered
    html = text_of(client.get("/login?lang=kk"))
    switcher = html.split('id="lang-select"', 1)[1].split("</select>", 1)[0]
    assert 'value="ar"' not in switcher and 'value="ru"' in switcher
    assert '<html lang="kk" dir="ltr">' in html


def test_plural_forms_follow_each_language(app):
    """Russian has three forms (1, 2, 5 certificates); Kazakh's catalog has two, but a noun
    after a numeral stays singular, so one text; Chinese one."""
    from flask_babel import force_locale, ngettext

    expected = {"ru": 3, "kk": 1, "zh_Hans": 1}
    with app.test_request_context("/"):
        for locale, count in expected.items():
            with force_locale(locale):
                forms = {
                    ngettext("%(num)d certificate", "%(num)d certificates", n).replace(str(n), "")
                    for n in (1, 2, 5, 21, 22, 25)
                }
            assert len(forms) == count, (locale, forms)
