"""The demo library's videos, made on the spot: slides drawn with Pillow, each sentence
narrated by espeak-ng, stitched by ffmpeg into a small MP4 (640x360, a few frames a
second: slides do not move). Nothing large is committed; a video takes about a second.

Each sentence is one caption cue, timed to its narration: a cue runs from its sentence's
start to the next one's (a short pause between them), so the captions follow the voice
and the slides change with them."""

import shutil
import subprocess
import textwrap
import wave
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from app.demo.library_texts import DemoVideo
from app.library.captions import Cue

FONTS = Path(__file__).resolve().parents[1] / "learning" / "fonts"
SIZE = (640, 360)
PAUSE_MS = 350  # between sentences
TOOLS = ("ffmpeg", "espeak-ng")


@dataclass(frozen=True)
class Built:
    mp4: bytes
    cues: list[Cue]  # English, timed to the narration
    duration_ms: int


def missing_tools() -> list[str]:
    """The programs the generation needs that are not installed."""
    return [tool for tool in TOOLS if shutil.which(tool) is None]


def build(video: DemoVideo, workdir: Path) -> Built:
    """The MP4 of ``video`` made in ``workdir``, and its English cues."""
    pieces, slides, cues = [], [], []
    clock = 0
    for number, slide in enumerate(video.slides):
        picture = workdir / f"slide-{number}.png"
        draw_slide(slide.heading, slide.shown, video.palette, picture)
        began = clock
        for index, line in enumerate(slide.said):
            sound = workdir / f"say-{number}-{index}.wav"
            length = narrate(line.en, sound)
            pieces.append(sound)
            cues.append(Cue(clock, clock + length + PAUSE_MS, line.en))
            clock += length + PAUSE_MS
        slides.append((picture, clock - began))
    last = cues[-1]  # ends with its voice: the video may be a frame shorter than the sound
    cues[-1] = Cue(last.start_ms, last.end_ms - PAUSE_MS, last.text)
    audio = workdir / "narration.wav"
    join_sounds(pieces, audio)
    out = workdir / f"{video.slug}.mp4"
    stitch(slides, audio, out)
    return Built(out.read_bytes(), cues, clock)


def draw_slide(heading: str, lines: tuple[str, ...], palette: tuple[str, str], path: Path):
    """A slide: the heading in bold, then the lines, large, on the palette's background."""
    background, ink = palette
    image = Image.new("RGB", SIZE, background)
    draw = ImageDraw.Draw(image)
    bold = ImageFont.truetype(str(FONTS / "DejaVuSans-Bold.ttf"), 34)
    regular = ImageFont.truetype(str(FONTS / "DejaVuSans.ttf"), 26)
    y = 48
    for row in textwrap.wrap(heading, 30):
        draw.text((40, y), row, font=_font(row, bold), fill=ink)
        y += 46
    draw.line((40, y + 6, 200, y + 6), fill=ink, width=3)
    y += 34
    for line in lines:
        for row in textwrap.wrap(line, 38):
            draw.text((40, y), row, font=_font(row, regular), fill=ink)
            y += 38
    image.save(path)


def _font(text: str, latin: ImageFont.FreeTypeFont) -> ImageFont.FreeTypeFont:
    """DejaVu for Latin and Cyrillic; WenQuanYi where Chinese characters appear."""
    if any("\u3000" <= character <= "\u9fff" for character in text):
        return ImageFont.truetype(str(FONTS / "WenQuanYiMicroHei.ttf"), latin.size)
    return latin


def narrate(text: str, path: Path) -> int:
    """Speak ``text`` into the WAV file ``path``; its length in milliseconds."""
    subprocess.run(
        ["espeak-ng", "-v", "en", "-s", "165", "-w", str(path), text],
        check=True,
        capture_output=True,
        timeout=30,
    )
    with wave.open(str(path)) as sound:
        return round(sound.getnframes() * 1000 / sound.getframerate())


def join_sounds(pieces: list[Path], out: Path) -> None:
    """One WAV of the pieces in order, each followed by a pause."""
    with wave.open(str(pieces[0])) as first:
        params = first.getparams()
    silence = b"\0" * (params.sampwidth * params.nchannels) * (params.framerate * PAUSE_MS // 1000)
    with wave.open(str(out), "wb") as joined:
        joined.setparams(params)
        for piece in pieces:
            with wave.open(str(piece)) as sound:
                joined.writeframes(sound.readframes(sound.getnframes()))
            joined.writeframes(silence)


def stitch(slides: list[tuple[Path, int]], audio: Path, out: Path) -> None:
    """The slides, each for its milliseconds, with the narration: H.264 + AAC in MP4."""
    listing = out.with_suffix(".txt")
    rows = []
    for picture, length in slides:
        rows += [f"file '{picture.name}'", f"duration {length / 1000:.3f}"]
    rows.append(f"file '{slides[-1][0].name}'")  # the concat demuxer's last duration
    listing.write_text("\n".join(rows) + "\n", encoding="utf-8")
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "concat", "-safe", "0", "-i", listing.name,
         "-i", audio.name, "-vf", "fps=5,format=yuv420p", "-c:v", "libx264",
         "-preset", "ultrafast", "-tune", "stillimage", "-c:a", "aac", "-b:a", "64k",
         "-shortest", "-movflags", "+faststart", out.name],
        check=True, capture_output=True, timeout=120, cwd=out.parent,
    )  # fmt: skip
