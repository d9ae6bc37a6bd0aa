"""The progress matrix beside its page: the whole matrix as CSV or Excel (for the cohort's
staff only, as the page), and the words screen readers say for its cells."""

from flask import Response, abort, request
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _

from app.auth.permissions import MANAGE, load_or_404
from app.auth.policies import COHORT_STAFF, PUBLIC, allow
from app.cohorts import bp
from app.cohorts.matrix import build_matrix
from app.cohorts.matrix_export import XLSX_TYPE, as_csv, as_xlsx, matrix_table
from app.cohorts.matrix_pages import matrix_filters
from app.cohorts.models import Cohort
from app.db_types import utcnow
from app.locales import supported_locales


def _table(cohort_id: int) -> list[list]:
    """The matrix of a cohort one runs: every learner the URL's filters choose (all of
    them without filters), in the page's order, over every page."""
    cohort = load_or_404(Cohort, cohort_id, MANAGE)
    matrix = build_matrix(cohort, utcnow())
    return matrix_table(matrix, matrix.chosen(matrix_filters(request.args)), str(get_locale()))


def _download(body, mimetype: str, cohort_id: int, extension: str) -> Response:
    response = Response(body, mimetype=mimetype)
    name = f"cohort-{cohort_id}-progress-{utcnow():%Y-%m-%d}.{extension}"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/cohorts/<int:cohort_id>/progress.csv")
@allow(COHORT_STAFF)
def matrix_csv(cohort_id: int):
    """The progress matrix as CSV (UTF-8 with a byte-order mark, which Excel needs)."""
    table = _table(cohort_id)
    return _download(as_csv(table), "text/csv", cohort_id, "csv")


@bp.route("/cohorts/<int:cohort_id>/progress.xlsx")
@allow(COHORT_STAFF)
def matrix_xlsx(cohort_id: int):
    """The progress matrix as an Excel workbook: one sheet, figures as numbers."""
    table = _table(cohort_id)
    return _download(as_xlsx(table, _("Progress")), XLSX_TYPE, cohort_id, "xlsx")


def _css_string(text: str) -> str:
    """``text`` as a CSS string literal."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ")
    return f'"{escaped}"'


@bp.route("/cohorts/matrix-<locale>.css")
@allow(PUBLIC)
def matrix_words(locale: str):
    """What screen readers say for each cell of the matrix, in ``locale``: the cells carry
    only a class, and CSS generated content with alternative text ("✓" / "done") gives
    each its mark and its words. Browsers without alternative text keep app.css's mark."""
    if locale not in supported_locales():
        abort(404)
    with force_locale(locale):
        words = (_("not started"), _("started"), _("done"))
    marks = ("–", "◐", "✓")
    css = "".join(
        f".matrix td.c{state}::before {{ content: {_css_string(mark)} / {_css_string(word)}; }}\n"
        for state, (mark, word) in enumerate(zip(marks, words, strict=True))
    )
    response = Response(css, mimetype="text/css")
    response.headers["Cache-Control"] = "public, max-age=86400"
    response.add_etag()
    return response.make_conditional(request)
