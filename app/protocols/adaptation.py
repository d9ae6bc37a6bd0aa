"""Adapting a protocol: a new protocol, by another programme's or institution's authors,
whose first draft copies a published version of the source (same section keys), and
records per section why it differs ("oral morphine solution not stocked; use tablets").
The reasons are kept per version and copied into each next draft; the adaptation shows
when its source has published a newer version than the one it was adapted from."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.auth.models import User
from app.auth.permissions import VIEW, require
from app.exceptions import ValidationFailed
from app.extensions import db
from app.protocols import content, queries
from app.protocols.access import EDIT
from app.protocols.models import (
    Protocol,
    ProtocolSection,
    ProtocolVersion,
    SectionDifference,
    VersionState,
)
from app.protocols.services import ProtocolDetails, create_protocol, expect_draft, section_of


def adapt(actor: User, source: ProtocolVersion, details: ProtocolDetails) -> Protocol:
    """A new protocol adapted from the published ``source``; its draft copies it."""
    require(actor, VIEW, source)
    if source.state != VersionState.PUBLISHED:
        raise ValidationFailed(_l("Only a published version can be adapted."))
    protocol = create_protocol(actor, details, adapted_from=source)
    draft = queries.draft_of(protocol)
    draft.sections = [
        ProtocolSection(key=s.key, position=s.position, heading=s.heading, body=s.body)
        for s in source.sections
    ]
    db.session.flush()
    return protocol


def record_difference(actor: User, version: ProtocolVersion, key: str, reason: str) -> None:
    """Why this section differs from the source (an empty reason removes it)."""
    require(actor, EDIT, version)
    expect_draft(version)
    if version.protocol.adapted_from_version_id is None:
        raise ValidationFailed(_l("This protocol is not an adaptation."))
    section = section_of(version, key)
    reason = content.plain(reason, _l("Why it differs"), "reason", content.MAX_NOTE, False)
    row = queries.difference(version, key)
    if not reason:
        if row is not None:
            db.session.delete(row)
    elif row is None:
        db.session.add(SectionDifference(version_id=version.id, section_key=section.key,
                                         reason=reason))  # fmt: skip
    else:
        row.reason = reason
    db.session.flush()


@dataclass(frozen=True)
class Differing:
    key: str
    heading: str
    reason: str


def differing_sections(version: ProtocolVersion) -> list[Differing]:
    """The sections of ``version`` recorded as differing from the source, with why."""
    headings = {s.key: s.heading for s in version.sections}
    return [
        Differing(row.section_key, headings.get(row.section_key, row.section_key), row.reason)
        for row in queries.differences_of(version)
    ]


@dataclass(frozen=True)
class NewerSource:
    source: Protocol
    adapted: ProtocolVersion  # the version adapted from
    latest: ProtocolVersion  # the source's newer published version


def newer_source(protocol: Protocol) -> NewerSource | None:
    """The source's newer version, when it has published one since the adaptation."""
    adapted = protocol.adapted_from_version
    if adapted is None:
        return None
    latest = queries.latest_published(adapted.protocol)
    if latest is None or latest.number <= (adapted.number or 0):
        return None
    return NewerSource(adapted.protocol, adapted, latest)
