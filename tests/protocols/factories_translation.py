"""Protocols, versions and sections made as rows (the writing part's services are not
needed to test translation, adoption and links)."""

from datetime import date
from itertools import count

from app.extensions import db
from app.protocols.models import Protocol, ProtocolSection, ProtocolVersion, VersionState
from tests.factories import make_programme

_sequence = count(1)

DOSING = """Give the dose below when pain breaks through.

::: dose
Morphine 2.5 mg SC every 4 hours as needed.
:::
"""

SECTIONS = (
    ("assessment", "Assessment", "Assess pain at every visit."),
    ("dosing", "Dosing", DOSING),
)


def make_protocol(programme=None, authors=(), slug=None, **overrides) -> Protocol:
    """A protocol with no version yet."""
    n = next(_sequence)
    protocol = Protocol(
        slug=slug or f"protocol-{n}",
        programme=programme or make_programme(),
        **overrides,
    )
    protocol.authors = list(authors)
    db.session.add(protocol)
    db.session.flush()
    return protocol


def make_version(
    protocol: Protocol,
    number: int | None = 1,
    sections=SECTIONS,
    title: str = "Breakthrough pain at home",
    effective_on: date | None = date(2026, 1, 1),
    review_by: date = date(2027, 1, 1),
    **overrides,
) -> ProtocolVersion:
    """A version (published when ``number`` is given, else a draft) with ``sections``:
    (key, heading, body) each."""
    version = ProtocolVersion(
        protocol=protocol,
        number=number,
        state=VersionState.PUBLISHED if number else VersionState.DRAFT,
        title=title,
        scope=overrides.pop("scope", "Adults at home in their last days."),
        review_by=review_by,
        effective_on=effective_on if number else None,
        **overrides,
    )
    version.sections = [
        ProtocolSection(key=key, position=position, heading=heading, body=body)
        for position, (key, heading, body) in enumerate(sections)
    ]
    db.session.add(version)
    db.session.flush()
    return version


def matrix_protocol(institution, contact):
    """For the permission matrix: a published protocol adopted by ``institution``."""
    from app.protocols.models import ProtocolAdoption

    version = make_version(make_protocol(slug="matrix-protocol"))
    adoption = ProtocolAdoption(
        protocol_id=version.protocol_id,
        institution_id=institution.id,
        version_id=version.id,
        adopted_on=date(2026, 2, 1),
        contact_id=contact.id,
    )
    db.session.add(adoption)
    db.session.flush()
    return version, adoption
