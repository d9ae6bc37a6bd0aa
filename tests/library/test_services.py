"""The library's services without HTTP: adding a video (and every refusal, with nothing
stored), texts, publishing, retrying, deleting and counting views."""

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.auth.models import Role
from app.exceptions import PermissionDenied, ValidationFailed
from app.extensions import db
from app.library import services
from app.library.models import Video, VideoState, VideoViewCount
from app.storage import file_store
from tests.factories import make_user
from tests.library.conftest import stored_video
from tests.tasks import run_queued_tasks

FIELDS = {"slug": "what-matters", "title": "What matters most", "summary": "A *talk*.",
          "transcript": "We talk.", "filename": "talk.mp4"}  # fmt: skip


def _library_files() -> list[str]:
    return [key for key, _when in file_store().keys("library/")]


def _videos() -> int:
    return db.session.scalar(select(func.count()).select_from(Video))


def test_add_video_keeps_the_original_in_quarantine_and_queues_the_transcode(admin, tiny_video):
    video = services.add_video(admin, data=tiny_video, **FIELDS)
    assert video.state == VideoState.UPLOADED and video.published_at is None
    assert video.original_key.startswith("library/originals/")
    assert file_store().get(video.original_key) == tiny_video
    assert 1.9 < video.duration_seconds < 2.3
    assert video.uploaded_by == admin
    db.session.commit()
    run_queued_tasks()  # the transcode (tests/library/test_transcode.py), then its e-mail
    assert video.state == VideoState.READY


def test_add_video_takes_a_path_too(admin, tiny_video, tmp_path):
    path = tmp_path / "talk.mp4"
    path.write_bytes(tiny_video)
    video = services.add_video(admin, data=Path(path), **FIELDS)
    assert file_store().get(video.original_key) == tiny_video


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"this is a text file, not a video", "not a video"),
        (b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 500, "not a video"),  # a header, no stream
    ],
)
def test_what_is_not_a_video_is_refused_and_nothing_is_stored(admin, data, message):
    with pytest.raises(ValidationFailed, match=message) as refused:
        services.add_video(admin, data=data, **FIELDS)
    assert refused.value.field == "file"
    assert _library_files() == [] and _videos() == 0


def test_a_still_image_is_not_a_video(admin, still_image):
    with pytest.raises(ValidationFailed, match="not a video"):
        services.add_video(admin, data=still_image, **FIELDS)
    assert _library_files() == []


def test_too_long_and_too_large_are_refused(app, admin, tiny_video, monkeypatch):
    monkeypatch.setitem(app.config, "LIBRARY_MAX_SECONDS", 1)
    with pytest.raises(ValidationFailed, match="longer than 0 minutes"):
        services.add_video(admin, data=tiny_video, **FIELDS)
    monkeypatch.setitem(app.config, "LIBRARY_MAX_SECONDS", 60)
    monkeypatch.setitem(app.config, "LIBRARY_MAX_UPLOAD", 1024)
    with pytest.raises(ValidationFailed, match="larger than"):
        services.add_video(admin, data=tiny_video, **FIELDS)
    assert _library_files() == [] and _videos() == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"slug": "What Matters"}, "slug"),
        ({"slug": "manage"}, "slug"),
        ({"title": ""}, "title"),
        ({"title": "<b>Hi</b>"}, "title"),
        ({"summary": "Hello <script>alert(1)</script>"}, "summary"),
        ({"transcript": "<img src=x onerror=alert(1)>"}, "transcript"),
    ],
)
def test_bad_texts_are_refused_before_the_file_is_read(admin, change, field):
    with pytest.raises(ValidationFailed) as refused:
        services.add_video(admin, data=b"not even looked at", **{**FIELDS, **change})
    assert refused.value.field == field
    assert _library_files() == []


def test_markdown_quotes_are_not_taken_for_html(admin, tiny_video):
    video = services.add_video(
        admin, data=tiny_video, **{**FIELDS, "transcript": "> a quote\n\n1 < 2"}
    )
    assert video.transcript.startswith("> a quote")


def test_slugs_are_unique(admin, tiny_video):
    stored_video(slug="what-matters")
    with pytest.raises(ValidationFailed, match="Another video"):
        services.add_video(admin, data=tiny_video, **FIELDS)


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.TRAINER, Role.TRANSLATOR, Role.LEARNER])
def test_only_administrators_manage_the_library(role, tiny_video):
    from tests.factories import make_institution

    scope = make_institution() if role == Role.COORDINATOR else "ru"
    person = make_user(
        roles=((role, scope),) if role in (Role.COORDINATOR, Role.TRANSLATOR) else (role,)
    )
    with pytest.raises(PermissionDenied):
        services.add_video(person, data=tiny_video, **FIELDS)
    video = stored_video(published=False)
    for change in (services.publish_video, services.unpublish_video, services.delete_video):
        with pytest.raises(PermissionDenied):
            change(person, video)
    assert _videos() == 1


def test_publish_needs_a_ready_video_and_unpublish_hides_it(admin):
    video = stored_video(published=False)
    video.state = VideoState.PROCESSING
    with pytest.raises(ValidationFailed):
        services.publish_video(admin, video)
    video.state = VideoState.READY
    services.publish_video(admin, video)
    assert video.published_at is not None
    services.unpublish_video(admin, video)
    assert video.published_at is None


def test_edit_video_changes_the_texts_and_the_address(admin):
    video = stored_video()
    services.edit_video(admin, video, slug="talking", title="Talking", summary="S", transcript="T")
    assert (video.slug, video.title, video.summary, video.transcript) == (
        "talking",
        "Talking",
        "S",
        "T",
    )
    services.edit_video(admin, video, slug="talking", title="Again", summary="", transcript="")
    assert video.title == "Again"  # its own address is not "another video's"


def test_retry_only_a_failed_video_that_kept_its_original(admin):
    video = stored_video(published=False)
    with pytest.raises(ValidationFailed):
        services.retry_video(admin, video)
    video.state, video.failure, video.original_key = (
        VideoState.FAILED,
        "moov atom not found",
        "library/originals/x.mp4",
    )
    services.retry_video(admin, video)
    assert (video.state, video.failure) == (VideoState.UPLOADED, "")


def test_delete_removes_the_files_once_committed(admin):
    video = stored_video()
    keys = [video.poster_key, *(r.key for r in video.renditions)]
    services.delete_video(admin, video)
    db.session.commit()
    assert _videos() == 0
    assert not any(file_store().exists(key) for key in keys)


def test_a_view_is_one_upsert_per_day_and_language(admin):
    video = stored_video()
    day = date(2026, 12, 6)
    for locale in ("zh_Hans", "zh_Hans", "ru"):
        services.record_view(video, day, locale)
    services.record_view(video, date(2026, 12, 7), "zh_Hans")
    db.session.commit()
    rows = db.session.execute(
        select(VideoViewCount.day, VideoViewCount.locale, VideoViewCount.views).order_by(
            VideoViewCount.day, VideoViewCount.locale
        )
    ).all()
    assert [tuple(row) for row in rows] == [
        (day, "ru", 1), (day, "zh_Hans", 2), (date(2026, 12, 7), "zh_Hans", 1)
    ]  # fmt: skip


def test_the_sweeper_keeps_what_a_video_refers_to_and_removes_orphans(admin, tiny_video):
    from datetime import timedelta

    from app.db_types import utcnow
    from app.storage_tasks import sweep_orphans

    video = services.add_video(admin, data=tiny_video, **FIELDS)
    kept = stored_video(slug="kept")
    db.session.commit()
    file_store().put("library/media/orphan.mp4", b"left by a crash", "video/mp4")
    sweep_orphans(now=utcnow() + timedelta(hours=2))
    left = set(_library_files())
    assert "library/media/orphan.mp4" not in left
    assert {video.original_key, kept.poster_key, *(r.key for r in kept.renditions)} <= left
