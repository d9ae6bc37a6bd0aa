"""The demo library: a playable narrated MP4 with cues timed to it, and translations
with one Chinese cue deliberately stale."""

import json
import subprocess
from datetime import UTC, datetime

import pytest

from app.auth.models import Role
from app.courses import documents
from app.demo import library as demo_library
from app.demo import library_media
from app.demo.library_texts import VIDEOS, WHAT_IT_IS, WHAT_MATTERS
from app.library import captions, texts
from app.library.captions import Cue, parse_vtt
from app.library.models import Video, VideoState
from tests.factories import make_user

needs_tools = pytest.mark.skipif(
    bool(library_media.missing_tools()), reason="ffmpeg or espeak-ng not installed"
)


@needs_tools
def test_a_demo_video_is_a_playable_mp4_with_cues_timed_to_it(tmp_path):
    built = library_media.build(WHAT_MATTERS, tmp_path)
    path = tmp_path / "check.mp4"
    path.write_bytes(built.mp4)
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-show_format", "-show_streams", "-of", "json", str(path)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    found = json.loads(probe.stdout)
    duration = float(found["format"]["duration"])
    assert 20 < duration < 45
    assert {s["codec_name"] for s in found["streams"]} == {"h264", "aac"}
    assert len(built.mp4) < 1_000_000
    assert [cue.text for cue in built.cues] == [
        line.en for slide in WHAT_MATTERS.slides for line in slide.said
    ]
    # in order, not overlapping, within the video: the file the route serves reads back
    assert parse_vtt(captions.format_vtt(built.cues).encode(), round(duration * 1000))


def test_without_the_tools_the_demo_library_is_skipped(db, monkeypatch, caplog):
    monkeypatch.setattr(library_media.shutil, "which", lambda tool: None)
    assert demo_library.ensure_library() == []
    assert "Demo library skipped: ffmpeg, espeak-ng not installed." in caplog.text


def test_every_demo_text_is_translated_in_both_languages():
    for video in VIDEOS:
        for locale in ("zh_Hans", "ru"):
            translations = video.translations(locale)
            assert all(translations.values()), (video.slug, locale)
            said = [line.en for slide in video.slides for line in slide.said]
            paragraphs = video.transcript().strip().split("\n\n")
            expected = {video.title.en, video.summary.en, *paragraphs, *said}
            assert set(translations) == expected


def test_the_demo_leaves_one_chinese_cue_stale_and_russian_complete(db, app):
    admin = make_user()
    video = Video(
        slug=WHAT_IT_IS.slug, title=WHAT_IT_IS.title.en, summary=WHAT_IT_IS.summary.en,
        transcript=WHAT_IT_IS.transcript(), state=VideoState.READY, duration_seconds=40,
        published_at=datetime(2026, 12, 1, tzinfo=UTC),
    )  # fmt: skip
    db.session.add(video)
    db.session.flush()
    said = [line.en for slide in WHAT_IT_IS.slides for line in slide.said]
    cues = [Cue(i * 3000, i * 3000 + 3000, text) for i, text in enumerate(said)]
    demo_library.caption_and_translate(admin, video, WHAT_IT_IS, cues)
    source = texts.source_of(video)
    chinese = documents.catalog_of(source, "zh_Hans")
    reworded = "It can start early, alongside other treatment."
    assert chinese.fuzzy == {reworded}
    russian = documents.coverage(source, documents.catalog_of(source, "ru"))
    assert russian.complete and not russian.stale
    with app.test_request_context():
        offered = {track.locale: track.partial for track in texts.tracks(video, "zh_Hans")}
    assert offered == {"zh_Hans": True, "en": False, "ru": False}
    shown = parse_vtt(texts.track_vtt(video, "zh_Hans").encode())
    assert [cue.text for cue in shown if cue.text.isascii()] == [reworded]
    assert texts.video_texts(video, "zh_Hans").title == WHAT_IT_IS.title.zh_Hans


@needs_tools
def test_the_demo_adds_both_videos_through_the_upload_and_transcoding(db):
    """Through the real upload and transcoding (ffmpeg): both videos ready with their
    renditions, published, captioned, added once."""
    make_user(roles=(Role.ADMIN,), email=demo_library.ADMIN_EMAIL)
    added = demo_library.ensure_library()
    assert [video.slug for video in added] == [video.slug for video in VIDEOS]
    for video in added:
        assert video.state == VideoState.READY and video.published_at
        assert {rendition.kind for rendition in video.renditions} == {"360p", "240p", "audio"}
        assert video.poster_key and len(video.cues) == 8
    assert demo_library.ensure_library() == []  # already there
