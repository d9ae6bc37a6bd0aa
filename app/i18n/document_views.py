"""The translators' pages of documents written in the app (protocol versions, library
videos: any kind registered with ``courses.documents``): a document's stale and missing
segments with a form to translate them, its catalog's download and checked upload, and
its revisions. The catalog rule decides (translators of the language)."""

from flask import Response, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.permissions import TRANSLATE, require
from app.auth.policies import TRANSLATORS, allow
from app.courses import documents
from app.courses import queries as course_queries
from app.extensions import db
from app.i18n import bp, document_pages, editing, workflow
from app.i18n.access import SOURCE_LOCALE, Catalog

MAX_UPLOAD = 5 * 1024 * 1024
MAX_TRANSLATION = 20_000  # characters in one segment's box


def _document_for(locale: str, document_id: str):
    """The document's source for translating it into ``locale``: the catalog rule decides."""
    if locale == SOURCE_LOCALE or locale not in workflow.registered_locales():
        abort(404)
    require(current_user, TRANSLATE, Catalog(locale, document_id))
    return documents.load_source(document_id) or abort(404)


@bp.route("/translate/<locale>/documents/<document_id>", methods=["GET", "POST"])
@allow(TRANSLATORS)
def document(locale: str, document_id: str):
    """A document's stale and missing segments, each with a box; the typed translations
    are checked together and saved as one revision, or refused (422) with each problem
    beside its segment and nothing saved."""
    source = _document_for(locale, document_id)
    if request.method == "GET":
        return _page(source, locale)
    typed = _typed(request.form)
    if not typed:
        return _page(source, locale, 422, problems=[_("Type at least one translation.")])
    known = {segment.text for _where, segment in source.segments}
    if set(typed) - known or any(len(text) > MAX_TRANSLATION for text in typed.values()):
        return _page(source, locale, 422, problems=[_("The page is out of date: reload it.")])
    by_segment = document_pages.problems_by_segment(source, locale, typed)
    if by_segment:
        return _page(source, locale, 422, by_segment=by_segment, typed=typed)
    revision = documents.save_translations(current_user, source, locale, typed)
    db.session.commit()
    return _page(documents.load_source(document_id), locale, saved=revision)


def _typed(form) -> dict[str, str]:
    """``source-N`` (the segment's source text) and ``translation-N`` pairs, the blank
    boxes left out."""
    typed = {}
    for name, text in form.items():
        if name.startswith("source-"):
            translation = form.get("translation-" + name.removeprefix("source-"), "").strip()
            if translation:
                typed[text] = translation
    return typed


def _page(source, locale: str, status: int = 200, **shown):
    stale, missing = document_pages.stale_and_missing(source, locale)
    catalog = documents.catalog_of(source, locale)
    page = render_template(
        "translate/document.html",
        locale=locale,
        document=source,
        stale=stale,
        missing=missing,
        coverage=documents.coverage(source, catalog),
        held_back=documents.held_back(source, catalog),
        revisions=course_queries.list_document_catalogs(source.id, locale),
        by_segment=shown.pop("by_segment", {}),
        typed=shown.pop("typed", {}),
        **shown,
    )
    return page, status


@bp.route("/translate/<locale>/documents/<document_id>.po")
@allow(TRANSLATORS)
def document_download(locale: str, document_id: str):
    """The document's catalog for ``locale``, for Poedit, Lokalize or Weblate."""
    source = _document_for(locale, document_id)
    text = documents.catalog_text(source, locale)
    response = Response(text.encode("utf-8"), mimetype="text/x-gettext-translation")
    filename = document_id.replace(":", "-")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}-{locale}.po"'
    return response


@bp.route("/translate/<locale>/documents/<document_id>.po", methods=["POST"])
@allow(TRANSLATORS)
def document_upload(locale: str, document_id: str):
    """A new revision from an uploaded catalog, if every entry passes the checks of a
    course catalog's upload; else the file is refused whole (422), each problem listed
    with its line."""
    source = _document_for(locale, document_id)
    upload_file = request.files.get("catalog")
    data = upload_file.read(MAX_UPLOAD + 1) if upload_file else b""
    if not data:
        problems = [_("Choose a .po file to upload.")]
    elif len(data) > MAX_UPLOAD:
        problems = [_("The file is larger than 5 MB.")]
    else:
        problems = editing.check_upload(data, source, locale)
    if problems:
        return _page(source, locale, 422, problems=problems, uploaded=True)
    revision = documents.save_revision(current_user, source, locale, data.decode("utf-8"))
    db.session.commit()
    return _page(source, locale, saved=revision)
