"""Quizzes as imported from the course files, and attempts at them."""

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.courses.content.quiz_shapes import Answers, Definition, DrawnItem, Question, QuestionTexts
from app.courses.models import Course
from app.db_types import UTCDateTime, utcnow
from app.extensions import db
from app.localised import localised


class Quiz(db.Model):
    """A quiz; ``definition`` holds the pools and the answer key (never sent out)."""

    __tablename__ = "quizzes"
    __table_args__ = (UniqueConstraint("course_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(100))
    module_id: Mapped[int | None] = mapped_column(ForeignKey("modules.id", ondelete="SET NULL"))
    titles: Mapped[dict] = mapped_column(JSON)
    pass_mark: Mapped[int] = mapped_column(Integer)
    max_attempts: Mapped[int | None] = mapped_column(Integer)
    wait_minutes: Mapped[int] = mapped_column(Integer, default=0)
    time_limit_minutes: Mapped[int | None] = mapped_column(Integer)
    # When a learner sees the correct answers and rationales (REVIEW_OPTIONS); the
    # importer sets the default of the quiz's kind when the file names none.
    review: Mapped[str] = mapped_column(String(32), default="after_passing_or_last_attempt")
    definition: Mapped[Definition] = mapped_column(JSON)
    position: Mapped[int] = mapped_column(Integer, default=0)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    course: Mapped[Course] = relationship()

    def title(self, locale: str) -> str:
        return localised(self.titles, locale, default=self.key)


class QuizText(db.Model):
    """A quiz's text in one language: {question: {stem, choices, rationale, unit}} as HTML."""

    __tablename__ = "quiz_texts"

    quiz_id: Mapped[int] = mapped_column(
        ForeignKey("quizzes.id", ondelete="CASCADE"), primary_key=True
    )
    locale: Mapped[str] = mapped_column(String(16), primary_key=True)
    texts: Mapped[dict[str, QuestionTexts]] = mapped_column(JSON)
    segments_total: Mapped[int] = mapped_column(Integer)
    segments_fallback: Mapped[int] = mapped_column(Integer)


class Attempt(db.Model):
    """One attempt at a quiz: what was drawn, in which order, what was answered, the score.

    ``phase`` is ``pre`` or ``post`` for a course's knowledge test, else ``quiz``.
    """

    __tablename__ = "attempts"
    __table_args__ = (
        # Also the index of a person's attempts (user_id comes first).
        UniqueConstraint("user_id", "quiz_id", "phase", "number"),
        # The dashboards' quiz pass rates: a person's scored attempts (pre-tests left
        # out), read from the index alone on PostgreSQL (migration 0023).
        Index(
            "ix_attempts_reported",
            "user_id",
            postgresql_include=["quiz_id", "passed", "submitted_at"],
            postgresql_where=text("submitted_at IS NOT NULL AND phase <> 'pre'"),
            sqlite_where=text("submitted_at IS NOT NULL AND phase <> 'pre'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    phase: Mapped[str] = mapped_column(String(8))
    number: Mapped[int] = mapped_column(Integer)
    locale: Mapped[str] = mapped_column(String(16))
    draw: Mapped[list[DrawnItem]] = mapped_column(JSON)
    # The drawn questions as they were (answer key included): editing or removing a
    # question in the course files later never changes how this attempt is scored or shown.
    questions: Mapped[dict[str, Question]] = mapped_column(JSON)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    deadline_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    answers: Mapped[Answers | None] = mapped_column(JSON)
    score: Mapped[float | None] = mapped_column(Float)
    max_score: Mapped[float | None] = mapped_column(Float)
    percent: Mapped[float | None] = mapped_column(Float)
    passed: Mapped[bool | None] = mapped_column(Boolean)

    quiz: Mapped[Quiz] = relationship()


class AttemptItem(db.Model):
    """The result of one question in one submitted attempt (for item statistics)."""

    __tablename__ = "attempt_items"
    __table_args__ = (Index("ix_attempt_items_quiz_question", "quiz_id", "question_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("attempts.id", ondelete="CASCADE"), index=True
    )
    quiz_id: Mapped[int] = mapped_column(ForeignKey("quizzes.id", ondelete="CASCADE"))
    question_key: Mapped[str] = mapped_column(String(100))
    locale: Mapped[str] = mapped_column(String(16))
    points: Mapped[float] = mapped_column(Float)
    correct: Mapped[bool] = mapped_column(Boolean)
