"""Courses as loaded from courses/, and what learners did in them.

Content rows are keyed by the stable string ids of the files (``key``); a re-import
updates them in place, so progress (which points at row ids) survives every edit. A
lesson whose file disappears is retired (``retired_at``), never deleted.
"""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db_types import UTCDateTime, utcnow
from app.extensions import db
from app.localised import localised


class Course(db.Model):
    """A course: titles per language, audience, CPD hours, completion rule."""

    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    source_locale: Mapped[str] = mapped_column(String(16))
    titles: Mapped[dict] = mapped_column(JSON)  # {locale: title}, fallbacks resolved
    summaries: Mapped[dict] = mapped_column(JSON)  # {locale: summary}
    audience: Mapped[list] = mapped_column(JSON)  # profession values
    cpd_hours: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    enrolment: Mapped[str] = mapped_column(String(10))  # open | cohort
    # Completing a trainer track (plus a signed-off teaching practice) certifies a trainer.
    trainer_track: Mapped[bool] = mapped_column(Boolean, default=False)
    completion_rule: Mapped[dict] = mapped_column(JSON)  # {"version", "lessons", "quizzes"}
    pre_test_key: Mapped[str | None] = mapped_column(String(100))  # a quiz's key
    post_test_key: Mapped[str | None] = mapped_column(String(100))
    sources: Mapped[list] = mapped_column(JSON)
    position: Mapped[int] = mapped_column(Integer, default=0)
    # Its card: a colour of the fixed palette and an icon of the fixed set (app/courses/
    # identity.py), and a cover image in its files/ folder (a file name there).
    colour: Mapped[str | None] = mapped_column(String(16))
    icon: Mapped[str | None] = mapped_column(String(16))
    cover: Mapped[str | None] = mapped_column(String(200))
    content_hash: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    modules: Mapped[list["Module"]] = relationship(
        back_populates="course", order_by="Module.position"
    )

    def title(self, locale: str) -> str:
        return localised(self.titles, locale, self.source_locale)

    def summary(self, locale: str) -> str:
        return localised(self.summaries, locale, self.source_locale)


class Module(db.Model):
    """A module of a course, in order."""

    __tablename__ = "modules"
    __table_args__ = (UniqueConstraint("course_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer)
    titles: Mapped[dict] = mapped_column(JSON)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    course: Mapped[Course] = relationship(back_populates="modules")

    def title(self, locale: str) -> str:
        return localised(self.titles, locale, default=self.key)


class Lesson(db.Model):
    """A lesson; ``position`` orders it within its course (modules first, then files)."""

    __tablename__ = "lessons"
    __table_args__ = (UniqueConstraint("course_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer)
    titles: Mapped[dict] = mapped_column(JSON)
    minutes: Mapped[int | None] = mapped_column(Integer)
    required: Mapped[bool] = mapped_column(Boolean, default=True)
    source_path: Mapped[str] = mapped_column(String(300))
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    course: Mapped[Course] = relationship()
    module: Mapped[Module] = relationship()

    def title(self, locale: str) -> str:
        return localised(self.titles, locale, default=self.key)


class LessonText(db.Model):
    """A lesson rendered in one language (sanitised HTML), with how much fell back."""

    __tablename__ = "lesson_texts"

    lesson_id: Mapped[int] = mapped_column(
        ForeignKey("lessons.id", ondelete="CASCADE"), primary_key=True
    )
    locale: Mapped[str] = mapped_column(String(16), primary_key=True)
    html: Mapped[str] = mapped_column(Text)
    extras: Mapped[dict] = mapped_column(JSON)  # files, video, sources, shown in the page
    # The learning objectives stated at the top of the page: [{"id", "text" (HTML), and
    # "lang" when shown in a fallback language}]
    objectives: Mapped[list] = mapped_column(JSON, default=list)
    segments_total: Mapped[int] = mapped_column(Integer)
    segments_fallback: Mapped[int] = mapped_column(Integer)
    # Set when the lesson is held back in another language (its value) because one of its
    # safety-critical segments is stale or untranslated in ``locale``.
    held_back_to: Mapped[str | None] = mapped_column(String(16))


class Enrolment(db.Model):
    """A learner enrolled in a course, and where they left off."""

    __tablename__ = "enrolments"
    __table_args__ = (UniqueConstraint("user_id", "course_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_lesson_id: Mapped[int | None] = mapped_column(
        ForeignKey("lessons.id", ondelete="SET NULL")
    )
    last_activity_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    course: Mapped[Course] = relationship()


class LessonProgress(db.Model):
    """When a learner first opened a lesson and when they marked it complete."""

    __tablename__ = "lesson_progress"
    __table_args__ = (UniqueConstraint("user_id", "lesson_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    lesson_id: Mapped[int] = mapped_column(ForeignKey("lessons.id", ondelete="CASCADE"), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class LessonProtocol(db.Model):
    """A protocol a lesson teaches (its front matter's ``protocols:``, by slug): the
    lesson links to it and the protocol lists the lesson. Written by the importer."""

    __tablename__ = "lesson_protocols"

    lesson_id: Mapped[int] = mapped_column(
        ForeignKey("lessons.id", ondelete="CASCADE"), primary_key=True
    )
    protocol_slug: Mapped[str] = mapped_column(String(100), primary_key=True, index=True)


class DocumentCatalogRevision(db.Model):
    """One version of the catalog of a document written in the app (a protocol, a
    library video) in one language: the whole PO text, who, when. The latest revision
    is the catalog; segments are identified by their source text, as in courses.

    ``document`` names the document's segments: ``protocol:<id>`` or ``video:<id>``."""

    __tablename__ = "document_catalog_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    document: Mapped[str] = mapped_column(String(60), index=True)
    locale: Mapped[str] = mapped_column(String(16))
    content: Mapped[str] = mapped_column(Text)
    uploaded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
