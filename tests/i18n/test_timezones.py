"""The time-zone picker: zones grouped by region, labelled with their city and offset, the
institution's zone and the current value first; one builder for every form."""

import re
from datetime import UTC, datetime

from babel import Locale

from app.admin.institution_forms import InstitutionForm
from app.auth.forms import JoinForm, ProfileForm
from app.conferences.forms import SeriesForm
from app.forms import TimeZoneField
from app.locales import timezone_choices, timezone_label
from tests.factories import make_institution, make_user
from tests.helpers import post_form, text_of

JULY = datetime(2026, 7, 1, 12, tzinfo=UTC)
JANUARY = datetime(2026, 1, 1, 12, tzinfo=UTC)


def _groups(html: str) -> list[str]:
    return re.findall(r'<optgroup label="([^"]*)"', html)


def _first_group(html: str) -> str:
    return html.split("<optgroup", 2)[1]


def test_labels_name_the_city_and_the_offset_in_force():
    english = Locale.parse("en")
    assert timezone_label("Asia/Singapore", english, JULY) == (
        "Asia/Singapore — Singapore (UTC+08:00)"
    )
    assert timezone_label("America/New_York", english, JULY).endswith("(UTC−04:00)")
    assert timezone_label("America/New_York", english, JANUARY).endswith("(UTC−05:00)")
    assert timezone_label("Asia/Kolkata", english, JULY).endswith("(UTC+05:30)")
    assert timezone_label("UTC", english, JULY) == "UTC"
    assert "Алматы" in timezone_label("Asia/Almaty", Locale.parse("ru"), JULY)


def test_zones_are_grouped_by_region_with_suggestions_first(app):
    with app.test_request_context("/"):
        groups = timezone_choices(["Asia/Almaty", "", "Asia/Almaty", "Nowhere/Else"])
    names = list(groups)
    assert names[0] == "Suggested"
    assert [value for value, _label in groups["Suggested"]] == ["Asia/Almaty"]
    assert {"Europe", "Asia", "Africa", "Americas", "Pacific Ocean"} <= set(names)
    assert all(v.startswith(("Europe/", "Arctic/")) for v, _l in groups["Europe"])
    every = [value for zones in list(groups.values())[1:] for value, _label in zones]
    assert len(every) == len(set(every)) > 400


def test_every_time_zone_field_uses_the_one_builder(app):
    for form in (JoinForm, ProfileForm, InstitutionForm, SeriesForm):
        assert isinstance(form.timezone.field_class, type) and issubclass(
            form.timezone.field_class, TimeZoneField
        ), form


def test_the_profile_offers_the_institutions_zone_first(client, login):
    institution = make_institution(timezone="Asia/Singapore", default_locale="en")
    login(make_user(institution=institution))
    html = text_of(client.get("/profile"))
    assert _groups(html)[0] == "Suggested"
    first = _first_group(html)
    assert "Use my institution" in first
    assert "Asia/Singapore — Singapore (UTC+08:00)" in first
    assert 'label="Europe"' in html and 'label="Asia"' in html


def test_a_chosen_zone_is_saved_and_then_suggested(client, login):
    user = make_user(institution=make_institution(timezone="Asia/Almaty", default_locale="en"))
    login(user)
    form = {"name": user.name, "profession": "nurse", "locale": "", "timezone": "Europe/Lisbon"}
    assert post_form(client, "/profile", form).status_code == 302
    html = text_of(client.get("/profile"))
    first = _first_group(html)
    assert 'selected value="Europe/Lisbon"' in first and "Asia/Almaty" in first


def test_a_zone_that_is_not_offered_is_refused(client, login):
    user = make_user()
    login(user)
    form = {"name": user.name, "profession": "nurse", "locale": "", "timezone": "Mars/Olympus"}
    response = post_form(client, "/profile", form)
    assert response.status_code == 400 and "Not a valid choice" in text_of(response)
