"""Reads of protocols, their versions and their review (views and services read here)."""

from sqlalchemy import func, select

from app.auth.models import User
from app.auth.permissions import VIEW, scope
from app.extensions import db
from app.institutions.models import Institution, programme_institutions
from app.protocols.models import (
    ApprovalRequirement,
    ProposalState,
    Protocol,
    ProtocolApproval,
    ProtocolComment,
    ProtocolProposal,
    ProtocolReviewer,
    ProtocolVersion,
    SectionDifference,
    SectionReview,
    VersionState,
)


def protocol_by_slug(slug: str) -> Protocol | None:
    return db.session.scalar(select(Protocol).where(Protocol.slug == slug))


def slug_taken(slug: str) -> bool:
    return db.session.scalar(select(Protocol.id).where(Protocol.slug == slug)) is not None


def lock_protocol(protocol: Protocol) -> None:
    """Read the protocol's row FOR UPDATE, so that two people starting a draft or
    publishing at once take turns (a no-op on SQLite, which writes one at a time)."""
    db.session.execute(select(Protocol.id).where(Protocol.id == protocol.id).with_for_update())


def listed_protocols(user) -> list[Protocol]:
    """The protocols ``user`` may see, by title of their latest version."""
    query = scope(user, select(Protocol), Protocol, VIEW).order_by(Protocol.slug)
    return list(db.session.scalars(query))


def versions_of(protocol: Protocol) -> list[ProtocolVersion]:
    """Published versions, newest first, then the draft (if any) at the top."""
    rows = db.session.scalars(
        select(ProtocolVersion)
        .where(ProtocolVersion.protocol_id == protocol.id)
        .order_by(ProtocolVersion.number.desc().nulls_first(), ProtocolVersion.id.desc())
    )
    return list(rows)


def draft_of(protocol: Protocol) -> ProtocolVersion | None:
    return db.session.scalar(
        select(ProtocolVersion).where(
            ProtocolVersion.protocol_id == protocol.id,
            ProtocolVersion.state == VersionState.DRAFT,
        )
    )


def latest_published(protocol: Protocol) -> ProtocolVersion | None:
    return db.session.scalar(
        select(ProtocolVersion)
        .where(
            ProtocolVersion.protocol_id == protocol.id,
            ProtocolVersion.state == VersionState.PUBLISHED,
        )
        .order_by(ProtocolVersion.number.desc())
        .limit(1)
    )


def version_numbered(protocol: Protocol, number: int) -> ProtocolVersion | None:
    return db.session.scalar(
        select(ProtocolVersion).where(
            ProtocolVersion.protocol_id == protocol.id, ProtocolVersion.number == number
        )
    )


def highest_number(protocol: Protocol) -> int:
    found = db.session.scalar(
        select(func.max(ProtocolVersion.number)).where(ProtocolVersion.protocol_id == protocol.id)
    )
    return found or 0


def reviewers_of(version: ProtocolVersion) -> list[ProtocolReviewer]:
    return list(
        db.session.scalars(
            select(ProtocolReviewer)
            .where(ProtocolReviewer.version_id == version.id)
            .order_by(ProtocolReviewer.id)
        )
    )


def reviewer_row(version: ProtocolVersion, user_id: int) -> ProtocolReviewer | None:
    return db.session.scalar(
        select(ProtocolReviewer).where(
            ProtocolReviewer.version_id == version.id, ProtocolReviewer.user_id == user_id
        )
    )


def comments_of(version: ProtocolVersion) -> list[ProtocolComment]:
    return list(
        db.session.scalars(
            select(ProtocolComment)
            .where(ProtocolComment.version_id == version.id)
            .order_by(ProtocolComment.created_at, ProtocolComment.id)
        )
    )


def proposals_of(version: ProtocolVersion, state: ProposalState | None = None):
    query = select(ProtocolProposal).where(ProtocolProposal.version_id == version.id)
    if state is not None:
        query = query.where(ProtocolProposal.state == state)
    return list(db.session.scalars(query.order_by(ProtocolProposal.id)))


def section_reviews_of(version: ProtocolVersion) -> list[SectionReview]:
    return list(
        db.session.scalars(select(SectionReview).where(SectionReview.version_id == version.id))
    )


def section_review(version: ProtocolVersion, key: str, user_id: int) -> SectionReview | None:
    return db.session.scalar(
        select(SectionReview).where(
            SectionReview.version_id == version.id,
            SectionReview.section_key == key,
            SectionReview.reviewer_id == user_id,
        )
    )


def approvals_of(version: ProtocolVersion) -> list[ProtocolApproval]:
    return list(
        db.session.scalars(
            select(ProtocolApproval)
            .where(ProtocolApproval.version_id == version.id)
            .order_by(ProtocolApproval.approved_at, ProtocolApproval.id)
        )
    )


def requirements_of(protocol: Protocol) -> list[ApprovalRequirement]:
    return list(
        db.session.scalars(
            select(ApprovalRequirement)
            .where(ApprovalRequirement.protocol_id == protocol.id)
            .order_by(ApprovalRequirement.id)
        )
    )


def differences_of(version: ProtocolVersion) -> list[SectionDifference]:
    return list(
        db.session.scalars(
            select(SectionDifference)
            .where(SectionDifference.version_id == version.id)
            .order_by(SectionDifference.id)
        )
    )


def difference(version: ProtocolVersion, key: str) -> SectionDifference | None:
    return db.session.scalar(
        select(SectionDifference).where(
            SectionDifference.version_id == version.id, SectionDifference.section_key == key
        )
    )


def partner_institution_ids(protocol_or_programme_id: int) -> set[int]:
    """The institutions taking part in a programme (by its id)."""
    return set(
        db.session.scalars(
            select(programme_institutions.c.institution_id).where(
                programme_institutions.c.programme_id == protocol_or_programme_id
            )
        )
    )


def partner_people(programme_id: int) -> list[User]:
    """The active people of a programme's partner institutions, by name."""
    ids = partner_institution_ids(programme_id)
    return list(
        db.session.scalars(
            select(User)
            .where(User.institution_id.in_(ids), User.active.is_(True))
            .order_by(User.name, User.id)
        )
    )


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def institutions_by_ids(ids) -> list[Institution]:
    return list(db.session.scalars(select(Institution).where(Institution.id.in_(ids))))


def adaptations_of(protocol: Protocol) -> list[Protocol]:
    """Protocols adapted from a version of ``protocol``."""
    versions = select(ProtocolVersion.id).where(ProtocolVersion.protocol_id == protocol.id)
    return list(
        db.session.scalars(select(Protocol).where(Protocol.adapted_from_version_id.in_(versions)))
    )
