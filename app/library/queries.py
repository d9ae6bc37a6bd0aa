"""The library's reads: videos by address, the public list, the administrators' list and
the view counts."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.library.models import Video, VideoRendition, VideoState, VideoViewCount


def get_video(video_id: int) -> Video | None:
    """The video with ``video_id`` (any state)."""
    return db.session.get(Video, video_id)


def get_video_by_slug(slug: str) -> Video | None:
    """The video at ``slug`` (any state)."""
    return db.session.scalar(select(Video).where(Video.slug == slug))


def get_public_video(slug: str) -> Video | None:
    """The video at ``slug`` if the public may see it: published and ready."""
    return db.session.scalar(
        select(Video)
        .where(Video.slug == slug, Video.published_at.is_not(None))
        .where(Video.state == VideoState.READY)
        .options(selectinload(Video.renditions))
    )


def list_public_videos() -> list[Video]:
    """The published, ready videos, newest first, with their renditions (one query each)."""
    return list(
        db.session.scalars(
            select(Video)
            .where(Video.published_at.is_not(None), Video.state == VideoState.READY)
            .order_by(Video.published_at.desc(), Video.id.desc())
            .options(selectinload(Video.renditions))
        )
    )


def list_videos() -> list[Video]:
    """Every video for the administrators, newest first."""
    return list(
        db.session.scalars(
            select(Video)
            .order_by(Video.created_at.desc(), Video.id.desc())
            .options(selectinload(Video.renditions))
        )
    )


def total_views() -> dict[int, int]:
    """Views of each video, all days and languages together."""
    rows = db.session.execute(
        select(VideoViewCount.video_id, func.sum(VideoViewCount.views)).group_by(
            VideoViewCount.video_id
        )
    )
    return {video_id: int(views) for video_id, views in rows}


@dataclass(frozen=True)
class DayViews:
    day: date
    by_locale: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_locale.values())


def views_by_day(video_id: int, limit: int = 60) -> tuple[list[str], list[DayViews]]:
    """The languages seen, and the views of each of the last ``limit`` days with views,
    newest first, per language."""
    rows = db.session.execute(
        select(VideoViewCount.day, VideoViewCount.locale, VideoViewCount.views)
        .where(VideoViewCount.video_id == video_id)
        .order_by(VideoViewCount.day.desc(), VideoViewCount.locale)
    ).all()
    days: dict[date, dict[str, int]] = {}
    for day, locale, views in rows:
        if day in days or len(days) < limit:
            days.setdefault(day, {})[locale] = views
    locales = sorted({locale for _day, locale, _views in rows})
    return locales, [DayViews(day, counts) for day, counts in days.items()]


def rendition_of(video: Video, kind: str) -> VideoRendition | None:
    """The video's rendition of ``kind`` (loaded with it)."""
    return next((r for r in video.renditions if r.kind == kind), None)


def referenced_keys(keys: list[str]) -> set[str]:
    """Which of ``keys`` a video or rendition refers to (for the orphan sweeper)."""
    found = db.session.execute(
        select(Video.original_key, Video.poster_key).where(
            Video.original_key.in_(keys) | Video.poster_key.in_(keys)
        )
    )
    used = {key for row in found for key in row if key is not None}
    used |= set(db.session.scalars(select(VideoRendition.key).where(VideoRendition.key.in_(keys))))
    return used


def stuck_video_ids(claimed_before) -> list[int]:
    """Videos still processing that a worker claimed before ``claimed_before``."""
    return list(
        db.session.scalars(
            select(Video.id).where(
                Video.state == VideoState.PROCESSING, Video.processing_since < claimed_before
            )
        )
    )
