"""The library's writes: adding a video, its texts, publishing, retrying, deleting, and
counting a view. Administrators only (the route policy and ``_require_admin`` here);
every function flushes and never commits.

An upload is checked before anything is stored, cheapest first: its size, then ffprobe
(a readable container with a moving picture), then its duration. Only then is the
original written under a quarantine key (``library/originals/…``: never served) with its
row, and the transcode queued after the commit (app/library/tasks.py)."""

import re
import tempfile
from datetime import date
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from app.auth.models import Role, User
from app.db_types import insert_with_on_conflict, utcnow
from app.exceptions import PermissionDenied, ValidationFailed
from app.extensions import db
from app.library import queries
from app.library.media import MediaError, Probe, probe
from app.library.models import Video, VideoState, VideoViewCount
from app.library.tasks import transcode_video
from app.storage import delete_after_commit, new_key, put_with_row
from app.tasks import enqueue_after_commit

ORIGINALS = "library/originals"  # quarantined uploads, never served
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RESERVED = {"manage"}  # /library/manage is the administrators' page
TAG = re.compile(r"<\s*[A-Za-z!/?]")  # the start of an HTML tag or comment


def _require_admin(actor: User) -> None:
    if not actor.has_role(Role.ADMIN):
        raise PermissionDenied(_("Only administrators manage the library."))


def _checked_texts(title: str, summary: str, transcript: str) -> tuple[str, str, str]:
    """The texts stripped, or ValidationFailed naming the field that is wrong."""
    title, summary, transcript = title.strip(), summary.strip(), transcript.strip()
    if not title:
        raise ValidationFailed(_("Give the video a title."), "title")
    if len(title) > 200:
        raise ValidationFailed(_("The title is longer than 200 characters."), "title")
    if "<" in title or ">" in title:
        raise ValidationFailed(_("The title is plain text: remove “<” and “>”."), "title")
    for field, text in (("summary", summary), ("transcript", transcript)):
        if TAG.search(text):
            message = _("HTML is not allowed here: write Markdown (remove the “<…>” tags).")
            raise ValidationFailed(message, field)
    return title, summary, transcript


def _checked_slug(slug: str, video: Video | None = None) -> str:
    slug = slug.strip().lower()
    if not SLUG.match(slug) or len(slug) > 100 or slug in RESERVED:
        message = _("Use lower-case letters, digits and hyphens, e.g. “what-matters-most”.")
        raise ValidationFailed(message, "slug")
    other = queries.get_video_by_slug(slug)
    if other is not None and other is not video:
        raise ValidationFailed(_("Another video has the address “%(slug)s”.", slug=slug), "slug")
    return slug


def check_video_file(path: Path) -> Probe:
    """What ffprobe found in the file at ``path``, or ValidationFailed when it is too
    large, not a video or too long."""
    limit, seconds = (current_app.config[k] for k in ("LIBRARY_MAX_UPLOAD", "LIBRARY_MAX_SECONDS"))
    if path.stat().st_size > limit:
        message = _("The file is larger than %(mb)d MB.", mb=limit // 2**20)
        raise ValidationFailed(message, "file")
    try:
        found = probe(path)
    except MediaError:
        found = None
    if found is None or not found.is_video or not found.duration:
        message = _("This file is not a video we can read (MP4, WebM, MOV, MKV, AVI…).")
        raise ValidationFailed(message, "file")
    if found.duration > seconds:
        message = _("The video is longer than %(minutes)d minutes.", minutes=seconds // 60)
        raise ValidationFailed(message, "file")
    return found


def add_video(
    actor: User,
    *,
    slug: str,
    title: str,
    summary: str,
    transcript: str,
    data: bytes | Path,
    filename: str,
) -> Video:
    """Check and keep an uploaded video (unpublished) and queue its transcoding; the file
    is ``data`` (bytes, or the path of a file). Nothing is stored when a check fails."""
    _require_admin(actor)
    title, summary, transcript = _checked_texts(title, summary, transcript)
    slug = _checked_slug(slug)
    with tempfile.TemporaryDirectory(prefix="palliare-upload-") as folder:
        path = Path(data) if isinstance(data, Path) else Path(folder) / "upload"
        if not isinstance(data, Path):
            path.write_bytes(data)
        found = check_video_file(path)
        key = new_key(ORIGINALS, filename)
        put_with_row(key, path, "application/octet-stream")
    video = Video(
        slug=slug,
        title=title,
        summary=summary,
        transcript=transcript,
        state=VideoState.UPLOADED,
        original_key=key,
        duration_seconds=found.duration,
        uploaded_by_id=actor.id,
    )
    db.session.add(video)
    db.session.flush()
    _queue_transcode(video)
    return video


def _queue_transcode(video: Video) -> None:
    enqueue_after_commit(transcode_video.s(video.id))


def edit_video(actor: User, video: Video, *, slug: str, title: str, summary: str,
               transcript: str) -> None:  # fmt: skip
    """Change the video's address and English texts (its catalogs follow them)."""
    _require_admin(actor)
    video.title, video.summary, video.transcript = _checked_texts(title, summary, transcript)
    video.slug = _checked_slug(slug, video)
    db.session.flush()


def publish_video(actor: User, video: Video) -> None:
    """Show a ready video on the public pages."""
    _require_admin(actor)
    if video.state != VideoState.READY:
        raise ValidationFailed(_("Only a video whose renditions are made can be published."))
    if video.published_at is None:
        video.published_at = utcnow()
    db.session.flush()


def unpublish_video(actor: User, video: Video) -> None:
    """Take a video off the public pages (its files and counts are kept)."""
    _require_admin(actor)
    video.published_at = None
    db.session.flush()


def retry_video(actor: User, video: Video) -> None:
    """Queue a failed transcode again (its original was kept for this)."""
    _require_admin(actor)
    if video.state != VideoState.FAILED or video.original_key is None:
        raise ValidationFailed(_("Only a video whose transcoding failed can be tried again."))
    video.state, video.failure = VideoState.UPLOADED, ""
    db.session.flush()
    _queue_transcode(video)


def delete_video(actor: User, video: Video) -> None:
    """Delete the video, its files (once the deletion commits), cues and counts."""
    _require_admin(actor)
    keys = [video.original_key, video.poster_key, *(r.key for r in video.renditions)]
    for key in filter(None, keys):
        delete_after_commit(key)
    db.session.delete(video)
    db.session.flush()


def record_view(video: Video, day: date, locale: str) -> None:
    """Count one view of ``video`` on ``day`` in ``locale``: one upsert, nothing else
    about the visitor (two servers counting at once both count)."""
    insert = insert_with_on_conflict(db.session.get_bind().dialect.name)
    statement = insert(VideoViewCount).values(video_id=video.id, day=day, locale=locale, views=1)
    statement = statement.on_conflict_do_update(
        index_elements=["video_id", "day", "locale"],
        set_={"views": VideoViewCount.views + 1},
    )
    db.session.execute(statement)
