"""Catalog revisions: each accepted upload of a course's content catalog, in the database.

The database, not a server's own ``courses/`` folder, holds what translators upload, so
every app server sees it and no deployment overwrites it. ``flask translations export``
writes the latest revisions back into ``courses/<course>/translations/`` for review.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db_types import UTCDateTime, utcnow
from app.extensions import db


class CatalogRevision(db.Model):
    """One version of a course's catalog in one language: who, when, what changed."""

    __tablename__ = "catalog_revisions"
    __table_args__ = (Index("ix_catalog_revisions_course_locale", "course_key", "locale", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_key: Mapped[str] = mapped_column(String(100))  # the course's folder (its id)
    locale: Mapped[str] = mapped_column(String(16))
    content: Mapped[str] = mapped_column(Text)  # the whole PO file, as uploaded
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Against what learners saw before (the previous revision, else the file):
    translated: Mapped[int] = mapped_column(Integer, default=0)  # segments newly translated
    changed: Mapped[int] = mapped_column(Integer, default=0)  # translations reworded
    removed: Mapped[int] = mapped_column(Integer, default=0)  # translations emptied or stale
    reverted_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("catalog_revisions.id", ondelete="SET NULL")
    )

    uploaded_by = relationship("User", lazy="joined")

    def __repr__(self) -> str:
        return f"<CatalogRevision {self.id} {self.course_key}/{self.locale}>"
