"""Pages of what a placement leads to: completion and the certificate of observership,
what the host team learned, the adaptation plan and its 3- and 6-month follow-ups."""

from app.placements.models import Placement


def panel(placement: Placement, user) -> dict:
    """What the placement page shows ``user`` of this part (placements/_outcomes.html)."""
    return {}
