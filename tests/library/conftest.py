"""Fixtures of the library's tests: a real tiny video made once by ffmpeg (2 s, 320×240,
10 frames a second, a tone), an administrator, and videos written straight to the store."""

import subprocess

import pytest

from app.auth.models import Role
from app.db_types import utcnow
from app.extensions import db
from app.library.models import Video, VideoRendition, VideoState
from app.storage import file_store, new_key
from tests.factories import make_user
from tests.storage.conftest import app_store, s3_keys, seaweedfs  # noqa: F401 (fixtures)

POSTER = b"\xff\xd8 a poster"


def _ffmpeg(*arguments: str, out) -> bytes:
    command = ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y", *arguments]
    subprocess.run([*command, str(out)], check=True, timeout=60)
    return out.read_bytes()


@pytest.fixture(scope="session")
def tiny_video(tmp_path_factory) -> bytes:
    """A 2-second MP4 with a picture and a sound."""
    return _ffmpeg(
        "-f", "lavfi", "-i", "testsrc=duration=2:size=320x240:rate=10",
        "-f", "lavfi", "-i", "sine=frequency=440:duration=2",
        "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest",
        out=tmp_path_factory.mktemp("video") / "tiny.mp4",
    )  # fmt: skip


@pytest.fixture(scope="session")
def silent_video(tmp_path_factory) -> bytes:
    """A 1-second WebM with a picture and no sound."""
    return _ffmpeg(
        "-f", "lavfi", "-i", "testsrc=duration=1:size=160x90:rate=5",
        "-c:v", "libvpx", "-b:v", "100k",
        out=tmp_path_factory.mktemp("video") / "silent.webm",
    )  # fmt: skip


@pytest.fixture(scope="session")
def still_image(tmp_path_factory) -> bytes:
    """A JPEG: ffprobe reads it, as a picture, not a video."""
    return _ffmpeg(
        "-f", "lavfi", "-i", "testsrc=duration=1:size=64x48:rate=1", "-frames:v", "1",
        out=tmp_path_factory.mktemp("image") / "still.jpg",
    )  # fmt: skip


@pytest.fixture(autouse=True)
def fresh_store(app, tmp_path, monkeypatch):
    """Each test its own folder of files (the database is rolled back; files are not)."""
    monkeypatch.setitem(app.config, "STORAGE_URL", f"file://{tmp_path / 'files'}")


@pytest.fixture
def admin():
    return make_user(roles=(Role.ADMIN,), name="Ada Admin")


def stored_video(slug="what-matters", published=True, files=None, **fields) -> Video:
    """A ready video whose files are ``files`` ({kind: bytes}) put in the store as they
    are (no transcoding): for the pages and the range requests."""
    if files is None:
        files = {"360p": b"A" * 3000, "240p": b"B" * 1500, "audio": b"C" * 700, "poster": POSTER}
    store = file_store()
    video = Video(
        slug=slug, title=fields.pop("title", "What matters most"),
        summary=fields.pop("summary", "How to **ask** what matters."),
        transcript=fields.pop("transcript", "First paragraph.\n\nSecond paragraph."),
        state=VideoState.READY, duration_seconds=125.0,
        published_at=utcnow() if published else None, **fields,
    )  # fmt: skip
    for kind, data in files.items():
        key = new_key("library/media", "poster.jpg" if kind == "poster" else f"{kind}.mp4")
        store.put(key, data, "application/octet-stream")
        if kind == "poster":
            video.poster_key = key
        else:
            content_type = "audio/mp4" if kind == "audio" else "video/mp4"
            height = {"360p": 360, "240p": 240}.get(kind)
            video.renditions.append(
                VideoRendition(kind=kind, key=key, content_type=content_type, bytes=len(data),
                               width=height and height * 16 // 9, height=height)
            )  # fmt: skip
    db.session.add(video)
    db.session.commit()
    return video
