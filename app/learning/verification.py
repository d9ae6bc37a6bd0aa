"""What the public verification page (/verify) finds besides course certificates: other
packages register a lookup by code and the partial that shows what they find (the
certificates of observership, registered by placements), and what a holder's
certificates page (/certificates/) lists of theirs, so learning imports none of them."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Verifiable:
    find: Callable[[str], Any]  # code -> the record, or None
    template: str  # the partial that shows it: it gets ``found`` and ``locale``
    held_by: Callable[[Any], list] | None = None  # user -> their records, newest first
    listing: str | None = None  # the partial listing one on /certificates/ (``found``)


@dataclass(frozen=True)
class Found:
    record: Any
    template: str


_VERIFIABLE: list[Verifiable] = []


def register_verifiable(
    find: Callable[[str], Any],
    template: str,
    held_by: Callable[[Any], list] | None = None,
    listing: str | None = None,
) -> None:
    """Let /verify find records by code with ``find`` and show them with ``template``;
    and, with ``held_by`` and ``listing``, list a holder's own on /certificates/."""
    if all(v.find is not find for v in _VERIFIABLE):
        _VERIFIABLE.append(Verifiable(find, template, held_by, listing))


def held_elsewhere(user) -> list[Found]:
    """``user``'s records of every registered kind that lists them, each with the partial
    that lists it on their certificates page."""
    return [
        Found(record, verifiable.listing)
        for verifiable in _VERIFIABLE
        if verifiable.held_by is not None and verifiable.listing is not None
        for record in verifiable.held_by(user)
    ]


def find_verifiable(code: str) -> Found | None:
    """The first registered record with ``code``, and its partial."""
    for verifiable in _VERIFIABLE:
        record = verifiable.find(code)
        if record is not None:
            return Found(record, verifiable.template)
    return None


def code_taken(code: str) -> bool:
    """Whether any registered kind of record already has ``code``."""
    return any(verifiable.find(code) is not None for verifiable in _VERIFIABLE)
