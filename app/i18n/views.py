"""The translator's pages: coverage of their languages, a course catalog's stale and
missing segments beside the glossary, and the catalog's download and checked upload."""

from pathlib import Path

from flask import Response, abort, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.models import Role
from app.auth.policies import TRANSLATORS, allow
from app.courses.importer import import_courses
from app.extensions import db
from app.i18n import bp, editing, workflow

MAX_UPLOAD = 5 * 1024 * 1024


def _languages() -> list[str]:
    """The languages the signed-in person translates (admins: every one but English)."""
    registered = [code for code in workflow.registered_locales() if code != "en"]
    if current_user.has_role(Role.ADMIN):
        return registered
    return [code for code in registered if code in current_user.translator_locales]


def _course_for(locale: str, course_key: str):
    if locale not in _languages():
        abort(403)
    return editing.course_source(course_key) or abort(404)


@bp.route("/translate/")
@allow(TRANSLATORS)
def overview():
    """Coverage of one's languages: interface and courses, held-back lessons first."""
    languages = _languages()
    held, parts = workflow.coverage_report()
    held = [item for item in held if item.locale in languages]
    parts = [part for part in parts if part.locale.split("/")[0] in languages]
    return render_template("translate/overview.html", languages=languages, held=held,
                           parts=parts)  # fmt: skip


@bp.route("/translate/<locale>/<course_key>")
@allow(TRANSLATORS)
def course(locale: str, course_key: str):
    """A course's stale segments (old source, new source, translation) and missing ones,
    each beside the glossary terms it uses; the catalog's download and upload."""
    source = _course_for(locale, course_key)
    stale, missing = editing.stale_and_missing(source, locale)
    return render_template("translate/course.html", locale=locale, course=source,
                           stale=stale, missing=missing, problems=None)  # fmt: skip


@bp.route("/translate/<locale>/<course_key>/<lesson_key>")
@allow(TRANSLATORS)
def preview(locale: str, course_key: str, lesson_key: str):
    """A lesson as the catalog has it, stale and missing passages highlighted."""
    source = _course_for(locale, course_key)
    html = editing.preview(source, lesson_key, locale)
    if html is None:
        abort(404)
    return render_template("translate/preview.html", locale=locale, course=source,
                           lesson_key=lesson_key, html=html)  # fmt: skip


@bp.route("/translate/<locale>/<course_key>.po")
@allow(TRANSLATORS)
def download(locale: str, course_key: str):
    """The course's catalog for ``locale``, for Poedit, Lokalize or Weblate."""
    source = _course_for(locale, course_key)
    path = editing.catalog_path(source, locale)
    if not path.exists():
        abort(404)
    response = Response(path.read_bytes(), mimetype="text/x-gettext-translation")
    response.headers["Content-Disposition"] = f'attachment; filename="{course_key}-{locale}.po"'
    return response


@bp.route("/translate/<locale>/<course_key>.po", methods=["POST"])
@allow(TRANSLATORS)
def upload(locale: str, course_key: str):
    """Replace the catalog with an uploaded one, if every entry passes; else refuse the
    whole file (422) and list each problem with its line. The courses are imported again
    so that learners see the new translations at once."""
    source = _course_for(locale, course_key)
    upload_file = request.files.get("catalog")
    data = upload_file.read(MAX_UPLOAD + 1) if upload_file else b""
    if not data:
        problems = [_("Choose a .po file to upload.")]
    elif len(data) > MAX_UPLOAD:
        problems = [_("The file is larger than 5 MB.")]
    else:
        problems = editing.check_upload(data, source, locale)
    if problems:
        stale, missing = editing.stale_and_missing(source, locale)
        return render_template("translate/course.html", locale=locale, course=source,
                               stale=stale, missing=missing, problems=problems), 422  # fmt: skip
    editing.replace_catalog(source, locale, data)
    import_courses(Path(current_app.config["COURSES_DIR"]))
    db.session.commit()
    stale, missing = editing.stale_and_missing(editing.course_source(course_key), locale)
    return render_template("translate/course.html", locale=locale, course=source, stale=stale,
                           missing=missing, problems=None, replaced=True)  # fmt: skip
