"""Adoption: a coordinator records which published version their institution adopted,
from when and whom to ask; another replaces it; drafts, other institutions, contacts
from elsewhere and dates before the version takes effect are refused."""

from datetime import date

import pytest

from app.auth.models import Role
from app.exceptions import PermissionDenied, ValidationFailed
from app.extensions import db
from app.protocols import panels
from app.protocols.adoption import record_adoption
from tests.factories import make_institution, make_user
from tests.helpers import csrf_token, text_of
from tests.protocols.factories_translation import make_protocol, make_version

SLUG = "pain-at-home"
PAGE = f"/protocols/{SLUG}/adoption"


@pytest.fixture
def world(db):
    protocol = make_protocol(slug=SLUG)
    first = make_version(protocol, effective_on=date(2026, 1, 1))
    home, other = make_institution(), make_institution()
    coordinator = make_user(roles=[(Role.COORDINATOR, home)], institution_id=home.id)
    contact = make_user(institution_id=home.id, name="Dr Home")
    stranger = make_user(institution_id=other.id)
    db.session.commit()
    return {
        "protocol": protocol,
        "first": first,
        "home": home,
        "other": other,
        "coordinator": coordinator,
        "contact": contact,
        "stranger": stranger,
    }


def test_a_coordinator_records_and_then_replaces_their_institutions_adoption(world):
    w = world
    first = record_adoption(w["coordinator"], w["home"], w["first"], date(2026, 2, 1), w["contact"])
    second_version = make_version(w["protocol"], number=2, effective_on=date(2026, 6, 1))
    again = record_adoption(
        w["coordinator"], w["home"], second_version, date(2026, 6, 2), w["coordinator"]
    )
    assert again.id == first.id  # replaced, not added
    assert (again.version_id, again.adopted_on, again.contact_id) == (
        second_version.id,
        date(2026, 6, 2),
        w["coordinator"].id,
    )


@pytest.mark.parametrize(
    "change, field",
    [
        ("draft", "version"),
        ("early", "adopted_on"),
        ("foreign contact", "contact"),
        ("no contact", "contact"),
    ],
)
def test_bad_adoptions_are_refused_with_the_field(world, change, field):
    w = world
    version, day, contact = w["first"], date(2026, 2, 1), w["contact"]
    if change == "draft":
        version = make_version(w["protocol"], number=None)
    elif change == "early":
        day = date(2025, 12, 31)
    elif change == "foreign contact":
        contact = w["stranger"]
    else:
        contact = None
    with pytest.raises(ValidationFailed) as refused:
        record_adoption(w["coordinator"], w["home"], version, day, contact)
    assert refused.value.field == field


def test_another_institutions_adoption_is_refused(world):
    w = world
    with pytest.raises(PermissionDenied):
        record_adoption(w["coordinator"], w["other"], w["first"], date(2026, 2, 1), w["stranger"])
    admin = make_user(roles=[Role.ADMIN])
    assert record_adoption(admin, w["other"], w["first"], date(2026, 2, 1), w["stranger"])


def test_the_panel_lists_adoptions_and_says_when_a_newer_version_exists(world, app):
    w = world
    record_adoption(w["coordinator"], w["home"], w["first"], date(2026, 2, 1), w["contact"])
    newer = make_version(w["protocol"], number=2)
    with app.test_request_context():
        found = dict(panels.version_panels(newer, w["coordinator"]))
    panel = found["protocols/_adoption_panel.html"]
    [row] = panel["adoptions"]
    assert row["outdated"] and row["adoption"].contact.name == "Dr Home"
    assert panel["may_adopt"]
    with app.test_request_context():
        learner_view = dict(panels.version_panels(newer, w["stranger"]))
    assert not learner_view["protocols/_adoption_panel.html"]["may_adopt"]


def _post(client, world, **changes):
    data = {
        "csrf_token": csrf_token(client, PAGE),
        "institution": world["home"].id,
        "version": world["first"].id,
        "adopted_on": "2026-02-01",
        "contact": world["contact"].id,
    }
    data.update(changes)
    return client.post(PAGE, data=data)


def test_the_adoption_page_records_it(world, client, login):
    world["coordinator"].locale = "en"  # the page's words are read in English
    login(world["coordinator"])
    assert world["contact"].name in text_of(client.get(PAGE))
    response = _post(client, world)
    assert response.status_code == 303
    page = text_of(client.get(PAGE))
    assert "Version 1" in page and "Dr Home" in page


def test_the_adoption_page_refuses_with_a_clear_message(world, client, login):
    world["coordinator"].locale = "en"  # the messages are read in English
    login(world["coordinator"])
    early = _post(client, world, adopted_on="2025-06-01")
    assert early.status_code == 400 and "cannot be adopted before" in text_of(early)
    foreign = _post(client, world, contact=world["stranger"].id)
    assert foreign.status_code == 400 and "must belong to" in text_of(foreign)
    draft = make_version(world["protocol"], number=None)
    db.session.commit()
    assert _post(client, world, version=draft.id).status_code == 400
    assert _post(client, world, adopted_on="1 Feb").status_code == 400
    other = _post(client, world, institution=world["other"].id)
    assert other.status_code == 403 and "own institution" in text_of(other)


def test_the_adoption_page_is_for_coordinators_and_administrators(world, client, login):
    login(world["stranger"])
    assert client.get(PAGE).status_code == 403


def test_the_adoption_page_of_an_unpublished_protocol_is_404(world, client, login):
    make_protocol(slug="not-yet")
    db.session.commit()
    login(world["coordinator"])
    assert client.get("/protocols/not-yet/adoption").status_code == 404
