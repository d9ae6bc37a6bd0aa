"""People: users, their roles and the invitations that bring them in."""

import enum
import hashlib
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import Boolean, Enum, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db_types import UTCDateTime, utcnow
from app.extensions import db
from app.institutions.models import Institution, Programme


class Profession(enum.StrEnum):
    """What a person does at work; shapes the catalogue and the reports."""

    DOCTOR = "doctor"
    NURSE = "nurse"
    SOCIAL_WORKER = "social_worker"
    OTHER_CLINICIAN = "other_clinician"
    OTHER = "other"


PROFESSION_LABELS = {
    Profession.DOCTOR: _l("Doctor"),
    Profession.NURSE: _l("Nurse"),
    Profession.SOCIAL_WORKER: _l("Social worker"),
    Profession.OTHER_CLINICIAN: _l("Other clinician"),
    Profession.OTHER: _l("Other"),
}


class Role(enum.StrEnum):
    """What a person may do. Some roles are scoped: see ``RoleAssignment``."""

    LEARNER = "learner"
    TRAINER = "trainer"
    COORDINATOR = "coordinator"  # of an institution
    FUNDER = "funder"  # of a programme
    TRANSLATOR = "translator"  # of a locale
    ADMIN = "admin"


ROLE_LABELS = {
    Role.LEARNER: _l("Learner"),
    Role.TRAINER: _l("Trainer"),
    Role.COORDINATOR: _l("Coordinator"),
    Role.FUNDER: _l("Funder"),
    Role.TRANSLATOR: _l("Translator"),
    Role.ADMIN: _l("Administrator"),
}


def _enum(enum_class: type[enum.Enum]) -> Enum:
    """A portable enum column: stored as its string value, no database enum type."""
    return Enum(
        enum_class,
        native_enum=False,
        length=20,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class User(UserMixin, db.Model):
    """A person with an account: learner, trainer, coordinator, funder, translator or admin."""

    __tablename__ = "users"
    # By institution, with the id: the dashboards count an institution's people from the
    # index alone (migration 0023).
    __table_args__ = (Index("ix_users_institution_id", "institution_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-case
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    profession: Mapped[Profession] = mapped_column(_enum(Profession))
    institution_id: Mapped[int | None] = mapped_column(
        ForeignKey("institutions.id", ondelete="SET NULL")
    )
    locale: Mapped[str | None] = mapped_column(String(16))
    timezone: Mapped[str | None] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Bumped when the password changes, which signs out every other session.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    institution: Mapped[Institution | None] = relationship(lazy="joined")
    role_assignments: Mapped[list["RoleAssignment"]] = relationship(
        back_populates="user",
        cascade="all, delete-orphan",
        lazy="selectin",
        foreign_keys="RoleAssignment.user_id",
    )

    def __repr__(self) -> str:
        return f"<User {self.email!r}>"

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def get_id(self) -> str:
        """Session id: user id plus session version, so a password change signs out."""
        return f"{self.id}.{self.session_version}"

    @property
    def roles(self) -> set[Role]:
        """Every role this user holds, whatever its scope."""
        return {assignment.role for assignment in self.role_assignments}

    def has_role(self, *roles: Role) -> bool:
        """Whether the user holds at least one of ``roles``."""
        return bool(self.roles.intersection(roles))

    def scoped_ids(self, role: Role, attribute: str) -> set:
        """The scopes (institution ids, programme ids, locales) held under ``role``."""
        return {
            getattr(assignment, attribute)
            for assignment in self.role_assignments
            if assignment.role == role and getattr(assignment, attribute) is not None
        }

    @property
    def coordinated_institution_ids(self) -> set[int]:
        return self.scoped_ids(Role.COORDINATOR, "institution_id")

    @property
    def funded_programme_ids(self) -> set[int]:
        return self.scoped_ids(Role.FUNDER, "programme_id")

    @property
    def translator_locales(self) -> set[str]:
        return self.scoped_ids(Role.TRANSLATOR, "locale")

    def password_fingerprint(self) -> str:
        """A short digest of the password hash: changes whenever the password does."""
        return hashlib.sha256(self.password_hash.encode()).hexdigest()[:16]


class RoleAssignment(db.Model):
    """One role held by one user, scoped to an institution, a programme or a locale."""

    __tablename__ = "role_assignments"
    __table_args__ = (
        UniqueConstraint("user_id", "role", "institution_id", "programme_id", "locale"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(_enum(Role))
    institution_id: Mapped[int | None] = mapped_column(
        ForeignKey("institutions.id", ondelete="CASCADE")
    )
    programme_id: Mapped[int | None] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE")
    )
    locale: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship(back_populates="role_assignments", foreign_keys=[user_id])
    institution: Mapped[Institution | None] = relationship(lazy="joined")
    programme: Mapped[Programme | None] = relationship(lazy="joined")


class Invitation(db.Model):
    """An invitation to join, sent by e-mail; the link expires and works once."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    role: Mapped[Role] = mapped_column(_enum(Role))
    institution_id: Mapped[int | None] = mapped_column(
        ForeignKey("institutions.id", ondelete="CASCADE")
    )
    # The scope of a funder's (programme) or translator's (language) role.
    programme_id: Mapped[int | None] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE")
    )
    locale: Mapped[str | None] = mapped_column(String(16))
    # A learner invited by a cohort's roster joins that cohort on accepting; the roster's
    # name and profession fill in the join form.
    cohort_id: Mapped[int | None] = mapped_column(
        ForeignKey("cohorts.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str | None] = mapped_column(String(120))
    profession: Mapped[Profession | None] = mapped_column(_enum(Profession))
    # Only a SHA-256 digest of the token is stored: a database leak exposes no live link.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    institution: Mapped[Institution | None] = relationship(lazy="joined")
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id], lazy="joined")
