"""What the library's pages show of a video: its card on the list, the sources of its
player in order, the downloads with human sizes, its length, and the links to the page
in every other language."""

from dataclasses import dataclass

from flask import request, url_for
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.library.models import Video, VideoRendition, VideoState
from app.library.texts import VideoTexts
from app.locales import language_name, supported_locales

ORDER = ("360p", "240p", "audio")  # the player tries the first it can play
MEGABYTE = 1_000_000  # as phones and operators count a data allowance
STATE_LABELS = {
    VideoState.UPLOADED: _l("uploaded, waiting to be transcoded"),
    VideoState.PROCESSING: _l("being transcoded"),
    VideoState.READY: _l("ready"),
    VideoState.FAILED: _l("transcoding failed"),
}


def human_size(size: int) -> str:
    """``12 MB``, ``4.2 MB``, ``850 KB`` in the viewer's language."""
    if size >= 10 * MEGABYTE:
        return _("%(size)s MB", size=format_decimal(round(size / MEGABYTE)))
    if size >= MEGABYTE:
        return _("%(size)s MB", size=format_decimal(round(size / MEGABYTE, 1)))
    return _("%(size)s KB", size=format_decimal(max(1, round(size / 1000))))


def duration_label(seconds: float | None) -> str:
    """``3:05`` (minutes and seconds), the same in every language."""
    whole = round(seconds or 0)
    return f"{whole // 60}:{whole % 60:02d}"


def iso_duration(seconds: float | None) -> str:
    """``PT3M5S`` for ``<time datetime>``."""
    whole = round(seconds or 0)
    return f"PT{whole // 60}M{whole % 60}S"


def media_kinds(video: Video) -> list[VideoRendition]:
    """The video's renditions in the order the page offers them: 360p, 240p, audio."""
    return sorted(
        (r for r in video.renditions if r.kind in ORDER), key=lambda r: ORDER.index(r.kind)
    )


@dataclass(frozen=True)
class Download:
    label: str  # "360p · 12 MB", "audio · 1 MB"
    url: str


def video_downloads(video: Video) -> list[Download]:
    """Each rendition as a download, with its size."""
    downloads = []
    for rendition in media_kinds(video):
        size = human_size(rendition.bytes)
        if rendition.kind == "audio":
            label = _("audio only, %(size)s", size=size)
        else:
            label = _("video %(quality)s, %(size)s", quality=rendition.kind, size=size)
        url = url_for("library.media", slug=video.slug, kind=rendition.kind, download=1)
        downloads.append(Download(label, url))
    return downloads


@dataclass(frozen=True)
class Card:
    video: Video
    words: VideoTexts
    duration: str
    iso_duration: str


def video_card(video: Video, words: VideoTexts) -> Card:
    return Card(
        video, words, duration_label(video.duration_seconds), iso_duration(video.duration_seconds)
    )


@dataclass(frozen=True)
class LanguageLink:
    code: str
    tag: str  # BCP 47, for hreflang and lang
    name: str
    url: str


def language_links(**values) -> list[LanguageLink]:
    """This page in every other language (``?lang=``)."""
    current = str(get_locale())
    return [
        LanguageLink(
            code,
            code.replace("_", "-"),
            language_name(code),
            url_for(request.endpoint, **values, lang=code),
        )
        for code in supported_locales()
        if code != current
    ]
