"""Completing a placement: the final assessment ends it (flush, never commit)."""

from app.auth.models import User
from app.db_types import utcnow
from app.placements.models import Placement, PlacementStep, State


def complete(placement: Placement, actor: User) -> None:
    """Called by the final assessment, in its transaction: the placement is completed."""
    placement.state = State.COMPLETED
    placement.completed_at = utcnow()
    placement.steps.append(PlacementStep(state=State.COMPLETED, actor_id=actor.id))
