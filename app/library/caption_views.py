"""Caption pages: administrators upload a video's English captions (WebVTT); anyone
fetches a caption track (public, cached, no cookie)."""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.policies import ADMIN, PUBLIC, allow
from app.extensions import db
from app.library import bp, caption_queries, captions, texts
from app.library.caption_forms import CaptionForm
from app.library.captions import CaptionProblems


def _video_or_404(slug: str):
    video = caption_queries.video_by_slug(slug)
    if video is None:
        abort(404)
    return video


def _page(video, form, problems=(), status=200):
    return render_template(
        "library/captions.html",
        video=video,
        form=form,
        problems=problems,
        cues=video.cues,
        format_time=captions.format_time,
        # the public files: a draft's are not served yet
        tracks=texts.tracks(video, str(get_locale())) if video.published_at else [],
    ), status


@bp.route("/library/manage/<slug>/captions", methods=["GET", "POST"])
@allow(ADMIN)
def captions_page(slug: str):
    """An administrator sees the video's cues and replaces them with a WebVTT file."""
    video = _video_or_404(slug)
    form = CaptionForm()
    if not form.is_submitted():
        return _page(video, form)
    if not form.validate():
        return _page(video, form, status=400)
    try:
        cues = captions.set_captions(current_user, video, form.captions.data.read())
    except CaptionProblems as refused:
        db.session.rollback()
        return _page(video, form, refused.problems, 422)
    db.session.commit()
    flash(_("Captions saved: %(count)d cues.", count=len(cues)), "success")
    return redirect(url_for("library.captions_page", slug=video.slug), 303)


@bp.route("/library/<slug>/captions/<locale>.vtt")
@allow(PUBLIC)
def caption_track(slug: str, locale: str):
    """A published video's caption track in ``locale`` (WebVTT); 404 when not offered.
    Cached by its ETag (the English cues and the language's latest catalog)."""
    video = _video_or_404(slug)
    if video.published_at is None:
        abort(404)
    version = texts.track_version(video, locale)
    if version in request.if_none_match:
        return _cached(Response(status=304), version)
    body = texts.track_vtt(video, locale)
    if body is None:
        abort(404)
    return _cached(Response(body, content_type="text/vtt; charset=utf-8"), version)


def _cached(response: Response, version: str) -> Response:
    response.set_etag(version)
    response.cache_control.public = True
    response.cache_control.max_age = 300  # a fixed translation shows within minutes
    response.vary.add("Accept-Encoding")
    return response
