"""A library video's words in a visitor's language: title, summary, transcript and the
caption tracks offered.

Owned by the captions part: today English only and no tracks; it becomes the
translated texts (segment by segment, falling back to English) and the tracks that are
complete and current, or marked partial. The video pages call only these two."""

from dataclasses import dataclass

from app.courses.content.markdown import render
from app.html import sanitise
from app.library.models import Video


@dataclass(frozen=True)
class VideoTexts:
    title: str
    summary_html: str
    transcript_html: str
    locale: str  # the language of most of it


@dataclass(frozen=True)
class Track:
    locale: str
    label: str  # the language's name, "(partial)" added when cues fall back
    partial: bool
    url: str


def video_texts(video: Video, locale: str) -> VideoTexts:
    """The video's words in ``locale`` where translated, else English."""
    keep = lambda text: (text, None)  # noqa: E731
    summary, _stats = render(video.summary, keep, "")
    transcript, _stats = render(video.transcript, keep, "")
    return VideoTexts(video.title, sanitise(summary), sanitise(transcript), "en")


def tracks(video: Video, locale: str) -> list[Track]:
    """The caption tracks the video page offers, the visitor's language first."""
    return []
