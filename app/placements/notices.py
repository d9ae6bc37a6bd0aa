"""Telling the people a placement step concerns: each once, never the one who acted."""

from app.auth.models import User
from app.notifications.services import notify
from app.placements.models import Placement


def tell_each_once(
    people, placement: Placement, kind: str, variant: str, acting: User | None, **extra
) -> None:
    """Notify each of ``people`` (None skipped) once of ``variant`` of ``kind``, with the
    placement's title, observer and host, never ``acting`` (None: a task acted)."""
    seen = {acting.id} if acting is not None else set()
    for person in people:
        if person is None or person.id in seen:
            continue
        seen.add(person.id)
        notify(
            person,
            kind,
            variant=variant,
            placement_id=placement.id,
            title=placement.offer.title,
            observer=placement.observer.name,
            host=placement.offer.host.name,
            **extra,
        )
