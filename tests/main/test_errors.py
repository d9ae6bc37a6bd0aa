"""Every HTTP error is the styled page in the visitor's language (never the framework's
bare English page); JSON clients get JSON."""

import pytest
from werkzeug.exceptions import ImATeapot, ServiceUnavailable, Unauthorized

from app.db_types import utcnow
from app.errors import MESSAGES, http_error
from app.extensions import db
from tests.quizzes.test_views import _completed

HOME_LINK_RU = "Перейти на главную страницу"  # "Go to the home page", already translated


def _styled(response, lang: str = "ru") -> str:
    """The page, once it is known to be the site's own layout in ``lang``."""
    html = response.get_data(as_text=True)
    assert response.content_type.startswith("text/html")
    assert f'<html lang="{lang}"' in html
    assert 'class="site-header"' in html and "css/app.css" in html
    assert HOME_LINK_RU in html
    return html


def test_a_revoked_certificates_pdf_is_a_styled_410(client, login, quiz_course):
    _user, certificate = _completed(client, login, quiz_course)
    certificate.revoked_at = utcnow()
    db.session.commit()
    response = client.get(f"/certificates/{certificate.code}/pdf?lang=ru")
    assert response.status_code == 410
    assert "Gone" not in _styled(response)


def test_a_wrong_method_is_a_styled_405_that_keeps_allow(client):
    response = client.post("/verify/?lang=ru")
    assert response.status_code == 405
    assert "Доступ запрещён" in _styled(response)  # "Not allowed"
    assert "GET" in response.headers["Allow"]


def test_a_too_large_request_is_a_styled_413(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 100)
    # Refused before the request's hooks run (?lang= among them): the browser's language.
    response = client.post("/login", data={"email": "x" * 500}, headers={"Accept-Language": "ru"})
    assert response.status_code == 413
    assert "Слишком большой объём" in _styled(response)  # "Too large"


def test_a_401_is_the_styled_page(app):
    with app.test_request_context("/?lang=ru"):
        app.preprocess_request()  # the hooks that choose the language
        response = http_error(Unauthorized())
    assert response.status_code == 401
    html = _styled(response)
    assert "Unauthorized" not in html


@pytest.mark.parametrize(
    ("error", "words"), [(ImATeapot(), MESSAGES[400]), (ServiceUnavailable(), None)]
)
def test_a_status_without_words_of_its_own_gets_its_class(app, error, words):
    with app.test_request_context("/"):
        app.preprocess_request()
        response = http_error(error)
    html = response.get_data(as_text=True)
    assert response.status_code == error.code and 'class="site-header"' in html
    assert error.name not in html
    if words:
        assert str(words[0]) in html


def test_a_json_client_keeps_json_errors(client):
    missing = client.get("/no-such-page", headers={"Accept": "application/json"})
    assert missing.status_code == 404 and missing.is_json
    assert missing.get_json() == {"error": str(MESSAGES[404][1]), "status": 404}
    api = client.post("/api/v1/programmes/1/report")  # the API answers JSON whatever Accept
    assert api.status_code == 405 and api.is_json and "GET" in api.headers["Allow"]
    browser = client.get("/no-such-page", headers={"Accept": "text/html,*/*;q=0.8"})
    assert browser.status_code == 404 and browser.content_type.startswith("text/html")
