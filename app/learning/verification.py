"""What the public verification page (/verify) finds besides course certificates: other
packages register a lookup by code and the partial that shows what they find (the
certificates of observership, registered by placements), so learning imports none of
them."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Verifiable:
    find: Callable[[str], Any]  # code -> the record, or None
    template: str  # the partial that shows it: it gets ``found`` and ``locale``


@dataclass(frozen=True)
class Found:
    record: Any
    template: str


_VERIFIABLE: list[Verifiable] = []


def register_verifiable(find: Callable[[str], Any], template: str) -> None:
    """Let /verify find records by code with ``find`` and show them with ``template``."""
    if all(v.find is not find for v in _VERIFIABLE):
        _VERIFIABLE.append(Verifiable(find, template))


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
