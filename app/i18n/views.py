"""The translator's pages: coverage of their languages, a course catalog's stale and
missing segments beside the glossary, the catalog's download and checked upload, and its
revisions (each one can be restored)."""

from flask import Response, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.permissions import TRANSLATE, require
from app.auth.policies import TRANSLATORS, allow
from app.exceptions import ValidationFailed
from app.extensions import db
from app.i18n import access as catalog_rule
from app.i18n import bp, document_pages, editing, queries, revisions, workflow
from app.i18n.access import SOURCE_LOCALE, Catalog

MAX_UPLOAD = 5 * 1024 * 1024


def _languages() -> list[str]:
    """The registered languages the signed-in person translates (the catalog rule)."""
    mine = catalog_rule.locales(current_user)
    registered = [code for code in workflow.registered_locales() if code != SOURCE_LOCALE]
    return [code for code in registered if mine is None or code in mine]


def _course_for(locale: str, course_key: str):
    """A course's source for translating it into ``locale``: the catalog rule decides."""
    if locale not in workflow.registered_locales():
        abort(404)
    require(current_user, TRANSLATE, Catalog(locale, course_key))
    return editing.course_source(course_key) or abort(404)


@bp.route("/translate/")
@allow(TRANSLATORS)
def overview():
    """Coverage of one's languages: interface and courses, held-back lessons first."""
    languages = _languages()
    held, parts = workflow.coverage_report()
    held = [item for item in held if item.locale in languages]
    parts = [part for part in parts if part.locale.split("/")[0] in languages]
    documents = document_pages.overview_rows(languages)
    return render_template(
        "translate/overview.html", languages=languages, held=held, parts=parts, documents=documents
    )


@bp.route("/translate/<locale>/<course_key>")
@allow(TRANSLATORS)
def course(locale: str, course_key: str):
    """A course's stale segments (old source, new source, translation) and missing ones,
    each beside the glossary terms it uses; the catalog's download and upload."""
    return _course_page(_course_for(locale, course_key), locale)


def _course_page(source, locale: str, status: int = 200, **shown):
    """The course's page: stale and missing segments, upload, revisions (newest first)."""
    stale, missing = editing.stale_and_missing(source, locale)
    history = queries.list_revisions(source.id, locale)
    page = render_template(
        "translate/course.html",
        locale=locale,
        course=source,
        stale=stale,
        missing=missing,
        revisions=history,
        **shown,
    )
    return page, status


@bp.route("/translate/<locale>/<course_key>/<lesson_key>")
@allow(TRANSLATORS)
def preview(locale: str, course_key: str, lesson_key: str):
    """A lesson as the catalog has it, stale and missing passages highlighted."""
    source = _course_for(locale, course_key)
    html = editing.preview(source, lesson_key, locale)
    if html is None:
        abort(404)
    return render_template(
        "translate/preview.html", locale=locale, course=source, lesson_key=lesson_key, html=html
    )


@bp.route("/translate/<locale>/<course_key>.po")
@allow(TRANSLATORS)
def download(locale: str, course_key: str):
    """The course's catalog for ``locale``, for Poedit, Lokalize or Weblate."""
    source = _course_for(locale, course_key)
    text = editing.catalog_text(source, locale)
    if text is None:
        abort(404)
    response = Response(text.encode("utf-8"), mimetype="text/x-gettext-translation")
    response.headers["Content-Disposition"] = f'attachment; filename="{course_key}-{locale}.po"'
    return response


@bp.route("/translate/<locale>/<course_key>.po", methods=["POST"])
@allow(TRANSLATORS)
def upload(locale: str, course_key: str):
    """A new revision of the catalog: an uploaded file, if every entry passes (else the
    whole file is refused, 422, each problem listed with its line), or an earlier
    revision restored (form field ``revert``). The courses are imported again on the
    task queue, after the commit, so that learners on every server see it."""
    source = _course_for(locale, course_key)
    if "revert" in request.form:
        return _revert(source, locale, request.form.get("revert", type=int))
    upload_file = request.files.get("catalog")
    data = upload_file.read(MAX_UPLOAD + 1) if upload_file else b""
    if not data:
        problems = [_("Choose a .po file to upload.")]
    elif len(data) > MAX_UPLOAD:
        problems = [_("The file is larger than 5 MB.")]
    else:
        problems = editing.check_upload(data, source, locale)
    if problems:
        return _course_page(source, locale, 422, problems=problems)
    revision = revisions.save_revision(current_user, source, locale, data.decode("utf-8"))
    db.session.commit()
    return _course_page(editing.course_source(course_key), locale, saved=revision)


def _revert(source, locale: str, revision_id: int | None):
    earlier = queries.get_revision(revision_id) if revision_id else None
    try:
        revision = revisions.revert_to(current_user, source, locale, earlier)
    except ValidationFailed:
        abort(404)
    db.session.commit()
    return _course_page(editing.course_source(source.id), locale, saved=revision)
