"""Pages of the learning agreement (objectives agreed by observer and supervisor) and of
the mid-point and final assessments."""

from app.placements.models import Placement


def panel(placement: Placement, user) -> dict:
    """What the placement page shows ``user`` of this part (placements/_agreement.html)."""
    return {}
