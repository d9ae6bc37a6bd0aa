"""The public library's pages: the list, a video's page and its media, for everyone.

Privacy: these responses set no cookie. The language comes from ``?lang=`` or the
browser's Accept-Language (or a profile, for someone signed in), and whatever a hook
wrote into the session during the request (the language remembered, a message) is not
saved (``_save_no_session``). Nothing is loaded from another origin (the CSP sent here
allows only this site, even for media), and the only thing recorded of a visit is one
more view of the video on that day in that language."""

from flask import abort, render_template, request, session
from flask_babel import get_locale

from app.auth.policies import PUBLIC, allow
from app.db_types import utcnow
from app.extensions import db
from app.library import bp, queries, services, texts
from app.library.pages import (
    duration_label,
    iso_duration,
    language_links,
    media_kinds,
    video_card,
    video_downloads,
)
from app.library.serving import served

# Only this site, for every kind of resource: no video host, no font or image elsewhere.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self'; media-src 'self'; style-src 'self'; "
    "script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
PUBLIC_ENDPOINTS = {"library.index", "library.video", "library.media"}


@bp.after_request
def _save_no_session(response):
    """Public pages set no cookie: drop what the request wrote into the session."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        session.modified = False
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    return response


def _locale() -> str:
    return str(get_locale())


@bp.route("/library/")
@allow(PUBLIC)
def index():
    """The published videos: poster, title, summary and length, in the visitor's language."""
    locale = _locale()
    cards = [
        video_card(video, texts.video_texts(video, locale))
        for video in queries.list_public_videos()
    ]
    return render_template("library/index.html", cards=cards, languages=language_links())


@bp.route("/library/<slug>")
@allow(PUBLIC)
def video(slug: str):
    """A video's page: the player (no JavaScript), downloads, summary and transcript; a
    view is counted (day and language only)."""
    found = queries.get_public_video(slug) or abort(404)
    locale = _locale()
    prefetch = "prefetch" in request.headers.get("Sec-Purpose", request.headers.get("Purpose", ""))
    if request.method == "GET" and not prefetch:  # a browser guessing ahead is no view
        services.record_view(found, utcnow().date(), locale)
        db.session.commit()
    return render_template(
        "library/video.html",
        video=found,
        words=texts.video_texts(found, locale),
        tracks=texts.tracks(found, locale),
        sources=[r for r in media_kinds(found) if r.kind != "audio"],
        downloads=video_downloads(found),
        languages=language_links(slug=slug),
        duration=duration_label(found.duration_seconds),
        iso_duration=iso_duration(found.duration_seconds),
    )


@bp.route("/library/<slug>/<kind>")
@allow(PUBLIC)
def media(slug: str, kind: str):
    """A rendition or the poster, with range requests; ``?download`` saves it."""
    found = queries.get_public_video(slug) or abort(404)
    return served(found, kind, download="download" in request.args)
