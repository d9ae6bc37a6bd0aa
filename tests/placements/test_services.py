"""The placement state machine without HTTP: every transition, every refusal, and that a
refusal writes nothing."""

from datetime import date

import pytest
from sqlalchemy import func, select

from app.exceptions import PermissionDenied, ValidationFailed
from app.extensions import db
from app.notifications.models import Notification
from app.placements import services
from app.placements.models import Placement, PlacementStep, State
from tests.factories import make_completion, make_user
from tests.placements.conftest import offer_details


def _notified(user, variant=None) -> list[dict]:
    rows = db.session.scalars(
        select(Notification).where(
            Notification.recipient_id == user.id, Notification.kind == "placement"
        )
    )
    return [r.params for r in rows if variant is None or r.params.get("variant") == variant]


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _accepted(pw, person=None, starts_on=date(2030, 3, 2)) -> Placement:
    placement = services.nominate(pw.home_coordinator, pw.offer, person or pw.observer)
    services.select_placement(pw.admin, placement)
    services.accept(pw.host_coordinator, placement, starts_on, pw.supervisor)
    return placement


# --- Offers -------------------------------------------------------------------------------


def test_an_offer_keeps_its_details_and_supervisors(pw):
    offer = pw.offer
    assert offer.activities == ["ward_rounds", "home_visits"]
    assert offer.supervisors == [pw.supervisor]
    assert offer.host == pw.host and offer.programme == pw.programme


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"title": "  "}, "title"),
        ({"window_ends_on": date(2030, 2, 1)}, "window_ends_on"),
        ({"length_days": 90}, "length_days"),
        ({"places": 0}, "places"),
        ({"supervision_locale": "xx"}, "supervision_locale"),
        ({"activities": []}, "activities"),
        ({"activities": ["skydiving"]}, "activities"),
        ({"supervisor_emails": []}, "supervisors"),
    ],
)
def test_bad_offers_are_refused_with_the_field(pw, changes, field):
    before = _count(type(pw.offer))
    with pytest.raises(ValidationFailed) as refused:
        services.create_offer(pw.host_coordinator, offer_details(pw, **changes))
    assert refused.value.field == field
    assert _count(type(pw.offer)) == before


def test_a_supervisor_not_at_the_host_is_refused_by_address(pw):
    with pytest.raises(ValidationFailed) as refused:
        services.create_offer(
            pw.host_coordinator, offer_details(pw, supervisor_emails=[pw.colleague.email])
        )
    assert refused.value.field == "supervisors"
    assert pw.colleague.email in str(refused.value) and "Luleå" in str(refused.value)


def test_a_host_outside_the_programme_is_refused(pw):
    with pytest.raises(ValidationFailed) as refused:
        services.create_offer(pw.admin, offer_details(pw, host=pw.elsewhere, supervisor_emails=[]))
    assert refused.value.field == "programme"


@pytest.mark.parametrize("who", ["home_coordinator", "observer", "supervisor", "funder"])
def test_only_host_coordinators_and_admins_offer(pw, who):
    with pytest.raises(PermissionDenied):
        services.create_offer(getattr(pw, who), offer_details(pw))
    with pytest.raises(PermissionDenied):
        services.update_offer(getattr(pw, who), pw.offer, offer_details(pw, title="Changed"))
    assert services.create_offer(pw.admin, offer_details(pw)).id


def test_places_cannot_drop_below_those_taken(pw):
    _accepted(pw)
    placement = services.nominate(pw.home_coordinator, pw.offer, pw.colleague)
    services.select_placement(pw.admin, placement)
    with pytest.raises(ValidationFailed) as refused:
        services.update_offer(pw.host_coordinator, pw.offer, offer_details(pw, places=1))
    assert refused.value.field == "places"


# --- Nomination, application, endorsement -----------------------------------------------


def test_nomination_then_selection_then_acceptance(pw):
    placement = services.nominate(pw.home_coordinator, pw.offer, pw.observer)
    assert placement.state == State.NOMINATED
    assert _notified(pw.observer, "nominated") and _notified(pw.admin, "nominated")
    assert not _notified(pw.home_coordinator)  # never the one who acted
    services.select_placement(pw.admin, placement)
    assert placement.state == State.SELECTED
    assert _notified(pw.host_coordinator, "selected") and _notified(pw.home_coordinator, "selected")
    services.accept(pw.host_coordinator, placement, date(2030, 3, 10), pw.supervisor)
    assert placement.state == State.ACCEPTED
    assert (placement.starts_on, placement.ends_on) == (date(2030, 3, 10), date(2030, 3, 23))
    assert placement.supervisor == pw.supervisor
    accepted = _notified(pw.observer, "accepted")
    assert accepted and accepted[0]["starts_on"] == "2030-03-10"
    assert _notified(pw.supervisor, "accepted")
    history = [(s.state, s.actor_id) for s in placement.steps]
    assert history == [
        (State.NOMINATED, pw.home_coordinator.id),
        (State.SELECTED, pw.admin.id),
        (State.ACCEPTED, pw.host_coordinator.id),
    ]


def test_application_needs_the_coordinators_endorsement(pw):
    placement = services.apply(pw.observer, pw.offer)
    assert placement.state == State.APPLIED
    assert _notified(pw.home_coordinator, "applied")
    with pytest.raises(ValidationFailed):  # not endorsed yet
        services.select_placement(pw.admin, placement)
    with pytest.raises(PermissionDenied):
        services.endorse(pw.host_coordinator, placement)
    services.endorse(pw.home_coordinator, placement)
    assert placement.state == State.ENDORSED
    assert _notified(pw.observer, "endorsed")
    services.select_placement(pw.admin, placement)
    assert placement.state == State.SELECTED


@pytest.mark.parametrize("who", ["host_coordinator", "observer", "supervisor", "funder"])
def test_only_home_coordinators_nominate(pw, who):
    with pytest.raises(PermissionDenied):
        services.nominate(getattr(pw, who), pw.offer, pw.colleague)
    assert _count(Placement) == 0


def test_people_outside_the_programme_or_at_the_host_cannot_be_put_forward(pw):
    with pytest.raises(ValidationFailed, match="does not take part"):
        services.apply(pw.stranger, pw.offer)
    with pytest.raises(ValidationFailed, match="another institution"):
        services.apply(pw.supervisor, pw.offer)
    assert _count(Placement) == 0


def test_one_open_placement_per_person_and_offer(pw):
    services.nominate(pw.home_coordinator, pw.offer, pw.observer)
    with pytest.raises(ValidationFailed, match="already put forward"):
        services.apply(pw.observer, pw.offer)
    assert _count(Placement) == 1


def test_the_prerequisite_course_must_be_completed(pw, sample_course):
    from app.courses.queries import get_course

    course = get_course("sample-course")
    services.update_offer(pw.host_coordinator, pw.offer, offer_details(pw, prerequisite=course))
    with pytest.raises(ValidationFailed, match="must first complete"):
        services.nominate(pw.home_coordinator, pw.offer, pw.observer)
    make_completion(pw.observer.id, course.id)
    assert services.nominate(pw.home_coordinator, pw.offer, pw.observer).state == State.NOMINATED


# --- Selection and acceptance refusals --------------------------------------------------


def test_only_admins_select(pw):
    placement = services.nominate(pw.home_coordinator, pw.offer, pw.observer)
    for who in (pw.home_coordinator, pw.host_coordinator, pw.funder):
        with pytest.raises(PermissionDenied):
            services.select_placement(who, placement)
    assert placement.state == State.NOMINATED


def test_a_full_offer_is_refused(pw):
    services.update_offer(pw.host_coordinator, pw.offer, offer_details(pw, places=1))
    first = services.nominate(pw.home_coordinator, pw.offer, pw.observer)
    second = services.nominate(pw.home_coordinator, pw.offer, pw.colleague)
    services.select_placement(pw.admin, first)
    with pytest.raises(ValidationFailed, match="Every place"):
        services.select_placement(pw.admin, second)
    assert second.state == State.NOMINATED
    third = make_user(institution=pw.home)
    with pytest.raises(ValidationFailed, match="Every place"):
        services.nominate(pw.home_coordinator, pw.offer, third)


@pytest.mark.parametrize(
    "starts_on, message",
    [
        (date(2030, 2, 28), "window"),
        (date(2030, 4, 20), "window"),  # starts inside, ends after the window
        (None, "first day"),
    ],
)
def test_a_start_outside_the_window_is_refused(pw, starts_on, message):
    placement = services.nominate(pw.home_coordinator, pw.offer, pw.observer)
    services.select_placement(pw.admin, placement)
    steps = len(placement.steps)
    with pytest.raises(ValidationFailed, match=message) as refused:
        services.accept(pw.host_coordinator, placement, starts_on, pw.supervisor)
    assert refused.value.field == "starts_on"
    assert placement.state == State.SELECTED and placement.starts_on is None
    assert len(placement.steps) == steps


def test_fixed_dates_start_on_the_first_day(pw):
    services.update_offer(pw.host_coordinator, pw.offer, offer_details(pw, fixed_dates=True))
    placement = services.nominate(pw.home_coordinator, pw.offer, pw.observer)
    services.select_placement(pw.admin, placement)
    with pytest.raises(ValidationFailed, match="fixed dates"):
        services.accept(pw.host_coordinator, placement, date(2030, 3, 5), pw.supervisor)
    services.accept(pw.host_coordinator, placement, date(2030, 3, 1), pw.supervisor)


def test_a_supervisor_not_at_the_host_is_refused_on_acceptance(pw):
    placement = services.nominate(pw.home_coordinator, pw.offer, pw.observer)
    services.select_placement(pw.admin, placement)
    with pytest.raises(ValidationFailed, match="does not work at") as refused:
        services.accept(pw.host_coordinator, placement, date(2030, 3, 2), pw.home_coordinator)
    assert refused.value.field == "supervisor"
    assert placement.supervisor_id is None and placement.state == State.SELECTED


def test_overlapping_accepted_placements_are_refused(pw):
    _accepted(pw)
    other_offer = services.create_offer(
        pw.host_coordinator, offer_details(pw, title="Hospice observership")
    )
    placement = services.nominate(pw.home_coordinator, other_offer, pw.observer)
    services.select_placement(pw.admin, placement)
    with pytest.raises(ValidationFailed, match="already has an accepted placement"):
        services.accept(pw.host_coordinator, placement, date(2030, 3, 15), pw.supervisor)
    services.accept(
        pw.host_coordinator, placement, date(2030, 3, 16), pw.supervisor
    )  # the day after


def test_only_the_host_accepts(pw):
    placement = services.nominate(pw.home_coordinator, pw.offer, pw.observer)
    services.select_placement(pw.admin, placement)
    for who in (pw.home_coordinator, pw.supervisor, pw.observer):
        with pytest.raises(PermissionDenied):
            services.accept(who, placement, date(2030, 3, 2), pw.supervisor)


def test_illegal_transitions_say_so(pw):
    placement = services.nominate(pw.home_coordinator, pw.offer, pw.observer)
    with pytest.raises(ValidationFailed, match="not possible now"):
        services.accept(pw.host_coordinator, placement, date(2030, 3, 2), pw.supervisor)
    with pytest.raises(ValidationFailed, match="not possible now"):
        services.endorse(pw.home_coordinator, placement)
    services.select_placement(pw.admin, placement)
    with pytest.raises(ValidationFailed, match="not possible now"):
        services.select_placement(pw.admin, placement)


# --- Declining and withdrawing -----------------------------------------------------------


def test_declining_needs_a_reason_and_the_right_step(pw):
    placement = services.apply(pw.observer, pw.offer)
    with pytest.raises(ValidationFailed) as refused:
        services.decline(pw.home_coordinator, placement, "  ")
    assert refused.value.field == "reason"
    with pytest.raises(PermissionDenied):  # an application is the home coordinator's
        services.decline(pw.admin, placement, "No")
    services.decline(pw.home_coordinator, placement, "Not this year")
    assert placement.state == State.DECLINED
    assert placement.steps[-1].reason == "Not this year"
    assert _notified(pw.observer, "declined")[0]["reason"] == "Not this year"
    with pytest.raises(PermissionDenied):
        services.decline(pw.home_coordinator, placement, "Again")


def test_admins_decline_nominations_and_hosts_decline_selections(pw):
    nominated = services.nominate(pw.home_coordinator, pw.offer, pw.observer)
    with pytest.raises(PermissionDenied):
        services.decline(pw.host_coordinator, nominated, "No room")
    services.decline(pw.admin, nominated, "Budget")
    selected = services.nominate(pw.home_coordinator, pw.offer, pw.colleague)
    services.select_placement(pw.admin, selected)
    services.decline(pw.host_coordinator, selected, "No supervisor free")
    assert selected.state == State.DECLINED
    # a declined nomination frees the person to be put forward again
    assert services.nominate(pw.home_coordinator, pw.offer, pw.observer).state == State.NOMINATED


def test_withdrawing(pw):
    placement = _accepted(pw)
    with pytest.raises(PermissionDenied):
        services.withdraw(pw.host_coordinator, placement)
    services.withdraw(pw.observer, placement, "Family reasons")
    assert placement.state == State.WITHDRAWN
    assert _notified(pw.host_coordinator, "withdrawn") and _notified(pw.admin, "withdrawn")
    with pytest.raises(ValidationFailed, match="already closed"):
        services.withdraw(pw.home_coordinator, placement)
    assert _count(PlacementStep) == 4
