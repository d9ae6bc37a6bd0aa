"""Completing a placement: the final assessment ends it, and the certificate of
observership is issued in the same transaction (flush, never commit)."""

from app.auth.models import User
from app.db_types import utcnow
from app.placements.models import Placement, PlacementStep, State
from app.placements.notices import tell_each_once
from app.placements.observership_certificates import KIND, issue_observership_certificate
from app.placements.queries import coordinators_of


def complete(placement: Placement, actor: User) -> None:
    """Called by the final assessment, in its transaction: the placement is completed,
    its certificate issued, and the observer and their home coordinators told (never the
    one who acted). Completing twice changes nothing and issues no second certificate."""
    if placement.state == State.COMPLETED:
        issue_observership_certificate(placement)  # the one issued, or a missing one
        return
    placement.state = State.COMPLETED
    placement.completed_at = utcnow()
    placement.steps.append(PlacementStep(state=State.COMPLETED, actor_id=actor.id))
    certificate = issue_observership_certificate(placement)
    people = [placement.observer, *coordinators_of(placement.observer.institution_id)]
    tell_each_once(people, placement, KIND, "completed", actor, code=certificate.code)
