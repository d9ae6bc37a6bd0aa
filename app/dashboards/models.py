"""The dashboards' tables: API tokens for the reporting API (revocable, stored only as a
digest, with the same scopes as their owner's dashboards) and the summary tables."""

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.db_types import UTCDateTime, utcnow
from app.extensions import db


class ApiToken(db.Model):
    """A secret for scripts and BI tools; it acts as its owner, read-only."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(lazy="joined")


# Summary tables: derived from enrolments, completions and knowledge gains, kept up to date
# on every commit (app/dashboards/summary.py) and rebuilt by `flask reports rebuild`. They
# let the dashboards read a few thousand rows instead of millions, whatever the data's size.

ANY_COURSE = 0  # course_key of a person's figures over all their courses
NOT_FINISHED = ""  # finished_month of a person who has not finished


class ReportPerson(db.Model):
    """One person's contribution to the counts, per course and over all courses (course
    key 0): the bucket they count in. Kept so that a change can be subtracted exactly."""

    __tablename__ = "report_people"

    # No foreign key: when a person is deleted, their row must outlive them until their
    # contribution has been subtracted.
    user_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    course_key: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    institution_id: Mapped[int] = mapped_column(Integer)
    profession: Mapped[str] = mapped_column(String(32))
    language: Mapped[str] = mapped_column(String(16))
    finished_month: Mapped[str] = mapped_column(String(7))  # YYYY-MM (UTC) or ""
    begun: Mapped[int] = mapped_column(Integer)  # 1: opened a lesson
    # The knowledge gain (per course): post-test minus pre-test in hundredths of a point,
    # so that sums are exact integers; the post-test's language and month.
    gain: Mapped[int | None] = mapped_column(Integer)
    gain_language: Mapped[str] = mapped_column(String(16), default="")
    gain_month: Mapped[str] = mapped_column(String(7), default="")


class ReportCount(db.Model):
    """People per (institution, profession, language, course, month of finishing)."""

    __tablename__ = "report_counts"

    institution_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    profession: Mapped[str] = mapped_column(String(32), primary_key=True)
    language: Mapped[str] = mapped_column(String(16), primary_key=True)
    course_key: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    finished_month: Mapped[str] = mapped_column(String(7), primary_key=True)
    people: Mapped[int] = mapped_column(Integer)
    begun: Mapped[int] = mapped_column(Integer)


class ReportGain(db.Model):
    """Matched pre/post pairs per (institution, profession, course, language of the
    post-test, its month): n, and the sums of gains and of squared gains (hundredths)."""

    __tablename__ = "report_gains"

    institution_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    profession: Mapped[str] = mapped_column(String(32), primary_key=True)
    course_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    language: Mapped[str] = mapped_column(String(16), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    pairs: Mapped[int] = mapped_column(Integer)
    total: Mapped[int] = mapped_column(BigInteger)
    squares: Mapped[int] = mapped_column(BigInteger)
