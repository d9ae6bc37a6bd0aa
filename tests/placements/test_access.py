"""Placements from the other side: a former member of the home institution, another
institution, the programme's funder, a supervisor of another placement, signed out."""

from datetime import date

from flask_login import AnonymousUserMixin
from sqlalchemy import select

from app.auth import permissions
from app.auth.models import Role
from app.auth.permissions import MANAGE, VIEW
from app.extensions import db
from app.placements import services
from app.placements.access import LETTER
from app.placements.models import Placement, PlacementOffer
from tests.factories import make_user


def _accepted(pw):
    placement = services.nominate(pw.home_coordinator, pw.offer, pw.observer)
    services.select_placement(pw.admin, placement)
    services.accept(pw.host_coordinator, placement, date(2030, 3, 2), pw.supervisor)
    db.session.commit()
    return placement


def _listed(user, model, obj, action=VIEW) -> bool:
    query = select(model.id).where(model.id == obj.id)
    return db.session.scalar(permissions.scope(user, query, model, action)) is not None


def test_the_observer_leaving_home_takes_their_coordinator_out(pw):
    placement = _accepted(pw)
    assert permissions.can(pw.home_coordinator, VIEW, placement)
    pw.observer.institution_id = pw.elsewhere.id
    db.session.flush()
    assert not permissions.can(pw.home_coordinator, VIEW, placement)
    assert not _listed(pw.home_coordinator, Placement, placement)
    assert permissions.can(pw.observer, LETTER, placement)  # still their own


def test_a_coordinator_who_loses_the_role_sees_no_more(pw):
    placement = _accepted(pw)
    host = pw.host_coordinator
    host.role_assignments = [a for a in host.role_assignments if a.role != Role.COORDINATOR]
    db.session.flush()
    assert not permissions.can(host, VIEW, placement)
    assert not permissions.can(host, MANAGE, pw.offer)
    assert not _listed(host, PlacementOffer, pw.offer, MANAGE)


def test_funders_others_and_signed_out_visitors_see_no_placement(pw):
    placement = _accepted(pw)
    other_supervisor = make_user(institution=pw.host)
    other_coordinator = make_user(
        roles=[(Role.COORDINATOR, pw.elsewhere)], institution=pw.elsewhere
    )
    for user in (pw.funder, pw.stranger, pw.colleague, other_supervisor, other_coordinator):
        assert not permissions.can(user, VIEW, placement), user.name
        assert not _listed(user, Placement, placement), user.name
        assert not permissions.can(user, LETTER, placement)
    assert not permissions.can(AnonymousUserMixin(), VIEW, placement)
    assert not permissions.can(pw.funder, VIEW, pw.offer)  # aggregates only (later)
    assert not permissions.can(pw.stranger, VIEW, pw.offer)


def test_signed_out_visitors_are_sent_to_sign_in(pw, client):
    placement = _accepted(pw)
    for url in (
        "/placements/",
        f"/placements/{placement.id}",
        f"/placements/{placement.id}/letter.pdf",
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
