"""Reads for translating protocol versions: the published versions translators work on,
one version by id, and the version a new one continues."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.protocols.models import ProtocolVersion, VersionState


def list_published_versions() -> list[ProtocolVersion]:
    """Every published version, newest first within each protocol, sections loaded."""
    return list(
        db.session.scalars(
            select(ProtocolVersion)
            .where(ProtocolVersion.state == VersionState.PUBLISHED)
            .options(selectinload(ProtocolVersion.sections))
            .order_by(ProtocolVersion.protocol_id, ProtocolVersion.number.desc())
        )
    )


def get_version(version_id: int) -> ProtocolVersion | None:
    """A version by id (any state)."""
    return db.session.get(ProtocolVersion, version_id)


def previous_published_id(version: ProtocolVersion) -> int | None:
    """The id of the published version of the same protocol just before ``version``
    (by number; for a draft, the latest published one)."""
    query = select(ProtocolVersion.id).where(
        ProtocolVersion.protocol_id == version.protocol_id,
        ProtocolVersion.state == VersionState.PUBLISHED,
    )
    if version.number is not None:
        query = query.where(ProtocolVersion.number < version.number)
    return db.session.scalar(query.order_by(ProtocolVersion.number.desc()).limit(1))
