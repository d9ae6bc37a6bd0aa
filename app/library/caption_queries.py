"""Reads for the library's captions and catalogs."""

from sqlalchemy import select

from app.extensions import db
from app.library.models import Video


def video_by_id(video_id: int) -> Video | None:
    return db.session.get(Video, video_id)


def video_by_slug(slug: str) -> Video | None:
    return db.session.scalars(select(Video).where(Video.slug == slug)).first()


def all_videos() -> list[Video]:
    """Every video, newest first (the translators' list of documents)."""
    return list(db.session.scalars(select(Video).order_by(Video.created_at.desc(), Video.id)))
