"""Telling the people a step of a protocol's review concerns: each once, never the actor
(kind ``protocol_review``)."""

from app.notifications.services import notify
from app.protocols.models import Protocol

KIND = "protocol_review"


def tell(people, protocol: Protocol, variant: str, actor, **extra) -> None:
    """Notify each of ``people`` (None skipped) once of ``variant``, never ``actor``."""
    seen = {actor.id} if actor is not None else set()
    for person in people:
        if person is None or person.id in seen or not person.active:
            continue
        seen.add(person.id)
        notify(
            person,
            KIND,
            variant=variant,
            protocol_id=protocol.id,
            slug=protocol.slug,
            actor=actor.name if actor is not None else "",
            **extra,
        )
