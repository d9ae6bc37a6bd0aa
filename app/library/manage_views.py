"""The library's management pages (administrators): the list, uploading a video, its
texts, publishing, trying a failed transcode again, deleting, the views per day and
language, and a preview of its files before it is published."""

import tempfile
from pathlib import Path

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.auth.policies import ADMIN, allow
from app.exceptions import PermissionDenied, ValidationFailed
from app.extensions import db
from app.forms import show_on_form
from app.library import bp, queries, services
from app.library.forms import UploadForm, VideoTextsForm
from app.library.pages import STATE_LABELS, duration_label, human_size, media_kinds
from app.library.serving import PRIVATE_CACHE, served
from app.storage import StorageUnavailable

UPLOAD_ENDPOINT = "library.upload"


@bp.url_value_preprocessor
def _upload_limit(endpoint, _values) -> None:
    """The upload may be larger than the app's usual limit (MAX_CONTENT_LENGTH). URL
    processors run before every ``before_request`` hook, so this is set before the CSRF
    check reads the body; the route policy, which runs before that check and reads no
    body, still refuses everyone but administrators."""
    if endpoint == UPLOAD_ENDPOINT:
        request.max_content_length = current_app.config["LIBRARY_MAX_UPLOAD"] + 2**20


@bp.route("/library/manage")
@allow(ADMIN)
def manage():
    """Every video with its state, views and whether it is public."""
    return render_template(
        "library/manage/list.html",
        videos=queries.list_videos(),
        views=queries.total_views(),
        state_labels=STATE_LABELS,
    )


@bp.route("/library/manage/new", methods=["GET", "POST"])
@allow(ADMIN)
def upload():
    """Upload a video with its English texts; it is transcoded in the background."""
    form, status = UploadForm(), 200
    if form.validate_on_submit():
        try:
            video = _add_uploaded(form)
        except (PermissionDenied, ValidationFailed) as error:
            show_on_form(form, error, "file")
            status = 400
        except StorageUnavailable:
            db.session.rollback()
            form.file.errors.append(_("The file store cannot be reached: try again later."))
            status = 503
        else:
            db.session.commit()
            flash(_("Video uploaded: it is being transcoded."), "success")
            return redirect(url_for("library.manage_video", video_id=video.id))
    elif form.is_submitted():
        status = 422
    limit = current_app.config["LIBRARY_MAX_UPLOAD"] // 2**20
    minutes = current_app.config["LIBRARY_MAX_SECONDS"] // 60
    return render_template(
        "library/manage/upload.html", form=form, limit=limit, minutes=minutes
    ), status


def _add_uploaded(form: UploadForm):
    upload = form.file.data
    with tempfile.TemporaryDirectory(prefix="palliare-upload-") as folder:
        path = Path(folder) / "upload"
        upload.save(path)
        return services.add_video(
            current_user,
            slug=form.slug.data,
            title=form.title.data,
            summary=form.summary.data or "",
            transcript=form.transcript.data or "",
            data=path,
            filename=upload.filename or "",
        )


def _video_or_404(video_id: int):
    return queries.get_video(video_id) or abort(404)


@bp.route("/library/manage/<int:video_id>", methods=["GET", "POST"])
@allow(ADMIN)
def manage_video(video_id: int):
    """A video's state, texts (editable), files, preview and views per day and language."""
    video = _video_or_404(video_id)
    form, status = VideoTextsForm(obj=video), 200
    if form.validate_on_submit():
        try:
            services.edit_video(
                current_user, video, slug=form.slug.data, title=form.title.data,
                summary=form.summary.data or "", transcript=form.transcript.data or "",
            )  # fmt: skip
        except (PermissionDenied, ValidationFailed) as error:
            show_on_form(form, error, "title")
            status = 400
        else:
            db.session.commit()
            flash(_("Texts saved."), "success")
            return redirect(url_for("library.manage_video", video_id=video.id))
    elif form.is_submitted():
        status = 422
    locales, days = queries.views_by_day(video.id)
    return render_template(
        "library/manage/video.html", video=video, form=form, renditions=media_kinds(video),
        human_size=human_size, locales=locales, days=days, state_labels=STATE_LABELS,
        duration=duration_label(video.duration_seconds),
    ), status  # fmt: skip


ACTIONS = {
    "publish": (services.publish_video, _l("Published: the video is on the public pages.")),
    "unpublish": (services.unpublish_video, _l("Unpublished: the public no longer sees it.")),
    "retry": (services.retry_video, _l("The video is queued to be transcoded again.")),
}


@bp.route("/library/manage/<int:video_id>/<action>", methods=["POST"])
@allow(ADMIN)
def video_action(video_id: int, action: str):
    """Publish, unpublish or try the transcode again."""
    video = _video_or_404(video_id)
    change, done = ACTIONS.get(action) or abort(404)
    try:
        change(current_user, video)
    except (PermissionDenied, ValidationFailed) as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(str(done), "success")
    return redirect(url_for("library.manage_video", video_id=video_id))


@bp.route("/library/manage/<int:video_id>/delete", methods=["POST"])
@allow(ADMIN)
def delete_video(video_id: int):
    """Delete the video, its files and its counts."""
    video = _video_or_404(video_id)
    title = video.title
    services.delete_video(current_user, video)
    db.session.commit()
    flash(_("Deleted “%(title)s”.", title=title), "success")
    return redirect(url_for("library.manage"))


@bp.route("/library/manage/<int:video_id>/files/<kind>")
@allow(ADMIN)
def preview(video_id: int, kind: str):
    """A file of a video not yet published (never cached)."""
    return served(_video_or_404(video_id), kind, cache=PRIVATE_CACHE)
