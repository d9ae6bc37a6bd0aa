"""Background work of the library (see app/tasks.py): transcoding an uploaded video into
its renditions and poster, and which stored files the videos own (for the sweeper).

The transcode claims its video with one conditional UPDATE (``uploaded`` → ``processing``)
and commits the claim, so two runs of the same task (a retry, two consumers) never both
work on it. It then works in a temporary folder: the original from the store, ffmpeg
for each rendition and the poster, each result stored under ``library/media/…`` with its
row. Success: ``ready``, the original deleted once that commits. ffmpeg refusing the file:
``failed`` with its reason, the original kept so that an administrator can try again.
The file store down: the video goes back to ``uploaded`` and Huey retries later.

The original is deleted after success because it is never served, it is the largest
file by far, and it may carry what a phone records (place, time, device) that the
renditions drop; a new kind of rendition would need the video uploaded again.
"""

import logging
import tempfile
from datetime import timedelta
from pathlib import Path

from sqlalchemy import update

from app.db_types import utcnow
from app.extensions import db
from app.library import queries
from app.library.media import (
    RENDITIONS,
    TRANSCODE_TIMEOUT,
    MediaError,
    make_poster,
    make_renditions,
    probe,
)
from app.library.models import Video, VideoRendition, VideoState
from app.notifications.services import notify
from app.storage import StorageUnavailable, delete_after_commit, file_store, new_key, put_with_row
from app.storage_tasks import owns_files
from app.tasks import crontab, enqueue_after_commit, periodic_task, task

log = logging.getLogger(__name__)

MEDIA = "library/media"  # what the public pages serve: renditions and posters
# A claim older than ffmpeg's time limit and the store's slowest moves: its worker died.
STUCK_AFTER = timedelta(seconds=TRANSCODE_TIMEOUT) + timedelta(minutes=30)
KIND = "library_video"  # the uploader is told when it is ready or failed


@task(retries=3, retry_delay=120)
def transcode_video(video_id: int) -> None:
    """The queued transcode of one video (see :func:`transcode`)."""
    transcode(video_id)


def _claim(video_id: int) -> bool:
    claimed = db.session.execute(
        update(Video)
        .where(Video.id == video_id, Video.state == VideoState.UPLOADED)
        .values(state=VideoState.PROCESSING, failure="", processing_since=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return claimed.rowcount == 1


@periodic_task(crontab(minute="*/15"), lock="library-stuck-transcodes", lock_ttl=600)
def requeue_stuck_transcodes() -> None:
    """Every 15 minutes: videos whose worker died while transcoding go back in the queue."""
    requeue_stuck(utcnow())


def requeue_stuck(now) -> int:
    """Put back every video claimed before ``now - STUCK_AFTER`` and still processing
    (its worker was killed: nothing else leaves a video in that state) and queue its
    transcode again; each with one conditional UPDATE, so two sweepers never queue one
    twice. Returns how many were put back."""
    put_back = 0
    for video_id in queries.stuck_video_ids(now - STUCK_AFTER):
        moved = db.session.execute(
            update(Video)
            .where(Video.id == video_id, Video.state == VideoState.PROCESSING)
            .where(Video.processing_since < now - STUCK_AFTER)
            .values(state=VideoState.UPLOADED, processing_since=None)
            .execution_options(synchronize_session=False)
        )
        if moved.rowcount == 1:
            log.warning("Video %s was left processing by a worker: queued again.", video_id)
            enqueue_after_commit(transcode_video.s(video_id))
            put_back += 1
        db.session.commit()
    return put_back


def transcode(video_id: int) -> bool:
    """Make the renditions and poster of an uploaded video; False when there was nothing
    to do (gone, or claimed by another run). Commits its own transactions."""
    if not _claim(video_id):
        return False
    video = queries.get_video(video_id)
    if video is None:  # deleted between the claim and now
        return False
    try:
        with tempfile.TemporaryDirectory(prefix="palliare-transcode-") as folder:
            _make_files(video, Path(folder))
    except MediaError as error:
        db.session.rollback()
        _fail(video_id, str(error))
        return True
    except (StorageUnavailable, KeyError) as error:
        db.session.rollback()
        if isinstance(error, KeyError):  # the original is gone: nothing to retry
            _fail(video_id, "The uploaded file is missing from the file store.")
            return True
        _back_in_queue(video_id)
        raise
    video.state, video.processing_since = VideoState.READY, None
    delete_after_commit(video.original_key)
    video.original_key = None
    _tell_uploader(video, "ready")
    db.session.commit()
    return True


def _make_files(video: Video, folder: Path) -> None:
    """Every rendition and the poster, stored with their rows (replacing earlier ones)."""
    source = folder / "original"
    with source.open("wb") as out:  # in chunks: an original need not fit in memory
        for chunk in file_store().stream(video.original_key):
            out.write(chunk)
    found = probe(source)
    wanted = [r for r in RENDITIONS if r.kind != "audio" or found.has_audio]
    paths = make_renditions(source, wanted, folder)
    made = [
        (r, path, probe(path) if r.height else None) for r, path in zip(wanted, paths, strict=True)
    ]
    poster = make_poster(source, found.duration, folder)
    for old in list(video.renditions):
        delete_after_commit(old.key)
        video.renditions.remove(old)
    db.session.flush()
    for rendition, path, shape in made:
        key = new_key(MEDIA, rendition.filename)
        put_with_row(key, path, rendition.content_type)
        video.renditions.append(
            VideoRendition(
                kind=rendition.kind, key=key, content_type=rendition.content_type,
                bytes=path.stat().st_size, width=shape.width if shape else None,
                height=shape.height if shape else None,
            )
        )  # fmt: skip
    if video.poster_key:
        delete_after_commit(video.poster_key)
    video.poster_key = new_key(MEDIA, "poster.jpg")
    put_with_row(video.poster_key, poster, "image/jpeg")
    video.duration_seconds = found.duration
    db.session.flush()


def _fail(video_id: int, reason: str) -> None:
    log.warning("Video %s could not be transcoded: %s", video_id, reason)
    video = queries.get_video(video_id)
    video.state, video.failure = VideoState.FAILED, reason[:4000]
    video.processing_since = None
    _tell_uploader(video, "failed")
    db.session.commit()


def _back_in_queue(video_id: int) -> None:
    db.session.execute(
        update(Video)
        .where(Video.id == video_id, Video.state == VideoState.PROCESSING)
        .values(state=VideoState.UPLOADED, processing_since=None)
    )
    db.session.commit()


def _tell_uploader(video: Video, variant: str) -> None:
    if video.uploaded_by is not None and video.uploaded_by.is_active:
        notify(video.uploaded_by, KIND, variant=variant, title=video.title, video_id=video.id)


@owns_files("library/")
def referenced_library_files(keys: list[str]) -> set[str]:
    """The keys a video refers to (its quarantined original, renditions, poster)."""
    return queries.referenced_keys(keys)
