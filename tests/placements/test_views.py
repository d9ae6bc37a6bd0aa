"""Placement pages over HTTP: the offer form (and its refusals), nominating, each step,
the lists filtered to the viewer, and the letter."""

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.placements import services
from app.placements.models import Placement, PlacementOffer, State
from tests.helpers import post_form, text_of

OFFER_FORM = {
    "title": "Hospice observership",
    "programme": None,
    "host": None,
    "window_starts_on": "2030-05-01",
    "window_ends_on": "2030-05-31",
    "length_days": "14",
    "places": "1",
    "supervision_locale": "sv",
    "activities": ["hospice", "team_meetings"],
    "prerequisite": "0",
    "supervisors": "",
}


def _offer_form(pw, **changes) -> dict:
    data = OFFER_FORM | {"programme": pw.programme.id, "host": pw.host.id}
    data["supervisors"] = pw.supervisor.email
    return data | changes


@pytest.fixture
def english(pw):
    """Everyone reads the pages in English: these tests quote the English words (the
    people's own languages, Russian and Swedish, are tested where the language matters)."""
    people = (pw.admin, pw.home_coordinator, pw.observer, pw.colleague, pw.host_coordinator,
              pw.supervisor, pw.stranger, pw.funder)  # fmt: skip
    for person in people:
        person.locale = "en"
    db.session.commit()


def _as(app, user):
    """A client signed in as ``user`` (several people take turns in one test)."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    return client


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_host_coordinator_offers_a_placement(pw, client, login):
    login(pw.host_coordinator)
    response = post_form(client, "/placements/offers/new", _offer_form(pw))
    assert response.status_code == 302
    offer = db.session.scalar(select(PlacementOffer).order_by(PlacementOffer.id.desc()))
    assert offer.title == "Hospice observership" and offer.supervisors == [pw.supervisor]
    assert offer.activities == ["team_meetings", "hospice"]  # codes, in the list's order
    page = text_of(client.get(response.headers["Location"]))  # in Swedish, the host's
    assert "Hospice observership" in page and "Svenska" in page


def test_a_supervisor_elsewhere_is_refused_on_the_form(english, pw, client, login):
    login(pw.host_coordinator)
    before = _count(PlacementOffer)
    response = post_form(
        client, "/placements/offers/new", _offer_form(pw, supervisors=pw.colleague.email)
    )
    assert response.status_code == 400
    assert "Supervisors must work at Luleå University Hospital" in text_of(response)
    assert pw.colleague.email in text_of(response)
    assert _count(PlacementOffer) == before


def test_a_home_coordinator_cannot_offer_at_the_host(pw, client, login):
    login(pw.home_coordinator)
    response = post_form(client, "/placements/offers/new", _offer_form(pw))
    assert response.status_code == 400  # the host is not among their choices
    assert _count(PlacementOffer) == 1
    assert client.get(f"/placements/offers/{pw.offer.id}/edit").status_code == 403


def test_learners_may_not_reach_the_offer_form(pw, client, login):
    login(pw.observer)
    assert client.get("/placements/offers/new").status_code == 403


def test_the_offers_list_shows_what_the_viewer_may_see(english, pw, client, login):
    login(pw.observer)
    assert pw.offer.title in text_of(client.get("/placements/"))
    client = _as(client.application, pw.stranger)
    page = text_of(client.get("/placements/"))
    assert pw.offer.title not in page and "No placements are offered" in page
    assert client.get(f"/placements/offers/{pw.offer.id}").status_code == 404


def test_nominate_select_accept_over_http(english, pw, client, login, app):
    login(pw.home_coordinator)
    url = f"/placements/offers/{pw.offer.id}"
    response = post_form(client, f"{url}/nominate", {"person": pw.observer.id}, form_page=url)
    assert response.status_code == 302
    placement = db.session.scalar(select(Placement))
    page_url = f"/placements/{placement.id}"
    assert "Nominated" in text_of(client.get(page_url))
    # the home coordinator may not select: the service says so
    assert "Select</button>" not in text_of(client.get(page_url))
    client = _as(app, pw.admin)
    response = post_form(client, f"{page_url}/select", {}, form_page=page_url)
    assert response.status_code == 302
    client = _as(app, pw.host_coordinator)
    bad = post_form(
        client, f"{page_url}/accept",
        {"starts_on": "2030-06-01", "supervisor": pw.supervisor.id}, form_page=page_url,
    )  # fmt: skip
    assert bad.status_code == 400 and "do not fit in the offer" in text_of(bad)
    good = post_form(
        client, f"{page_url}/accept",
        {"starts_on": "2030-03-04", "supervisor": pw.supervisor.id}, form_page=page_url,
    )  # fmt: skip
    assert good.status_code == 302
    db.session.refresh(placement)
    assert placement.state == State.ACCEPTED
    page = text_of(client.get(page_url))
    assert "Hana Home" in page and "Ada Admin" in page and "Hugo Host" in page  # the history
    letter = client.get(f"{page_url}/letter.pdf")
    assert letter.status_code == 200 and letter.mimetype == "application/pdf"


def test_a_step_not_theirs_is_refused(pw, client, login):
    placement = services.nominate(pw.home_coordinator, pw.offer, pw.observer)
    db.session.commit()
    login(pw.observer)
    page_url = f"/placements/{placement.id}"
    response = post_form(client, f"{page_url}/select", {}, form_page=page_url)
    assert response.status_code == 403
    assert db.session.get(Placement, placement.id).state == State.NOMINATED


def test_declining_without_a_reason_says_where(english, pw, client, login):
    placement = services.apply(pw.observer, pw.offer)
    db.session.commit()
    login(pw.home_coordinator)
    page_url = f"/placements/{placement.id}"
    response = post_form(client, f"{page_url}/decline", {"reason": ""}, form_page=page_url)
    assert response.status_code == 400 and "Say why" in text_of(response)
    response = post_form(client, f"{page_url}/decline", {"reason": "Next year"}, form_page=page_url)
    assert response.status_code == 302


def test_applying_and_my_placements(english, pw, client, login):
    login(pw.observer)
    url = f"/placements/offers/{pw.offer.id}"
    response = post_form(client, f"{url}/apply", {}, form_page=url)
    assert response.status_code == 302
    mine = text_of(client.get("/placements/mine"))
    assert pw.offer.title in mine and "Applied" in mine
    again = post_form(client, url + "/apply", {}, form_page="/placements/")
    assert again.status_code == 400 and "already put forward" in text_of(again)


def test_the_letter_waits_for_acceptance(pw, client, login):
    placement = services.nominate(pw.home_coordinator, pw.offer, pw.observer)
    db.session.commit()
    login(pw.observer)
    assert client.get(f"/placements/{placement.id}/letter.pdf").status_code == 403


def test_the_menu_links_observerships(pw, client, login):
    login(pw.observer)
    assert 'href="/placements/"' in text_of(client.get("/"))


def test_hosts_are_not_offered_to_nominate_their_own_staff(english, pw, client, login):
    login(pw.host_coordinator)
    page = text_of(client.get(f"/placements/offers/{pw.offer.id}"))
    assert "Nominate someone" not in page and "Edit the offer" in page


def test_an_unknown_step_is_not_found(pw, client, login):
    placement = services.nominate(pw.home_coordinator, pw.offer, pw.observer)
    db.session.commit()
    login(pw.observer)
    page_url = f"/placements/{placement.id}"
    assert post_form(client, f"{page_url}/teleport", {}, form_page=page_url).status_code == 404
