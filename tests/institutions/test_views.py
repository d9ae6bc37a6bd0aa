"""Administrators manage institutions and programmes; bad input changes nothing."""

from sqlalchemy import func, select

from app.auth.models import Role
from app.extensions import db
from app.institutions.models import Institution, Programme
from app.institutions.services import is_country
from tests.factories import make_institution, make_programme, make_user
from tests.helpers import post_form, text_of

INSTITUTION = {
    "name": "Karaganda Hospice",
    "country": "KZ",
    "city": "Karaganda",
    "timezone": "Asia/Almaty",
    "default_locale": "ru",
}


def test_admin_creates_and_edits_an_institution(client, login):
    login(make_user(roles=[Role.ADMIN]))
    assert post_form(client, "/admin/institutions/new", INSTITUTION).status_code == 302
    institution = db.session.scalar(select(Institution).where(Institution.city == "Karaganda"))
    assert (institution.country, institution.timezone) == ("KZ", "Asia/Almaty")
    url = f"/admin/institutions/{institution.id}/edit"
    assert post_form(client, url, {**INSTITUTION, "city": "Qaraghandy"}).status_code == 302
    assert db.session.get(Institution, institution.id).city == "Qaraghandy"


def test_institution_bad_input_is_refused_whole(client, login):
    login(make_user(roles=[Role.ADMIN]))
    make_institution(name="Karaganda Hospice")
    for bad in [
        {"timezone": "Mars/Olympus"},
        {"country": "XX"},
        {"default_locale": "tlh"},
        {"name": "x" * 201},
        {"name": "karaganda hospice"},
        {"city": ""},
    ]:
        response = post_form(client, "/admin/institutions/new", {**INSTITUTION, **bad})
        assert response.status_code == 400, bad
        assert 'class="error"' in text_of(response)
    assert db.session.scalar(select(func.count(Institution.id))) == 1


def test_admin_creates_a_programme_with_its_institutions(client, login):
    login(make_user(roles=[Role.ADMIN]))
    beijing, almaty = make_institution(), make_institution()
    form = {
        "name": "Train the trainers",
        "funding_organisation": "A Foundation",
        "target_trainees": "1000",
        "starts_on": "2026-01-01",
        "ends_on": "2028-12-31",
        "institutions": [beijing.id, almaty.id],
    }
    assert post_form(client, "/admin/programmes/new", form).status_code == 302
    programme = db.session.scalar(select(Programme))
    assert {i.id for i in programme.institutions} == {beijing.id, almaty.id}
    assert programme.target_trainees == 1000


def test_programme_bad_dates_and_targets_are_refused(client, login):
    login(make_user(roles=[Role.ADMIN]))
    base = {
        "name": "P",
        "funding_organisation": "F",
        "target_trainees": "10",
        "starts_on": "2026-01-01",
        "ends_on": "2028-12-31",
    }
    for bad in [
        {"ends_on": "2025-01-01"},
        {"target_trainees": "0"},
        {"target_trainees": "many"},
        {"starts_on": "31/12/2026"},
    ]:
        response = post_form(client, "/admin/programmes/new", {**base, **bad})
        assert response.status_code == 400, bad
    assert db.session.scalar(select(func.count(Programme.id))) == 0


def test_funder_page_shows_no_personal_data(client, login):
    institution = make_institution(name="Almaty Regional Hospital", default_locale="en")
    programme = make_programme([institution], target_trainees=1200)
    make_user(name="Private Person", institution=institution)
    login(make_user(roles=[(Role.FUNDER, programme)]))
    html = text_of(client.get(f"/programmes/{programme.id}"))
    assert "Almaty Regional Hospital" in html and "1,200 trainees" in html
    assert "Private Person" not in html


def test_coordinator_sees_their_people(client, login):
    institution = make_institution(default_locale="en")
    make_user(name="Colleague Nurse", institution=institution)
    make_user(name="Stranger", institution=make_institution())
    login(make_user(roles=[(Role.COORDINATOR, institution)], institution=institution))
    html = text_of(client.get(f"/institutions/{institution.id}"))
    assert "Colleague Nurse" in html and "Stranger" not in html


def test_the_country_list_offers_countries_only(client, login):
    """CLDR lists groupings and pseudo-regions beside countries; none of them is a
    place an institution can be (a first-time user found "European Union" and
    "Pseudo-Accents" in the list)."""
    login(make_user(roles=[Role.ADMIN]))
    page = client.get("/admin/institutions/new?lang=en").get_data(as_text=True)
    assert 'value="KZ"' in page and 'value="SE"' in page and 'value="CN"' in page
    for code in ("EU", "EZ", "UN", "XA", "XB", "ZZ", "QO"):
        assert f'value="{code}"' not in page
        assert not is_country(code)
    response = post_form(client, "/admin/institutions/new", {**INSTITUTION, "country": "EU"})
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(Institution.id))) == 0
