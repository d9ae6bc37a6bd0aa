"""A library video's words in a visitor's language: title, summary, transcript and the
caption tracks offered.

A video is a document of the shared catalogs (``courses.documents``, kind ``video``,
id ``video:<id>``): its title, the paragraphs of its summary and transcript and each
caption cue are segments, so a changed English cue turns only that cue stale. The texts
are translated segment by segment, an untranslated or stale one shown in English and
marked ``lang="en"``. A caption track is offered in English always and in each language
whose catalog translates at least one cue: complete and current, under the language's
name; otherwise "(partial)", its missing and stale cues in English.

A cue that states a dose (``DOSE_PATTERN``) is a critical segment like a ``::: dose``
block: a translation changing its quantities is refused, and untranslated or stale it
shows in English, so a track never shows a dose that differs from the English.
A critical text segment of the summary or transcript untranslated or stale holds back
the whole text (title, summary and transcript in English), as a protocol's does."""

import hashlib
from dataclasses import dataclass

from flask import url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.routing import BuildError

from app.courses import documents
from app.courses import queries as course_queries
from app.courses.content.markdown import DOSE_PATTERN, Segment, render
from app.courses.documents import DocumentKind, DocumentSource
from app.html import sanitise
from app.library import caption_queries
from app.library.captions import Cue, cues_of, format_vtt
from app.library.models import Video
from app.locales import language_name, supported_locales

SOURCE = documents.SOURCE_LOCALE
CUE_PREFIX = "cue-"


@dataclass(frozen=True)
class VideoTexts:
    title: str
    summary_html: str
    transcript_html: str
    locale: str  # the language of most of it
    title_lang: str | None = None  # the title's language when it is a fallback ("en")


@dataclass(frozen=True)
class Track:
    locale: str
    label: str  # the language's name, "(partial)" added when cues fall back
    partial: bool
    url: str
    default: bool = False  # the track a player shows first (the visitor's language)

    @property
    def srclang(self) -> str:
        """The language as a BCP 47 tag (``zh-Hans``), for ``<track srclang>``."""
        return self.locale.replace("_", "-")


# --- The video as a document -----------------------------------------------------------


def source_of(video: Video) -> DocumentSource:
    """The video's segments: title, summary, transcript, then each cue (``cue-<n>``)."""
    segments = [
        *documents.plain_segment("title", video.title, "title"),
        *documents.markdown_segments("summary", video.summary or ""),
        *documents.markdown_segments("transcript", video.transcript or ""),
        *(_cue_segment(cue.position, cue.text) for cue in video.cues if cue.text.strip()),
    ]
    return DocumentSource(
        id=f"video:{video.id}", title=video.title, segments=tuple(segments), link=_link(video)
    )


def _cue_segment(position: int, text: str) -> tuple[str, Segment]:
    critical = DOSE_PATTERN.search(text) is not None
    return f"{CUE_PREFIX}{position}", Segment(text=text, kind="caption", line=1, critical=critical)


def _link(video: Video) -> str:
    try:
        return url_for("library.video", slug=video.slug)
    except (BuildError, RuntimeError):  # the page's route not registered; no request
        return ""


def _load_source(document_id: str) -> DocumentSource | None:
    try:
        video = caption_queries.video_by_id(int(document_id.removeprefix("video:")))
    except ValueError:
        return None
    return source_of(video) if video else None


documents.register_documents(
    DocumentKind(
        name="video",
        label=lambda: str(_l("Library videos")),
        list_sources=lambda: [source_of(video) for video in caption_queries.all_videos()],
        load_source=_load_source,
    )
)


# --- Texts -----------------------------------------------------------------------------


def _keep(text: str) -> tuple[str, str | None]:
    return text, None


def video_texts(video: Video, locale: str) -> VideoTexts:
    """The video's words in ``locale`` where translated, else English (marked)."""
    translate, shown_in = _keep, SOURCE
    if locale != SOURCE and course_queries.latest_document_catalog(f"video:{video.id}", locale):
        source = source_of(video)
        catalog = documents.catalog_of(source, locale)
        critical = {
            segment.text
            for where, segment in source.segments
            if segment.critical and not where.startswith(CUE_PREFIX)
        }
        if not critical - catalog.translations.keys():  # else held back: all in English
            translate, shown_in = documents.translator(source, catalog), locale
    title, title_lang = translate(video.title)
    summary, summary_stats = render(video.summary or "", translate, "")
    transcript, transcript_stats = render(video.transcript or "", translate, "")
    total = 1 + summary_stats.total + transcript_stats.total
    fallback = (title_lang is not None) + summary_stats.fallback + transcript_stats.fallback
    most = shown_in if fallback * 2 < total else SOURCE
    return VideoTexts(title, sanitise(summary), sanitise(transcript), most, title_lang)


# --- Caption tracks --------------------------------------------------------------------


@dataclass(frozen=True)
class TrackCues:
    """The cues of one language's track; ``fallback`` the indexes shown in English."""

    locale: str
    cues: list[Cue]
    fallback: dict[int, str]

    @property
    def partial(self) -> bool:
        return bool(self.fallback)


def track_cues(video: Video, locale: str) -> TrackCues | None:
    """The track in ``locale``, or None when it is not offered (no cues; a language with
    no catalog or no cue translated in it; not a language of the site)."""
    english = cues_of(video)
    if not english or locale not in supported_locales():
        return None
    if locale == SOURCE:
        return TrackCues(SOURCE, english, {})
    if course_queries.latest_document_catalog(f"video:{video.id}", locale) is None:
        return None
    translations = documents.catalog_of(source_of(video), locale).translations
    cues, fallback = [], {}
    for index, cue in enumerate(english):
        if cue.text in translations:
            cues.append(Cue(cue.start_ms, cue.end_ms, translations[cue.text]))
        else:
            cues.append(cue)
            fallback[index] = SOURCE
    if len(fallback) == len(english):
        return None
    return TrackCues(locale, cues, fallback)


def track_vtt(video: Video, locale: str) -> str | None:
    """The WebVTT file of the track in ``locale`` (English cues wrapped in
    ``<lang en>`` where they stand in for a missing or stale translation), or None."""
    track = track_cues(video, locale)
    return format_vtt(track.cues, track.fallback) if track else None


def track_version(video: Video, locale: str) -> str:
    """What the track's file depends on, hashed: its English cues and the language's
    latest catalog revision (the ETag of the file)."""
    revision = course_queries.latest_document_catalog(f"video:{video.id}", locale)
    digest = hashlib.sha256(f"{video.id}|{locale}|{revision.id if revision else 0}".encode())
    for cue in video.cues:
        digest.update(f"|{cue.start_ms}|{cue.end_ms}|{cue.text}".encode())
    return digest.hexdigest()[:32]


def tracks(video: Video, locale: str) -> list[Track]:
    """The caption tracks the video page offers, the visitor's language first (the
    default), then English, then the other languages offered."""
    found = [track for code in supported_locales() if (track := track_cues(video, code))]
    if not found:
        return []
    codes = [track.locale for track in found]
    first = locale if locale in codes else SOURCE
    ordered = sorted(found, key=lambda t: (t.locale != first, t.locale != SOURCE))
    return [
        Track(
            track.locale,
            _label(track),
            track.partial,
            url_for("library.caption_track", slug=video.slug, locale=track.locale),
            track.locale == first,
        )
        for track in ordered
    ]


def _label(track: TrackCues) -> str:
    """The language's name in itself; "(partial)" in that language too."""
    name = language_name(track.locale)
    if not track.partial:
        return name
    with force_locale(track.locale):
        return _("%(language)s (partial)", language=name)
