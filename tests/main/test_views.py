"""Home page and health check."""

from app.auth.models import Role
from tests.factories import make_institution, make_user
from tests.helpers import text_of


def test_healthz_answers_when_the_database_does(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_visitor_sees_the_landing_page(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Sign in" in text_of(response)


def test_coordinator_home_shows_their_institution(client, login):
    institution = make_institution(name="Almaty Regional Hospital", default_locale="en")
    coordinator = make_user(roles=[(Role.COORDINATOR, institution)], institution=institution)
    make_user(institution=institution)
    login(coordinator)
    html = text_of(client.get("/"))
    assert "Almaty Regional Hospital" in html
    assert "2 people" in html


def test_translator_home_shows_coverage_of_their_languages(client, login):
    login(make_user(roles=[(Role.TRANSLATOR, "kk"), (Role.TRANSLATOR, "sv")], locale="en"))
    html = text_of(client.get("/"))
    assert "Қазақ тілі: 100% of the interface translated" in html
    assert "Svenska: " in html


def test_funder_home_lists_their_programme_target(client, login):
    from tests.factories import make_programme

    programme = make_programme(name="Beijing programme", target_trainees=1000)
    login(make_user(roles=[(Role.FUNDER, programme)], locale="en"))
    html = text_of(client.get("/"))
    assert "Beijing programme" in html and "Target: 1,000 trainees" in html
