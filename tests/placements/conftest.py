"""A small placement world: a home institution (with a coordinator, two people and one
from elsewhere), a host (a coordinator and a supervisor), an administrator, a programme
both take part in and an open offer at the host."""

from dataclasses import dataclass
from datetime import date

import pytest

from app.auth.models import Role
from app.extensions import db
from app.placements.models import PlacementOffer
from app.placements.services import OfferDetails, create_offer
from tests.factories import make_institution, make_programme, make_user


@dataclass
class PlacementWorld:
    home: object
    host: object
    elsewhere: object
    programme: object
    admin: object
    home_coordinator: object
    observer: object
    colleague: object
    host_coordinator: object
    supervisor: object
    stranger: object
    funder: object
    offer: PlacementOffer


def offer_details(world, **changes) -> OfferDetails:
    fields = {
        "programme": world.programme,
        "host": world.host,
        "title": "Palliative ward observership",
        "window_starts_on": date(2030, 3, 1),
        "window_ends_on": date(2030, 4, 30),
        "length_days": 14,
        "places": 2,
        "supervision_locale": "en",
        "activities": ["ward_rounds", "home_visits"],
        "supervisor_emails": [world.supervisor.email],
    }
    fields.update(changes)
    return OfferDetails(**fields)


@pytest.fixture
def pw(app) -> PlacementWorld:
    home = make_institution(name="Almaty Hospice", default_locale="ru")
    host = make_institution(
        name="Luleå University Hospital", country="SE", city="Luleå",
        timezone="Europe/Stockholm", default_locale="sv",
    )  # fmt: skip
    elsewhere = make_institution(name="Elsewhere Clinic")
    programme = make_programme([home, host], name="Nordic–Kazakh exchange")
    admin = make_user(roles=[Role.ADMIN], name="Ada Admin")
    world = PlacementWorld(
        home=home, host=host, elsewhere=elsewhere, programme=programme, admin=admin,
        home_coordinator=make_user(
            roles=[(Role.COORDINATOR, home)], institution=home, name="Hana Home"
        ),
        observer=make_user(institution=home, name="Olga Observer", locale="ru"),
        colleague=make_user(institution=home, name="Kolya Colleague"),
        host_coordinator=make_user(
            roles=[(Role.COORDINATOR, host)], institution=host, name="Hugo Host"
        ),
        supervisor=make_user(institution=host, name="Sara Supervisor"),
        stranger=make_user(institution=elsewhere, name="Stan Stranger"),
        funder=make_user(roles=[(Role.FUNDER, programme)], name="Fay Funder"),
        offer=None,
    )  # fmt: skip
    world.offer = create_offer(world.host_coordinator, offer_details(world))
    db.session.commit()
    return world


def accept_placement(world, person=None, starts_on=date(2030, 3, 2)):
    """``person`` (the observer by default) nominated, selected and accepted from
    ``starts_on`` for the offer's 14 days, supervised by the world's supervisor."""
    from app.placements import services

    placement = services.nominate(world.home_coordinator, world.offer, person or world.observer)
    services.select_placement(world.admin, placement)
    services.accept(world.host_coordinator, placement, starts_on, world.supervisor)
    db.session.commit()
    return placement


@pytest.fixture
def accepted(pw):
    """The observer's accepted placement: 2–15 March 2030 at the host."""
    return accept_placement(pw)


def finish_placement(world, placement, days_present: int = 14):
    """``placement`` completed as its final assessment would: a final Assessment row by
    the supervisor (no ratings), then completion (its certificate included)."""
    from app.placements import completion
    from app.placements.models import Assessment, Stage

    db.session.add(
        Assessment(
            placement_id=placement.id,
            stage=Stage.FINAL,
            days_present=days_present,
            assessor_id=world.supervisor.id,
        )
    )
    db.session.flush()
    completion.complete(placement, world.supervisor)
