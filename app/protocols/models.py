"""Joint protocols: a protocol, its numbered versions (one draft at a time), their
sections, the review of a draft (reviewers, comments, proposed changes, per-section
review marks, approvals), the approvals a protocol requires, the sections an adaptation
changed and why, and each institution's adoption."""

import enum
from datetime import date, datetime

from sqlalchemy import (
    Column,
    Date,
    Enum,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.db_types import UTCDateTime, utcnow
from app.extensions import db
from app.institutions.models import Institution, Programme

protocol_authors = Table(
    "protocol_authors",
    db.metadata,
    Column("protocol_id", ForeignKey("protocols.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class VersionState(enum.StrEnum):
    DRAFT = "draft"  # written and reviewed; sections may change
    PUBLISHED = "published"  # numbered and immutable


class ProposalState(enum.StrEnum):
    OPEN = "open"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


class Protocol(db.Model):
    """A protocol or practice guideline owned by a programme, written by its authors."""

    __tablename__ = "protocols"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)  # lessons link by it
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="RESTRICT"), index=True
    )
    # An adaptation names the version of another protocol it was adapted from.
    adapted_from_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("protocol_versions.id", ondelete="SET NULL", use_alter=True), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The review-by date the authors were last told about (told once per date).
    review_reminded_for: Mapped[date | None] = mapped_column(Date)

    programme: Mapped[Programme] = relationship()
    authors: Mapped[list[User]] = relationship(secondary=protocol_authors, order_by=User.id)
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    adapted_from_version: Mapped["ProtocolVersion | None"] = relationship(
        foreign_keys=[adapted_from_version_id]
    )


class ProtocolVersion(db.Model):
    """One version: a draft (``number`` None) or a published, immutable, numbered one."""

    __tablename__ = "protocol_versions"
    __table_args__ = (UniqueConstraint("protocol_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    protocol_id: Mapped[int] = mapped_column(
        ForeignKey("protocols.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int | None] = mapped_column(Integer)  # 1, 2, … once published
    state: Mapped[VersionState] = mapped_column(
        Enum(VersionState, native_enum=False, length=20), default=VersionState.DRAFT
    )
    title: Mapped[str] = mapped_column(String(200))
    scope: Mapped[str] = mapped_column(Text, default="")  # who and what it covers (Markdown)
    review_by: Mapped[date] = mapped_column(Date)
    change_log: Mapped[str] = mapped_column(Text, default="")  # what changed since the last
    effective_on: Mapped[date | None] = mapped_column(Date)
    based_on_id: Mapped[int | None] = mapped_column(
        ForeignKey("protocol_versions.id", ondelete="SET NULL")
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    protocol: Mapped[Protocol] = relationship(foreign_keys=[protocol_id])
    based_on: Mapped["ProtocolVersion | None"] = relationship(remote_side=[id])
    sections: Mapped[list["ProtocolSection"]] = relationship(
        order_by="ProtocolSection.position", cascade="all, delete-orphan"
    )


class ProtocolSection(db.Model):
    """A section of a version: a heading and a Markdown body (the lessons' dialect,
    ``::: dose`` blocks included). ``key`` stays the same across versions and
    adaptations, so versions can be compared and differences explained."""

    __tablename__ = "protocol_sections"
    __table_args__ = (UniqueConstraint("version_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("protocol_versions.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(60))
    position: Mapped[int] = mapped_column(Integer)
    heading: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")


class ProtocolReviewer(db.Model):
    """A person named to review a draft (from any partner institution)."""

    __tablename__ = "protocol_reviewers"
    __table_args__ = (UniqueConstraint("version_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("protocol_versions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class SectionReview(db.Model):
    """A reviewer's mark that they have reviewed one section of a draft."""

    __tablename__ = "protocol_section_reviews"
    __table_args__ = (UniqueConstraint("version_id", "section_key", "reviewer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("protocol_versions.id", ondelete="CASCADE"), index=True
    )
    section_key: Mapped[str] = mapped_column(String(60))
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    reviewed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ProtocolComment(db.Model):
    """A reviewer's (or author's) comment on one section of a draft."""

    __tablename__ = "protocol_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("protocol_versions.id", ondelete="CASCADE"), index=True
    )
    section_key: Mapped[str] = mapped_column(String(60))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User | None] = relationship()


class ProtocolProposal(db.Model):
    """A change to one section proposed by a reviewer; the authors accept or reject it.
    ``base_body`` is the section as the reviewer saw it: a proposal made against text
    that has changed since is refused rather than applied over someone else's edit."""

    __tablename__ = "protocol_proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("protocol_versions.id", ondelete="CASCADE"), index=True
    )
    section_key: Mapped[str] = mapped_column(String(60))
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    base_body: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[ProposalState] = mapped_column(
        Enum(ProposalState, native_enum=False, length=20), default=ProposalState.OPEN
    )
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    proposed_by: Mapped[User | None] = relationship(foreign_keys=[proposed_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])


class ProtocolApproval(db.Model):
    """A reviewer's approval of a draft as it stood (kept with the published version)."""

    __tablename__ = "protocol_approvals"
    __table_args__ = (UniqueConstraint("version_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("protocol_versions.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Who approved, as they were then (names and institutions change; the PDF keeps these).
    name: Mapped[str] = mapped_column(String(200))
    institution_name: Mapped[str] = mapped_column(String(200), default="")
    country: Mapped[str] = mapped_column(String(2), default="")
    approved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User | None] = relationship()


class ApprovalRequirement(db.Model):
    """An approval a protocol needs before a version is published: ``count`` approvals
    from reviewers of one country, or of one institution (one of the two is set)."""

    __tablename__ = "protocol_approval_requirements"

    id: Mapped[int] = mapped_column(primary_key=True)
    protocol_id: Mapped[int] = mapped_column(
        ForeignKey("protocols.id", ondelete="CASCADE"), index=True
    )
    country: Mapped[str | None] = mapped_column(String(2))
    institution_id: Mapped[int | None] = mapped_column(
        ForeignKey("institutions.id", ondelete="CASCADE")
    )
    count: Mapped[int] = mapped_column(Integer, default=1)

    institution: Mapped[Institution | None] = relationship()


class SectionDifference(db.Model):
    """In an adaptation: a section that differs from its source, and why ("oral morphine
    solution not stocked; use tablets"). Kept per version, copied into the next draft."""

    __tablename__ = "protocol_section_differences"
    __table_args__ = (UniqueConstraint("version_id", "section_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("protocol_versions.id", ondelete="CASCADE"), index=True
    )
    section_key: Mapped[str] = mapped_column(String(60))
    reason: Mapped[str] = mapped_column(Text)


class ProtocolAdoption(db.Model):
    """Which published version an institution adopted, from when, and who to ask."""

    __tablename__ = "protocol_adoptions"
    __table_args__ = (UniqueConstraint("protocol_id", "institution_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    protocol_id: Mapped[int] = mapped_column(
        ForeignKey("protocols.id", ondelete="CASCADE"), index=True
    )
    institution_id: Mapped[int] = mapped_column(
        ForeignKey("institutions.id", ondelete="CASCADE"), index=True
    )
    version_id: Mapped[int] = mapped_column(
        ForeignKey("protocol_versions.id", ondelete="RESTRICT"), index=True
    )
    adopted_on: Mapped[date] = mapped_column(Date)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    institution: Mapped[Institution] = relationship()
    version: Mapped[ProtocolVersion] = relationship()
    contact: Mapped[User | None] = relationship(foreign_keys=[contact_id])
