"""The public library: advocacy videos, their renditions for slow links, their caption
cues (translatable segments, like a lesson's), and the day's view counts by language
(aggregate only: no visitor is recorded)."""

import enum
from datetime import date, datetime

from sqlalchemy import Date, Enum, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.db_types import UTCDateTime, utcnow
from app.extensions import db


class VideoState(enum.StrEnum):
    UPLOADED = "uploaded"  # the original is kept in quarantine, waiting for the queue
    PROCESSING = "processing"  # a worker is transcoding it
    READY = "ready"  # renditions and poster made
    FAILED = "failed"  # ffmpeg refused it; ``failure`` says why


class Video(db.Model):
    """An advocacy video: English title, summary and transcript (the source language of
    its catalogs), its renditions and captions; public once ``published_at`` is set."""

    __tablename__ = "videos"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    transcript: Mapped[str] = mapped_column(Text, default="")  # paragraphs (Markdown)
    state: Mapped[VideoState] = mapped_column(
        Enum(VideoState, native_enum=False, length=20), default=VideoState.UPLOADED
    )
    failure: Mapped[str] = mapped_column(Text, default="")
    # When a worker claimed it: a claim far older than ffmpeg's time limit means the
    # worker died, and the sweeper (tasks.requeue_stuck) puts the video back in the queue.
    processing_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    original_key: Mapped[str | None] = mapped_column(String(300))  # quarantined upload
    poster_key: Mapped[str | None] = mapped_column(String(300))
    duration_seconds: Mapped[float | None] = mapped_column(Float)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    uploaded_by: Mapped[User | None] = relationship()
    renditions: Mapped[list["VideoRendition"]] = relationship(
        order_by="VideoRendition.bytes.desc()", cascade="all, delete-orphan"
    )
    cues: Mapped[list["CaptionCue"]] = relationship(
        order_by="CaptionCue.position", cascade="all, delete-orphan"
    )


class VideoRendition(db.Model):
    """One file made from the original: ``360p``, ``240p`` (MP4, H.264 + AAC) or
    ``audio`` (M4A), with its size for the page ("12 MB")."""

    __tablename__ = "video_renditions"
    __table_args__ = (UniqueConstraint("video_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    video_id: Mapped[int] = mapped_column(ForeignKey("videos.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(300))
    content_type: Mapped[str] = mapped_column(String(60))
    bytes: Mapped[int] = mapped_column(Integer)
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)


class CaptionCue(db.Model):
    """One English caption cue; its text is a segment of the video's catalogs."""

    __tablename__ = "caption_cues"
    __table_args__ = (UniqueConstraint("video_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    video_id: Mapped[int] = mapped_column(ForeignKey("videos.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    start_ms: Mapped[int] = mapped_column(Integer)
    end_ms: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)


class VideoViewCount(db.Model):
    """Views of a video on one day in one language: the only thing recorded of a visit."""

    __tablename__ = "video_view_counts"
    __table_args__ = (UniqueConstraint("video_id", "day", "locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    video_id: Mapped[int] = mapped_column(ForeignKey("videos.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date)
    locale: Mapped[str] = mapped_column(String(16))
    views: Mapped[int] = mapped_column(Integer, default=0)
