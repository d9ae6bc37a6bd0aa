"""ffprobe and ffmpeg (Debian's): what an upload is, and the files made from it.

Every call runs the program on files in a temporary folder with a time limit, never
through a shell, and reads only its exit status, its JSON (ffprobe) or the last lines of
its error output (the reason a transcode failed, shown to administrators).

The renditions are made for slow links: H.264 (main profile for 360p, baseline for 240p,
which the oldest phones decode) with AAC in MP4, ``+faststart`` so that playback starts
before the whole file has arrived, capped bit rates, the picture scaled down (never up)
keeping its aspect with even sides; an audio-only M4A (mono AAC, 48 kbit/s) for those who
only listen; a JPEG poster frame, small, since it is part of the page's first load.
Metadata of the original (a phone's place and time) is dropped from every output.
"""

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

PROBE_TIMEOUT = 30  # seconds; a readable container answers in well under one
TRANSCODE_TIMEOUT = 30 * 60  # a 20-minute video at 360p takes a few minutes on one core


class MediaError(Exception):
    """ffmpeg or ffprobe refused the file (the message says why, in ffmpeg's words)."""


@dataclass(frozen=True)
class Probe:
    """What ffprobe found in a file: a picture (its size) and its duration."""

    duration: float | None
    width: int | None
    height: int | None
    has_audio: bool

    @property
    def is_video(self) -> bool:
        return bool(self.width and self.height)


@dataclass(frozen=True)
class Rendition:
    """A kind of file made from every original."""

    kind: str  # "360p", "240p", "audio"
    filename: str
    content_type: str
    arguments: tuple[str, ...]  # ffmpeg's output options
    height: int | None = None  # video: at most this tall


def _video(height: int, profile: str, maxrate: str, audio: str) -> tuple[str, ...]:
    # Scale down to ``height`` (never up), keeping the aspect, both sides even.
    scale = f"scale=-2:'trunc(min({height},ih)/2)*2'"
    return (
        "-map", "0:v:0", "-map", "0:a:0?", "-vf", scale, "-r", "25",
        "-c:v", "libx264", "-profile:v", profile, "-preset", "veryfast", "-crf", "28",
        "-maxrate", maxrate, "-bufsize", maxrate, "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-ac", "1", "-b:a", audio,
        "-movflags", "+faststart", "-map_metadata", "-1", "-f", "mp4",
    )  # fmt: skip


RENDITIONS = (
    Rendition("360p", "video-360p.mp4", "video/mp4", _video(360, "main", "400k", "64k"), 360),
    Rendition("240p", "video-240p.mp4", "video/mp4", _video(240, "baseline", "200k", "48k"), 240),
    Rendition(
        "audio",
        "audio.m4a",
        "audio/mp4",
        (
            "-map",
            "0:a:0",
            "-vn",
            "-c:a",
            "aac",
            "-ac",
            "1",
            "-b:a",
            "48k",
            "-movflags",
            "+faststart",
            "-map_metadata",
            "-1",
            "-f",
            "mp4",
        ),
    ),  # fmt: skip
)
POSTER_HEIGHT = 360


def _run(command: list[str], timeout: int) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(command, capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise MediaError(f"{command[0]} took longer than {timeout} seconds") from None
    except OSError as error:  # not installed
        raise MediaError(f"{command[0]} could not run: {error}") from error


def _reason(result: subprocess.CompletedProcess) -> str:
    """The last lines of ffmpeg's complaints: what an administrator can act on."""
    lines = result.stderr.decode("utf-8", "replace").strip().splitlines()
    return "\n".join(lines[-5:]) or f"exit status {result.returncode}"


def probe(path: Path) -> Probe:
    """What ``path`` holds; MediaError when ffprobe cannot read it as a media file."""
    result = _run(
        ["ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams",
         str(path)],
        PROBE_TIMEOUT,
    )  # fmt: skip
    if result.returncode != 0:
        raise MediaError(_reason(result))
    try:
        found = json.loads(result.stdout or b"{}")
    except ValueError:
        raise MediaError("ffprobe answered something other than JSON") from None
    streams = found.get("streams") or []
    # A still image (a JPEG renamed .mp4) is a "video" stream of one frame: not a video.
    pictures = [
        s for s in streams
        if s.get("codec_type") == "video" and not (s.get("disposition") or {}).get("attached_pic")
        and s.get("codec_name") not in {"mjpeg", "png", "bmp", "gif", "webp"}
    ]  # fmt: skip
    duration = _number((found.get("format") or {}).get("duration"))
    picture = pictures[0] if pictures else {}
    return Probe(
        duration=duration,
        width=picture.get("width"),
        height=picture.get("height"),
        has_audio=any(s.get("codec_type") == "audio" for s in streams),
    )


def _number(value) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def make_renditions(source: Path, renditions: list[Rendition], folder: Path) -> list[Path]:
    """Make every rendition of ``source`` in ``folder`` with one ffmpeg run (the original
    is decoded once, however many outputs); MediaError with ffmpeg's reason."""
    command = ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
               "-i", str(source)]  # fmt: skip
    outputs = [folder / rendition.filename for rendition in renditions]
    for rendition, out in zip(renditions, outputs, strict=True):
        command += [*rendition.arguments, str(out)]
    result = _run(command, TRANSCODE_TIMEOUT)
    if result.returncode != 0 or not all(o.is_file() and o.stat().st_size for o in outputs):
        raise MediaError(_reason(result))
    return outputs


def make_poster(source: Path, duration: float | None, folder: Path) -> Path:
    """A JPEG frame a tenth of the way in (at most 5 s), at most 360 px tall."""
    at = min((duration or 0) / 10, 5.0)
    out = folder / "poster.jpg"
    command = ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
               "-ss", f"{at:.2f}", "-i", str(source), "-frames:v", "1",
               "-vf", f"scale=-2:'trunc(min({POSTER_HEIGHT},ih)/2)*2'", "-q:v", "7",
               "-map_metadata", "-1", str(out)]  # fmt: skip
    result = _run(command, PROBE_TIMEOUT * 2)
    if result.returncode != 0 or not out.is_file() or out.stat().st_size == 0:
        raise MediaError(_reason(result))
    return out
