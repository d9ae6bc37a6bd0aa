"""The reporting API: tokens (scoped, revocable), the same figures as the dashboard, and
an OpenAPI document that validates and describes the real responses."""

import jsonschema
import pytest
from openapi_spec_validator import validate

from app.auth.models import Role
from app.dashboards import openapi, queries, tokens
from app.extensions import db
from tests.dashboards.test_programme import _world
from tests.factories import make_programme, make_user
from tests.helpers import post_form, text_of


def _get(client, url, secret):
    return client.get(url, headers={"Authorization": f"Bearer {secret}"})


def _schema(name: str) -> dict:
    document = openapi.document()
    return {"$ref": f"#/components/schemas/{name}", "components": document["components"]}


def test_the_openapi_document_validates(client):
    document = client.get("/api/v1/openapi.json").get_json()
    validate(document)  # raises if it is not a valid OpenAPI document
    assert "/api/v1/programmes/{programme_id}/report" in document["paths"]


def test_a_funders_token_reads_its_programme_as_the_page_shows_it(sample_course, client):
    programme, _big, _small = _world(sample_course)
    funder = make_user(roles=[(Role.FUNDER, programme)])
    _token, secret = tokens.create_token(funder, "Board report")
    db.session.commit()
    response = _get(client, f"/api/v1/programmes/{programme.id}/report?lang=en", secret)
    assert response.status_code == 200
    body = response.get_json()
    jsonschema.validate(body, _schema("ProgrammeReport"))
    assert body["finished"] == {"value": 5, "suppressed": False, "rounded_to": 5}  # 7, rounded
    institutions = next(t for t in body["tables"] if t["key"] == "institutions")
    assert all(row[3]["suppressed"] and row[3]["value"] is None for row in institutions["rows"])
    assert institutions["total"][3] == {"value": 5, "suppressed": False, "rounded_to": 5}
    other = make_programme()
    assert _get(client, f"/api/v1/programmes/{other.id}/report", secret).status_code == 404


def test_tokens_are_needed_and_can_be_revoked(sample_course, client, login):
    programme, _big, _small = _world(sample_course)
    funder = make_user(roles=[(Role.FUNDER, programme)])
    url = f"/api/v1/programmes/{programme.id}/report"
    assert client.get(url).status_code == 401
    assert _get(client, url, "pal_not-a-token").status_code == 401
    login(funder)
    html = text_of(post_form(client, "/dashboards/tokens", {"name": "Quarterly"}))
    secret = html.split('readonly value="', 1)[1].split('"', 1)[0]
    assert secret.startswith("pal_") and _get(client, url, secret).status_code == 200
    token = queries.list_tokens(funder)[0]
    post_form(client, f"/dashboards/tokens/{token.id}/revoke", {}, form_page="/dashboards/tokens")
    assert _get(client, url, secret).status_code == 401


def test_a_coordinators_token_reads_only_their_institution(sample_course, client):
    _programme, big, small = _world(sample_course)
    coordinator = make_user(roles=[(Role.COORDINATOR, big)], institution=big)
    _token, secret = tokens.create_token(coordinator, "Ward report")
    db.session.commit()
    body = _get(client, f"/api/v1/institutions/{big.id}/report?lang=en", secret).get_json()
    jsonschema.validate(body, _schema("InstitutionReport"))
    assert _get(client, f"/api/v1/institutions/{small.id}/report", secret).status_code == 404


def test_errors_are_json_and_described(sample_course, client):
    programme, _big, _small = _world(sample_course)
    funder = make_user(roles=[(Role.FUNDER, programme)])
    _token, secret = tokens.create_token(funder, "Board report")
    db.session.commit()
    url = f"/api/v1/programmes/{programme.id}/report?lang=en"
    error = _schema("Error")
    refused = [
        ("since=2026-13", "since"),
        ("profession=astronaut", "profession"),
        ("cohort=one", "cohort"),
        ("since=2026-06&until=2026-01", "since"),
    ]
    for query, parameter in refused:
        response = _get(client, f"{url}&{query}", secret)
        assert response.status_code == 400 and response.is_json, query
        jsonschema.validate(response.get_json(), error)
        assert response.get_json()["parameter"] == parameter
    for response, status in (
        (_get(client, "/api/v1/programmes/99999/report", secret), 404),
        (client.get(url), 401),
    ):
        assert response.status_code == status and response.is_json
        jsonschema.validate(response.get_json(), error)
    body = _get(client, f"{url}&since=2020-01&until=2099-12&language=en", secret).get_json()
    jsonschema.validate(body, _schema("ProgrammeReport"))
    assert any("completion rule v" in d["term"] for d in body["definitions"])
    described = {p["name"] for p in openapi_document(client)["paths"][
        "/api/v1/programmes/{programme_id}/report"]["get"]["parameters"]}  # fmt: skip
    assert {
        "institution",
        "profession",
        "course",
        "cohort",
        "language",
        "since",
        "until",
    } <= described


def openapi_document(client) -> dict:
    return client.get("/api/v1/openapi.json").get_json()


@pytest.mark.parametrize("lang", ["en", "ru", "zh_Hans"])
def test_the_token_page_shows_the_header_to_send(client, login, lang):
    """'<token>' is text to read, not a tag: it used to vanish ("Authorization: Bearer .")."""
    login(make_user(roles=[Role.ADMIN]))
    html = client.get(f"/dashboards/tokens?lang={lang}").get_data(as_text=True)
    assert "Authorization: Bearer &lt;token&gt;" in html


def test_revoking_a_token_asks_first_and_says_it_cannot_be_undone(sample_course, client, login):
    programme, _big, _small = _world(sample_course)
    funder = make_user(roles=[(Role.FUNDER, programme)])
    token, secret = tokens.create_token(funder, "Board report")
    db.session.commit()
    url = f"/api/v1/programmes/{programme.id}/report"
    login(funder)
    listing = text_of(client.get("/dashboards/tokens"))
    assert f'href="/dashboards/tokens/{token.id}/revoke"' in listing  # a link, not a POST
    question = text_of(client.get(f"/dashboards/tokens/{token.id}/revoke"))
    assert "Board report" in question and "cannot be undone" in question
    assert _get(client, url, secret).status_code == 200  # asking changed nothing
    response = post_form(client, f"/dashboards/tokens/{token.id}/revoke", {})
    assert response.status_code == 303 and response.headers["Location"].endswith(
        "/dashboards/tokens"
    )
    assert "is revoked" in text_of(client.get("/dashboards/tokens"))
    assert _get(client, url, secret).status_code == 401
    again = text_of(client.get(f"/dashboards/tokens/{token.id}/revoke"))
    assert "was revoked on" in again and "<button" not in again.split("<main", 1)[1]


def test_nobody_else_may_see_or_revoke_a_token(sample_course, client, login):
    programme, _big, _small = _world(sample_course)
    owner = make_user(roles=[(Role.FUNDER, programme)])
    token, secret = tokens.create_token(owner, "Board report")
    db.session.commit()
    login(make_user(roles=[(Role.FUNDER, programme)]))  # a fellow funder
    assert client.get(f"/dashboards/tokens/{token.id}/revoke").status_code == 404
    response = post_form(
        client, f"/dashboards/tokens/{token.id}/revoke", {}, form_page="/dashboards/tokens"
    )
    assert response.status_code == 404
    url = f"/api/v1/programmes/{programme.id}/report"
    assert _get(client, url, secret).status_code == 200
