"""Pages of the observer's logbook (a day's activities, hours and reflection; the
supervisor's comments) and the weekly check-ins."""

from app.placements.models import Placement


def panel(placement: Placement, user) -> dict:
    """What the placement page shows ``user`` of this part (placements/_logbook.html)."""
    return {}
