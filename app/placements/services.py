"""Placement offers and the state machine of a placement.

    nominated ─┐
    applied → endorsed ─→ selected → accepted
    (any open state) → declined (with a reason) | withdrawn

A home coordinator's nomination is their endorsement, so a nomination goes straight to
selection. Each transition is one function: it checks who acts and from which state,
validates everything *before* writing (nothing half-written), records a step and
notifies the people it concerns. Services flush, never commit.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.auth.permissions import MANAGE, require
from app.courses.models import Course
from app.exceptions import PermissionDenied, ValidationFailed
from app.extensions import db
from app.institutions.models import Institution, Programme
from app.learning import queries as learning_queries
from app.locales import supported_locales
from app.placements import queries
from app.placements.access import (
    is_home_coordinator,
    is_host_coordinator,
    is_programme_admin,
    may_run_offer,
)
from app.placements.models import (
    ACTIVITIES,
    ENDED,
    Placement,
    PlacementOffer,
    PlacementStep,
    State,
)
from app.placements.notices import tell_each_once

MAX_LENGTH_DAYS = 366


@dataclass
class OfferDetails:
    programme: Programme
    host: Institution
    title: str
    window_starts_on: date
    window_ends_on: date
    length_days: int
    places: int
    supervision_locale: str
    activities: list[str] = field(default_factory=list)
    supervisor_emails: list[str] = field(default_factory=list)
    prerequisite: Course | None = None
    fixed_dates: bool = False


# --- Offers -----------------------------------------------------------------------------


def create_offer(actor: User, details: OfferDetails) -> PlacementOffer:
    offer = PlacementOffer(host_institution_id=details.host.id, created_by_id=actor.id)
    if not may_run_offer(actor, offer):
        raise PermissionDenied(
            _l("Only the host's coordinators and administrators offer placements there.")
        )
    supervisors = _check_offer(details)
    _fill(offer, details, supervisors)
    db.session.add(offer)
    db.session.flush()
    return offer


def update_offer(actor: User, offer: PlacementOffer, details: OfferDetails) -> None:
    require(actor, MANAGE, offer)
    if details.host.id != offer.host_institution_id and not may_run_offer(
        actor, PlacementOffer(host_institution_id=details.host.id)
    ):
        raise PermissionDenied(
            _l("Only the host's coordinators and administrators offer placements there.")
        )
    supervisors = _check_offer(details)
    held = queries.count_holding_places(offer)
    if details.places < held:
        raise ValidationFailed(
            _l("%(num)d places are already taken: offer at least that many.", num=held), "places"
        )
    _fill(offer, details, supervisors)
    db.session.flush()


def _check_offer(details: OfferDetails) -> list[User]:
    """Every rule an offer keeps; its supervisors (all at the host) when it keeps them."""
    if not details.title.strip():
        raise ValidationFailed(_l("Give the placement a title."), "title")
    if details.host not in details.programme.institutions:
        raise ValidationFailed(
            _l(
                "%(host)s does not take part in the programme %(programme)s.",
                host=details.host.name,
                programme=details.programme.name,
            ),
            "programme",
        )
    if details.window_ends_on < details.window_starts_on:
        raise ValidationFailed(
            _l("The window must end on or after its first day."), "window_ends_on"
        )
    if not 1 <= details.length_days <= MAX_LENGTH_DAYS:
        raise ValidationFailed(_l("A placement lasts from 1 to 366 days."), "length_days")
    window_days = (details.window_ends_on - details.window_starts_on).days + 1
    if details.length_days > window_days:
        raise ValidationFailed(
            _l(
                "%(num)d days do not fit in a window of %(days)d days.",
                num=details.length_days,
                days=window_days,
            ),
            "length_days",
        )
    if details.places < 1:
        raise ValidationFailed(_l("Offer at least one place."), "places")
    if details.supervision_locale not in supported_locales():
        raise ValidationFailed(_l("Choose a language of supervision."), "supervision_locale")
    unknown = [code for code in details.activities if code not in ACTIVITIES]
    if unknown or not details.activities:
        raise ValidationFailed(_l("Choose what the observer will see."), "activities")
    emails = sorted({e.strip().lower() for e in details.supervisor_emails if e.strip()})
    if not emails:
        raise ValidationFailed(_l("Name at least one supervisor."), "supervisors")
    supervisors, elsewhere = queries.users_at(details.host.id, emails)
    if elsewhere:
        raise ValidationFailed(
            _l(
                "Supervisors must work at %(host)s; these addresses are not of anyone "
                "there: %(emails)s",
                host=details.host.name,
                emails=", ".join(elsewhere),
            ),
            "supervisors",
        )
    return supervisors


def _fill(offer: PlacementOffer, details: OfferDetails, supervisors: list[User]) -> None:
    offer.programme_id = details.programme.id
    offer.host_institution_id = details.host.id
    offer.title = details.title.strip()
    offer.window_starts_on = details.window_starts_on
    offer.window_ends_on = details.window_ends_on
    offer.fixed_dates = details.fixed_dates
    offer.length_days = details.length_days
    offer.places = details.places
    offer.supervision_locale = details.supervision_locale
    offer.activities = [code for code in ACTIVITIES if code in details.activities]
    offer.prerequisite_course_id = details.prerequisite.id if details.prerequisite else None
    offer.supervisors = supervisors


# --- The steps of a placement -----------------------------------------------------------


def nominate(coordinator: User, offer: PlacementOffer, person: User) -> Placement:
    """A home coordinator puts one of their people forward (their endorsement too)."""
    if not (is_home_coordinator(coordinator, person) or is_programme_admin(coordinator)):
        raise PermissionDenied(
            _l("You may nominate only people of the institutions you coordinate.")
        )
    _check_candidate(offer, person)
    placement = _start(offer, person, State.NOMINATED, coordinator)
    _tell([person, *queries.administrators()], placement, "nominated", coordinator)
    return placement


def apply(person: User, offer: PlacementOffer) -> Placement:
    """A person applies; their coordinator endorses (or declines) it."""
    _check_candidate(offer, person)
    placement = _start(offer, person, State.APPLIED, person)
    _tell(queries.coordinators_of(person.institution_id), placement, "applied", person)
    return placement


def endorse(coordinator: User, placement: Placement) -> None:
    if not is_home_coordinator(coordinator, placement.observer):
        raise PermissionDenied(_l("Only the coordinators of the applicant's institution endorse."))
    _expect(placement, State.APPLIED)
    _step(placement, State.ENDORSED, coordinator)
    _tell([placement.observer, *queries.administrators()], placement, "endorsed", coordinator)


def select_placement(admin: User, placement: Placement) -> None:
    if not is_programme_admin(admin):
        raise PermissionDenied(_l("Only the programme's administrators select observers."))
    _expect(placement, State.NOMINATED, State.ENDORSED)
    offer = placement.offer
    if queries.count_holding_places(offer) >= offer.places:
        raise ValidationFailed(_l("Every place on this offer is taken."))
    _step(placement, State.SELECTED, admin)
    concerned = [
        placement.observer,
        *queries.coordinators_of(placement.observer.institution_id),
        *queries.coordinators_of(offer.host_institution_id),
    ]
    _tell(concerned, placement, "selected", admin)


def accept(host: User, placement: Placement, starts_on: date, supervisor: User | None) -> None:
    """The host takes the observer from ``starts_on`` for the offer's length."""
    offer = placement.offer
    if not (is_host_coordinator(host, offer) or is_programme_admin(host)):
        raise PermissionDenied(_l("Only the host's coordinators accept observers."))
    _expect(placement, State.SELECTED)
    ends_on = _check_dates(placement, starts_on)
    if supervisor is None:
        raise ValidationFailed(_l("Choose the observer's supervisor."), "supervisor")
    if supervisor.institution_id != offer.host_institution_id:
        raise ValidationFailed(
            _l(
                "%(name)s does not work at %(host)s: choose a supervisor there.",
                name=supervisor.name,
                host=offer.host.name,
            ),
            "supervisor",
        )
    if queries.count_holding_places(offer, besides=placement) >= offer.places:
        raise ValidationFailed(_l("Every place on this offer is taken."))
    placement.starts_on, placement.ends_on = starts_on, ends_on
    placement.supervisor_id = supervisor.id
    _step(placement, State.ACCEPTED, host)
    concerned = [
        placement.observer,
        supervisor,
        *queries.coordinators_of(placement.observer.institution_id),
        *queries.administrators(),
    ]
    _tell(concerned, placement, "accepted", host, starts_on=starts_on.isoformat())


def decline(actor: User, placement: Placement, reason: str) -> None:
    """Refuse at the step the actor owns: the home coordinator an application, the
    administrators a nomination or endorsement, the host a selection."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_l("Say why: the people concerned will read it."), "reason")
    if not may_decline(actor, placement):
        raise PermissionDenied(_l("You may not decline this placement at this step."))
    _step(placement, State.DECLINED, actor, reason)
    concerned = [placement.observer, *queries.coordinators_of(placement.observer.institution_id)]
    _tell(concerned, placement, "declined", actor, reason=reason)


def withdraw(actor: User, placement: Placement, reason: str = "") -> None:
    """The observer or their coordinator withdraws, at any step before the end."""
    if not (placement.observer_id == actor.id or is_home_coordinator(actor, placement.observer)):
        raise PermissionDenied(_l("Only the observer or their coordinator withdraws."))
    if placement.state in ENDED:
        raise ValidationFailed(_l("This placement is already closed."))
    was = placement.state
    _step(placement, State.WITHDRAWN, actor, (reason or "").strip() or None)
    concerned = [placement.observer, *queries.administrators()]
    if was in (State.SELECTED, State.ACCEPTED):
        concerned += queries.coordinators_of(placement.offer.host_institution_id)
    _tell(concerned, placement, "withdrawn", actor, reason=(reason or "").strip())


# --- What the pages offer each viewer -----------------------------------------------


def may_endorse(user: User, placement: Placement) -> bool:
    return placement.state == State.APPLIED and is_home_coordinator(user, placement.observer)


def may_select(user: User, placement: Placement) -> bool:
    return placement.state in (State.NOMINATED, State.ENDORSED) and is_programme_admin(user)


def may_accept(user: User, placement: Placement) -> bool:
    return placement.state == State.SELECTED and (
        is_host_coordinator(user, placement.offer) or is_programme_admin(user)
    )


def may_decline(user: User, placement: Placement) -> bool:
    if placement.state == State.APPLIED:
        return is_home_coordinator(user, placement.observer)
    if placement.state in (State.NOMINATED, State.ENDORSED):
        return is_programme_admin(user)
    if placement.state == State.SELECTED:
        return is_host_coordinator(user, placement.offer) or is_programme_admin(user)
    return False


def may_withdraw(user: User, placement: Placement) -> bool:
    return placement.state not in ENDED and (
        placement.observer_id == user.id or is_home_coordinator(user, placement.observer)
    )


# --- Helpers --------------------------------------------------------------------------


def _check_candidate(offer: PlacementOffer, person: User) -> None:
    if not queries.programme_takes_part(offer.programme_id, person.institution_id):
        raise ValidationFailed(
            _l(
                "%(name)s's institution does not take part in %(programme)s.",
                name=person.name,
                programme=offer.programme.name,
            ),
            "person",
        )
    if person.institution_id == offer.host_institution_id:
        raise ValidationFailed(
            _l("Observers come from another institution than the host."), "person"
        )
    if queries.open_placement_on(offer, person) is not None:
        raise ValidationFailed(
            _l("%(name)s is already put forward for this placement.", name=person.name), "person"
        )
    course = offer.prerequisite
    if course is not None and learning_queries.get_completion(person, course) is None:
        raise ValidationFailed(
            _l(
                "%(name)s must first complete the course “%(course)s”.",
                name=person.name,
                course=course.title(person.locale or "en"),
            ),
            "person",
        )
    if queries.count_holding_places(offer) >= offer.places:
        raise ValidationFailed(_l("Every place on this offer is taken."))


def _check_dates(placement: Placement, starts_on: date | None) -> date:
    """The last day of a placement starting ``starts_on``, if it fits its offer and the
    observer's other accepted placements."""
    offer = placement.offer
    if starts_on is None:
        raise ValidationFailed(_l("Enter the first day."), "starts_on")
    ends_on = starts_on + timedelta(days=offer.length_days - 1)
    if offer.fixed_dates and starts_on != offer.window_starts_on:
        raise ValidationFailed(
            _l("This placement has fixed dates: it starts on its first day."), "starts_on"
        )
    if starts_on < offer.window_starts_on or ends_on > offer.window_ends_on:
        raise ValidationFailed(
            _l(
                "The %(num)d days from that day do not fit in the offer's window.",
                num=offer.length_days,
            ),
            "starts_on",
        )
    other = queries.overlapping_accepted(placement.observer, starts_on, ends_on, placement)
    if other is not None:
        raise ValidationFailed(
            _l(
                "%(name)s already has an accepted placement on those days (“%(title)s”).",
                name=placement.observer.name,
                title=other.offer.title,
            ),
            "starts_on",
        )
    return ends_on


def _start(offer: PlacementOffer, person: User, state: State, actor: User) -> Placement:
    placement = Placement(offer=offer, observer=person, state=state)
    db.session.add(placement)
    placement.steps.append(PlacementStep(state=state, actor_id=actor.id))
    db.session.flush()
    return placement


def _expect(placement: Placement, *states: State) -> None:
    if placement.state not in states:
        raise ValidationFailed(
            _l(
                "This placement is %(state)s: that step is not possible now.",
                state=placement.state_label,
            )
        )


def _step(placement: Placement, state: State, actor: User, reason: str | None = None) -> None:
    placement.state = state
    placement.steps.append(PlacementStep(state=state, actor_id=actor.id, reason=reason))
    db.session.flush()


def _tell(people, placement: Placement, variant: str, actor: User, **extra) -> None:
    tell_each_once(people, placement, "placement", variant, actor, **{"reason": "", **extra})
