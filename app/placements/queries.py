"""Reads of placement offers and placements: lists, counts, the people steps concern, and
the placement's row locked before it changes."""

from sqlalchemy import func, select

from app.auth.models import Role, RoleAssignment, User
from app.auth.permissions import MANAGE, VIEW, scope
from app.extensions import db
from app.institutions.models import Institution, Programme, programme_institutions
from app.placements.models import FINAL, Placement, PlacementOffer, State

# The states that hold a place on an offer.
HOLDING_A_PLACE = (State.SELECTED, State.ACCEPTED, State.COMPLETED)


def list_offers(viewer: User) -> list[PlacementOffer]:
    """The offers ``viewer`` may see, the soonest window first."""
    query = select(PlacementOffer).order_by(PlacementOffer.window_starts_on, PlacementOffer.title)
    return list(db.session.scalars(scope(viewer, query, PlacementOffer, VIEW)))


def list_placements(viewer: User, offer: PlacementOffer | None = None) -> list[Placement]:
    """The placements ``viewer`` may see (on ``offer``), newest first."""
    query = select(Placement).order_by(Placement.created_at.desc(), Placement.id.desc())
    if offer is not None:
        query = query.where(Placement.offer_id == offer.id)
    return list(db.session.scalars(scope(viewer, query, Placement, VIEW)))


def lock_placement(placement: Placement) -> None:
    """Read the placement's row FOR UPDATE, so that it stays this transaction's until it
    ends and two people acting at once take turns (a no-op on SQLite, which writes one at
    a time). The caller refreshes ``placement`` to see the row as locked."""
    db.session.execute(select(Placement.id).where(Placement.id == placement.id).with_for_update())


def list_own_placements(user: User) -> list[Placement]:
    return list(
        db.session.scalars(
            select(Placement)
            .where(Placement.observer_id == user.id)
            .order_by(Placement.created_at.desc(), Placement.id.desc())
        )
    )


def count_holding_places(offer: PlacementOffer, besides: Placement | None = None) -> int:
    query = select(func.count()).where(
        Placement.offer_id == offer.id, Placement.state.in_(HOLDING_A_PLACE)
    )
    if besides is not None:
        query = query.where(Placement.id != besides.id)
    return db.session.scalar(query)


def open_placement_on(offer: PlacementOffer, person: User) -> Placement | None:
    """``person``'s placement on ``offer`` that is neither declined nor withdrawn."""
    return db.session.scalar(
        select(Placement).where(
            Placement.offer_id == offer.id,
            Placement.observer_id == person.id,
            Placement.state.not_in(FINAL),
        )
    )


def overlapping_accepted(person: User, starts_on, ends_on, besides: Placement):
    """An accepted placement of ``person`` sharing a day with ``starts_on``–``ends_on``."""
    return db.session.scalar(
        select(Placement).where(
            Placement.observer_id == person.id,
            Placement.id != besides.id,
            Placement.state.in_((State.ACCEPTED, State.COMPLETED)),
            Placement.starts_on <= ends_on,
            Placement.ends_on >= starts_on,
        )
    )


def programme_takes_part(programme_id: int, institution_id: int | None) -> bool:
    if institution_id is None:
        return False
    return (
        db.session.scalar(
            select(func.count()).where(
                programme_institutions.c.programme_id == programme_id,
                programme_institutions.c.institution_id == institution_id,
            )
        )
        > 0
    )


def administrators() -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(RoleAssignment, RoleAssignment.user_id == User.id)
            .where(RoleAssignment.role == Role.ADMIN, User.active.is_(True))
            .distinct()
            .order_by(User.id)
        )
    )


def coordinators_of(institution_id: int | None) -> list[User]:
    if institution_id is None:
        return []
    return list(
        db.session.scalars(
            select(User)
            .join(RoleAssignment, RoleAssignment.user_id == User.id)
            .where(
                RoleAssignment.role == Role.COORDINATOR,
                RoleAssignment.institution_id == institution_id,
                User.active.is_(True),
            )
            .distinct()
            .order_by(User.id)
        )
    )


def users_at(institution_id: int, emails: list[str]) -> tuple[list[User], list[str]]:
    """The users with ``emails`` (lower-cased): those found, and the addresses of anyone
    unknown or not at ``institution_id``."""
    found = {
        user.email: user for user in db.session.scalars(select(User).where(User.email.in_(emails)))
    }
    good = [found[e] for e in emails if e in found and found[e].institution_id == institution_id]
    bad = [e for e in emails if e not in found or found[e].institution_id != institution_id]
    return good, bad


def offer_institutions(user: User) -> list[Institution]:
    """The host institutions ``user`` may offer placements at."""
    query = select(Institution).order_by(Institution.name)
    if not user.has_role(Role.ADMIN):
        query = query.where(Institution.id.in_(user.coordinated_institution_ids))
    return list(db.session.scalars(query))


def list_programmes() -> list[Programme]:
    return list(db.session.scalars(select(Programme).order_by(Programme.name)))


def nominees(coordinator: User) -> list[User]:
    """The people a coordinator may nominate: those of the institutions they coordinate."""
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.institution_id.in_(coordinator.coordinated_institution_ids),
                User.active.is_(True),
            )
            .order_by(User.name)
        )
    )


def offers_run_by(user: User) -> list[PlacementOffer]:
    query = select(PlacementOffer).order_by(PlacementOffer.window_starts_on)
    return list(db.session.scalars(scope(user, query, PlacementOffer, MANAGE)))
