"""The transcode task with a real ffmpeg: renditions, poster, states, idempotence, failure
with ffmpeg's reason, and the uploader told."""

from sqlalchemy import select

from app.extensions import db
from app.library import services
from app.library.media import probe
from app.library.models import VideoState
from app.library.tasks import transcode
from app.notifications.models import Notification
from app.storage import file_store, new_key
from tests.library.conftest import stored_video

FIELDS = {"slug": "what-matters", "title": "What matters most", "summary": "",
          "transcript": "", "filename": "talk.mp4"}  # fmt: skip


def _notices(user) -> list[tuple[str, str]]:
    rows = db.session.scalars(select(Notification).where(Notification.recipient_id == user.id))
    return [(row.kind, row.params.get("variant")) for row in rows]


def test_transcode_makes_renditions_and_a_poster_and_drops_the_original(
    admin, tiny_video, tmp_path
):
    video = services.add_video(admin, data=tiny_video, **FIELDS)
    db.session.commit()
    original = video.original_key
    assert transcode(video.id) is True
    db.session.refresh(video)
    assert video.state == VideoState.READY and video.failure == ""
    kinds = {r.kind: r for r in video.renditions}
    assert set(kinds) == {"360p", "240p", "audio"}
    # 320×240 is not scaled up for "360p"; 240p keeps the aspect with even sides.
    assert (kinds["360p"].width, kinds["360p"].height) == (320, 240)
    assert (kinds["240p"].width, kinds["240p"].height) == (320, 240)
    assert kinds["audio"].width is None and kinds["audio"].content_type == "audio/mp4"
    store = file_store()
    for rendition in kinds.values():
        data = store.get(rendition.key)
        assert rendition.key.startswith("library/media/") and len(data) == rendition.bytes
        path = tmp_path / rendition.kind
        path.write_bytes(data)
        found = probe(path)
        assert 1.5 < found.duration < 2.5 and found.has_audio
        if rendition.kind != "audio":  # faststart: the index (moov) before the data (mdat)
            assert data.index(b"moov") < data.index(b"mdat")
    assert store.get(video.poster_key).startswith(b"\xff\xd8")
    assert video.original_key is None and not store.exists(original)
    assert _notices(admin) == [("library_video", "ready")]


def test_a_second_run_does_nothing(admin, tiny_video):
    video = services.add_video(admin, data=tiny_video, **FIELDS)
    db.session.commit()
    assert transcode(video.id) is True
    keys = {r.key for r in video.renditions}
    assert transcode(video.id) is False  # claimed already: nothing made twice
    db.session.refresh(video)
    assert {r.key for r in video.renditions} == keys
    assert transcode(10**9) is False  # gone


def test_a_video_without_sound_has_no_audio_rendition(admin, silent_video):
    video = services.add_video(admin, data=silent_video, **{**FIELDS, "filename": "s.webm"})
    db.session.commit()
    transcode(video.id)
    assert {r.kind for r in video.renditions} == {"360p", "240p"}
    assert {(r.width, r.height) for r in video.renditions} == {(160, 90)}


def test_ffmpeg_refusing_the_file_fails_it_with_the_reason_and_keeps_the_original(
    admin, tiny_video
):
    video = stored_video(published=False, files={}, uploaded_by_id=admin.id)
    video.original_key = new_key("library/originals", "broken.mp4")
    file_store().put(video.original_key, tiny_video[: len(tiny_video) // 3], "video/mp4")
    video.state = VideoState.UPLOADED
    db.session.commit()
    assert transcode(video.id) is True
    db.session.refresh(video)
    assert video.state == VideoState.FAILED and video.failure
    assert file_store().exists(video.original_key) and video.renditions == []
    assert _notices(admin) == [("library_video", "failed")]
    services.retry_video(admin, video)  # an administrator may try again
    db.session.commit()
    assert video.state == VideoState.UPLOADED


def test_a_missing_original_fails_it(admin):
    video = stored_video(published=False, files={})
    video.original_key, video.state = "library/originals/gone.mp4", VideoState.UPLOADED
    db.session.commit()
    transcode(video.id)
    db.session.refresh(video)
    assert video.state == VideoState.FAILED and "missing" in video.failure


def test_a_video_left_processing_by_a_dead_worker_is_queued_again(admin, tiny_video):
    """A worker killed mid-transcode leaves its claim: the sweeper puts the video back
    once the claim is older than ffmpeg's time limit allows, and it is transcoded."""
    from datetime import timedelta

    from app.db_types import utcnow
    from app.library.tasks import STUCK_AFTER, requeue_stuck
    from tests.tasks import run_queued_tasks

    video = services.add_video(admin, data=tiny_video, **FIELDS)
    db.session.commit()
    claimed = utcnow()
    video.state, video.processing_since = VideoState.PROCESSING, claimed
    db.session.commit()
    assert requeue_stuck(claimed + STUCK_AFTER - timedelta(minutes=1)) == 0  # still working
    assert requeue_stuck(claimed + STUCK_AFTER + timedelta(minutes=1)) == 1
    assert requeue_stuck(claimed + STUCK_AFTER + timedelta(minutes=2)) == 0  # once
    run_queued_tasks()
    db.session.refresh(video)
    assert video.state == VideoState.READY and video.processing_since is None
