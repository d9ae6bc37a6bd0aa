"""Placement offers and placements.

- An offer is seen by the programme's administrators, the host's coordinators and its
  supervisors, and the people of the institutions taking part in its programme (they may
  apply or be nominated); it is run by the administrators and the host's coordinators.
- A placement is seen by its observer, its supervisor, the host's coordinators, the
  coordinators of the observer's institution *now* (their people) and the programme's
  administrators. Funders see none (aggregates only). Its invitation letter exists once
  it is accepted, for the observer, the host's coordinators and the administrators.
- On an accepted placement the observer keeps the logbook, proposes the objectives and
  writes the adaptation plan; the supervisor agrees the objectives, comments and assesses;
  the supervisor or a host coordinator records what the host team learned; the observer
  or a coordinator of their institution answers the 3- and 6-month follow-ups.

"Programme administrators" are the administrators: Palliare has no narrower
programme-administrator role yet. Rules read roles and institutions as they are now.
"""

from sqlalchemy import Select, false, or_, select

from app.auth.models import Role, User
from app.auth.permissions import MANAGE, VIEW, Rule, register
from app.extensions import db
from app.institutions.models import programme_institutions
from app.placements.models import Placement, PlacementOffer, State, offer_supervisors

LETTER = "letter"  # download the invitation letter
# What the people of an accepted placement do on it (services check the state as well):
KEEP_LOGBOOK = "keep_logbook"  # the observer: logbook, objectives, adaptation plan
SUPERVISE = "supervise"  # the supervisor: agree objectives, comment, assess
RECORD_HOST_LEARNING = "record_host_learning"  # the supervisor or a host coordinator
ANSWER_FOLLOW_UP = "answer_follow_up"  # the observer or a coordinator of their institution


def is_programme_admin(user) -> bool:
    return user.has_role(Role.ADMIN)


def is_host_coordinator(user, offer: PlacementOffer) -> bool:
    return offer.host_institution_id in user.coordinated_institution_ids


def is_home_coordinator(user, observer: User) -> bool:
    return (
        observer.institution_id is not None
        and observer.institution_id in user.coordinated_institution_ids
    )


def may_run_offer(user, offer: PlacementOffer) -> bool:
    return is_programme_admin(user) or is_host_coordinator(user, offer)


def _taking_part(programme_id: int):
    return select(programme_institutions.c.institution_id).where(
        programme_institutions.c.programme_id == programme_id
    )


def can_offer(user, action: str, offer: PlacementOffer) -> bool:
    if may_run_offer(user, offer):
        return True
    if action != VIEW:
        return False
    if user.id in {supervisor.id for supervisor in offer.supervisors}:
        return True
    return user.institution_id in set(db.session.scalars(_taking_part(offer.programme_id)))


def scope_offers(user, query: Select, action: str) -> Select:
    if is_programme_admin(user):
        return query
    run = PlacementOffer.host_institution_id.in_(user.coordinated_institution_ids)
    if action == MANAGE:
        return query.where(run)
    if action != VIEW:
        return query.where(false())
    supervised = select(offer_supervisors.c.offer_id).where(offer_supervisors.c.user_id == user.id)
    reachable = [run, PlacementOffer.id.in_(supervised)]
    if user.institution_id is not None:
        programmes = select(programme_institutions.c.programme_id).where(
            programme_institutions.c.institution_id == user.institution_id
        )
        reachable.append(PlacementOffer.programme_id.in_(programmes))
    return query.where(or_(*reachable))


def can_placement(user, action: str, placement: Placement) -> bool:
    admin = is_programme_admin(user)
    host = is_host_coordinator(user, placement.offer)
    own = placement.observer_id == user.id
    if action == LETTER:
        return placement.state in (State.ACCEPTED, State.COMPLETED) and (admin or host or own)
    if action == KEEP_LOGBOOK:
        return own
    if action == SUPERVISE:
        return placement.supervisor_id == user.id
    if action == RECORD_HOST_LEARNING:
        return placement.supervisor_id == user.id or host
    if action == ANSWER_FOLLOW_UP:
        return own or is_home_coordinator(user, placement.observer)
    if action != VIEW:
        return False
    return (
        admin
        or host
        or own
        or placement.supervisor_id == user.id
        or is_home_coordinator(user, placement.observer)
    )


def scope_placements(user, query: Select, action: str) -> Select:
    if action == KEEP_LOGBOOK:
        return query.where(Placement.observer_id == user.id)
    if action == SUPERVISE:
        return query.where(Placement.supervisor_id == user.id)
    if action not in (VIEW, LETTER):
        return query.where(false())
    hosted = select(PlacementOffer.id).where(
        PlacementOffer.host_institution_id.in_(user.coordinated_institution_ids)
    )
    if action == LETTER:
        query = query.where(Placement.state.in_((State.ACCEPTED, State.COMPLETED)))
        if is_programme_admin(user):
            return query
        return query.where(or_(Placement.observer_id == user.id, Placement.offer_id.in_(hosted)))
    if is_programme_admin(user):
        return query
    their_people = select(User.id).where(User.institution_id.in_(user.coordinated_institution_ids))
    return query.where(
        or_(
            Placement.observer_id == user.id,
            Placement.supervisor_id == user.id,
            Placement.offer_id.in_(hosted),
            Placement.observer_id.in_(their_people),
        )
    )


register(Rule(PlacementOffer, can_offer, scope_offers))
register(Rule(Placement, can_placement, scope_placements))
